"""The evaluations in the back office (django-unfold).

Configuration (index rules, sharing-method weights, contribution point bands) and the inputs per company and year
are edited here by fund administrators. Performance-sharing records are registered by the companies and only
confirmed here (an action calling `services`). Results are read-only, filtered by year, index and grade, with the
inputs and rule versions they used. A run is requested by adding one (index and year): the recomputation task does
the rest. Years are published and reopened with actions. Auditors see everything and change nothing (they hold
only the view permissions).
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from apps.core.admin_base import ReadOnlyAdmin
from apps.core.exceptions import DomainError
from apps.core.money import format_korean, format_won
from apps.core.roles import is_fund_admin

from . import services
from .models import (
    ContributionPointBand,
    DefenceInput,
    EvaluationResult,
    EvaluationRun,
    EvaluationYear,
    IndexRule,
    SgiInput,
    SharingMethodWeight,
    SharingPartner,
    SharingRecord,
    SharingRecordEvent,
)


def _won(won: int) -> str:
    return f"{format_won(won)} ({format_korean(won)})"


def _json(value) -> str:
    return format_html("<pre style='white-space: pre-wrap'>{}</pre>",
                       json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))


class PartnerInline(TabularInline):
    model = SharingPartner
    fields = readonly_fields = ("organization", "tier")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecordEventInline(TabularInline):
    model = SharingRecordEvent
    fields = readonly_fields = ("at", "action", "status", "actor_label", "note")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SharingRecord)
class SharingRecordAdmin(ReadOnlyAdmin):
    list_display = ("id", "contract_date", "principal", "project", "transaction_type", "sharing_method",
                    "amount_display", "status", "confirmed_at")
    list_filter = ("status", "transaction_type", "sharing_method", "principal__size_class")
    list_filter_submit = True
    list_select_related = ("principal",)
    search_fields = ("project", "principal__name_ko", "principal__name_en",
                     "principal__business_registration_number")
    date_hierarchy = "contract_date"
    inlines = (PartnerInline, RecordEventInline)
    actions = ("confirm_records", "reject_records")
    readonly_fields = ("principal", "project", "transaction_type", "goal", "contract_date", "registration_date",
                       "outcome", "sharing_method", "amount_display", "evidence_description", "evidence_link",
                       "status", "reason", "confirmed_at", "confirmed_by_label", "created_by_label", "created_at")
    fields = readonly_fields

    @display(description=_("amount"), ordering="amount")
    def amount_display(self, record: SharingRecord) -> str:
        return _won(record.amount)

    @display(description=_("evidence file"))
    def evidence_link(self, record: SharingRecord) -> str:
        if not record.evidence_file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("evaluations:evidence", args=[record.pk]),
                           record.evidence_name or gettext("Download"))

    def has_confirm_permission(self, request, obj=None) -> bool:
        return is_fund_admin(request.user)

    @admin.action(description=_("Confirm selected records"), permissions=["confirm"])
    def confirm_records(self, request, queryset):
        done = 0
        for record in queryset.order_by("pk"):
            try:
                services.record_confirm(actor=request.user, record=record)
            except DomainError as exc:
                messages.error(request, gettext("Record #%(id)s was not confirmed: %(reason)s")
                               % {"id": record.pk, "reason": exc.message})
            else:
                done += 1
        if done:
            messages.success(request, gettext("%(count)d record(s) confirmed.") % {"count": done})

    @admin.action(description=_("Reject selected records"), permissions=["confirm"])
    def reject_records(self, request, queryset):
        """A page asking why, then the rejection of each selected record awaiting confirmation."""
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(request, "admin/action_form.html", {
                **self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                "title": gettext("Reject performance-sharing records"),
                "question": gettext("Why are these records rejected? The companies see the reason."),
                "submit_label": gettext("Reject"), "facts": [str(r) for r in queryset.order_by("pk")],
                "action": "reject_records", "selected": [r.pk for r in queryset],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            })
        done = 0
        for record in queryset.order_by("pk"):
            try:
                services.record_reject(actor=request.user, record=record, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                messages.error(request, gettext("Record #%(id)s was not rejected: %(reason)s")
                               % {"id": record.pk, "reason": exc.message})
            else:
                done += 1
        if done:
            messages.success(request, gettext("%(count)d record(s) rejected.") % {"count": done})
        return None


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class NoDeleteAdmin(ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False  # end a version with valid_to instead: stored results name the versions they used


@admin.register(IndexRule)
class IndexRuleAdmin(NoDeleteAdmin):
    list_display = ("kind", "version", "valid_from", "valid_to", "honour_streak")
    list_filter = ("kind",)


@admin.register(SharingMethodWeight)
class SharingMethodWeightAdmin(NoDeleteAdmin):
    list_display = ("method", "weight", "cash_equivalent", "valid_from", "valid_to")
    list_filter = ("method", "cash_equivalent")


@admin.register(ContributionPointBand)
class ContributionPointBandAdmin(NoDeleteAdmin):
    list_display = ("kind", "min_won_display", "points", "valid_from", "valid_to")
    list_filter = ("kind",)

    @display(description=_("from (won)"), ordering="min_won")
    def min_won_display(self, band: ContributionPointBand) -> str:
        return _won(band.min_won)


@admin.register(SgiInput)
class SgiInputAdmin(ModelAdmin):
    list_display = ("organization", "year", "survey_score", "performance_score", "deductions", "fair_trade_score",
                    "under_investigation")
    list_filter = ("year", "under_investigation", "organization__size_class")
    list_select_related = ("organization",)
    search_fields = ("organization__name_ko", "organization__name_en")
    raw_id_fields = ("organization",)


@admin.register(DefenceInput)
class DefenceInputAdmin(ModelAdmin):
    list_display = ("organization", "year", "cooperation_score", "technology_score", "localization_score",
                    "deductions", "under_investigation")
    list_filter = ("year", "under_investigation")
    list_select_related = ("organization",)
    search_fields = ("organization__name_ko", "organization__name_en")
    raw_id_fields = ("organization",)


@admin.register(EvaluationResult)
class EvaluationResultAdmin(ReadOnlyAdmin):
    list_display = ("organization", "year", "kind", "score", "grade", "honour", "deferred", "computed_at")
    list_filter = ("year", "kind", "grade", "honour", "deferred", "organization__size_class")
    list_filter_submit = True
    list_select_related = ("organization",)
    search_fields = ("organization__name_ko", "organization__name_en")
    readonly_fields = ("organization", "year", "kind", "score", "grade", "deferred", "honour", "inputs_display",
                       "rules_display", "rule", "run", "computed_at")
    fields = readonly_fields

    @display(description=_("inputs used"))
    def inputs_display(self, result: EvaluationResult) -> str:
        return _json(result.inputs)

    @display(description=_("rule versions used"))
    def rules_display(self, result: EvaluationResult) -> str:
        return _json(result.rules)


class RunRequestForm(forms.ModelForm):
    class Meta:
        model = EvaluationRun
        fields = ("kind", "year")

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("year"):
            try:
                services.recompute_check(kind=data["kind"], year=data["year"])
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return data


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ModelAdmin):
    """Adding a run requests a recomputation: the task fills in the progress."""

    list_display = ("id", "kind", "year", "status", "done", "total", "actor_label", "created_at", "finished_at")
    list_filter = ("kind", "year", "status")
    readonly_fields = ("status", "done", "total", "error", "actor_label", "created_at", "started_at",
                       "finished_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = RunRequestForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ("kind", "year") if obj is None else ("kind", "year", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("kind", "year", *self.readonly_fields)

    def has_add_permission(self, request):
        return is_fund_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        run = services.recompute_request(actor=request.user, kind=obj.kind, year=obj.year)
        obj.pk, obj.status, obj.actor_label, obj.created_at = run.pk, run.status, run.actor_label, run.created_at


@admin.register(EvaluationYear)
class EvaluationYearAdmin(ModelAdmin):
    list_display = ("kind", "year", "status", "published_at", "published_by_label", "reopened_at",
                    "reopened_by_label")
    list_filter = ("kind", "year", "status")
    readonly_fields = list_display
    fields = readonly_fields
    actions = ("publish", "reopen")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request, obj=None) -> bool:
        return is_fund_admin(request.user)

    def _each(self, request, queryset, service, done_message: str) -> None:
        done = 0
        for row in queryset.order_by("pk"):
            try:
                service(actor=request.user, kind=row.kind, year=row.year)
            except DomainError as exc:
                messages.error(request, f"{row}: {exc.message}")
            else:
                done += 1
        if done:
            messages.success(request, done_message % {"count": done})

    @admin.action(description=_("Publish the grades of the selected years"), permissions=["manage"])
    def publish(self, request, queryset):
        self._each(request, queryset, services.evaluation_publish, gettext("%(count)d year(s) published."))

    @admin.action(description=_("Reopen the selected years for recomputation"), permissions=["manage"])
    def reopen(self, request, queryset):
        self._each(request, queryset, services.evaluation_reopen, gettext("%(count)d year(s) reopened."))
