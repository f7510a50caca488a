"""Export finance in the back office (django-unfold). Fund administrators open and edit projects, record
disbursements, repayments and profit reports (each form carries a one-time idempotency key, so a double click
records once), edit the recycling rules, and record that a share was received (an action that also channels its
part to the destination fund). Every write goes through `services`; shares are read-only. Auditors view only."""

from __future__ import annotations

import uuid
from copy import copy

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from apps.core.admin_base import ReadOnlyAdmin
from apps.core.money import format_korean, format_won
from apps.core.roles import is_fund_admin
from apps.ledger.exceptions import LedgerError

from . import services
from .exceptions import ExportFinanceError
from .models import (
    Disbursement,
    ExportProject,
    ProfitReport,
    ProfitShare,
    ProjectStatus,
    RecyclingRule,
    Repayment,
    ShareStatus,
    period_bounds,
)

SEARCH_BENEFICIARY = ("project__name", "project__beneficiary__name_ko", "project__beneficiary__name_en",
                      "project__beneficiary__business_registration_number")


def _won(won: int) -> str:
    return f"{format_won(won)} ({format_korean(won)})"


class AdministratorsWrite:
    """Only fund administrators add or change, whatever permissions a group was given; nobody deletes."""

    def has_add_permission(self, request, obj=None):
        return is_fund_admin(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_fund_admin(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportProject)
class ExportProjectAdmin(AdministratorsWrite, ModelAdmin):
    list_display = ("name", "beneficiary", "financing_type", "committed_display", "disbursed_display",
                    "outstanding_display", "status", "start_date")
    list_filter = ("status", "financing_type", "start_date")
    list_select_related = ("beneficiary",)
    search_fields = ("name", "beneficiary__name_ko", "beneficiary__name_en",
                     "beneficiary__business_registration_number")
    autocomplete_fields = ("beneficiary",)
    readonly_fields = ("fund", "disbursed_display", "repaid_display", "outstanding_display", "created_by",
                       "created_at")

    def get_fields(self, request, obj=None):
        editable = ("beneficiary", "name", "financing_type", "committed", "term_months", "start_date")
        return editable if obj is None else (*editable, "status", *self.readonly_fields)

    @display(description=_("committed"), ordering="committed")
    def committed_display(self, project: ExportProject) -> str:
        return _won(project.committed)

    @display(description=_("disbursed"), ordering="disbursed_total")
    def disbursed_display(self, project: ExportProject) -> str:
        return _won(project.disbursed_total)

    @display(description=_("repaid"), ordering="repaid_total")
    def repaid_display(self, project: ExportProject) -> str:
        return _won(project.repaid_total)

    @display(description=_("outstanding"))
    def outstanding_display(self, project: ExportProject) -> str:
        return _won(project.outstanding)

    def save_model(self, request, obj, form, change):
        if change:
            services.project_update(actor=request.user, project=obj)
            return
        created = services.project_create(
            actor=request.user, beneficiary=obj.beneficiary, name=obj.name, financing_type=obj.financing_type,
            committed=obj.committed, term_months=obj.term_months, start_date=obj.start_date)
        obj.pk, obj.fund_id = created.pk, created.fund_id

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class ProjectForm(form):
            def clean(self):
                data = super().clean()
                if obj is not None:
                    edited = copy(obj)
                    for name in ("committed", "beneficiary", "financing_type", "status"):
                        if name in data:
                            setattr(edited, name, data[name])
                    for name, message in services.project_edit_faults(obj, edited).items():
                        self.add_error(name if name in self.fields else None, message)
                return data

        return ProjectForm


class MovementForm(forms.ModelForm):
    """Amount, date and memo of a disbursement or repayment, with a one-time key made when the form is shown."""

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    kind = "disbursement"

    def clean(self):
        data = super().clean()
        project, amount, day = data.get("project"), data.get("amount"), data.get("effective_date")
        if project is None or amount is None:
            return data
        if amount <= 0:
            self.add_error("amount", _("The amount must be more than 0 won."))
        elif project.status != ProjectStatus.ACTIVE:
            self.add_error("project", _("This project is not active."))
        elif self.kind == "disbursement" and amount > project.undisbursed:
            self.add_error("amount", _("Only %(won)s won of the commitment is left to disburse.")
                           % {"won": f"{project.undisbursed:,}"})
        elif self.kind == "repayment" and amount > project.outstanding:
            self.add_error("amount", _("Only %(won)s won is outstanding.") % {"won": f"{project.outstanding:,}"})
        if day is not None and day < project.start_date:
            self.add_error("effective_date", _("The date cannot come before the project's start."))
        return data


class MovementAdmin(AdministratorsWrite, ModelAdmin):
    list_display = ("project", "beneficiary", "amount_display", "effective_date", "actor_label", "entry")
    list_filter = ("effective_date", "project__financing_type")
    list_select_related = ("project", "project__beneficiary", "entry")
    search_fields = SEARCH_BENEFICIARY
    autocomplete_fields = ("project",)
    date_hierarchy = "effective_date"
    service = staticmethod(services.disbursement_post)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("project", "amount", "effective_date", "memo", "form_key")
        return ("project", "amount", "effective_date", "memo", "entry", "actor_label", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False  # a movement is posted money: correct it with another one, never an edit

    def get_changeform_initial_data(self, request):
        return {**super().get_changeform_initial_data(request), "form_key": f"admin:{uuid.uuid4()}"}

    @display(description=_("beneficiary"), ordering="project__beneficiary__name_ko")
    def beneficiary(self, movement) -> str:
        return movement.project.beneficiary.name_ko

    @display(description=_("amount"), ordering="amount")
    def amount_display(self, movement) -> str:
        return _won(movement.amount)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = self.service(actor=request.user, project=data["project"], amount=data["amount"],
                             effective_date=data["effective_date"], memo=data.get("memo", ""),
                             idempotency_key=data["form_key"])
        obj.pk = saved.pk


class DisbursementForm(MovementForm):
    class Meta:
        model = Disbursement
        fields = ("project", "amount", "effective_date", "memo")


class RepaymentForm(MovementForm):
    kind = "repayment"

    class Meta:
        model = Repayment
        fields = ("project", "amount", "effective_date", "memo")


@admin.register(Disbursement)
class DisbursementAdmin(MovementAdmin):
    form = DisbursementForm


@admin.register(Repayment)
class RepaymentAdmin(MovementAdmin):
    form = RepaymentForm
    service = staticmethod(services.repayment_post)


class ProfitReportForm(forms.ModelForm):
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=200)

    class Meta:
        model = ProfitReport
        fields = ("project", "year", "period", "operating_profit", "net_profit", "reason")

    def clean(self):
        data = super().clean()
        project, year, period = data.get("project"), data.get("year"), data.get("period")
        if project is None or year is None or not period:
            return data
        if ProfitReport.objects.filter(idempotency_key=data.get("form_key")).exists():
            return data  # this very form, sent again: the service answers with the report it filed
        if period_bounds(year, period)[1] < project.start_date:
            self.add_error("period", _("This period ended before the project started."))
        current = ProfitReport.objects.filter(project=project, year=year, period=period,
                                              superseded_by__isnull=True).first()
        if current is not None and not (data.get("reason") or "").strip():
            self.add_error("reason", _("This period is already reported: say why it is corrected."))
        return data

    def validate_unique(self):
        """The service files a correction as a new report superseding the current one: the model's one-first-report
        constraint, checked here on a form that knows nothing of `supersedes`, would refuse every correction."""


@admin.register(ProfitReport)
class ProfitReportAdmin(AdministratorsWrite, ModelAdmin):
    form = ProfitReportForm
    list_display = ("project", "beneficiary", "year", "period", "operating_profit_display", "net_profit_display",
                    "is_current_display", "actor_label", "created_at")
    list_filter = ("year", "period", ("supersedes", admin.EmptyFieldListFilter))
    list_select_related = ("project", "project__beneficiary", "superseded_by")
    search_fields = SEARCH_BENEFICIARY
    autocomplete_fields = ("project",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("project", "year", "period", "operating_profit", "net_profit", "reason", "form_key")
        return ("project", "year", "period", "operating_profit", "net_profit", "supersedes", "reason",
                "actor_label", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False  # a report is never edited: a correction supersedes it

    def get_changeform_initial_data(self, request):
        return {**super().get_changeform_initial_data(request), "form_key": f"admin:{uuid.uuid4()}"}

    @display(description=_("beneficiary"), ordering="project__beneficiary__name_ko")
    def beneficiary(self, report: ProfitReport) -> str:
        return report.project.beneficiary.name_ko

    @display(description=_("operating profit"), ordering="operating_profit")
    def operating_profit_display(self, report: ProfitReport) -> str:
        return format_won(report.operating_profit)

    @display(description=_("net profit"), ordering="net_profit")
    def net_profit_display(self, report: ProfitReport) -> str:
        return format_won(report.net_profit)

    @display(description=_("current"), boolean=True)
    def is_current_display(self, report: ProfitReport) -> bool:
        return report.is_current

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.profit_report_submit(
            actor=request.user, project=data["project"], year=data["year"], period=data["period"],
            operating_profit=data["operating_profit"], net_profit=data["net_profit"], reason=data.get("reason", ""),
            idempotency_key=data["form_key"])
        obj.pk = saved.pk


@admin.register(ProfitShare)
class ProfitShareAdmin(ReadOnlyAdmin):
    list_display = ("project", "beneficiary", "year", "period", "amount_due_display", "due_date", "status",
                    "received_display", "channelled_display", "destination_fund", "settled_on")
    list_filter = ("status", "year", "period", "destination_fund", ("settled_on", admin.EmptyFieldListFilter))
    list_select_related = ("project", "project__beneficiary")
    search_fields = SEARCH_BENEFICIARY
    readonly_fields = ("project", "year", "period", "report", "rule", "base_amount", "rate", "amount_due",
                       "due_date", "status", "received", "received_on", "receipt_entry", "channelled", "retained",
                       "destination_fund", "channel_source_entry", "channel_target_entry", "settled_on",
                       "settle_source_entry", "settle_target_entry", "assessed_by", "assessed_at", "received_by")
    fields = readonly_fields
    actions = ["record_receipt", "settle_in_cash"]

    @display(description=_("beneficiary"), ordering="project__beneficiary__name_ko")
    def beneficiary(self, share: ProfitShare) -> str:
        return share.project.beneficiary.name_ko

    @display(description=_("due"), ordering="amount_due")
    def amount_due_display(self, share: ProfitShare) -> str:
        return _won(share.amount_due)

    @display(description=_("received"), ordering="received")
    def received_display(self, share: ProfitShare) -> str:
        return format_won(share.received)

    @display(description=_("channelled"), ordering="channelled")
    def channelled_display(self, share: ProfitShare) -> str:
        return format_won(share.channelled)

    def has_receive_permission(self, request, obj=None) -> bool:
        return is_fund_admin(request.user)

    @admin.action(description=_("Record receipt (today) and channel the configured part"), permissions=["receive"])
    def record_receipt(self, request, queryset):
        done = self._each(request, queryset.filter(status=ShareStatus.DUE), services.profit_share_receive)
        if done:
            messages.success(request, gettext("%(count)d share(s) received and channelled.") % {"count": done})

    @admin.action(description=_("Settle the channelled part in cash (today)"), permissions=["receive"])
    def settle_in_cash(self, request, queryset):
        pending = queryset.filter(status=ShareStatus.CHANNELLED, settled_on__isnull=True)
        done = self._each(request, pending, services.channel_settle)
        if done:
            messages.success(request, gettext("%(count)d share(s) settled in cash.") % {"count": done})

    def _each(self, request, shares, service) -> int:
        done = 0
        for share in shares.order_by("pk"):
            try:
                service(actor=request.user, share=share)
            except (ExportFinanceError, LedgerError) as exc:
                messages.error(request, gettext("Share #%(id)s was not recorded: %(reason)s")
                               % {"id": share.pk, "reason": exc.message})
            else:
                done += 1
        return done


@admin.register(RecyclingRule)
class RecyclingRuleAdmin(AdministratorsWrite, ModelAdmin):
    list_display = ("rate", "base", "due_days", "channel_share", "destination_fund", "valid_from", "valid_to")
    list_filter = ("base", "destination_fund")
    search_fields = ("description",)
