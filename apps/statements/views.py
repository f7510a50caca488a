"""The statements pages, for fund administrators and auditors: the four statements of a fund or of the four
funds consolidated, printable, and as an XLSX workbook. Anybody else signed in gets 403; anonymous users are sent
to sign in."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from apps.core.roles import reads_books

from .forms import PeriodForm
from .selectors import CONSOLIDATED, KINDS, TITLES, Scope, notes_compute, scope_get, scopes, statements_compute
from .units import ROUNDING_NOTE
from .xlsx import workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def books_reader_required(view):
    """Signed in, and a fund administrator or an auditor."""
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not reads_books(request.user):
            raise PermissionDenied("financial statements are for fund administrators and auditors")
        return view(request, *args, **kwargs)
    return wrapper


def _scope(code: str) -> Scope:
    scope = scope_get(code)
    if scope is None:
        raise Http404("no such fund")
    return scope


def _choices(request) -> tuple[PeriodForm, dict]:
    """The reader's choices; the fiscal year in won when they are missing or wrong (the form shows why)."""
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form, form.cleaned_data
    defaults = PeriodForm({})
    defaults.is_valid()
    return form, defaults.cleaned_data


def _context(request, scope: Scope, kinds) -> dict:
    form, data = _choices(request)
    return {
        "form": form, "scope": scope, "scopes": scopes(), "unit": data["unit"], "period": data["period"],
        "statements": statements_compute(scope=scope, period=data["period"], kinds=kinds),
        "kinds": [(kind, *TITLES[kind]) for kind in KINDS], "query": request.GET.urlencode(),
        "rounding_note": ROUNDING_NOTE,
    }


@books_reader_required
def index(request):
    """The four statements of the chosen fund (the consolidation by default) on one printable page."""
    scope = _scope(request.GET.get("scope") or CONSOLIDATED)
    return render(request, "statements/index.html", {**_context(request, scope, KINDS),
                                                      "notes": notes_compute(scope=scope)})


@books_reader_required
def statement_detail(request, scope: str, kind: str):
    if kind not in KINDS:
        raise Http404("no such statement")
    return render(request, "statements/detail.html", _context(request, _scope(scope), (kind,)))


@books_reader_required
def statements_xlsx(request, scope: str):
    context = _context(request, _scope(scope), KINDS)
    period = context["period"]
    workbook = workbook_bytes(context["statements"], context["unit"], notes_compute(scope=context["scope"]))
    response = HttpResponse(workbook, content_type=XLSX)
    filename = f"statements-{scope}-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
