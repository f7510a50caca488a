"""Reads of matching: the rule in force for a contribution, budgets with what remains, and matches scoped to who
asks (fund administrators and auditors see every match, a member only their own organisations')."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import ExpressionWrapper, F, IntegerField, QuerySet, Sum

from apps.contributions.models import Contribution
from apps.organizations.selectors import organizations_visible_to, sees_all_organizations

from .models import Match, MatchingBudget, MatchingRule


def rules_by_fund(fund_ids: Iterable[int]) -> dict[int, list[MatchingRule]]:
    """Every rule of these funds, newest first (a small table: matching a batch reads it once)."""
    rules: dict[int, list[MatchingRule]] = {}
    for rule in MatchingRule.objects.filter(fund_id__in=set(fund_ids)).order_by("-valid_from"):
        rules.setdefault(rule.fund_id, []).append(rule)
    return rules


def rule_in_force(contribution: Contribution, rules: list[MatchingRule]) -> MatchingRule | None:
    """The rule for the contribution's program on its date, else the fund-wide rule on that date."""
    day = contribution.contribution_date
    valid = [r for r in rules if r.valid_from <= day and (r.valid_to is None or day <= r.valid_to)]
    for program in (contribution.program, ""):
        for rule in valid:
            if rule.program == program:
                return rule
    return None


def budgets_with_remaining() -> QuerySet[MatchingBudget]:
    remaining = ExpressionWrapper(F("amount") - F("matched_total"), output_field=IntegerField())
    return MatchingBudget.objects.select_related("fund").annotate(remaining_won=remaining)


def matched_by_organization(budget_ids: Iterable[int], organization_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """Won already matched, keyed by (budget id, organisation id): what a per-recipient cap is measured against."""
    rows = (Match.objects.filter(budget_id__in=set(budget_ids), contribution__organization_id__in=set(organization_ids))
            .values("budget_id", "contribution__organization_id").annotate(won=Sum("matched")).order_by())
    return {(r["budget_id"], r["contribution__organization_id"]): r["won"] or 0 for r in rows}


def matches_visible_to(user) -> QuerySet[Match]:
    matches = Match.objects.select_related("contribution", "contribution__organization", "contribution__fund",
                                           "rule", "budget")
    if sees_all_organizations(user):
        return matches.all()
    return matches.filter(contribution__organization__in=organizations_visible_to(user))
