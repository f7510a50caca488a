"""Reads of the ledger that auditors and administrators need: balances now and as of a date, trial balance,
account statements with running balances, balances per party."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum
from moneyed import Money

from apps.core.money import from_minor

from .models import Account, AccountDay, JournalLine, Ledger


def account_balance(account: Account, as_of: date | None = None) -> Money:
    """The balance on the account's normal side: the stored total now, or the sum of day totals up to `as_of`."""
    if as_of is None:
        return account.balance
    d, c = balances_as_of(account.ledger_id, as_of, accounts=[account]).get(account.pk, (0, 0))
    signed = d - c if account.is_debit_normal else c - d
    return from_minor(signed, account.currency)


def balances_as_of(
    ledger: Ledger | int, as_of: date, *, accounts: Iterable[Account] | QuerySet | None = None
) -> dict[int, tuple[int, int]]:
    """(total debit, total credit) per account id for everything effective on or before `as_of`."""
    rows = AccountDay.objects.filter(day__lte=as_of)
    if accounts is None:
        rows = rows.filter(account__ledger=ledger)
    else:
        rows = rows.filter(account__in=[a.pk for a in accounts])
    totals = rows.values("account_id").annotate(d=Sum("debit"), c=Sum("credit")).order_by()
    return {r["account_id"]: (r["d"] or 0, r["c"] or 0) for r in totals}


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    debit: int
    credit: int

    @property
    def debit_balance(self) -> int:
        return max(self.debit - self.credit, 0)

    @property
    def credit_balance(self) -> int:
        return max(self.credit - self.debit, 0)


@dataclass(frozen=True)
class TrialBalance:
    ledger: Ledger
    as_of: date | None
    rows: list[TrialBalanceRow]

    def totals(self) -> dict[str, tuple[int, int]]:
        """(total debit balances, total credit balances) per currency: amounts of different currencies never add."""
        sums: dict[str, list[int]] = {}
        for r in self.rows:
            slot = sums.setdefault(r.account.currency, [0, 0])
            slot[0] += r.debit_balance
            slot[1] += r.credit_balance
        return {currency: (d, c) for currency, (d, c) in sums.items()}

    @property
    def total_debit(self) -> int:
        """In the ledger's own currency."""
        return self.totals().get(self.ledger.currency, (0, 0))[0]

    @property
    def total_credit(self) -> int:
        return self.totals().get(self.ledger.currency, (0, 0))[1]

    @property
    def is_balanced(self) -> bool:
        return all(d == c for d, c in self.totals().values())


def trial_balance(ledger: Ledger, as_of: date | None = None) -> TrialBalance:
    """Each account's debit or credit balance; in a sound ledger the two columns add up to the same total."""
    accounts = list(Account.objects.filter(ledger=ledger).order_by("code"))
    if as_of is None:
        rows = [TrialBalanceRow(a, a.debit_total, a.credit_total) for a in accounts]
    else:
        totals = balances_as_of(ledger, as_of)
        rows = [TrialBalanceRow(a, *totals.get(a.pk, (0, 0))) for a in accounts]
    return TrialBalance(ledger, as_of, rows)


@dataclass(frozen=True)
class StatementLine:
    line: JournalLine
    balance: int  # the account's normal-side balance after this line, in effective-date order


@dataclass(frozen=True)
class Statement:
    account: Account
    date_from: date | None
    date_to: date | None
    opening: int
    lines: Iterator[StatementLine]


def account_statement(account: Account, date_from: date | None = None, date_to: date | None = None) -> Statement:
    """The account's lines between two effective dates with the running balance, after an opening balance."""
    sign = 1 if account.is_debit_normal else -1
    opening = 0
    if date_from is not None and date_from > date.min:
        d, c = balances_as_of(account.ledger_id, date_from - timedelta(days=1), accounts=[account]).get(
            account.pk, (0, 0)
        )
        opening = sign * (d - c)
    lines = account.lines.select_related("entry").order_by("effective_date", "id")
    if date_from is not None:
        lines = lines.filter(effective_date__gte=date_from)
    if date_to is not None:
        lines = lines.filter(effective_date__lte=date_to)

    def running() -> Iterator[StatementLine]:
        balance = opening
        for line in lines.iterator(chunk_size=2000):
            balance += sign * (line.debit - line.credit)
            yield StatementLine(line, balance)

    return Statement(account, date_from, date_to, opening, running())


def party_balances(ledger: Ledger, *, account: Account | None = None, as_of: date | None = None) -> list[dict]:
    """Debit, credit and net (debit minus credit) per party, optionally for one account and up to a date."""
    lines = JournalLine.objects.filter(entry__ledger=ledger).exclude(party="")
    if account is not None:
        lines = lines.filter(account=account)
    if as_of is not None:
        lines = lines.filter(effective_date__lte=as_of)
    rows = lines.values("party").annotate(debit=Sum("debit"), credit=Sum("credit")).order_by("party")
    return [{**r, "net": r["debit"] - r["credit"]} for r in rows]


def accounts_with_activity(ledger: Ledger) -> QuerySet[Account]:
    return Account.objects.filter(ledger=ledger).filter(Q(debit_total__gt=0) | Q(credit_total__gt=0))
