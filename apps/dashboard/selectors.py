"""What the dashboards show, read from the ledger and the rooms' own records; nothing here is stored.

The administrators' home: per fund, what was raised against the target and month by month, cash, the matching
budget left this year, the open encumbrances (holds), and the programs' cards every room offers; the latest
entries and the latest verification run. The contributors' figures: one organisation's contributions by year and
fund, its donation receipts, its tax credits and the government matching its contributions obtained.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from apps.contributions.models import DonationReceipt
from apps.contributions.selectors import contribution_totals
from apps.core.extensions import app_modules
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import CLOSING_REFERENCE_PREFIX, FundTotals, fund_totals
from apps.ledger.models import AccountDay, Hold, HoldStatus, JournalEntry, JournalLine, VerificationRun
from apps.matching.models import Match, MatchingBudget
from apps.organizations.models import Organization
from apps.statements.units import Unit

from .cards import Card

logger = logging.getLogger(__name__)

MONTHS_SHOWN = 12


# The administrators' home


@dataclass
class FundPanel:
    totals: FundTotals
    matching_budget: int  # this year's matching budgets of the fund, whole won
    matching_left: int
    encumbered: int  # what open holds still reserve
    open_holds: int
    cards: list[Card] = field(default_factory=list)
    chart: str = ""  # Chart.js data of the months raised, set by the view
    chart_unit: Unit | None = None  # the unit the chart's figures are in
    balanced: bool = True  # the trial balance agrees

    @property
    def fund(self) -> Fund:
        return self.totals.fund

    @property
    def percent(self) -> int:
        """Share of the target raised, in whole per cent, capped at 100 for the progress bar."""
        share = self.totals.percent_of_target
        return 0 if share is None else min(int(share), 100)


def _month_starts(today: date, count: int) -> list[date]:
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def raised_by_month(funds: list[Fund], *, today: date | None = None, months: int = MONTHS_SHOWN) -> dict:
    """{"labels": ["2026-01", ...], "series": {fund code: [won per month]}}: contribution revenue credited net of
    debits, month by month over the last `months` months, the year-end closing lines left out."""
    starts = _month_starts(today or timezone.localdate(), months)
    codes = {f.ledger_id: f.code for f in funds}
    accounts = Q(account__ledger_id__in=codes, account__code=chart.CONTRIBUTION_REVENUE)
    days = (AccountDay.objects.filter(accounts, day__gte=starts[0]).annotate(month=TruncMonth("day"))
            .values("account__ledger_id", "month").annotate(d=Sum("debit"), c=Sum("credit")).order_by())
    closing = (JournalLine.objects.filter(accounts, effective_date__gte=starts[0],
                                          entry__reference__startswith=CLOSING_REFERENCE_PREFIX)
               .annotate(month=TruncMonth("effective_date")).values("account__ledger_id", "month")
               .annotate(d=Sum("debit"), c=Sum("credit")).order_by())
    won: dict[tuple[int, date], int] = defaultdict(int)
    for row in days:
        won[(row["account__ledger_id"], _as_date(row["month"]))] += (row["c"] or 0) - (row["d"] or 0)
    for row in closing:
        won[(row["account__ledger_id"], _as_date(row["month"]))] -= (row["c"] or 0) - (row["d"] or 0)
    return {"labels": [f"{m:%Y-%m}" for m in starts],
            "series": {code: [won[(ledger_id, m)] for m in starts] for ledger_id, code in codes.items()}}


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def program_cards(user) -> list[Card]:
    """Every room's `dashboard_cards(user)`. A room whose cards fail is logged and left out, so one program's
    bug never takes the administrators' home down with it."""
    cards: list[Card] = []
    for module in app_modules("dashboard"):
        offer = getattr(module, "dashboard_cards", None)
        if offer is None:
            continue
        try:
            cards.extend(offer(user))
        except Exception:  # a card is a convenience; the home page must still render
            logger.exception("dashboard cards of %s failed", module.__name__)
    return cards


