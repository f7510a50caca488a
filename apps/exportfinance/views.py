"""The beneficiaries' export-finance pages: their companies' projects with what was disbursed, repaid and is
outstanding, the profit shares due, and a form to file a profit report.

Every read goes through the scoped selectors, so another company's project answers 404 whatever id is typed; the
report is filed by `services.profit_report_submit`, which checks again who may act. The form carries a one-time
idempotency key made when it is first shown: a double click or a resent form files one report.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.core.roles import is_fund_admin
from apps.organizations.selectors import can_submit_for

from . import selectors, services
from .exceptions import ExportFinanceError
from .forms import ProfitReportForm
from .models import ExportProject, ShareStatus

FORM_FIELDS = frozenset(ProfitReportForm.base_fields)


def _may_report(user, project: ExportProject) -> bool:
    return is_fund_admin(user) or can_submit_for(user, project.beneficiary_id)


@login_required
def projects(request):
    user = request.user
    visible = list(selectors.projects_visible_to(user).order_by("beneficiary__name_ko", "-start_date", "pk"))
    shares = selectors.shares_visible_to(user)
    due = list(shares.filter(status=ShareStatus.DUE).order_by("due_date", "pk"))
    return render(request, "exportfinance/projects.html", {
        "projects": visible,
        "shares_due": due,
        "totals": selectors.totals(selectors.projects_visible_to(user), shares),
    })


@login_required
def project_detail(request, pk: int):
    project = get_object_or_404(selectors.projects_visible_to(request.user), pk=pk)
    return render(request, "exportfinance/project_detail.html", {
        "project": project,
        "disbursements": project.disbursements.order_by("-effective_date", "-pk"),
        "repayments": project.repayments.order_by("-effective_date", "-pk"),
        "reports": project.profit_reports.select_related("superseded_by").order_by("-year", "-period", "-pk"),
        "shares": project.profit_shares.order_by("-year", "-period"),
        "may_report": _may_report(request.user, project),
    })


@login_required
def report_new(request, pk: int):
    project = get_object_or_404(selectors.projects_visible_to(request.user), pk=pk)
    if not _may_report(request.user, project):
        raise Http404("only the beneficiary's finance officers file its profit reports")
    if request.method != "POST":
        return render(request, "exportfinance/report_form.html", {"project": project, "form": ProfitReportForm()})
    form = ProfitReportForm(request.POST)
    if not form.is_valid():
        return render(request, "exportfinance/report_form.html", {"project": project, "form": form}, status=400)
    data = form.cleaned_data
    try:
        report = services.profit_report_submit(
            actor=request.user, project=project, year=data["year"], period=data["period"],
            operating_profit=data["operating_profit"], net_profit=data["net_profit"], reason=data["reason"],
            idempotency_key=f"portal:{request.user.pk}:{data['idempotency_key']}")
    except ExportFinanceError as error:
        form.add_error(error.field if error.field in FORM_FIELDS else None, error.message)
        return render(request, "exportfinance/report_form.html", {"project": project, "form": form},
                      status=400 if error.status == 400 else 409)
    if not getattr(report, "is_replay", False):
        messages.success(request, _("Profit report #%(id)s for %(period)s was filed. The share due is computed "
                                    "shortly.") % {"id": report.pk, "period": report.period_label})
    return redirect("exportfinance:project", pk=project.pk)
