"""The relief pages of the portal: a harmed company's finance officer files a claim with documents, follows it and
answers the fund's questions; a sanctioned company sees its sanctions and what it still owes.

Every read goes through the scoped selectors, so another company's claim, sanction or document answers 404
whatever id is typed; documents are streamed only by `document_download`, after that same check (the files live
outside any public URL). Every write goes through `apps.relief.services`, which checks again who may act.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.organizations.selectors import can_submit_for, organizations_submittable_by

from . import services
from .documents import content_type_of
from .exceptions import IdempotencyConflict, ReliefError
from .forms import AnswerForm, ClaimForm, DocumentsForm
from .models import Claim, ClaimStatus
from .selectors import claims_visible_to, documents_visible_to, sanctions_visible_to


def _put_back(form, error: ReliefError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def index(request):
    user = request.user
    claims = claims_visible_to(user).order_by("-created_at", "-pk")
    sanctions = sanctions_visible_to(user).order_by("-decision_date", "-pk")
    return render(request, "relief/index.html", {
        "claims": claims,
        "sanctions": sanctions,
        "owed": sum(s.outstanding for s in sanctions),
        "may_file": organizations_submittable_by(user).exists(),
    })


@login_required
def claim_new(request):
    """One page: the form, then the claim. The hidden idempotency key is made when the form is first shown, so a
    double click or a resubmitted page files one claim."""
    user = request.user
    if not organizations_submittable_by(user).exists():
        raise Http404("no organisation this user may file for")
    if request.method != "POST":
        return render(request, "relief/claim_form.html", {"form": ClaimForm(user=user)})
    form = ClaimForm(request.POST, request.FILES, user=user)
    if not form.is_valid():
        return render(request, "relief/claim_form.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        claim = services.claim_file(
            actor=user, claimant=data["claimant"], case_reference=data["case_reference"],
            description=data["description"], amount_claimed=data["amount_claimed"], documents=data["documents"],
            idempotency_key=f"portal:{user.pk}:{data['idempotency_key']}",
        )
    except IdempotencyConflict:
        fresh = request.POST.copy()
        fresh["idempotency_key"] = uuid.uuid4().hex  # the next submission is a new claim
        form = ClaimForm(fresh, user=user)
        form.is_valid()
        form.add_error(None, _("This form was already submitted with different details. Check your claims; to "
                               "file another one, submit again."))
        return render(request, "relief/claim_form.html", {"form": form}, status=409)
    except ReliefError as error:
        _put_back(form, error)
        return render(request, "relief/claim_form.html", {"form": form}, status=error.status)
    if not getattr(claim, "is_replay", False):
        messages.success(request, _("Claim #%(id)s was filed. The fund will review it.") % {"id": claim.pk})
    return redirect("relief:claim", pk=claim.pk)


def _render_claim(request, claim: Claim, answer_form=None, documents_form=None, status: int = 200):
    officer = can_submit_for(request.user, claim.claimant_id)
    return render(request, "relief/claim_detail.html", {
        "claim": claim,
        "events": claim.events.order_by("at", "pk"),
        "documents": claim.documents.order_by("uploaded_at", "pk"),
        "may_answer": officer and claim.status == ClaimStatus.INFO_REQUESTED,
        "may_add_documents": officer and claim.status == ClaimStatus.IN_REVIEW,
        "answer_form": answer_form or AnswerForm(),
        "documents_form": documents_form or DocumentsForm(),
    }, status=status)


@login_required
def claim_detail(request, pk: int):
    return _render_claim(request, get_object_or_404(claims_visible_to(request.user), pk=pk))


@require_POST
@login_required
def claim_answer(request, pk: int):
    claim = get_object_or_404(claims_visible_to(request.user), pk=pk)
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_claim(request, claim, answer_form=form, status=400)
    try:
        services.claim_answer(actor=request.user, claim=claim, message=form.cleaned_data["message"],
                              documents=form.cleaned_data["documents"])
    except ReliefError as error:
        _put_back(form, error)
        return _render_claim(request, claim, answer_form=form, status=error.status)
    messages.success(request, _("Your answer was sent; the claim is back in review."))
    return redirect("relief:claim", pk=claim.pk)


@require_POST
@login_required
def claim_documents(request, pk: int):
    claim = get_object_or_404(claims_visible_to(request.user), pk=pk)
    form = DocumentsForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_claim(request, claim, documents_form=form, status=400)
    try:
        services.claim_documents_add(actor=request.user, claim=claim, documents=form.cleaned_data["documents"])
    except ReliefError as error:
        _put_back(form, error)
        return _render_claim(request, claim, documents_form=form, status=error.status)
    messages.success(request, _("The documents were added to the claim."))
    return redirect("relief:claim", pk=claim.pk)


@login_required
def document_download(request, pk: int):
    """A claim's document, for the claimant's members, fund administrators and auditors only; never inline, so a
    browser does not render an uploaded file as a page of this site."""
    document = get_object_or_404(documents_visible_to(request.user), pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("the file is missing") from exc
    response = FileResponse(handle, as_attachment=True, filename=document.original_name,
                            content_type=content_type_of(document.kind))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def sanction_detail(request, pk: int):
    sanction = get_object_or_404(sanctions_visible_to(request.user), pk=pk)
    return render(request, "relief/sanction_detail.html", {
        "sanction": sanction,
        "payments": sanction.payments.order_by("paid_on", "pk"),
    })
