"""Joint overseas expansion grants in the back office (django-unfold).

Projects, awards, tranches and their history are read-only here: they change only through `services`. Fund
administrators act with actions that call the services — approve or reject projects, award an SME (a small form
on the project's page), pay a tranche or cancel an award (small forms on the award's page) — and each refusal
(a cap, the fund's cash, a state) is reported as a message naming the reason. Auditors see everything and act on
nothing. The cap and share rules are configuration and editable (never deleted: end them with `valid_to`).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
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
from .exceptions import GrantError
from .forms import AwardForm, ReasonForm, TrancheForm
from .models import (
    Award,
    ExpansionProject,
    GrantCapRule,
    GrantEvent,
    GrantShareRule,
    Participation,
    ProjectStatus,
    Tranche,
)
from .selectors import sme_room

REFUSALS = (GrantError, LedgerError)


def _won(won: int) -> str:
    return f"{format_won(won)} ({format_korean(won)})"


def _report(request, done: list[str], refused: list[str]) -> None:
    for text in done:
        messages.success(request, text)
    for text in refused:
        messages.error(request, text)


def year_filter(field: str):
    class YearFilter(admin.SimpleListFilter):
        title = _("year")
        parameter_name = "year"

        def lookups(self, request, model_admin):
            years = model_admin.model.objects.dates(field, "year", order="DESC")
            return [(str(day.year), str(day.year)) for day in years]

        def queryset(self, request, queryset):
            value = self.value()
            return queryset.filter(**{f"{field}__year": int(value)}) if value and value.isdigit() else queryset

    return YearFilter


class OrganizationSearch:
    """Search by company name, or by business registration number with or without hyphens."""

    search_organizations: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_number = registration_number_query(search_term)
        if by_number is not None:
            matching = Organization.objects.filter(by_number)
            for path in self.search_organizations:
                results = results | queryset.filter(**{f"{path}__in": matching})
        return results, may_have_duplicates


class FundAdminActions:
    def has_manage_permission(self, request, obj=None) -> bool:
        return is_fund_admin(request.user) and self.has_view_permission(request)

    def _form_page(self, request, form, *, question: str, submit_label: str, facts=(), action_name: str = "",
                   selected=()) -> TemplateResponse:
        return TemplateResponse(request, "admin/action_form.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "title": question,
            "question": question, "submit_label": submit_label, "facts": facts, "action": action_name,
            "selected": selected, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


class ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ParticipationInline(ReadOnlyInline):
    model = Participation
    fields = ("sme", "sme_brn", "created_at")
    readonly_fields = fields
    show_change_link = False

    @display(description=_("business registration number"))
    def sme_brn(self, participation: Participation) -> str:
        return participation.sme.brn_display


class AwardInline(ReadOnlyInline):
    model = Award
    fields = ("sme", "award_date", "amount", "paid", "status")
    readonly_fields = fields


class TrancheInline(ReadOnlyInline):
    model = Tranche
    fields = ("paid_date", "amount", "entry", "paid_by_label", "created_at")
    readonly_fields = fields


class AwardEventInline(ReadOnlyInline):
    model = GrantEvent
    fk_name = "award"
    fields = ("at", "from_status", "to_status", "actor_label", "reason")
    readonly_fields = fields
    show_change_link = False


class EventInline(ReadOnlyInline):
    model = GrantEvent
    fk_name = "project"
    fields = ("at", "award", "from_status", "to_status", "actor_label", "reason")
    readonly_fields = fields
    show_change_link = False


@admin.register(ExpansionProject)
class ExpansionProjectAdmin(FundAdminActions, OrganizationSearch, ReadOnlyAdmin):
    list_display = ("id", "title", "lead", "country", "total_cost_display", "start_date", "end_date", "status")
    list_filter = ("country", "status", year_filter("start_date"))
    list_filter_submit = True
    list_select_related = ("lead",)
    search_fields = ("title", "lead__name_ko", "lead__name_en", "participants__name_ko", "participants__name_en")
    search_organizations = ("lead", "participants")
    search_help_text = _("Project title, company name, or a business registration number with or without hyphens.")
    inlines = (ParticipationInline, AwardInline, EventInline)
    actions = ("approve_projects", "reject_projects")
    actions_detail = ("award_sme",)
    readonly_fields = ("fund", "lead", "title", "country", "total_cost_display", "start_date", "end_date", "status",
                       "reason", "proposed_by_label", "created_at", "decided_at", "idempotency_key")
    fields = readonly_fields

    @display(description=_("total project cost"), ordering="total_cost")
    def total_cost_display(self, project: ExpansionProject) -> str:
        return _won(project.total_cost)

    def has_approve_permission(self, request, obj=None) -> bool:
        return self.has_manage_permission(request)

    @admin.action(description=_("Approve selected projects"), permissions=["approve"])
    def approve_projects(self, request, queryset):
        done, refused = [], []
        for project in queryset.order_by("pk"):
            try:
                services.project_approve(actor=request.user, project=project)
            except REFUSALS as exc:
                refused.append(gettext("Project #%(id)s was not approved: %(reason)s")
                               % {"id": project.pk, "reason": exc.message})
            else:
                done.append(gettext("Project #%(id)s approved.") % {"id": project.pk})
        _report(request, done, refused)

    @admin.action(description=_("Reject selected projects"), permissions=["approve"])
    def reject_projects(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._form_page(
                request, form, question=gettext("Reject these projects?"), submit_label=gettext("Reject"),
                facts=[str(p) for p in queryset], action_name="reject_projects",
                selected=[p.pk for p in queryset])
        done, refused = [], []
        for project in queryset.order_by("pk"):
            try:
                services.project_reject(actor=request.user, project=project, reason=form.cleaned_data["reason"])
            except REFUSALS as exc:
                refused.append(gettext("Project #%(id)s was not rejected: %(reason)s")
                               % {"id": project.pk, "reason": exc.message})
            else:
                done.append(gettext("Project #%(id)s rejected.") % {"id": project.pk})
        _report(request, done, refused)
        return None

    @action(description=_("Award an SME"), permissions=["approve"], icon="workspace_premium")
    def award_sme(self, request, object_id):
        project = self.get_object(request, object_id)
        back = HttpResponseRedirect(reverse("admin:grants_expansionproject_change", args=[object_id]))
        if project.status != ProjectStatus.APPROVED:
            messages.error(request, gettext("Awards go to approved projects only."))
            return back
        form = AwardForm(request.POST or None, project=project)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                award = services.award_approve(actor=request.user, project=project, sme=data["sme"],
                                               amount=data["amount"], award_date=data["award_date"],
                                               idempotency_key=f"admin:{data['idempotency_key']}")
            except REFUSALS as exc:
                form.add_error("amount" if exc.field == "amount" else None, exc.message)
            else:
                messages.success(request, gettext("Award #%(id)s approved.") % {"id": award.pk})
                return HttpResponseRedirect(reverse("admin:grants_award_change", args=[award.pk]))
        return self._form_page(request, form, question=gettext("Award an SME of %(project)s") % {"project": project},
                               submit_label=gettext("Approve the award"),
                               facts=[_won(project.total_cost), project.country_name])


@admin.register(Award)
class AwardAdmin(FundAdminActions, OrganizationSearch, ReadOnlyAdmin):
    list_display = ("id", "sme", "project", "country", "award_date", "amount_display", "paid_display",
                    "remaining_display", "room_display", "status")
    list_filter = ("project__country", "status", year_filter("award_date"))
    list_filter_submit = True
    list_select_related = ("sme", "project", "project__lead")
    search_fields = ("sme__name_ko", "sme__name_en", "project__lead__name_ko", "project__lead__name_en",
                     "project__title")
    search_organizations = ("sme", "project__lead")
    search_help_text = _("Company name, or a business registration number with or without hyphens.")
    inlines = (TrancheInline, AwardEventInline)
    actions = ("cancel_awards",)
    actions_detail = ("pay_tranche", "cancel_this_award")
    readonly_fields = ("project", "sme", "amount_display", "award_date", "status", "paid_display",
                       "remaining_display", "room_display", "cap_rule", "share_rule", "hold", "approved_by_label",
                       "approved_at", "cancelled_at", "reason", "idempotency_key")
    fields = readonly_fields

    @display(description=_("country"), ordering="project__country")
    def country(self, award: Award) -> str:
        return award.project.country

    @display(description=_("amount"), ordering="amount")
    def amount_display(self, award: Award) -> str:
        return _won(award.amount)

    @display(description=_("paid"), ordering="paid")
    def paid_display(self, award: Award) -> str:
        return _won(award.paid)

    @display(description=_("remaining"))
    def remaining_display(self, award: Award) -> str:
        return _won(award.remaining)

    @display(description=_("SME's cap room today"))
    def room_display(self, award: Award) -> str:
        room = sme_room(award.sme, award.project.country, timezone.localdate())
        return _won(room.room) if room is not None else "—"

    def has_pay_permission(self, request, obj=None) -> bool:
        return self.has_manage_permission(request)

    @admin.action(description=_("Cancel selected awards"), permissions=["pay"])
    def cancel_awards(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._form_page(
                request, form, question=gettext("Cancel these awards? What is left of each is released."),
                submit_label=gettext("Cancel the awards"), facts=[str(a) for a in queryset],
                action_name="cancel_awards", selected=[a.pk for a in queryset])
        self._cancel(request, queryset.order_by("pk"), form.cleaned_data["reason"])
        return None

    def _cancel(self, request, awards, reason: str) -> None:
        done, refused = [], []
        for award in awards:
            try:
                services.award_cancel(actor=request.user, award=award, reason=reason)
            except REFUSALS as exc:
                refused.append(gettext("Award #%(id)s was not cancelled: %(reason)s")
                               % {"id": award.pk, "reason": exc.message})
            else:
                done.append(gettext("Award #%(id)s cancelled.") % {"id": award.pk})
        _report(request, done, refused)

    @action(description=_("Cancel this award"), permissions=["pay"], icon="block")
    def cancel_this_award(self, request, object_id):
        award = self.get_object(request, object_id)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            self._cancel(request, [award], form.cleaned_data["reason"])
            return HttpResponseRedirect(reverse("admin:grants_award_change", args=[object_id]))
        return self._form_page(request, form, question=gettext("Cancel %(award)s?") % {"award": award},
                               submit_label=gettext("Cancel the award"),
                               facts=[gettext("Remaining: %(won)s") % {"won": _won(award.remaining)}])

    @action(description=_("Pay a tranche"), permissions=["pay"], icon="payments")
    def pay_tranche(self, request, object_id):
        award = self.get_object(request, object_id)
        form = TrancheForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                tranche = services.tranche_pay(actor=request.user, award=award, amount=data["amount"],
                                               paid_date=data["paid_date"],
                                               idempotency_key=f"admin:{data['idempotency_key']}")
            except REFUSALS as exc:
                form.add_error("amount" if exc.field == "amount" else None, exc.message)
            else:
                messages.success(request, gettext("Tranche of %(won)s paid (entry #%(entry)s).")
                                 % {"won": _won(tranche.amount), "entry": tranche.entry_id})
                return HttpResponseRedirect(reverse("admin:grants_award_change", args=[object_id]))
        return self._form_page(request, form, question=gettext("Pay a tranche of %(award)s") % {"award": award},
                               submit_label=gettext("Pay"),
                               facts=[gettext("Remaining: %(won)s") % {"won": _won(award.remaining)}])


@admin.register(Tranche)
class TrancheAdmin(ReadOnlyAdmin):
    list_display = ("id", "award", "paid_date", "amount_display", "entry", "paid_by_label")
    list_filter = ("award__project__country", year_filter("paid_date"))
    list_select_related = ("award", "award__sme")
    search_fields = ("award__sme__name_ko", "award__sme__name_en", "idempotency_key")
    readonly_fields = ("award", "amount_display", "paid_date", "entry", "paid_by_label", "created_at",
                       "idempotency_key")
    fields = readonly_fields

    @display(description=_("amount"), ordering="amount")
    def amount_display(self, tranche: Tranche) -> str:
        return _won(tranche.amount)


@admin.register(GrantEvent)
class GrantEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "project", "award", "from_status", "to_status", "actor_label", "reason")
    list_filter = ("to_status",)
    list_select_related = ("project", "award")
    search_fields = ("actor_label", "reason")


class RuleAdmin(ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False  # awards point at the rule they were granted under: end it with valid_to instead


@admin.register(GrantCapRule)
class GrantCapRuleAdmin(RuleAdmin):
    list_display = ("scope", "cap_display", "window_length", "window_kind", "valid_from", "valid_to")
    list_filter = ("scope", "window_kind")

    @display(description=_("cap per SME"), ordering="cap")
    def cap_display(self, rule: GrantCapRule) -> str:
        return _won(rule.cap)


@admin.register(GrantShareRule)
class GrantShareRuleAdmin(RuleAdmin):
    list_display = ("max_share", "valid_from", "valid_to", "description")

