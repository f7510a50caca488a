"""The win-win finance pool in the back office (django-unfold).

Institutions and programs are configuration and editable here (a program's leverage multiples are inline rules;
an overlapping rule is refused by `LeverageRule.clean`); each program shows its capacity and the room left today.
Earmarks, transfers and guarantees are written only by `services`: the add forms and the status actions call them,
and a refusal comes back as a message naming the limit and the room left. Auditors have view permissions only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models.functions import ExtractYear
from django.http import HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from apps.core.exceptions import DomainError
from apps.core.money import format_korean, format_won
from apps.core.roles import is_fund_admin
from apps.organizations.admin import registration_number_query
from apps.organizations.models import Organization

from . import selectors, services
from .models import (
    Earmark,
    Guarantee,
    GuaranteeEvent,
    GuaranteeInstitution,
    GuaranteeProgram,
    GuaranteeStatus,
    GuaranteeTransfer,
    LeverageRule,
)


def _won(won: int) -> str:
    return f"{format_won(won)} ({format_korean(won)})"


class NoDelete:
    def has_delete_permission(self, request, obj=None):
        return False  # records others point at, or money moved: never deleted


class ServiceAdd(NoDelete):
    """An add form whose save calls a service; nothing is changed afterwards. A refusal from the service becomes
    an error message on the add page again."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return is_fund_admin(request.user)

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        made = self.create(request, form.cleaned_data)
        obj.pk = made.pk
        obj._state.adding = False

    def create(self, request, data):
        raise NotImplementedError


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"
    date_field = "issue_date"

    def lookups(self, request, model_admin):
        years = (model_admin.model.objects.annotate(y=ExtractYear(self.date_field)).order_by("-y")
                 .values_list("y", flat=True).distinct())
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(**{f"{self.date_field}__year": int(value)}) if value and value.isdigit() else queryset


class TransferYearFilter(YearFilter):
    date_field = "transfer_date"


@admin.register(GuaranteeInstitution)
class GuaranteeInstitutionAdmin(NoDelete, ModelAdmin):
    list_display = ("code", "name_ko", "name_en", "organization", "is_active")
    search_fields = ("code", "name_ko", "name_en")
    raw_id_fields = ("organization",)


class LeverageRuleInline(TabularInline):
    model = LeverageRule
    extra = 0
    fields = ("multiple", "valid_from", "valid_to")
    can_delete = False


@admin.register(GuaranteeProgram)
class GuaranteeProgramAdmin(NoDelete, ModelAdmin):
    list_display = ("name", "institution", "organization", "multiple_today", "transferred_display",
                    "outstanding_display", "remaining_display", "is_active")
    list_filter = ("institution", "is_active")
    list_select_related = ("institution", "organization")
    search_fields = ("name", "organization__name_ko", "organization__name_en")
    raw_id_fields = ("organization",)
    inlines = (LeverageRuleInline,)
    readonly_fields = ("capacity_display",)

    def get_queryset(self, request):
        return selectors.with_figures(super().get_queryset(request))

    @display(description=_("leverage multiple today"))
    def multiple_today(self, program: GuaranteeProgram) -> str:
        capacity = selectors.program_capacity(program)
        return f"{capacity.multiple_text}×" if capacity.multiple is not None else "—"

    @display(description=_("transferred"), ordering="transferred_won")
    def transferred_display(self, program: GuaranteeProgram) -> str:
        return format_won(program.transferred_won)

    @display(description=_("outstanding"), ordering="outstanding_won")
    def outstanding_display(self, program: GuaranteeProgram) -> str:
        return format_won(program.outstanding_won)

    @display(description=_("remaining capacity"))
    def remaining_display(self, program: GuaranteeProgram) -> str:
        return _won(selectors.program_capacity(program).remaining)

    @display(description=_("capacity today"))
    def capacity_display(self, program: GuaranteeProgram) -> str:
        if program.pk is None:
            return "—"
        c = selectors.program_capacity(program)
        if c.multiple is None:
            return gettext("No leverage multiple in force today: no guarantee can be recorded.")
        return gettext("%(transferred)s transferred × %(multiple)s = %(capacity)s; %(outstanding)s outstanding, "
                       "%(remaining)s left") % {
            "transferred": format_won(c.transferred), "multiple": c.multiple_text,
            "capacity": format_won(c.capacity), "outstanding": format_won(c.outstanding),
            "remaining": _won(c.remaining)}


class EarmarkForm(forms.ModelForm):
    class Meta:
        model = Earmark
        fields = ("contribution", "program", "note")


@admin.register(Earmark)
class EarmarkAdmin(ServiceAdd, ModelAdmin):
    form = EarmarkForm
    list_display = ("contribution", "organization", "amount_display", "contribution_status", "program",
                    "institution", "created_by_label", "created_at")
    list_filter = ("program__institution", "contribution__status")
    list_select_related = ("contribution", "contribution__organization", "program", "program__institution")
    search_fields = ("contribution__organization__name_ko", "contribution__organization__name_en", "program__name")
    raw_id_fields = ("contribution",)

    def get_fields(self, request, obj=None):
        return ("contribution", "program", "note") if obj is None else (
            "contribution", "program", "note", "created_by_label", "created_at", "idempotency_key")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    @display(description=_("organisation"), ordering="contribution__organization__name_ko")
    def organization(self, earmark: Earmark) -> str:
        return earmark.contribution.organization.name_ko

    @display(description=_("amount"), ordering="contribution__amount")
    def amount_display(self, earmark: Earmark) -> str:
        return _won(earmark.contribution.amount)

    @display(description=_("contribution status"))
    def contribution_status(self, earmark: Earmark) -> str:
        return earmark.contribution.get_status_display()

    @display(description=_("guarantee institution"), ordering="program__institution__code")
    def institution(self, earmark: Earmark) -> str:
        return earmark.program.institution.name_ko

    def create(self, request, data):
        return services.earmark_create(actor=request.user, contribution=data["contribution"],
                                       program=data["program"], note=data.get("note", ""))


