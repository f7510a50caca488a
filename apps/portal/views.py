"""The portal for contributing corporations: a member sees their organisations' contributions, receipts and tax
credits, and a finance officer submits and withdraws contributions.

Every read goes through the scoped selectors (`contributions_visible_to`, `receipts_visible_to`), so another
company's contribution or receipt answers 404 whatever id is typed; every write goes through
`apps.contributions.services`, which checks again who may act.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from apps.contributions.exceptions import ContributionError, IdempotencyConflict
from apps.contributions.models import RECEIVED_STATUSES, Contribution, ContributionStatus, DonationReceipt
from apps.contributions.selectors import contributions_visible_to, receipts_visible_to
from apps.contributions.services import contribution_submit, contribution_withdraw
from apps.core.roles import is_auditor, is_fund_admin
from apps.funds.models import Fund
from apps.organizations.models import Organization
from apps.organizations.selectors import can_submit_for, memberships_of, organizations_visible_to
from apps.taxcredits.selectors import CreditLine, Statement, contribution_credit, statement_compute

from .forms import ContributionForm, WithdrawForm, submittable_organizations

# Form fields a refusal from the services may name; anything else is shown above the form.
FORM_FIELDS = frozenset(ContributionForm.base_fields)
RECENT = 10  # rows of each list on the dashboard; the full lists are paginated
PAGE_SIZE = 25


@dataclass
class OrganizationSummary:
    """One organisation's figures on the dashboard: money received, money awaiting confirmation, and the tax
    credit statements of the years it contributed in."""

    organization: Organization
    role: str
    received: int = 0
    pending: int = 0
    statements: list[Statement] = field(default_factory=list)

    @property
    def credit(self) -> int:
        return sum(s.total_credit for s in self.statements)


def _summaries(memberships, contributions: list[Contribution]) -> list[OrganizationSummary]:
    by_org: dict[int, list[Contribution]] = defaultdict(list)
    for c in contributions:
        by_org[c.organization_id].append(c)
    summaries = []
    for membership in memberships:
        organization, own = membership.organization, by_org.get(membership.organization_id, [])
        summary = OrganizationSummary(organization, membership.get_role_display())
        summary.received = sum(c.amount for c in own if c.status in RECEIVED_STATUSES)
        summary.pending = sum(c.amount for c in own if c.status == ContributionStatus.SUBMITTED)
        years = sorted({c.contribution_date.year for c in own if c.status in RECEIVED_STATUSES}, reverse=True)
        summary.statements = [statement_compute(organization=organization, year=year) for year in years]
        summaries.append(summary)
    return summaries


@login_required
def dashboard(request):
    user = request.user
    if is_fund_admin(user) or is_auditor(user):
        return _staff_dashboard(request)
    memberships = list(memberships_of(user))
    contributions = list(contributions_visible_to(user).order_by("-contribution_date", "-pk"))
    summaries = _summaries(memberships, contributions)
    credits: dict[int, CreditLine] = {line.contribution: line for s in summaries for st in s.statements
                                      for line in st.lines}
    for c in contributions:
        c.credit_line = credits.get(c.pk)
    receipts = receipts_visible_to(user).order_by("-issued_at", "-pk")
    return render(request, "portal/dashboard.html", {
        "summaries": summaries,
        "several_organizations": len(summaries) > 1,
        "contributions": contributions[:RECENT],
        "contribution_count": len(contributions),
        "receipts": receipts[:RECENT],
        "receipt_count": receipts.count(),
        "may_submit": submittable_organizations(user).exists(),
        "total_received": sum(s.received for s in summaries),
        "total_pending": sum(s.pending for s in summaries),
        "total_credit": sum(s.credit for s in summaries),
    })


def _staff_dashboard(request):
    """Fund administrators and auditors work in the back office; here, every organisation's total, read-only."""
    received = dict(Contribution.objects.filter(status__in=RECEIVED_STATUSES).values("organization_id")
                    .annotate(won=Sum("amount")).order_by().values_list("organization_id", "won"))
    organizations = list(organizations_visible_to(request.user).order_by("name_ko"))
    for organization in organizations:
        organization.received = received.get(organization.pk, 0)
    return render(request, "portal/staff_dashboard.html", {
        "organizations": organizations,
        "total_received": sum(received.values()),
        "is_admin": is_fund_admin(request.user),
    })


class ContributionFilter(forms.Form):
    """The list's filters, from the query string; anything unknown is ignored rather than refused."""

    fund = forms.ModelChoiceField(queryset=Fund.objects.order_by("pk"), to_field_name="code", required=False,
                                  label=_lazy("Fund"))
    status = forms.ChoiceField(choices=[("", "---------"), *ContributionStatus.choices], required=False,
                               label=_lazy("Status"))
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False, label=_lazy("Year"))

    def apply(self, contributions):
        if not self.is_valid():
            return contributions
        data = self.cleaned_data
        if data["fund"]:
            contributions = contributions.filter(fund=data["fund"])
        if data["status"]:
            contributions = contributions.filter(status=data["status"])
        if data["year"]:
            contributions = contributions.filter(contribution_date__year=data["year"])
        return contributions


