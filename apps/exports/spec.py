"""What an export covers: the books (one fund's ledger or every fund's), the period, the kind and the format.

`export_spec` checks a request as people type it (a fund code, an account code, dates) and refuses anything that
could never export with a message naming the field; `ledger_spec` describes any ledger directly (the bench's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from apps.funds.models import Fund
from apps.ledger.models import DEBIT_NORMAL_TYPES, Account, Ledger

from .exceptions import InvalidExport
from .models import ExportFormat, ExportKind, download_name

FORMATS_OF_KIND = {
    ExportKind.GENERAL_LEDGER: (ExportFormat.CSV, ExportFormat.XLSX),
    ExportKind.JOURNAL: (ExportFormat.CSV, ExportFormat.XLSX),
    ExportKind.TRIAL_BALANCE: (ExportFormat.CSV, ExportFormat.XLSX),
    ExportKind.STATEMENT: (ExportFormat.CSV, ExportFormat.XLSX),
    ExportKind.SAFT: (ExportFormat.XML,),
}


@dataclass(frozen=True)
class Book:
    """One ledger in an export; `code` is the fund's code (a fund's ledger has its fund's code)."""

    ledger_id: int
    code: str
    name: str
    institution: str = ""
    currency: str = "KRW"


@dataclass(frozen=True)
class AccountRef:
    id: int
    code: str
    name: str
    debit_normal: bool


@dataclass(frozen=True)
class ExportSpec:
    kind: str
    format: str
    books: tuple[Book, ...]
    date_from: date
    date_to: date
    fund_code: str = ""  # empty: every fund
    account: AccountRef | None = None

    @property
    def ledger_ids(self) -> list[int]:
        return [book.ledger_id for book in self.books]

    @property
    def filename(self) -> str:
        return download_name(self.fund_code, self.kind, self.account.code if self.account else "",
                             self.date_from, self.date_to, self.format)


def export_spec(*, kind: str, format: str, fund: str = "", date_from: date | None, date_to: date | None,
                account: str = "") -> ExportSpec:
    """The export asked for, or InvalidExport naming the field at fault."""
    kind, fmt = _kind_and_format(kind, format)
    date_from, date_to = _period(date_from, date_to)
    funds = Fund.objects.select_related("ledger").order_by("pk")
    if fund:
        funds = funds.filter(code=fund)
        if not funds:
            raise InvalidExport(_("There is no fund with the code “%(code)s”.") % {"code": fund}, field="fund")
    books = tuple(Book(f.ledger_id, f.code, f.name_ko, f.managing_institution_ko, f.ledger.currency) for f in funds)
    if not books:
        raise InvalidExport(_("There are no funds to export."), field="fund")
    account_ref = None
    if kind == ExportKind.STATEMENT:
        if not fund:
            raise InvalidExport(_("An account statement is of one fund: choose the fund."), field="fund")
        account_ref = _account(books[0].ledger_id, account)
    return ExportSpec(kind, fmt, books, date_from, date_to, fund, account_ref)


def ledger_spec(ledger: Ledger, *, kind: str, format: str, date_from: date, date_to: date,
                account: Account | None = None) -> ExportSpec:
    book = Book(ledger.pk, ledger.code, ledger.name_ko, currency=ledger.currency)
    ref = AccountRef(account.pk, account.code, account.name_ko, account.is_debit_normal) if account else None
    return ExportSpec(kind, format, (book,), date_from, date_to, ledger.code, ref)


def _kind_and_format(kind: str, fmt: str) -> tuple[str, str]:
    if kind not in ExportKind.values:
        raise InvalidExport(_("Unknown export “%(kind)s”: choose one of %(kinds)s.")
                            % {"kind": kind, "kinds": ", ".join(ExportKind.values)}, field="kind")
    allowed = FORMATS_OF_KIND[ExportKind(kind)]
    if fmt not in allowed:
        raise InvalidExport(_("This export is written as %(formats)s, not “%(format)s”.")
                            % {"formats": " or ".join(allowed), "format": fmt}, field="format")
    return kind, fmt


def _period(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    if date_from is None:
        raise InvalidExport(_("Give the first day of the period."), field="date_from")
    if date_to is None:
        raise InvalidExport(_("Give the last day of the period."), field="date_to")
    if date_to < date_from:
        raise InvalidExport(_("The period ends before it begins."), field="date_to")
    return date_from, date_to


def _account(ledger_id: int, code: str) -> AccountRef:
    if not code:
        raise InvalidExport(_("An account statement needs the account's code."), field="account")
    account = Account.objects.filter(ledger_id=ledger_id, code=code).first()
    if account is None:
        raise InvalidExport(_("The fund has no account “%(code)s”.") % {"code": code}, field="account")
    return AccountRef(account.pk, account.code, account.name_ko, account.type in DEBIT_NORMAL_TYPES)