def fund_panels(user, *, year: int | None = None, cards: list[Card] | None = None) -> list[FundPanel]:
    """One panel per active fund, with the cards of its programs (`cards`, or every room's)."""
    year = year or timezone.localdate().year
    funds = list(Fund.objects.filter(is_active=True).select_related("ledger").order_by("pk"))
    budgets = {r["fund_id"]: r for r in MatchingBudget.objects.filter(year=year).values("fund_id")
               .annotate(amount=Sum("amount"), matched=Sum("matched_total")).order_by()}
    holds = {r["ledger_id"]: r for r in Hold.objects.filter(status=HoldStatus.OPEN).values("ledger_id")
             .annotate(won=Sum("remaining"), n=Count("id")).order_by()}
    cards_by_fund: dict[str, list[Card]] = defaultdict(list)
    for card in program_cards(user) if cards is None else cards:
        cards_by_fund[card.fund].append(card)
    panels = []
    for fund in funds:
        budget, hold = budgets.get(fund.pk, {}), holds.get(fund.ledger_id, {})
        amount = budget.get("amount") or 0
        panels.append(FundPanel(
            totals=fund_totals(fund), matching_budget=amount, matching_left=amount - (budget.get("matched") or 0),
            encumbered=hold.get("won") or 0, open_holds=hold.get("n") or 0, cards=cards_by_fund.get(fund.code, []),
        ))
    return panels


def recent_entries(limit: int = 10) -> list[JournalEntry]:
    return list(JournalEntry.objects.select_related("ledger", "seal").annotate(amount=Sum("lines__debit"))
                .order_by("-posted_at", "-id")[:limit])


def last_verification() -> VerificationRun | None:
    return VerificationRun.objects.order_by("-started_at").first()


# A contributor's own figures


@dataclass
class YearFigures:
    year: int
    by_fund: dict[str, int] = field(default_factory=dict)  # fund code → won received
    receipts: int = 0
    receipted: int = 0
    tax_credit: int = 0
    matched: int = 0

    @property
    def contributed(self) -> int:
        return sum(self.by_fund.values())


@dataclass
class ContributorFigures:
    organization: Organization
    funds: list[Fund]
    years: list[YearFigures]

    @property
    def total(self) -> int:
        return sum(y.contributed for y in self.years)

    @property
    def matched(self) -> int:
        return sum(y.matched for y in self.years)

    @property
    def tax_credit(self) -> int:
        return sum(y.tax_credit for y in self.years)


def contributor_figures(organization: Organization) -> ContributorFigures:
    """One organisation's money received by the funds per year and fund, its receipts (cancelled ones left out),
    the art. 8-3 tax credit of each year, and the government matching its contributions obtained."""
    from apps.taxcredits.selectors import statement_compute

    funds = {f.pk: f for f in Fund.objects.order_by("pk")}
    years: dict[int, YearFigures] = {}

    def year_of(y: int) -> YearFigures:
        return years.setdefault(y, YearFigures(y))

    for (_org, fund_id, y), won in contribution_totals(organization=organization).items():
        code = funds[fund_id].code
        year_of(y).by_fund[code] = year_of(y).by_fund.get(code, 0) + won
    receipts = (DonationReceipt.objects.filter(contribution__organization=organization, cancelled_at__isnull=True)
                .values("fiscal_year").annotate(n=Count("id"), won=Sum("amount")).order_by())
    for row in receipts:
        year_of(row["fiscal_year"]).receipts, year_of(row["fiscal_year"]).receipted = row["n"], row["won"] or 0
    matches = (Match.objects.filter(contribution__organization=organization, matched__gt=0)
               .annotate(y=ExtractYear("contribution__contribution_date")).values("y")
               .annotate(won=Sum("matched")).order_by())
    for row in matches:
        year_of(row["y"]).matched = row["won"] or 0
    for y in list(years):
        years[y].tax_credit = statement_compute(organization=organization, year=y).total_credit
    used = {code for y in years.values() for code in y.by_fund}
    return ContributorFigures(organization=organization, funds=[f for f in funds.values() if f.code in used],
                              years=[years[y] for y in sorted(years)])
