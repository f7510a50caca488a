"""Every write to sanctions, fines and relief claims. Each service takes keyword arguments and a required `actor` (a
user, or the label of a command or task acting for the system), runs in one transaction, and moves money only
through `apps.ledger.services` on the relief fund's ledger.

Who may act: fund administrators impose sanctions, record fine payments, waive fines and review claims; a finance
officer of a harmed company files its claims, answers information requests and adds documents. Auditors and
everyone else are refused (NotAllowed). Refusals are typed (`exceptions.py`) and name the field at fault.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.actors import actor_identity
from apps.core.idempotency import payload_hash, pk_of
from apps.core.money import format_won, krw
from apps.core.roles import AUDITORS, FUND_ADMINISTRATORS, is_fund_admin
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.exceptions import LimitExceeded
from apps.ledger.services import credit, debit, retry_on_conflict
from apps.organizations.models import Organization
from apps.organizations.selectors import can_submit_for

from .documents import MAX_DOCUMENTS_PER_CLAIM, document_check
from .exceptions import (
    FineAboveLegalMaximum,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    PaymentExceedsOutstanding,
)
from .models import (
    FINE_LEGAL_MAXIMUM,
    Claim,
    ClaimDocument,
    ClaimEvent,
    ClaimStatus,
    FinePayment,
    Sanction,
    ViolationType,
)

RELIEF_FUND = "relief"
MAX_AMOUNT = 2**63 - 1
Status = ClaimStatus


# Actors


def _who(actor) -> tuple[object | None, str]:
    if (identity := actor_identity(actor)) is None:
        raise NotAllowed(_("Sign in to act on sanctions and relief claims."), field="actor")
    return identity


def _require_administrator(actor) -> tuple[object | None, str]:
    user, label = _who(actor)
    if user is not None and not is_fund_admin(user):
        raise NotAllowed(_("Only fund administrators may do this."), field="actor")
    return user, label


def _require_officer(actor, organization_id: int) -> tuple[object | None, str]:
    user, label = _who(actor)
    if user is None or not can_submit_for(user, organization_id):
        raise NotAllowed(_("Only a finance officer of the claimant may do this."), field="actor")
    return user, label


def relief_fund() -> Fund:
    return Fund.objects.get(code=RELIEF_FUND)


def _whole_won(amount, field: str, *, allow_zero: bool = False) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidInput(_("Give the amount in whole won."), field=field)
    if amount < 0 or (amount == 0 and not allow_zero) or amount > MAX_AMOUNT:
        raise InvalidInput(_("The amount must be more than 0 won."), field=field)
    return amount


# Sanctions and fines


def sanction_impose(
    *,
    actor,
    organization: Organization,
    case_reference: str,
    violation_type: str,
    corrective_order: str,
    decision_date: date,
    penalty_points: int = 0,
    fine_amount: int = 0,
    idempotency_key: str | None = None,
) -> Sanction:
    """Record a sanction and, when it carries a fine, post it: Dr fines receivable / Cr fine revenue (party = the
    sanctioned company) on the relief fund's ledger, dated on the decision date.

    Invariant: a fine is whole won from 0 to the legal maximum of ₩5,000,000,000 (law, not configuration); above it
    nothing is recorded. One sanction per case number; a repeated idempotency key returns the first sanction.
    """
    _user, label = _require_administrator(actor)
    fine_amount = _whole_won(fine_amount, "fine_amount", allow_zero=True)
    if fine_amount > FINE_LEGAL_MAXIMUM:
        raise FineAboveLegalMaximum(
            _("A fine may be at most %(max)s by law; %(amount)s was given.")
            % {"max": format_won(FINE_LEGAL_MAXIMUM), "amount": format_won(fine_amount)}, field="fine_amount")
    case_reference = (case_reference or "").strip()
    if not case_reference:
        raise InvalidInput(_("Give the decision's case number."), field="case_reference")
    if violation_type not in ViolationType.values:
        raise InvalidInput(_("Choose a violation type from the list."), field="violation_type")
    if not (corrective_order or "").strip():
        raise InvalidInput(_("Give the corrective order."), field="corrective_order")
    if isinstance(penalty_points, bool) or not isinstance(penalty_points, int) or not 0 <= penalty_points <= 1000:
        raise InvalidInput(_("Penalty points are a whole number from 0 to 1,000."), field="penalty_points")
    key = idempotency_key or None
    with transaction.atomic():
        if key and (existing := Sanction.objects.filter(idempotency_key=key).first()) is not None:
            if (existing.case_reference, existing.fine_amount, existing.organization_id) != (
                    case_reference, fine_amount, organization.pk):
                raise IdempotencyConflict(_("This idempotency key was already used for another sanction."),
                                          field="idempotency_key")
            return existing
        if Sanction.objects.filter(case_reference=case_reference).exists():
            raise InvalidInput(_("A sanction with case number %(ref)s is already recorded.") % {"ref": case_reference},
                               field="case_reference")
        sanction = Sanction.objects.create(
            organization=organization, case_reference=case_reference, violation_type=violation_type,
            corrective_order=corrective_order.strip(), penalty_points=penalty_points, decision_date=decision_date,
            fine_amount=fine_amount, idempotency_key=key, created_by_label=label,
        )
        if fine_amount:
            fund = relief_fund()
            party, won = organization.party, krw(fine_amount)
            sanction.imposition_entry = ledger.entry_post(
                actor=actor, ledger=fund.ledger_id, effective_date=decision_date,
                memo=f"Fine imposed on {organization.name_ko} ({case_reference})", reference=sanction.reference,
                idempotency_key=f"{sanction.reference}:impose",
                lines=[debit(fund_account(fund, chart.FINES_RECEIVABLE), won, party=party),
                       credit(fund_account(fund, chart.FINE_REVENUE), won, party=party)],
            )
            sanction.save(update_fields=["imposition_entry"])
    return sanction


def _locked_sanction(sanction: Sanction | int) -> Sanction:
    """The sanction re-read under a row lock: two payments (or a payment and a waiver) recorded at once queue here,
    so the second sees what the first collected and neither takes more than is outstanding."""
    return Sanction.objects.select_for_update(of=("self",)).select_related("organization").get(pk=pk_of(sanction))


def _outstanding(sanction: Sanction) -> int:
    if sanction.waived_at is not None:
        return 0
    paid = sum(FinePayment.objects.filter(sanction=sanction).values_list("amount", flat=True))
    return sanction.fine_amount - paid


@retry_on_conflict
def fine_payment_record(*, actor, sanction: Sanction | int, amount: int, paid_on: date,
                        idempotency_key: str) -> FinePayment:
    """Record money collected against a fine: Dr cash / Cr fines receivable on the relief ledger.

    Invariant: the payments of a fine never add up to more than the fine (a waived fine takes none); the same
    idempotency key returns the first payment, so a retried request collects once.
    """
    _user, label = _require_administrator(actor)
    amount = _whole_won(amount, "amount")
    key = (idempotency_key or "").strip()
    if not key:
        raise InvalidInput(_("Give an idempotency key for the payment."), field="idempotency_key")
    locked = _locked_sanction(sanction)
    if (existing := FinePayment.objects.filter(idempotency_key=key).first()) is not None:
        if (existing.sanction_id, existing.amount, existing.paid_on) != (locked.pk, amount, paid_on):
            raise IdempotencyConflict(_("This idempotency key was already used for another payment."),
                                      field="idempotency_key")
        return existing
    outstanding = _outstanding(locked)
    if amount > outstanding:
        raise PaymentExceedsOutstanding(
            _("Only %(outstanding)s is outstanding on %(ref)s; a payment of %(amount)s is more than that.")
            % {"outstanding": format_won(outstanding), "ref": locked.case_reference, "amount": format_won(amount)},
            field="amount")
    fund = relief_fund()
    party, won = locked.organization.party, krw(amount)
    entry = ledger.entry_post(
        actor=actor, ledger=fund.ledger_id, effective_date=paid_on, reference=locked.reference,
        memo=f"Fine collected from {locked.organization.name_ko} ({locked.case_reference})",
        idempotency_key=f"relief:fine-payment:{key}",
        lines=[debit(fund_account(fund, chart.CASH), won, party=party),
               credit(fund_account(fund, chart.FINES_RECEIVABLE), won, party=party)],
    )
    return FinePayment.objects.create(sanction=locked, amount=amount, paid_on=paid_on, entry=entry,
                                      idempotency_key=key, recorded_by_label=label)


@retry_on_conflict
def sanction_waive(*, actor, sanction: Sanction | int, reason: str, effective_date: date | None = None) -> Sanction:
    """Waive what is still outstanding on a fine: Dr fine revenue / Cr fines receivable for that remainder.

    Invariant: afterwards the sanction's receivable is zero and no further payment is taken; what was collected
    stays collected. A waived fine cannot be waived again.
    """
    _user, _label = _require_administrator(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason."), field="reason")
    locked = _locked_sanction(sanction)
    if locked.waived_at is not None:
        raise InvalidTransition(_("This fine was already waived."), field="status")
    outstanding = _outstanding(locked)
    if outstanding <= 0:
        raise InvalidTransition(_("Nothing is outstanding on this fine."), field="status")
    fund = relief_fund()
    party, won = locked.organization.party, krw(outstanding)
    locked.waiver_entry = ledger.entry_post(
        actor=actor, ledger=fund.ledger_id, effective_date=effective_date or timezone.localdate(),
        memo=f"Fine waived for {locked.organization.name_ko} ({locked.case_reference}): {reason}",
        reference=locked.reference, idempotency_key=f"{locked.reference}:waive",
        lines=[debit(fund_account(fund, chart.FINE_REVENUE), won, party=party),
               credit(fund_account(fund, chart.FINES_RECEIVABLE), won, party=party)],
    )
    locked.waived_at, locked.waiver_reason = timezone.now(), reason
    locked.save(update_fields=["waiver_entry", "waived_at", "waiver_reason"])
    return locked


# Claims


def _record(claim: Claim, from_status: str, actor, message: str = "", amount: int | None = None) -> ClaimEvent:
    user, label = _who(actor)
    return ClaimEvent.objects.create(claim=claim, from_status=from_status, to_status=claim.status, actor=user,
                                     actor_label=label, message=message, amount=amount)


def _check_documents(documents: Sequence, already: int = 0) -> list[tuple[object, str]]:
    if already + len(documents) > MAX_DOCUMENTS_PER_CLAIM:
        raise InvalidInput(_("A claim may have at most %(max)s documents.") % {"max": MAX_DOCUMENTS_PER_CLAIM},
                           field="documents")
    return [(upload, document_check(upload)) for upload in documents]


def claim_file(
    *,
    actor,
    claimant: Organization,
    case_reference: str,
    description: str,
    amount_claimed: int,
    documents: Sequence = (),
    idempotency_key: str | None = None,
) -> Claim:
    """File a relief claim for a harmed company, with its documents; it goes straight into review.

    Invariant: only a finance officer of the claimant files; the amount is whole won > 0; every document passed
    the type, content and size checks, or nothing is stored. The claim is linked to the sanction recorded under
    that case number, if there is one, and a company cannot claim relief from its own sanction. A repeated
    idempotency key returns the claim filed first (`is_replay`), so a double click files once.
    """
    user, label = _require_officer(actor, claimant.pk)
    amount_claimed = _whole_won(amount_claimed, "amount_claimed")
    case_reference, description = (case_reference or "").strip(), (description or "").strip()
    if not case_reference:
        raise InvalidInput(_("Give the case number of the sanction, or the reference of the case."),
                           field="case_reference")
    if not description:
        raise InvalidInput(_("Describe the harm the company suffered."), field="description")
    payload = payload_hash(claimant=claimant.pk, case=case_reference, description=description,
                           amount=amount_claimed)
    key = idempotency_key or None
    with transaction.atomic():
        if key and (existing := Claim.objects.filter(idempotency_key=key).first()) is not None:
            return _replay(existing, payload)
        checked = _check_documents(list(documents))
        sanction = Sanction.objects.filter(case_reference=case_reference).first()
        if sanction is not None and sanction.organization_id == claimant.pk:
            raise InvalidInput(_("A company cannot claim relief from a sanction against itself."),
                               field="case_reference")
        claim = Claim(claimant=claimant, case_reference=case_reference, sanction=sanction, description=description,
                      amount_claimed=amount_claimed, idempotency_key=key, payload_hash=payload, submitted_by=user,
                      submitted_by_label=label)
        try:
            with transaction.atomic():
                claim.save()
        except IntegrityError:
            existing = Claim.objects.filter(idempotency_key=key).first() if key else None
            if existing is None:
                raise
            return _replay(existing, payload)
        _record(claim, "", actor)
        _save_documents(claim, checked, user, label)  # last: nothing after it can fail and orphan the files
    claim.is_replay = False
    return claim


def _replay(existing: Claim, payload: str) -> Claim:
    if existing.payload_hash != payload:
        raise IdempotencyConflict(_("This form was already submitted with different details."),
                                  field="idempotency_key")
    existing.is_replay = True
    return existing


def _save_documents(claim: Claim, checked, user, label: str) -> list[ClaimDocument]:
    """Store the checked files under random names; if storing one fails, the ones already written are removed."""
    stored: list[ClaimDocument] = []
    try:
        for upload, kind in checked:
            document = ClaimDocument(claim=claim, token=secrets.token_hex(16), original_name=upload.name[-255:],
                                     kind=kind, size=upload.size, uploaded_by=user, uploaded_by_label=label)
            document.file.save(upload.name, upload, save=False)
            stored.append(document)
            document.save()
    except Exception:
        for document in stored:
            document.file.delete(save=False)
        raise
    return stored


def _locked_claim(claim: Claim | int) -> Claim:
    """The claim re-read under a row lock: two reviewers (or a reviewer and the claimant) acting on one claim at
    once queue here, and the second sees the status the first left."""
    return Claim.objects.select_for_update(of=("self",)).select_related("claimant").get(pk=pk_of(claim))


def _require_status(claim: Claim, allowed: tuple[str, ...]) -> None:
    if claim.status not in allowed:
        names = " / ".join(str(Status(s).label) for s in allowed)
        raise InvalidTransition(
            _("Claim #%(id)s is %(status)s; this can only be done while it is %(allowed)s.")
            % {"id": claim.pk, "status": claim.get_status_display(), "allowed": names}, field="status")


def _required_text(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(message, field=field)
    return text


def claim_documents_add(*, actor, claim: Claim | int, documents: Sequence) -> list[ClaimDocument]:
    """The claimant adds documents while the claim is in review or waiting for its answer.

    Invariant: every document passed the checks, or none is stored; a decided claim takes no more documents.
    """
    with transaction.atomic():
        locked = _locked_claim(claim)
        user, label = _require_officer(actor, locked.claimant_id)
        _require_status(locked, (Status.IN_REVIEW, Status.INFO_REQUESTED))
        if not documents:
            raise InvalidInput(_("Choose at least one file."), field="documents")
        checked = _check_documents(list(documents), already=locked.documents.count())
        return _save_documents(locked, checked, user, label)


def claim_request_info(*, actor, claim: Claim | int, message: str) -> Claim:
    """An administrator asks the claimant for more: in review → more information requested."""
    _require_administrator(actor)
    message = _required_text(message, "message", _("Say what information is needed."))
    with transaction.atomic():
        locked = _locked_claim(claim)
        _require_status(locked, (Status.IN_REVIEW,))
        locked.status = Status.INFO_REQUESTED
        locked.save(update_fields=["status"])
        _record(locked, Status.IN_REVIEW, actor, message)
    return locked


def claim_answer(*, actor, claim: Claim | int, message: str, documents: Sequence = ()) -> Claim:
    """The claimant answers an information request, with documents if any: back to review.

    Invariant: only the claimant's finance officer answers, only while an answer is awaited; the documents pass
    the checks or nothing is recorded.
    """
    message = _required_text(message, "message", _("Write your answer."))
    with transaction.atomic():
        locked = _locked_claim(claim)
        user, label = _require_officer(actor, locked.claimant_id)
        _require_status(locked, (Status.INFO_REQUESTED,))
        checked = _check_documents(list(documents), already=locked.documents.count())
        locked.status = Status.IN_REVIEW
        locked.save(update_fields=["status"])
        _record(locked, Status.INFO_REQUESTED, actor, message)
        _save_documents(locked, checked, user, label)  # last: nothing after it can fail and orphan the files
    return locked


def claim_reject(*, actor, claim: Claim | int, reason: str) -> Claim:
    """An administrator rejects a claim with a reason. Nothing was reserved, so nothing is released."""
    _require_administrator(actor)
    reason = _required_text(reason, "reason", _("Give a reason."))
    with transaction.atomic():
        locked = _locked_claim(claim)
        _require_status(locked, (Status.IN_REVIEW, Status.INFO_REQUESTED))
        from_status = locked.status
        locked.status = Status.REJECTED
        locked.save(update_fields=["status"])
        _record(locked, from_status, actor, reason)
    return locked


def available_cash() -> int:
    """The relief fund's cash less what approved claims have reserved: what one more approval may take."""
    return fund_account(relief_fund(), chart.CASH).available_minor


