"""Reads of the evaluations: configuration in force, the inputs of each index, and records and results scoped to
who asks. Fund administrators and auditors see everything; a company's members see its own records, and its own
results only once their year is published — and then only the grade and honour status (the API and pages choose
what to show; this module decides what is reachable)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from apps.contributions.models import RECEIVED_STATUSES, Contribution
from apps.core.money import apply_rate
from apps.organizations.models import Organization, SizeClass
from apps.organizations.selectors import organizations_visible_to, sees_all_organizations

from .models import (
    ContributionPointBand,
    DefenceInput,
    EvaluationResult,
    EvaluationYear,
    IndexKind,
    IndexRule,
    RecordStatus,
    SgiInput,
    SharingMethodWeight,
    SharingRecord,
    YearStatus,
)

POOL_FUND = "wwfp"


def rule_day(year: int) -> date:
    """The day whose configuration an evaluation year uses: its last."""
    return date(year, 12, 31)


def rule_for(kind: str, year: int) -> IndexRule | None:
    return IndexRule.objects.valid_on(rule_day(year)).filter(kind=kind).order_by("-valid_from").first()


def bands_for(kind: str, year: int) -> list[ContributionPointBand]:
    return list(ContributionPointBand.objects.valid_on(rule_day(year)).filter(kind=kind).order_by("min_won"))


def year_row(kind: str, year: int) -> EvaluationYear | None:
    return EvaluationYear.objects.filter(kind=kind, year=year).first()


def is_published(kind: str, year: int) -> bool:
    return EvaluationYear.objects.filter(kind=kind, year=year, status=YearStatus.PUBLISHED).exists()


def subjects(kind: str, year: int) -> list[Organization]:
    """Who an index evaluates in a year: companies with inputs for it (SGI, platforms included; defence), every
    active financial institution (WFI)."""
    if kind == IndexKind.WFI:
        found = Organization.objects.filter(size_class=SizeClass.FINANCIAL_INSTITUTION, is_active=True)
    else:
        inputs = SgiInput if kind == IndexKind.SGI else DefenceInput
        found = Organization.objects.filter(pk__in=inputs.objects.filter(year=year).values("organization_id"))
    return list(found.order_by("pk"))


def contributed_won(organization_ids: list[int], year: int, *, fund_code: str | None = None) -> dict[int, int]:
    """Won each organisation contributed (received: confirmed or matched) with a contribution date in the year."""
    rows = Contribution.objects.filter(organization_id__in=organization_ids, status__in=RECEIVED_STATUSES,
                                       contribution_date__year=year)
    if fund_code:
        rows = rows.filter(fund__code=fund_code)
    totals = rows.values("organization_id").annotate(won=Sum("amount")).order_by()
    return {row["organization_id"]: row["won"] or 0 for row in totals}


@dataclass(frozen=True)
class WeightedRecord:
    record: int
    method: str
    amount: int
    weight: Decimal
    weight_id: int | None
    cash_equivalent: bool

    @property
    def weighted(self) -> int:
        return apply_rate(self.amount, self.weight)  # whole won, floored


def weighted_records(organization_ids: list[int], year: int) -> dict[int, list[WeightedRecord]]:
    """Each principal's confirmed records contracted in the year, with the method weight in force on the record's
    contract date (a method with no weight in force counts once)."""
    records = SharingRecord.objects.filter(principal_id__in=organization_ids, status=RecordStatus.CONFIRMED,
                                           contract_date__year=year).order_by("pk")
    weights = list(SharingMethodWeight.objects.filter(valid_from__lte=rule_day(year)).order_by("-valid_from"))
    found: dict[int, list[WeightedRecord]] = {}
    for record in records:
        weight = next((w for w in weights if w.method == record.sharing_method and w.valid_from
                       <= record.contract_date and (w.valid_to is None or record.contract_date <= w.valid_to)), None)
        found.setdefault(record.principal_id, []).append(WeightedRecord(
            record=record.pk, method=record.sharing_method, amount=record.amount,
            weight=weight.weight if weight else Decimal(1), weight_id=weight.pk if weight else None,
            cash_equivalent=weight.cash_equivalent if weight else False,
        ))
    return found


@dataclass(frozen=True)
class FinanceInputs:
    contributed_won: int
    guarantees_won: int
    guarantees_count: int
    partner_smes_reached: int
    source: str


def finance_index_inputs(organization: Organization, year: int) -> FinanceInputs:
    """What the Win-Win Finance Index reads of a financial institution's year: from the guarantees room when it
    offers them, else its confirmed contributions to the pool and nothing for guarantees."""
    try:
        from apps.guarantees.selectors import finance_index_inputs as pool_inputs
    except ImportError:
        won = contributed_won([organization.pk], year, fund_code=POOL_FUND).get(organization.pk, 0)
        return FinanceInputs(won, 0, 0, 0, source="contributions")
    got = pool_inputs(organization, year)
    return FinanceInputs(int(got.contributed_won), int(got.guarantees_won), int(got.guarantees_count),
                         int(got.partner_smes_reached), source="guarantees")


def records_visible_to(user) -> QuerySet[SharingRecord]:
    records = SharingRecord.objects.select_related("principal")
    if sees_all_organizations(user):
        return records.all()
    return records.filter(principal__in=organizations_visible_to(user))


def published_results_visible_to(user) -> QuerySet[EvaluationResult]:
    """Results of published index years of the organisations the user sees (a member: their own)."""
    results = EvaluationResult.objects.select_related("organization").filter(
        organization__in=organizations_visible_to(user))
    published = Q()
    for kind, year in EvaluationYear.objects.filter(status=YearStatus.PUBLISHED).values_list("kind", "year"):
        published |= Q(kind=kind, year=year)
    return results.filter(published) if published else results.none()


def results_visible_to(user) -> QuerySet[EvaluationResult]:
    """Administrators and auditors: every result. A member: their organisations' results of published years."""
    if sees_all_organizations(user):
        return EvaluationResult.objects.select_related("organization").all()
    return published_results_visible_to(user)