def _page(request, rows):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@login_required
def contribution_list(request):
    """Every contribution the user may see, newest first, filtered by fund, status and year, 25 to a page."""
    filters = ContributionFilter(request.GET or None)
    rows = filters.apply(contributions_visible_to(request.user)
                         .select_related("organization", "fund", "designated_use")
                         .order_by("-contribution_date", "-pk"))
    page, query = _page(request, rows)
    for c in page.object_list:
        c.credit_line = contribution_credit(c) if c.status in RECEIVED_STATUSES else None
    return render(request, "portal/contribution_list.html", {
        "page": page, "contributions": page.object_list, "filters": filters, "query": query,
        "several_organizations": memberships_of(request.user).count() > 1,
    })


@login_required
def receipt_list(request):
    """Every donation receipt the user may see, newest first, 25 to a page."""
    page, query = _page(request, receipts_visible_to(request.user).select_related("fund")
                        .order_by("-issued_at", "-pk"))
    return render(request, "portal/receipt_list.html", {"page": page, "receipts": page.object_list,
                                                        "query": query})


@login_required
def contribution_new(request):
    """The form, then a confirmation page, then the submission. The hidden idempotency key is made when the form
    is first shown and travels through both steps, so a double click or a retried request submits once."""
    user = request.user
    if not submittable_organizations(user).exists():
        raise Http404("no organisation this user may submit for")
    if request.method != "POST":
        return render(request, "portal/contribution_form.html", {"form": ContributionForm(user=user)})
    form = ContributionForm(request.POST, user=user)
    if not form.is_valid() or "edit" in request.POST:
        return render(request, "portal/contribution_form.html", {"form": form})
    if "submit" not in request.POST:
        return render(request, "portal/contribution_confirm.html", {"form": form, "review": form.review()})
    return _submit(request, form)


def _submit(request, form: ContributionForm):
    data = form.cleaned_data
    try:
        contribution = contribution_submit(
            actor=request.user, organization=data["organization"], fund=data["fund"], amount=data["amount"],
            contribution_date=data["contribution_date"], designated_use=data["designated_use_row"],
            beneficiaries=data["beneficiaries"], program=data["program"],
            idempotency_key=f"portal:{data['idempotency_key']}",
        )
    except IdempotencyConflict:
        data = request.POST.copy()
        data["idempotency_key"] = str(uuid.uuid4())  # a fresh key, so the next submission is a new one
        form = ContributionForm(data, user=request.user)
        form.is_valid()
        form.add_error(None, _("This form was already submitted with different details. Check your contributions "
                               "below; to submit another one, review the details and submit again."))
        return render(request, "portal/contribution_form.html", {"form": form})
    except ContributionError as error:
        form.add_error(error.field if error.field in FORM_FIELDS else None, error.message)
        return render(request, "portal/contribution_form.html", {"form": form})
    if not getattr(contribution, "is_replay", False):
        messages.success(request, _("Contribution #%(id)s was submitted. The fund will confirm it once the money "
                                    "is received.") % {"id": contribution.pk})
    return redirect("portal:contribution", pk=contribution.pk)


@login_required
def contribution_detail(request, pk: int):
    contribution = get_object_or_404(contributions_visible_to(request.user), pk=pk)
    return _render_detail(request, contribution, WithdrawForm())


def _render_detail(request, contribution: Contribution, withdraw_form: WithdrawForm, status: int = 200):
    may_withdraw = (contribution.status == ContributionStatus.SUBMITTED
                    and can_submit_for(request.user, contribution.organization_id))
    return render(request, "portal/contribution_detail.html", {
        "contribution": contribution,
        "events": contribution.events.select_related("actor").order_by("at", "pk"),
        "beneficiaries": contribution.beneficiaries.order_by("name_ko"),
        "receipt": DonationReceipt.objects.filter(contribution=contribution).select_related("fund").first(),
        "credit": contribution_credit(contribution),
        "may_withdraw": may_withdraw,
        "withdraw_form": withdraw_form,
    }, status=status)


@require_POST
@login_required
def contribution_withdraw_view(request, pk: int):
    contribution = get_object_or_404(contributions_visible_to(request.user), pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, contribution, form, status=400)
    try:
        contribution_withdraw(actor=request.user, contribution=contribution, reason=form.cleaned_data["reason"])
    except ContributionError as error:
        form.add_error(None, error.message)
        return _render_detail(request, contribution, form, status=400 if error.status == 400 else 409)
    messages.success(request, _("Contribution #%(id)s was withdrawn.") % {"id": contribution.pk})
    return redirect(reverse("portal:contribution", args=[contribution.pk]))


@login_required
def receipt_detail(request, pk: int):
    receipt = get_object_or_404(
        receipts_visible_to(request.user).select_related("contribution__designated_use"), pk=pk)
    return render(request, "portal/receipt.html", {"receipt": receipt, "contribution": receipt.contribution})