@retry_on_conflict
def claim_approve(*, actor, claim: Claim | int, amount: int, effective_date: date | None = None,
                  message: str = "") -> Claim:
    """Approve a claim for an amount, reserving it on the relief ledger: a hold Dr relief expense / Cr cash
    (party = the claimant), an encumbrance until the claim is paid.

    Invariant: 0 < amount ≤ amount claimed; the fund's cash less every reservation never goes below zero, so
    approvals (even simultaneous ones) never promise more than the fund holds — the refusal says how much is
    available and how much this one needs.
    """
    _require_administrator(actor)
    amount = _whole_won(amount, "amount")
    locked = _locked_claim(claim)
    _require_status(locked, (Status.IN_REVIEW,))
    if amount > locked.amount_claimed:
        raise InvalidInput(_("The approved amount may not exceed the %(claimed)s claimed.")
                           % {"claimed": format_won(locked.amount_claimed)}, field="amount")
    fund = relief_fund()
    party, won = locked.claimant.party, krw(amount)
    # Two approvals of different claims racing for the same last cash: hold_create locks the relief ledger's cash
    # account row and checks it net of every open reservation, so the second one waits, then sees the first's hold.
    try:
        hold = ledger.hold_create(
            actor=actor, ledger=fund.ledger_id, effective_date=effective_date or timezone.localdate(),
            memo=f"Relief for {locked.claimant.name_ko}, claim #{locked.pk}", reference=locked.reference,
            idempotency_key=f"{locked.reference}:approve",
            lines=[debit(fund_account(fund, chart.RELIEF_EXPENSE), won, party=party),
                   credit(fund_account(fund, chart.CASH), won, party=party)],
        )
    except LimitExceeded as exc:
        raise InsufficientFunds(
            _("The relief fund's available cash is %(available)s; this approval needs %(needed)s.")
            % {"available": format_won(available_cash()), "needed": format_won(amount)}, field="amount") from exc
    locked.status, locked.approved_amount, locked.hold = Status.APPROVED, amount, hold
    locked.save(update_fields=["status", "approved_amount", "hold"])
    _record(locked, Status.IN_REVIEW, actor, message, amount=amount)
    return locked


