"""Sanctions, fine payments and relief claims in the back office (django-unfold).

Nothing here is edited in place: a sanction is added through a form that calls `sanction_impose`, and every other
change is a detail action with a small form (record a payment, waive a fine; request information, approve,
reject, pay a claim) that calls one service and shows its refusal beside the field. Auditors see everything and
get no action. The relief fund's cash (balance, reserved by approved claims, available) heads the claim pages.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display

from apps.core.admin_base import ReadOnlyAdmin
from apps.core.money import format_korean, format_won
from apps.core.roles import is_fund_admin
from apps.ledger.exceptions import LedgerError
from apps.organizations.admin import registration_number_query
from apps.organizations.models import Organization

from . import services
from .exceptions import ReliefError
from .forms import ApproveForm, MessageForm, PayForm, PaymentForm, ReasonForm, SanctionAdminForm
from .models import Claim, ClaimDocument, ClaimEvent, ClaimStatus, FinePayment, PaymentStatus, Sanction
from .selectors import fund_cash

ACTION_TEMPLATE = "relief/admin/action_form.html"


def _won(won: int | None) -> str:
    return "—" if won is None else f"{format_won(won)} ({format_korean(won)})"


def _won_short(won: int | None) -> str:
    """In list columns: the figure alone, so the columns stay narrow."""
    return "—" if won is None else format_won(won)


class _OrganizationSearch:
    """Search by the organisation's name, or by its registration number with or without hyphens."""

    organization_path = "organization"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_number = registration_number_query(search_term)
        if by_number is not None:
            organizations = Organization.objects.filter(by_number)
            results = results | queryset.filter(**{f"{self.organization_path}__in": organizations})
        return results, may_have_duplicates


class _ReviewActions:
    """Detail actions: a small form on GET, the service on POST, its refusal shown beside the field."""

    def has_review_permission(self, request, object_id=None) -> bool:
        return is_fund_admin(request.user)

    def _action_form(self, request, object_id, form_class, title: str, perform, done: str, initial=None):
        obj = self.get_object(request, unquote(str(object_id)))
        if obj is None:
            raise Http404
        form = form_class(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                perform(obj, form.cleaned_data)
            except (ReliefError, LedgerError) as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, done)
                return redirect(reverse(f"admin:relief_{self.model._meta.model_name}_change", args=[obj.pk]))
        return TemplateResponse(request, ACTION_TEMPLATE, {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "title": title,
            "object": obj, "cash": fund_cash(),
        })


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (Sanction.objects.annotate(y=ExtractYear("decision_date")).order_by("-y")
                 .values_list("y", flat=True).distinct())
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(decision_date__year=int(value)) if value and value.isdigit() else queryset


class PaymentStatusFilter(admin.SimpleListFilter):
    title = _("payment status")
    parameter_name = "payment_status"

    def lookups(self, request, model_admin):
        return PaymentStatus.choices

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(payment_status=value) if value in PaymentStatus.values else queryset


class FinePaymentInline(TabularInline):
    model = FinePayment
    extra = 0
    fields = ("paid_on", "amount_display", "recorded_by_label", "recorded_at", "entry")
    readonly_fields = fields
    can_delete = False

    @display(description=_("amount"))
    def amount_display(self, payment: FinePayment) -> str:
        return _won(payment.amount)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Sanction)
