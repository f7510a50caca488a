"""Tax credits in the back office (django-unfold): rules are configuration, edited with their validity and bands
(an overlapping rule is refused by `TaxCreditRule.clean`); issued statements are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from apps.core.admin_base import ReadOnlyAdmin
from apps.core.money import format_korean, format_won

from .models import TaxCreditBand, TaxCreditRule, TaxCreditStatement


class BandInline(TabularInline):
    model = TaxCreditBand
    extra = 0
    fields = ("max_days", "rate")


@admin.register(TaxCreditRule)
class TaxCreditRuleAdmin(ModelAdmin):
    list_display = ("kind", "rate", "rate_display", "valid_from", "valid_to", "description")
    list_filter = ("kind",)
    search_fields = ("description",)
    inlines = (BandInline,)

    @display(description=_("rate (%)"))
    def rate_display(self, rule: TaxCreditRule) -> str:
        return rule.rate_percent

    def has_delete_permission(self, request, obj=None):
        return False  # end a rule with valid_to instead: statements and history refer to it


@admin.register(TaxCreditStatement)
class TaxCreditStatementAdmin(ReadOnlyAdmin):
    list_display = ("organization", "year", "version", "kind", "credit_display", "issued_at", "issued_by_label")
    list_filter = ("kind", "year")
    list_select_related = ("organization",)
    search_fields = ("organization__name_ko", "organization__name_en", "organization__business_registration_number")
    readonly_fields = ("organization", "kind", "year", "version", "total_amount", "total_excluded", "total_base",
                       "credit_display", "lines", "issued_at", "issued_by_label")
    fields = readonly_fields

    @display(description=_("credit"), ordering="total_credit")
    def credit_display(self, statement: TaxCreditStatement) -> str:
        return f"{format_won(statement.total_credit)} ({format_korean(statement.total_credit)})"
