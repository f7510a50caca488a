"""The matching REST API (/api/v1/matching/...), read-only: rules and budgets are configuration for fund
administrators and auditors (edited in the back office); matches are visible like contributions — administrators
and auditors see all, a member only their own organisations', so another organisation's match answers 404."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from apps.core.api import Pagination
from apps.core.permissions import FundAdminOrAuditorReadOnly
from apps.ledger.serializers import ErrorSerializer

from . import selectors
from .models import MatchingRule
from .serializers import MatchingBudgetSerializer, MatchingRuleSerializer, MatchSerializer

ERRORS = {403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed.")}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such record, or not yours.")}


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


@extend_schema_view(
    list=extend_schema(responses={200: MatchingRuleSerializer(many=True), **ERRORS}, summary="Matching rules"),
    retrieve=extend_schema(responses={200: MatchingRuleSerializer, **ERRORS, **NOT_FOUND}, summary="A matching rule"),
)
class MatchingRuleViewSet(viewsets.ReadOnlyModelViewSet):
    """Matching rules per fund and program, with the days they apply (fund administrators and auditors)."""

    serializer_class = MatchingRuleSerializer
    permission_classes = [FundAdminOrAuditorReadOnly]
    pagination_class = Pagination

    def get_queryset(self):
        rules = MatchingRule.objects.select_related("fund").order_by("fund_id", "program", "valid_from")
        fund = _int_param(self.request, "fund")
        return rules.filter(fund_id=fund) if fund is not None else rules


@extend_schema_view(
    list=extend_schema(responses={200: MatchingBudgetSerializer(many=True), **ERRORS},
                       summary="Matching budgets with what remains"),
    retrieve=extend_schema(responses={200: MatchingBudgetSerializer, **ERRORS, **NOT_FOUND},
                           summary="A matching budget"),
)
class MatchingBudgetViewSet(viewsets.ReadOnlyModelViewSet):
    """Annual matching budgets: amount, matched so far, remaining (fund administrators and auditors)."""

    serializer_class = MatchingBudgetSerializer
    permission_classes = [FundAdminOrAuditorReadOnly]
    pagination_class = Pagination

    def get_queryset(self):
        budgets = selectors.budgets_with_remaining().order_by("fund_id", "program", "year")
        for name, lookup in (("fund", "fund_id"), ("year", "year")):
            value = _int_param(self.request, name)
            if value is not None:
                budgets = budgets.filter(**{lookup: value})
        return budgets


@extend_schema_view(
    list=extend_schema(responses={200: MatchSerializer(many=True), **ERRORS}, summary="Matches you may see"),
    retrieve=extend_schema(responses={200: MatchSerializer, **ERRORS, **NOT_FOUND}, summary="A match"),
)
class MatchViewSet(viewsets.ReadOnlyModelViewSet):
    """The government's match of each contribution: requested, granted, and why it is less."""

    serializer_class = MatchSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    def get_queryset(self):
        matches = selectors.matches_visible_to(self.request.user).order_by("-pk")
        for name, lookup in (("contribution", "contribution_id"), ("organization", "contribution__organization_id"),
                             ("budget", "budget_id")):
            value = _int_param(self.request, name)
            if value is not None:
                matches = matches.filter(**{lookup: value})
        return matches
