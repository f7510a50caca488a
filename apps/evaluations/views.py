"""The portal's pages of performance sharing and the evaluation grades.

A member sees their own organisations' records and, once a year is published, their grades and honour status —
never a score, never another company's (every read goes through the scoped selectors, so a guessed id answers
404). A finance officer registers records and edits them until the fund confirms them; every write goes through
`services`, which checks again who may act.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.organizations.selectors import can_submit_for
from apps.portal.forms import submittable_organizations

from . import selectors, services
from .exceptions import EvaluationError, IdempotencyConflict, StaleRecord
from .files import evidence_response
from .forms import SharingRecordForm
from .models import SharingRecord

FORM_FIELDS = frozenset(SharingRecordForm.base_fields)
PER_PAGE = 50


def _may_edit(user, record: SharingRecord) -> bool:
    return record.is_editable and can_submit_for(user, record.principal_id)


@login_required
def records(request):
    found = selectors.records_visible_to(request.user).order_by("-contract_date", "-pk")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "evaluations/records.html", {
        "page": page, "records": page.object_list,
        "may_register": submittable_organizations(request.user).exists(),
    })


def _refused(form: SharingRecordForm, error: EvaluationError) -> None:
    field = "tier1" if error.field == "partners" else error.field
    form.add_error(field if field in FORM_FIELDS and field not in ("idempotency_key", "version") else None,
                   error.message)


@login_required
def record_new(request):
    """The form, then the record. The hidden idempotency key is made when the form is first shown, so a double
    click or a retried request registers one record."""
    user = request.user
    if not submittable_organizations(user).exists():
        raise Http404("no organisation this user may register records for")
    if request.method != "POST":
        return render(request, "evaluations/record_form.html", {"form": SharingRecordForm(user=user)})
    form = SharingRecordForm(request.POST, request.FILES, user=user)
    if not form.is_valid():
        return render(request, "evaluations/record_form.html", {"form": form}, status=400)
    key = form.cleaned_data["idempotency_key"]
    try:
        record = services.record_create(
            actor=user, principal=form.cleaned_data["principal"], partners=form.partners(),
            evidence_file=form.cleaned_data["evidence_file"], idempotency_key=f"portal:{key}" if key else None,
            **form.values())
    except IdempotencyConflict:
        form.add_error(None, _("This form was already submitted with other details. Check your records; to "
                               "register another one, open a new form."))
        return render(request, "evaluations/record_form.html", {"form": form}, status=409)
    except EvaluationError as error:
        _refused(form, error)
        return render(request, "evaluations/record_form.html", {"form": form}, status=400)
    if not getattr(record, "is_replay", False):
        messages.success(request, _("Record #%(id)s was registered. The fund will confirm it.") % {"id": record.pk})
    return redirect("evaluations:record", pk=record.pk)


@login_required
def record_detail(request, pk: int):
    record = get_object_or_404(selectors.records_visible_to(request.user), pk=pk)
    return render(request, "evaluations/record_detail.html", {
        "record": record,
        "partners": record.partners.select_related("organization").order_by("tier", "organization__name_ko"),
        "events": record.events.order_by("at", "pk"),
        "may_edit": _may_edit(request.user, record),
    })


@login_required
def record_edit(request, pk: int):
    record = get_object_or_404(selectors.records_visible_to(request.user), pk=pk)
    if not can_submit_for(request.user, record.principal_id):
        raise PermissionDenied("only the principal company's finance officers may edit its records")
    if not record.is_editable:
        messages.error(request, _("This record was already confirmed or rejected and can no longer be changed."))
        return redirect("evaluations:record", pk=record.pk)
    if request.method != "POST":
        return render(request, "evaluations/record_form.html", {"form": SharingRecordForm.for_record(
            record, user=request.user), "record": record})
    form = SharingRecordForm(request.POST, request.FILES, user=request.user, record=record,
                             initial={"principal": record.principal_id})
    if not form.is_valid():
        return render(request, "evaluations/record_form.html", {"form": form, "record": record}, status=400)
    try:
        services.record_update(actor=request.user, record=record, expected_version=form.cleaned_data["version"],
                               partners=form.partners(), evidence_file=form.cleaned_data["evidence_file"],
                               **form.values())
    except StaleRecord as error:
        form.add_error(None, _("Someone changed this record since you opened it. Reload the page to see the "
                               "changes, then edit again."))
        return render(request, "evaluations/record_form.html", {"form": form, "record": record},
                      status=error.status)
    except EvaluationError as error:
        _refused(form, error)
        return render(request, "evaluations/record_form.html", {"form": form, "record": record},
                      status=error.status)
    messages.success(request, _("Record #%(id)s was saved.") % {"id": record.pk})
    return redirect("evaluations:record", pk=record.pk)


@login_required
def evidence(request, pk: int):
    record = get_object_or_404(selectors.records_visible_to(request.user), pk=pk)
    return evidence_response(record)


@login_required
def grades(request):
    """Published grades and honour status of the user's organisations (administrators and auditors: of every
    organisation; scores stay in the back office)."""
    results = selectors.published_results_visible_to(request.user).order_by("-year", "kind",
                                                                             "organization__name_ko")
    return render(request, "evaluations/grades.html", {"results": results})
