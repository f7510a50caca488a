"""Reads of the funds: an account by its role, and a fund's progress — always read from its ledger.

What a fund has raised is the balance of its contribution-revenue account (credits net of debits, so a reversed
contribution no longer counts). Closing a fiscal year moves that balance into net assets with a closing entry; the
closing lines are left out here, so progress keeps counting what was raised in closed years.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db.models import Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractYear

from apps.ledger.models import Account, AccountDay, JournalLine
from apps.ledger.selectors import party_balances

from .chart import CASH, CONTRIBUTION_REVENUE
from .models import Fund

SHARE_PLACES = 6  # share of target as a fraction, to a millionth (a ten-thousandth of a per cent)
# `apps.ledger.services.period_close` gives its closing entries this reference.
CLOSING_REFERENCE_PREFIX = "period-close:"
DESIGNATED_USE = "designated_use"  # the key contributions put in their revenue line's metadata


def fund_account(fund: Fund, code: str) -> Account:
    """The fund's account for a role of the standard chart, e.g. `fund_account(fund, chart.CASH)`."""
    return Account.objects.get(ledger_id=fund.ledger_id, code=code)


@dataclass(frozen=True)
class FundTotals:
    """What a fund has raised (whole won, in total and per fiscal year) against its target, and its cash."""

    fund: Fund
    raised: int
    by_year: dict[int, int]
    cash: int

    @property
    def target(self) -> int | None:
        return self.fund.target_amount

    @property
    def share_of_target(self) -> Decimal | None:
        """raised ÷ target as a fraction (0.2 is a fifth), rounded down to SHARE_PLACES by integer division:
        exact, whatever the amounts."""
        if not self.target:
            return None
        scale = 10**SHARE_PLACES
        return Decimal(self.raised * scale // self.target).scaleb(-SHARE_PLACES)

    @property
    def percent_of_target(self) -> Decimal | None:
        share = self.share_of_target
        return None if share is None else (share * 100).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@dataclass(frozen=True)
class FundProgress(FundTotals):
    """The totals, and who raised them for what."""

    by_contributor: dict[str, int]  # party (as the contributing app names it, e.g. "org:12") → won
    by_designated_use: dict[str, int]  # designated use code → won; "" for contributions without one


def fund_totals(fund: Fund) -> FundTotals:
    """Raised so far (by year, from the per-day totals) and cash: cheap enough for every row of a list."""
    by_year = raised_by_year(fund_account(fund, CONTRIBUTION_REVENUE))
    return FundTotals(fund=fund, raised=sum(by_year.values()), by_year=by_year,
                      cash=fund_account(fund, CASH).balance_minor)


def fund_progress(fund: Fund) -> FundProgress:
    """The totals with the breakdowns by contributor and by designated use (these read the revenue lines)."""
    revenue = fund_account(fund, CONTRIBUTION_REVENUE)
    by_year = raised_by_year(revenue)
    return FundProgress(
        fund=fund, raised=sum(by_year.values()), by_year=by_year, cash=fund_account(fund, CASH).balance_minor,
        by_contributor=raised_by_contributor(revenue), by_designated_use=raised_by_designated_use(revenue),
    )


def raised_by_year(revenue: Account) -> dict[int, int]:
    """Credits net of debits per fiscal year, from the per-day totals (no scan of journal lines), less the
    year-end closing lines."""
    rows = (AccountDay.objects.filter(account=revenue).annotate(year=ExtractYear("day")).values("year")
            .annotate(d=Sum("debit"), c=Sum("credit")).order_by("year"))
    totals = {r["year"]: (r["c"] or 0) - (r["d"] or 0) for r in rows}
    for year, (d, c) in _closing_totals(revenue, list(totals)).items():
        totals[year] -= c - d
    return {year: won for year, won in totals.items() if won}


def _closing_totals(revenue: Account, years: list[int]) -> dict[int, tuple[int, int]]:
    """Debits and credits the closing entries put on the account, per year. Closing entries are dated
    31 December, so only those days' lines are read."""
    lines = (JournalLine.objects
             .filter(account=revenue, effective_date__in=[date(y, 12, 31) for y in years],
                     entry__reference__startswith=CLOSING_REFERENCE_PREFIX)
             .values_list("effective_date", "debit", "credit"))
    totals: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for day, d, c in lines:
        td, tc = totals[day.year]
        totals[day.year] = (td + d, tc + c)
    return totals


def raised_by_contributor(revenue: Account) -> dict[str, int]:
    """Credits net of debits per party on the contribution-revenue account (closing lines carry no party)."""
    rows = party_balances(revenue.ledger, account=revenue)
    return {r["party"]: -r["net"] for r in rows if r["net"]}


def raised_by_designated_use(revenue: Account) -> dict[str, int]:
    """Credits net of debits per designated use, read from the revenue lines' metadata."""
    rows = (JournalLine.objects.filter(account=revenue)
            .exclude(entry__reference__startswith=CLOSING_REFERENCE_PREFIX)
            .annotate(use=KeyTextTransform(DESIGNATED_USE, "metadata")).values("use")
            .annotate(d=Sum("debit"), c=Sum("credit")).order_by("use"))
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r["use"] or ""] += (r["c"] or 0) - (r["d"] or 0)
    return {use: won for use, won in sorted(totals.items()) if won}
