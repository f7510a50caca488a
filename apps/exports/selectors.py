"""Reads of the exports app: who may export, whose jobs one sees, and what every export states about itself —
its control totals and the last sealed entry it covers — and the balances of the trial balance and SAF-T."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import QuerySet

from apps.core.roles import is_auditor, is_fund_admin, reads_books

from .models import ExportJob, ExportKind
from .sources import id_list
from .spec import ExportSpec


def may_export(user) -> bool:
    """Auditors and fund administrators export the ledger; nobody else."""
    return reads_books(user)


def jobs_visible_to(user) -> QuerySet[ExportJob]:
    """A fund administrator sees every export job, an auditor their own, anybody else none."""
    if is_fund_admin(user):
        return ExportJob.objects.all()
    if is_auditor(user):
        return ExportJob.objects.filter(requested_by=user)
    return ExportJob.objects.none()


@dataclass(frozen=True)
class LastSeal:
    """The last sealed entry of one book within the export: `ledger_verify` recomputes the chain up to it."""

    book: str
    number: str  # "2026-000123"
    hash: str
    chain_index: int


@dataclass
class Control:
    """What an export covers: entries, lines, and their debits and credits (whole won); the last seal per book
    and how many of the entries are not sealed yet."""

    entries: int = 0
    lines: int = 0
    total_debit: int = 0
    total_credit: int = 0
    unsealed: int = 0
    seals: list[LastSeal] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "entries": self.entries, "lines": self.lines, "total_debit": self.total_debit,
            "total_credit": self.total_credit, "unsealed_entries": self.unsealed,
            "last_seals": [{"book": s.book, "number": s.number, "hash": s.hash, "chain_index": s.chain_index}
                           for s in self.seals],
        }


def control_totals(spec: ExportSpec) -> Control:
    """Counts and sums over exactly the lines the export writes (one account's, for a statement)."""
    period = [spec.date_from, spec.date_to]
    with connection.cursor() as cur:
        if spec.account is not None:
            cur.execute(
                "SELECT COUNT(DISTINCT l.entry_id), COUNT(*), COALESCE(SUM(l.debit), 0), COALESCE(SUM(l.credit), 0), "
                "COUNT(DISTINCT CASE WHEN s.entry_id IS NULL THEN l.entry_id END) FROM ledger_journalline l "
                "LEFT JOIN ledger_entryseal s ON s.entry_id = l.entry_id "
                "WHERE l.account_id = %s AND l.effective_date BETWEEN %s AND %s", [spec.account.id, *period])
            entries, lines, debit, credit, unsealed = cur.fetchone()
        else:
            # Two plain aggregates rather than one COUNT(DISTINCT) over a million lines, which would sort them.
            where = f"e.ledger_id IN ({id_list(spec.ledger_ids)}) AND e.effective_date BETWEEN %s AND %s"
            cur.execute("SELECT COUNT(*), COUNT(*) - COUNT(s.entry_id) FROM ledger_journalentry e "  # noqa: S608 - ids only
                        f"LEFT JOIN ledger_entryseal s ON s.entry_id = e.id WHERE {where}", period)
            entries, unsealed = cur.fetchone()
            cur.execute("SELECT COUNT(*), COALESCE(SUM(l.debit), 0), COALESCE(SUM(l.credit), 0) "  # noqa: S608 - ids only
                        "FROM ledger_journalentry e JOIN ledger_journalline l ON l.entry_id = e.id "
                        f"WHERE {where}", period)
            lines, debit, credit = cur.fetchone()
    return Control(entries, lines, int(debit), int(credit), unsealed, _last_seals(spec))


def _last_seals(spec: ExportSpec) -> list[LastSeal]:
    touches, extra = "", []
    if spec.account is not None:
        touches, extra = ("AND EXISTS (SELECT 1 FROM ledger_journalline l WHERE l.entry_id = e.id "
                          "AND l.account_id = %s) "), [spec.account.id]
    seals = []
    with connection.cursor() as cur:
        for book in spec.books:
            # Down the chain from its head: the period's last seal is usually near it.
            cur.execute(
                "SELECT s.fiscal_year, s.number, s.hash, s.chain_index FROM ledger_entryseal s "  # noqa: S608 - ids and fixed snippets only
                "JOIN ledger_journalentry e ON e.id = s.entry_id "
                f"WHERE s.ledger_id = %s AND e.effective_date BETWEEN %s AND %s {touches}"
                "ORDER BY s.chain_index DESC LIMIT 1", [book.ledger_id, spec.date_from, spec.date_to, *extra])
            row = cur.fetchone()
            if row is not None:
                seals.append(LastSeal(book.code, f"{row[0]}-{row[1]:06d}", row[2], row[3]))
    return seals


@dataclass(frozen=True)
class AccountBalances:
    """One account over the period: balances on the eve and at the end (net, on one side) and the turnover."""

    book: str
    code: str
    name: str
    type: str
    opening: int  # debit − credit before the period
    debit: int
    credit: int

    @property
    def closing(self) -> int:
        return self.opening + self.debit - self.credit

    @property
    def sides(self) -> tuple[int, int, int, int, int, int]:
        """Opening debit, opening credit, period debit, period credit, closing debit, closing credit."""
        return (max(self.opening, 0), max(-self.opening, 0), self.debit, self.credit,
                max(self.closing, 0), max(-self.closing, 0))


def account_balances(spec: ExportSpec) -> list[AccountBalances]:
    """Every account of the books, in book and code order, from its day totals (one row per account and day)."""
    eve = spec.date_from - timedelta(days=1)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT g.code, a.code, a.name_ko, a.type, "  # noqa: S608 - ids and fixed snippets only
            "COALESCE(SUM(CASE WHEN d.day <= %s THEN d.debit - d.credit END), 0), "
            "COALESCE(SUM(CASE WHEN d.day > %s THEN d.debit END), 0), "
            "COALESCE(SUM(CASE WHEN d.day > %s THEN d.credit END), 0) "
            "FROM ledger_account a JOIN ledger_ledger g ON g.id = a.ledger_id "
            "LEFT JOIN ledger_accountday d ON d.account_id = a.id AND d.day <= %s "
            f"WHERE a.ledger_id IN ({id_list(spec.ledger_ids)}) "
            "GROUP BY a.ledger_id, g.code, a.code, a.name_ko, a.type ORDER BY a.ledger_id, a.code",
            [eve, eve, eve, spec.date_to])
        return [AccountBalances(book, code, name, kind, int(opening), int(debit), int(credit))
                for book, code, name, kind, opening, debit, credit in cur.fetchall()]


def rows_to_write(spec: ExportSpec, control: Control) -> int:
    """How many data rows the export writes: for progress, and to decide whether it downloads at once."""
    if spec.kind == ExportKind.TRIAL_BALANCE:
        return 0  # one row per account: always small
    return control.lines
