"""A relief claim's life: filed with documents, reviewed (information requested and answered, approved for at
most what was claimed, or rejected with a reason), paid from the fund's cash; every step in its history."""

import pytest

from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger.models import HoldStatus
from apps.ledger.selectors import trial_balance
from apps.relief import services
from apps.relief.exceptions import (
    IdempotencyConflict,
    InsufficientFunds,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
)
from apps.relief.models import Claim, ClaimDocument, ClaimStatus
from apps.relief.selectors import fund_cash

from .conftest import docx, pdf

pytestmark = pytest.mark.django_db


def test_a_claim_is_filed_in_review_linked_to_the_sanction_with_its_documents(funded, file_claim, member_b):
    claim = file_claim(case_reference=funded.case_reference, documents=[pdf(), docx()])

    assert claim.status == ClaimStatus.IN_REVIEW
    assert claim.sanction == funded
    assert sorted(claim.documents.values_list("kind", flat=True)) == ["docx", "pdf"]
    first = claim.events.get()
    assert (first.to_status, first.actor) == (ClaimStatus.IN_REVIEW, member_b)


def test_a_claim_under_an_unknown_case_number_keeps_the_reference(file_claim, relief):
    claim = file_claim(case_reference="공정위 2025가0001")
    assert claim.sanction is None and claim.case_reference == "공정위 2025가0001"


def test_the_sanctioned_company_cannot_claim_relief_from_its_own_sanction(funded, file_claim, org_a, member_a):
    with pytest.raises(InvalidInput) as refused:
        file_claim(actor=member_a, claimant=org_a, case_reference=funded.case_reference)
    assert refused.value.field == "case_reference"


def test_only_the_claimants_finance_officer_files(file_claim, member_a, viewer_a, auditor, fund_admin, org_a):
    for actor in (member_a, auditor, fund_admin):
        with pytest.raises(NotAllowed):
            file_claim(actor=actor)
    with pytest.raises(NotAllowed):
        file_claim(actor=viewer_a, claimant=org_a)
    assert not Claim.objects.exists()


def test_a_double_submission_files_one_claim(file_claim):
    first = file_claim(idempotency_key="form-1")
    again = file_claim(idempotency_key="form-1")

    assert again.pk == first.pk and again.is_replay
    assert Claim.objects.count() == 1 and ClaimDocument.objects.count() == 1
    with pytest.raises(IdempotencyConflict):
        file_claim(idempotency_key="form-1", amount_claimed=1)


def test_information_requested_answered_then_approved_and_paid(funded, file_claim, fund_admin, member_b, relief):
    claim = file_claim()

    services.claim_request_info(actor=fund_admin, claim=claim, message="거래 내역서를 제출해 주세요")
    with pytest.raises(InvalidTransition):
        services.claim_approve(actor=fund_admin, claim=claim, amount=1)
    services.claim_answer(actor=member_b, claim=claim, message="첨부합니다", documents=[pdf("ledger.pdf")])
    claim = services.claim_approve(actor=fund_admin, claim=claim, amount=250_000_000)

    assert claim.status == ClaimStatus.APPROVED and claim.hold.status == HoldStatus.OPEN
    assert fund_cash().available == 750_000_000 and fund_cash().balance == 1_000_000_000
    assert fund_account(relief, chart.RELIEF_EXPENSE).balance_minor == 0  # an encumbrance, not yet an expense

    claim = services.claim_pay(actor=fund_admin, claim=claim)

    claim.hold.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and claim.hold.status == HoldStatus.POSTED
    assert fund_cash().balance == 750_000_000 and fund_cash().reserved == 0
    assert fund_account(relief, chart.RELIEF_EXPENSE).balance_minor == 250_000_000
    assert {line.party for line in claim.payment_entry.lines.all()} == {claim.claimant.party}
    assert trial_balance(relief.ledger).is_balanced
    assert list(claim.events.values_list("to_status", flat=True)) == [
        ClaimStatus.IN_REVIEW, ClaimStatus.INFO_REQUESTED, ClaimStatus.IN_REVIEW, ClaimStatus.APPROVED,
        ClaimStatus.PAID]
    assert claim.documents.count() == 2
    with pytest.raises(InvalidTransition):
        services.claim_pay(actor=fund_admin, claim=claim)


def test_an_approval_above_the_amount_claimed_is_refused(funded, file_claim, fund_admin):
    claim = file_claim()
    with pytest.raises(InvalidInput) as refused:
        services.claim_approve(actor=fund_admin, claim=claim, amount=300_000_001)
    assert refused.value.field == "amount"
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_an_approval_beyond_the_available_cash_says_how_much_is_available(funded, file_claim, fund_admin):
    first = file_claim(amount_claimed=800_000_000)
    services.claim_approve(actor=fund_admin, claim=first, amount=800_000_000)
    second = file_claim(amount_claimed=300_000_000)

    with pytest.raises(InsufficientFunds) as refused:
        services.claim_approve(actor=fund_admin, claim=second, amount=300_000_000)

    assert refused.value.message == ("피해구제기금의 가용 현금은 200,000,000원이며, "
                                     "이 승인에는 300,000,000원이 필요합니다.")
    assert Claim.objects.get(pk=second.pk).status == ClaimStatus.IN_REVIEW
    assert fund_cash().available == 200_000_000


def test_a_rejection_needs_a_reason_and_ends_the_claim(file_claim, fund_admin, member_b):
    claim = file_claim()
    with pytest.raises(InvalidInput):
        services.claim_reject(actor=fund_admin, claim=claim, reason=" ")

    services.claim_reject(actor=fund_admin, claim=claim, reason="인과관계 불충분")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert claim.events.last().message == "인과관계 불충분"
    with pytest.raises(InvalidTransition):
        services.claim_documents_add(actor=member_b, claim=claim, documents=[pdf()])


def test_reviewing_is_for_fund_administrators_only(funded, file_claim, auditor, member_b):
    claim = file_claim()
    for actor in (auditor, member_b):
        with pytest.raises(NotAllowed):
            services.claim_approve(actor=actor, claim=claim, amount=1)
        with pytest.raises(NotAllowed):
            services.claim_reject(actor=actor, claim=claim, reason="x")
        with pytest.raises(NotAllowed):
            services.claim_request_info(actor=actor, claim=claim, message="x")


def test_only_the_claimant_answers_an_information_request(file_claim, fund_admin, member_a):
    claim = file_claim()
    services.claim_request_info(actor=fund_admin, claim=claim, message="?")
    with pytest.raises(NotAllowed):
        services.claim_answer(actor=member_a, claim=claim, message="not mine")