class TransferForm(forms.ModelForm):
    class Meta:
        model = GuaranteeTransfer
        fields = ("program", "amount", "transfer_date", "memo")


@admin.register(GuaranteeTransfer)
class GuaranteeTransferAdmin(ServiceAdd, ModelAdmin):
    form = TransferForm
    list_display = ("transfer_date", "program", "institution", "organization", "amount_display", "entry",
                    "created_by_label")
    list_filter = ("program__institution", TransferYearFilter)
    list_select_related = ("program", "program__institution", "program__organization", "entry")
    search_fields = ("program__name", "program__organization__name_ko", "program__organization__name_en")
    date_hierarchy = "transfer_date"

    def get_fields(self, request, obj=None):
        return ("program", "amount", "transfer_date", "memo") if obj is None else (
            "program", "amount_display", "transfer_date", "memo", "entry", "idempotency_key", "created_by_label",
            "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    @display(description=_("guarantee institution"), ordering="program__institution__code")
    def institution(self, transfer: GuaranteeTransfer) -> str:
        return transfer.program.institution.name_ko

    @display(description=_("contributor"), ordering="program__organization__name_ko")
    def organization(self, transfer: GuaranteeTransfer) -> str:
        return transfer.program.organization.name_ko

    @display(description=_("amount"), ordering="amount")
    def amount_display(self, transfer: GuaranteeTransfer) -> str:
        return _won(transfer.amount)

    def create(self, request, data):
        return services.transfer_create(actor=request.user, program=data["program"], amount=data["amount"],
                                        transfer_date=data["transfer_date"], memo=data.get("memo", ""))


class EventInline(TabularInline):
    model = GuaranteeEvent
    extra = 0
    fields = ("at", "from_status", "to_status", "actor_label", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class GuaranteeForm(forms.ModelForm):
    class Meta:
        model = Guarantee
        fields = ("program", "sme", "amount", "term_months", "issue_date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "sme" in self.fields:
            self.fields["sme"].queryset = Organization.objects.filter(large_partners__isnull=False).distinct()


@admin.register(Guarantee)
class GuaranteeAdmin(ServiceAdd, ModelAdmin):
    form = GuaranteeForm
    list_display = ("id", "issue_date", "sme", "program", "institution", "amount_display", "term_months",
                    "maturity_date", "status")
    list_filter = ("program__institution", "program", "status", YearFilter)
    list_filter_submit = True
    list_select_related = ("sme", "program", "program__institution")
    search_fields = ("sme__name_ko", "sme__name_en", "sme__business_registration_number")
    search_help_text = _("SME name, or its business registration number with or without hyphens.")
    date_hierarchy = "issue_date"
    inlines = (EventInline,)
    actions = ("mark_repaid", "mark_called", "mark_cancelled")

    def get_fields(self, request, obj=None):
        return ("program", "sme", "amount", "term_months", "issue_date") if obj is None else (
            "program", "sme", "amount_display", "term_months", "issue_date", "maturity_date", "status",
            "created_by_label", "created_at", "idempotency_key")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    @display(description=_("guarantee institution"), ordering="program__institution__code")
    def institution(self, guarantee: Guarantee) -> str:
        return guarantee.program.institution.name_ko

    @display(description=_("amount"), ordering="amount")
    def amount_display(self, guarantee: Guarantee) -> str:
        return _won(guarantee.amount)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_number = registration_number_query(search_term)
        if by_number is not None:
            results = results | queryset.filter(sme__in=Organization.objects.filter(by_number))
        return results, may_have_duplicates

    def create(self, request, data):
        return services.guarantee_issue(actor=request.user, program=data["program"], sme=data["sme"],
                                        amount=data["amount"], term_months=data["term_months"],
                                        issue_date=data["issue_date"])

    def has_end_permission(self, request, obj=None) -> bool:
        return is_fund_admin(request.user)

    def _end(self, request, queryset, to_status: str) -> None:
        done, refused = 0, []
        for guarantee in queryset.order_by("pk"):
            try:
                services.guarantee_status_change(actor=request.user, guarantee=guarantee, to_status=to_status)
            except DomainError as exc:
                refused.append(gettext("Guarantee #%(id)s: %(reason)s") % {"id": guarantee.pk, "reason": exc.message})
            else:
                done += 1
        if done:
            messages.success(request, gettext("%(count)d guarantee(s) updated.") % {"count": done})
        for message in refused:
            messages.error(request, message)

    @admin.action(description=_("Mark selected guarantees repaid"), permissions=["end"])
    def mark_repaid(self, request, queryset):
        self._end(request, queryset, GuaranteeStatus.REPAID)

    @admin.action(description=_("Mark selected guarantees called"), permissions=["end"])
    def mark_called(self, request, queryset):
        self._end(request, queryset, GuaranteeStatus.CALLED)

    @admin.action(description=_("Mark selected guarantees cancelled"), permissions=["end"])
    def mark_cancelled(self, request, queryset):
        self._end(request, queryset, GuaranteeStatus.CANCELLED)