@retry_on_conflict
def claim_pay(*, actor, claim: Claim | int, paid_on: date | None = None, message: str = "") -> Claim:
    """Pay an approved claim: its hold is posted (Dr relief expense / Cr cash), releasing the reservation.

    Invariant: a claim is paid once, exactly the approved amount, from cash that was reserved for it.
    """
    _require_administrator(actor)
    locked = _locked_claim(claim)
    _require_status(locked, (Status.APPROVED,))
    paid_on = paid_on or timezone.localdate()
    locked.payment_entry = ledger.hold_post(
        actor=actor, hold=locked.hold_id, effective_date=paid_on, idempotency_key=f"{locked.reference}:pay",
        memo=f"Relief paid to {locked.claimant.name_ko}, claim #{locked.pk}",
    )
    locked.status, locked.paid_on = Status.PAID, paid_on
    locked.save(update_fields=["status", "payment_entry", "paid_on"])
    _record(locked, Status.APPROVED, actor, message, amount=locked.approved_amount)
    return locked


# Roles


def role_permissions_grant() -> None:
    """Auditors may view sanctions, payments and claims; fund administrators may also add and change them (the
    back office still changes them only through these services)."""
    perms = Permission.objects.filter(content_type__app_label="relief")
    auditors, _created = Group.objects.get_or_create(name=AUDITORS)
    admins, _created = Group.objects.get_or_create(name=FUND_ADMINISTRATORS)
    auditors.permissions.add(*perms.filter(codename__startswith="view_"))
    admins.permissions.add(*[p for p in perms if p.codename.split("_", 1)[0] in {"view", "add", "change"}])
