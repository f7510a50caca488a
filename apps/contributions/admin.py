"""Contributions, receipts and designated uses in the back office (django-unfold).

Contributions and receipts are read-only here: they change only through `services` (the confirm action calls
`contribution_confirm` and reports each refusal as a message). Designated uses are configuration and editable.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from apps.core.admin_base import ReadOnlyAdmin
from apps.core.money import format_korean, format_won
from apps.core.roles import is_fund_admin
from apps.ledger.exceptions import LedgerError
from apps.organizations.admin import registration_number_query

from . import services
from .exceptions import ContributionError
from .models import Contribution, ContributionEvent, DesignatedUse, DonationReceipt


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (Contribution.objects.annotate(y=ExtractYear("contribution_date")).order_by("-y")
                 .values_list("y", flat=True).distinct())
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(contribution_date__year=int(value)) if value and value.isdigit() else queryset


class EventInline(TabularInline):
    model = ContributionEvent
    extra = 0
    fields = ("at", "from_status", "to_status", "actor_label", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _won(won: int) -> str:
    return f"{format_won(won)} ({format_korean(won)})"


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("id", "contribution_date", "organization", "fund", "amount_display", "designated_use",
                    "status", "receipt_number")
    list_filter = ("fund", "status", YearFilter, "organization__size_class")
    list_filter_submit = True
    list_select_related = ("organization", "fund", "designated_use", "receipt", "receipt__fund")
    search_fields = ("organization__name_ko", "organization__name_en", "organization__business_registration_number")
    search_help_text = _("Organisation name, or its business registration number with or without hyphens.")
    date_hierarchy = "contribution_date"
    inlines = (EventInline,)
    actions = ("confirm_contributions",)
    readonly_fields = ("organization", "fund", "amount_display", "contribution_date", "designated_use",
                       "beneficiaries", "program", "status", "reason", "submitted_by_label", "created_at",
                       "confirmed_at", "confirmation_entry", "reversal_entry", "receipt_number", "idempotency_key")
    fields = readonly_fields

    @display(description=_("amount"), ordering="amount")
    def amount_display(self, contribution: Contribution) -> str:
        return _won(contribution.amount)

    @display(description=_("receipt"))
    def receipt_number(self, contribution: Contribution) -> str:
        receipt = getattr(contribution, "receipt", None)
        return receipt.display_number if receipt is not None else "—"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_number = registration_number_query(search_term)
        if by_number is not None:
            from apps.organizations.models import Organization

            results = results | queryset.filter(organization__in=Organization.objects.filter(by_number))
        return results, may_have_duplicates

    def has_confirm_permission(self, request, obj=None) -> bool:
        return is_fund_admin(request.user)

    @admin.action(description=_("Confirm selected contributions"), permissions=["confirm"])
    def confirm_contributions(self, request, queryset):
        done, refused = 0, []
        for contribution in queryset.order_by("pk"):
            try:
                services.contribution_confirm(actor=request.user, contribution=contribution)
            except (ContributionError, LedgerError) as exc:
                refused.append(gettext("Contribution #%(id)s was not confirmed: %(reason)s")
                               % {"id": contribution.pk, "reason": exc.message})
            else:
                done += 1
        if done:
            messages.success(request, gettext("%(count)d contribution(s) confirmed.") % {"count": done})
        for message in refused:
            messages.error(request, message)


@admin.register(DonationReceipt)
class DonationReceiptAdmin(ReadOnlyAdmin):
    list_display = ("receipt_number", "fiscal_year", "donor_name", "donor_brn_column", "amount_display",
                    "issued_at", "cancelled_at")
    list_filter = ("fund", "fiscal_year")
    list_select_related = ("fund",)
    search_fields = ("donor_name", "donor_brn")
    readonly_fields = ("receipt_number", "contribution", "fund", "fiscal_year", "number", "donor_name",
                       "donor_brn_column", "amount_display", "issued_at", "cancelled_at", "cancel_reason")
    fields = readonly_fields

    @display(description=_("number"), ordering="number")
    def receipt_number(self, receipt: DonationReceipt) -> str:
        return receipt.display_number

    @display(description=_("donor business registration number"), ordering="donor_brn")
    def donor_brn_column(self, receipt: DonationReceipt) -> str:
        return receipt.donor_brn_display

    @display(description=_("amount"), ordering="amount")
    def amount_display(self, receipt: DonationReceipt) -> str:
        return _won(receipt.amount)


@admin.register(DesignatedUse)
class DesignatedUseAdmin(ModelAdmin):
    list_display = ("code", "name_ko", "name_en", "valid_from", "valid_to")
    list_filter = ("funds", "valid_to")
    search_fields = ("code", "name_ko", "name_en")
    filter_horizontal = ("funds",)

    def has_delete_permission(self, request, obj=None):
        return False  # contributions point at it: end it with valid_to instead