class SanctionAdmin(_OrganizationSearch, _ReviewActions, ModelAdmin):
    form = SanctionAdminForm
    list_display = ("case_reference", "organization", "violation_type", "decision_date", "penalty_points",
                    "fine_display", "paid_display", "outstanding_short", "status_display")
    list_filter = ("violation_type", PaymentStatusFilter, YearFilter)
    list_filter_submit = True
    list_select_related = ("organization",)
    search_fields = ("organization__name_ko", "organization__name_en", "case_reference")
    search_help_text = _("Company name, its business registration number, or the case number.")
    date_hierarchy = "decision_date"
    inlines = (FinePaymentInline,)
    actions_detail = ("record_payment", "waive_fine")
    shown_fields = ("organization", "case_reference", "violation_type", "corrective_order", "penalty_points",
                    "decision_date", "fine_display", "paid_display", "outstanding_display", "status_display",
                    "waived_at", "waiver_reason", "imposition_entry", "waiver_entry", "created_by_label",
                    "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).with_amounts()

    def get_fields(self, request, obj=None):
        return self.shown_fields if obj is not None else SanctionAdminForm.Meta.fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def get_readonly_fields(self, request, obj=None):
        return self.shown_fields if obj is not None else ()

    def has_add_permission(self, request):
        return is_fund_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except (ReliefError, LedgerError) as exc:  # what the form could not foresee (e.g. a concurrent closing)
            messages.error(request, exc.message)
            return redirect(reverse("admin:relief_sanction_add"))

    def save_model(self, request, obj, form, change):
        sanction = services.sanction_impose(actor=request.user, **form.cleaned_data)
        obj.pk, obj.created_at = sanction.pk, sanction.created_at
        obj._state.adding = False

    @display(description=_("fine"), ordering="fine_amount")
    def fine_display(self, sanction: Sanction) -> str:
        return _won_short(sanction.fine_amount)

    @display(description=_("collected"), ordering="paid")
    def paid_display(self, sanction: Sanction) -> str:
        return _won_short(getattr(sanction, "paid", None))

    @display(description=_("outstanding"), ordering="outstanding")
    def outstanding_display(self, sanction: Sanction) -> str:
        return _won(getattr(sanction, "outstanding", None))

    @display(description=_("outstanding"), ordering="outstanding")
    def outstanding_short(self, sanction: Sanction) -> str:
        return _won_short(getattr(sanction, "outstanding", None))

    @display(description=_("payment status"), ordering="payment_status", label={
        PaymentStatus.PAID.label: "success", PaymentStatus.PARTLY_PAID.label: "warning",
        PaymentStatus.UNPAID.label: "danger", PaymentStatus.WAIVED.label: "info"})
    def status_display(self, sanction: Sanction) -> str:
        status = getattr(sanction, "payment_status", None)
        return PaymentStatus(status).label if status else "—"

    @action(description=_("Record a payment"), url_path="record-payment", permissions=["review"])
    def record_payment(self, request, object_id):
        def perform(sanction, data):
            services.fine_payment_record(actor=request.user, sanction=sanction, amount=data["amount"],
                                         paid_on=data["paid_on"],
                                         idempotency_key=f"admin:{data['idempotency_key']}")

        return self._action_form(request, object_id, PaymentForm, gettext("Record a fine payment"), perform,
                                 gettext("The payment was recorded."))

    @action(description=_("Waive the outstanding fine"), url_path="waive", permissions=["review"])
    def waive_fine(self, request, object_id):
        def perform(sanction, data):
            services.sanction_waive(actor=request.user, sanction=sanction, reason=data["reason"])

        return self._action_form(request, object_id, ReasonForm, gettext("Waive the outstanding fine"), perform,
                                 gettext("The outstanding fine was waived."))


@admin.register(FinePayment)
class FinePaymentAdmin(ReadOnlyAdmin):
    list_display = ("sanction", "organization", "paid_on", "amount_display", "recorded_by_label", "entry")
    list_select_related = ("sanction", "sanction__organization", "entry")
    list_filter = ("sanction__violation_type",)
    search_fields = ("sanction__case_reference", "sanction__organization__name_ko")
    date_hierarchy = "paid_on"

    @display(description=_("company"))
    def organization(self, payment: FinePayment) -> str:
        return payment.sanction.organization.name_ko

    @display(description=_("amount"), ordering="amount")
    def amount_display(self, payment: FinePayment) -> str:
        return _won(payment.amount)


class ClaimEventInline(TabularInline):
    model = ClaimEvent
    extra = 0
    fields = ("at", "from_status", "to_status", "amount", "actor_label", "message")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClaimYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (Claim.objects.annotate(y=ExtractYear("created_at")).order_by("-y")
                 .values_list("y", flat=True).distinct())
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(created_at__year=int(value)) if value and value.isdigit() else queryset


@admin.register(Claim)
class ClaimAdmin(_OrganizationSearch, _ReviewActions, ReadOnlyAdmin):
    organization_path = "claimant"
    list_display = ("id", "claimant", "case_reference", "claimed_display", "approved_display", "status_display",
                    "created_at")
    list_filter = ("status", ClaimYearFilter)
    list_filter_submit = True
    list_select_related = ("claimant", "sanction")
    search_fields = ("claimant__name_ko", "claimant__name_en", "case_reference")
    search_help_text = _("Claimant name, its business registration number, or the case number.")
    inlines = (ClaimEventInline,)
    list_before_template = "relief/admin/fund_cash.html"
    change_form_before_template = "relief/admin/fund_cash.html"
    actions_detail = ("request_info", "approve", "reject", "pay")
    readonly_fields = ("claimant", "case_reference", "sanction", "description", "claimed_display",
                       "approved_display", "status_display", "documents_list", "hold", "payment_entry", "paid_on",
                       "submitted_by_label", "created_at")
    fields = readonly_fields

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "relief_cash": fund_cash()})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url,
                                       {**(extra_context or {}), "relief_cash": fund_cash()})

    @display(description=_("claimed"), ordering="amount_claimed")
    def claimed_display(self, claim: Claim) -> str:
        return _won_short(claim.amount_claimed)

    @display(description=_("approved"), ordering="approved_amount")
    def approved_display(self, claim: Claim) -> str:
        return _won_short(claim.approved_amount)

    @display(description=_("status"), ordering="status", label={
        ClaimStatus.PAID.label: "success", ClaimStatus.APPROVED.label: "info",
        ClaimStatus.INFO_REQUESTED.label: "warning", ClaimStatus.REJECTED.label: "danger"})
    def status_display(self, claim: Claim) -> str:
        return claim.get_status_display()

    @display(description=_("documents"))
    def documents_list(self, claim: Claim) -> str:
        documents = ClaimDocument.objects.filter(claim=claim).order_by("uploaded_at", "pk")
        if not documents:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join(
            "", '<li><a href="{}">{}</a> ({} · {} KB · {})</li>',
            ((reverse("relief:document", args=[d.pk]), d.original_name, d.kind.upper(), max(1, d.size // 1024),
              d.uploaded_by_label) for d in documents)))

    @action(description=_("Request information"), url_path="request-info", permissions=["review"])
    def request_info(self, request, object_id):
        def perform(claim, data):
            services.claim_request_info(actor=request.user, claim=claim, message=data["message"])

        return self._action_form(request, object_id, MessageForm, gettext("Ask the claimant for information"),
                                 perform, gettext("The claimant was asked for more information."))

    @action(description=_("Approve"), url_path="approve", permissions=["review"])
    def approve(self, request, object_id):
        claim = self.get_object(request, unquote(str(object_id)))

        def perform(claim, data):
            services.claim_approve(actor=request.user, claim=claim, amount=data["amount"], message=data["message"])

        initial = {"amount": f"{claim.amount_claimed:,}"} if claim is not None else None
        return self._action_form(request, object_id, ApproveForm, gettext("Approve the claim"), perform,
                                 gettext("The claim was approved; its amount is reserved until it is paid."),
                                 initial=initial)

    @action(description=_("Reject"), url_path="reject", permissions=["review"])
    def reject(self, request, object_id):
        def perform(claim, data):
            services.claim_reject(actor=request.user, claim=claim, reason=data["reason"])

        return self._action_form(request, object_id, ReasonForm, gettext("Reject the claim"), perform,
                                 gettext("The claim was rejected."))

    @action(description=_("Pay"), url_path="pay", permissions=["review"])
    def pay(self, request, object_id):
        def perform(claim, data):
            services.claim_pay(actor=request.user, claim=claim, paid_on=data["paid_on"])

        return self._action_form(request, object_id, PayForm, gettext("Pay the approved claim"), perform,
                                 gettext("The relief was paid."))
