"""The auditors' read-only area under /auditor/: the funds and their accounts, journal entries with their lines and
seals, the audit trail, and the ledgers' verification.

Auditors and fund administrators only: anyone else signed in gets 403, an anonymous visitor is sent to sign in.
Every page reads (through `selectors`); the one write is a fund administrator asking for a verification run, which
is queued (through `services`) as a task once the request's transaction commits.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.roles import is_fund_admin
from apps.funds.models import Fund
from apps.ledger.models import JournalEntry

from . import selectors, services
from .forms import EntrySearchForm, EventSearchForm
from .models import AuditEvent
from .permissions import may_audit

PAGE_SIZE = 50
# Rooms built alongside this one: linked when their pages are mounted.
NEIGHBOURS = (("exports:index", gettext_lazy("Exports (SAF-T, spreadsheets)")),
              ("statements:index", gettext_lazy("Financial statements")))


def auditors_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_audit(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _neighbours() -> list[dict]:
    links = []
    for url_name, title in NEIGHBOURS:
        try:
            links.append({"url": reverse(url_name), "title": title})
        except NoReverseMatch:
            continue  # that room's pages are not mounted yet
    return links


def _page(request, rows):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@auditors_only
def index(request):
    funds = selectors.funds_with_ledgers()
    return render(request, "audit/index.html", {
        "funds": funds,
        "verification": selectors.verification_summary(recent=1),
        "recent_events": selectors.events_search()[:10],
        "neighbours": _neighbours(),
        "may_verify": is_fund_admin(request.user),
    })


@auditors_only
def fund_detail(request, code: str):
    fund = get_object_or_404(Fund.objects.select_related("ledger"), code=code)
    accounts = selectors.fund_accounts(fund)
    return render(request, "audit/fund_detail.html", {"fund": fund, "accounts": accounts})


@auditors_only
def entry_list(request):
    form = EntrySearchForm(request.GET or None)
    entries = JournalEntry.objects.none()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        entries = selectors.entries_search(
            ledger=data["fund"].ledger if data["fund"] else None, account=data["account"],
            date_from=data["date_from"], date_to=data["date_to"], reference=data["reference"], text=data["q"],
            reversed_=data["reversed"])
    elif not form.is_bound:
        entries = selectors.entries_search()
    page, query = _page(request, entries)
    return render(request, "audit/entry_list.html", {"form": form, "page": page, "query": query})


@auditors_only
def entry_detail(request, pk: int):
    try:
        entry = selectors.entry_detail(pk)
    except JournalEntry.DoesNotExist as exc:
        raise Http404 from exc
    lines = list(entry.lines.all())
    return render(request, "audit/entry_detail.html", {
        "entry": entry, "lines": lines, "seal": getattr(entry, "seal", None),
        "reversed_by": selectors.reversal_of(entry), "fund": Fund.objects.filter(ledger=entry.ledger).first(),
        "total_debit": sum(ln.debit for ln in lines), "total_credit": sum(ln.credit for ln in lines),
    })


@auditors_only
def event_list(request):
    form = EventSearchForm(request.GET or None, tables=selectors.audited_table_names())
    events = AuditEvent.objects.none()
    if form.is_bound and form.is_valid():
        events = selectors.events_search(**{k: v for k, v in form.cleaned_data.items() if k != "q"},
                                         text=form.cleaned_data["q"])
    elif not form.is_bound:
        events = selectors.events_search()
    page, query = _page(request, events)
    return render(request, "audit/event_list.html", {"form": form, "page": page, "query": query})


@auditors_only
def event_detail(request, pk: int):
    event = get_object_or_404(AuditEvent, pk=pk)
    return render(request, "audit/event_detail.html", {"event": event})


@auditors_only
def verification(request):
    return render(request, "audit/verification.html", {
        "summary": selectors.verification_summary(), "may_verify": is_fund_admin(request.user),
    })


@require_POST
@auditors_only
def verification_start(request):
    services.verification_request(actor=request.user)
    messages.success(request, _("The verification of every ledger has been started. Its result appears here when "
                                "it finishes."))
    return redirect("audit:verification")
