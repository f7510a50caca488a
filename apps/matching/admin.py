"""Government matching in the back office (django-unfold): rules and budgets are configuration, edited here (an
overlapping rule is refused by `MatchingRule.clean`; a budget's matched total is kept by the services and shown
with what remains); matches are read-only, made only by the services."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from apps.core.admin_base import ReadOnlyAdmin
from apps.core.money import format_korean, format_won

from . import selectors, services
from .models import Match, MatchingBudget, MatchingRule


@admin.register(MatchingRule)
class MatchingRuleAdmin(ModelAdmin):
    list_display = ("fund", "program", "ratio", "max_share", "recipient_cap", "cash_only", "valid_from", "valid_to")
    list_filter = ("fund", "cash_only")
    list_select_related = ("fund",)
    search_fields = ("program", "description")

    def has_delete_permission(self, request, obj=None):
        return False  # end a rule with valid_to instead: matches refer to it


@admin.register(MatchingBudget)
class MatchingBudgetAdmin(ModelAdmin):
    list_display = ("fund", "program", "year", "amount_display", "matched_display", "remaining_display")
    list_filter = ("fund", "year")
    readonly_fields = ("matched_display", "remaining_display")

    def get_queryset(self, request):
        return selectors.budgets_with_remaining()

    def get_readonly_fields(self, request, obj=None):
        # Shrinking a budget below what it matched would fail the database's check: the year is fixed once used.
        fixed = ("fund", "program", "year") if obj is not None and obj.matched_total else ()
        return (*fixed, *self.readonly_fields)

    @display(description=_("budget"), ordering="amount")
    def amount_display(self, budget: MatchingBudget) -> str:
        return f"{format_won(budget.amount)} ({format_korean(budget.amount)})"

    @display(description=_("matched"), ordering="matched_total")
    def matched_display(self, budget: MatchingBudget) -> str:
        return format_won(budget.matched_total)

    @display(description=_("remaining"), ordering="remaining_won")
    def remaining_display(self, budget: MatchingBudget) -> str:
        return f"{format_won(budget.remaining)} ({format_korean(budget.remaining)})"

    def save_model(self, request, obj, form, change):
        services.budget_save(actor=request.user, budget=obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ("contribution", "organization", "fund", "requested", "matched_display", "reason", "created_at")
    list_filter = ("reason", "contribution__fund", "budget__year")
    list_select_related = ("contribution", "contribution__organization", "contribution__fund")
    search_fields = ("contribution__organization__name_ko", "contribution__organization__name_en",
                     "contribution__organization__business_registration_number")
    readonly_fields = ("contribution", "rule", "budget", "requested", "matched", "reason", "entry", "actor_label",
                       "created_at")
    fields = readonly_fields

    @display(description=_("organisation"), ordering="contribution__organization__name_ko")
    def organization(self, match: Match) -> str:
        return match.contribution.organization.name_ko

    @display(description=_("fund"), ordering="contribution__fund__code")
    def fund(self, match: Match) -> str:
        return match.contribution.fund.code

    @display(description=_("matched"), ordering="matched")
    def matched_display(self, match: Match) -> str:
        return format_won(match.matched)
