"""Reads of export finance, scoped to who asks: fund administrators and auditors see every project, a member of a
company only its own company's projects and what hangs off them, so another company's record answers 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet, Sum

from apps.organizations.selectors import organizations_visible_to, sees_all_organizations

from .models import (
    SETTLED,
    Disbursement,
    ExportProject,
    ProfitReport,
    ProfitShare,
    ProjectStatus,
    RecyclingRule,
    Repayment,
    ShareStatus,
)


def projects_visible_to(user) -> QuerySet[ExportProject]:
    projects = ExportProject.objects.select_related("beneficiary", "fund")
    if sees_all_organizations(user):
        return projects.all()
    return projects.filter(beneficiary__in=organizations_visible_to(user))


def _scoped(queryset: QuerySet, user) -> QuerySet:
    if sees_all_organizations(user):
        return queryset.all()
    return queryset.filter(project__beneficiary__in=organizations_visible_to(user))


def disbursements_visible_to(user) -> QuerySet[Disbursement]:
    return _scoped(Disbursement.objects.select_related("project", "project__beneficiary"), user)


def repayments_visible_to(user) -> QuerySet[Repayment]:
    return _scoped(Repayment.objects.select_related("project", "project__beneficiary"), user)


def reports_visible_to(user) -> QuerySet[ProfitReport]:
    return _scoped(ProfitReport.objects.select_related("project", "project__beneficiary", "supersedes"), user)


def shares_visible_to(user) -> QuerySet[ProfitShare]:
    return _scoped(ProfitShare.objects.select_related("project", "project__beneficiary", "report", "rule"), user)


def rule_in_force(day: date) -> RecyclingRule | None:
    return RecyclingRule.objects.valid_on(day).order_by("-valid_from").first()


def current_report(project_id: int, year: int, period: str) -> ProfitReport | None:
    """The report of that period nobody has superseded."""
    return (ProfitReport.objects.filter(project_id=project_id, year=year, period=period,
                                        superseded_by__isnull=True).order_by("-pk").first())


def reports_to_recycle() -> QuerySet[ProfitReport]:
    """Current reports whose period has no share computed from them yet: what the sweep picks up."""
    computed = ProfitShare.objects.filter(report_id=OuterRef("pk"))
    return ProfitReport.objects.filter(superseded_by__isnull=True).exclude(Exists(computed)).order_by("pk")


@dataclass(frozen=True)
class Totals:
    committed: int
    disbursed: int
    repaid: int
    shares_due: int
    shares_received: int
    channelled: int

    @property
    def outstanding(self) -> int:
        return self.disbursed - self.repaid


def totals(projects: QuerySet[ExportProject], shares: QuerySet[ProfitShare]) -> Totals:
    """The fund's figures over the projects and shares given (already scoped)."""
    sums = projects.exclude(status=ProjectStatus.CANCELLED).aggregate(
        committed=Sum("committed"), disbursed=Sum("disbursed_total"), repaid=Sum("repaid_total"))
    due = shares.filter(status=ShareStatus.DUE).aggregate(won=Sum("amount_due"))["won"] or 0
    received = shares.filter(status__in=SETTLED).aggregate(won=Sum("received"), ch=Sum("channelled"))
    return Totals(committed=sums["committed"] or 0, disbursed=sums["disbursed"] or 0, repaid=sums["repaid"] or 0,
                  shares_due=due, shares_received=received["won"] or 0, channelled=received["ch"] or 0)
