"""The relief API: who reads and writes what (anonymous, another company, auditor read-only, fund administrator,
the claimant's officer), Idempotency-Key on creates, multipart uploads with the same checks as the portal, and
refusals that name the field."""

import pytest

from apps.relief.models import Claim, ClaimStatus, FinePayment, Sanction

from .conftest import pdf

pytestmark = pytest.mark.django_db
BASE = "/api/v1/relief"


def sanction_body(org, **overrides):
    return {"organization": org.pk, "case_reference": "2026-기술-0100", "violation_type": "technology_theft",
            "corrective_order": "기술자료 반환", "penalty_points": 5, "decision_date": "2026-03-02",
            "fine_amount": 1_000_000_000, **overrides}


def claim_body(org, **overrides):
    return {"claimant": org.pk, "case_reference": "2026-기술-0001", "description": "매출 손실",
            "amount_claimed": "300000000", "documents": [pdf()], **overrides}


@pytest.fixture
def claim(file_claim):
    return file_claim()


# Sanctions and payments


def test_a_fund_administrator_imposes_a_sanction_once_per_key(api_as, fund_admin, org_a, relief):
    client = api_as(fund_admin)
    created = client.post(f"{BASE}/sanctions/", sanction_body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(f"{BASE}/sanctions/", sanction_body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert created.status_code == 201, created.json()
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    assert created.json()["payment_status"] == "unpaid" and created.json()["outstanding"] == 1_000_000_000
    assert Sanction.objects.count() == 1


def test_a_fine_above_the_legal_maximum_is_a_400_naming_the_field(api_as, fund_admin, org_a, relief):
    response = api_as(fund_admin).post(f"{BASE}/sanctions/", sanction_body(org_a, fine_amount=5_000_000_001),
                                       format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert response.status_code == 400
    assert response.json()["field"] == "fine_amount" and "5,000,000,000" in response.json()["detail"]


def test_creating_without_an_idempotency_key_is_refused(api_as, fund_admin, org_a, relief):
    response = api_as(fund_admin).post(f"{BASE}/sanctions/", sanction_body(org_a), format="json")
    assert response.status_code == 400 and response.json()["field"] == "idempotency_key"


@pytest.mark.parametrize("who", ["auditor", "member_a", "member_b"])
def test_only_fund_administrators_impose_sanctions_and_record_payments(request, api_as, who, org_a, impose):
    sanction = impose()
    client = api_as(request.getfixturevalue(who))
    assert client.post(f"{BASE}/sanctions/", sanction_body(org_a), format="json",
                       HTTP_IDEMPOTENCY_KEY="x").status_code == 403
    assert client.post(f"{BASE}/fine-payments/", {"sanction": sanction.pk, "amount": 1, "paid_on": "2026-03-02"},
                       format="json", HTTP_IDEMPOTENCY_KEY="x").status_code == 403
    assert not FinePayment.objects.exists()


def test_anonymous_gets_nothing(api, impose, claim):
    for url in (f"{BASE}/sanctions/", f"{BASE}/fine-payments/", f"{BASE}/claims/", f"{BASE}/fund/",
                f"{BASE}/claims/{claim.pk}/", f"{BASE}/documents/{claim.documents.get().pk}/download/"):
        assert api.get(url).status_code in (401, 403), url


def test_a_payment_is_recorded_once_and_never_above_what_is_outstanding(api_as, fund_admin, impose):
    sanction = impose(fine_amount=100_000_000)
    client = api_as(fund_admin)
    body = {"sanction": sanction.pk, "amount": 60_000_000, "paid_on": "2026-03-10"}

    first = client.post(f"{BASE}/fine-payments/", body, format="json", HTTP_IDEMPOTENCY_KEY="bank-1")
    retry = client.post(f"{BASE}/fine-payments/", body, format="json", HTTP_IDEMPOTENCY_KEY="bank-1")
    too_much = client.post(f"{BASE}/fine-payments/", body, format="json", HTTP_IDEMPOTENCY_KEY="bank-2")

    assert (first.status_code, retry.status_code) == (201, 200)
    assert too_much.status_code == 409 and too_much.json()["field"] == "amount"
    detail = client.get(f"{BASE}/sanctions/{sanction.pk}/").json()
    assert (detail["paid"], detail["outstanding"], detail["payment_status"]) == (60_000_000, 40_000_000,
                                                                                 "partly_paid")


def test_a_sanctioned_company_sees_its_own_sanctions_and_payments_only(api_as, member_a, member_b, impose, collect):
    sanction = impose()
    collect(sanction, 1_000)
    own = api_as(member_a)
    assert own.get(f"{BASE}/sanctions/").json()["count"] == 1
    assert own.get(f"{BASE}/fine-payments/").json()["count"] == 1
    other = api_as(member_b)
    assert other.get(f"{BASE}/sanctions/").json()["count"] == 0
    assert other.get(f"{BASE}/sanctions/{sanction.pk}/").status_code == 404
    assert other.get(f"{BASE}/fine-payments/").json()["count"] == 0


def test_sanctions_filter_by_violation_status_and_year(api_as, auditor, impose, collect):
    paid = impose(fine_amount=1_000)
    collect(paid, 1_000)
    impose(violation_type="late_payment")
    client = api_as(auditor)
    assert [s["id"] for s in client.get(f"{BASE}/sanctions/?payment_status=paid").json()["results"]] == [paid.pk]
    assert client.get(f"{BASE}/sanctions/?violation_type=late_payment").json()["count"] == 1
    assert client.get(f"{BASE}/sanctions/?year=2025").json()["count"] == 0


def test_waiving_through_the_api(api_as, fund_admin, auditor, impose):
    sanction = impose()
    assert api_as(auditor).post(f"{BASE}/sanctions/{sanction.pk}/waive/", {"reason": "x"},
                                format="json").status_code == 403
    response = api_as(fund_admin).post(f"{BASE}/sanctions/{sanction.pk}/waive/", {"reason": "회생"}, format="json")
    assert response.status_code == 200 and response.json()["payment_status"] == "waived"


# Claims


def test_a_finance_officer_files_a_claim_with_documents_once_per_key(api_as, member_b, org_b, relief):
    client = api_as(member_b)
    first = client.post(f"{BASE}/claims/", claim_body(org_b), format="multipart", HTTP_IDEMPOTENCY_KEY="c1")
    again = client.post(f"{BASE}/claims/", claim_body(org_b), format="multipart", HTTP_IDEMPOTENCY_KEY="c1")

    assert first.status_code == 201, first.json()
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    body = first.json()
    assert body["status"] == "in_review" and body["amount_claimed"] == 300_000_000
    assert [d["kind"] for d in body["documents"]] == ["pdf"]
    assert Claim.objects.count() == 1


def test_a_spoofed_document_is_a_400_and_files_nothing(api_as, member_b, org_b, relief):
    fake = pdf("invoice.pdf", b"MZ\x90\x00 a program")
    response = api_as(member_b).post(f"{BASE}/claims/", claim_body(org_b, documents=[fake]), format="multipart",
                                     HTTP_IDEMPOTENCY_KEY="c2")
    assert response.status_code == 400 and response.json()["field"] == "documents"
    assert not Claim.objects.exists()


def test_a_claim_for_another_company_is_refused(api_as, member_b, org_a, relief):
    response = api_as(member_b).post(f"{BASE}/claims/", claim_body(org_a), format="multipart",
                                     HTTP_IDEMPOTENCY_KEY="c3")
    assert response.status_code == 400 and response.json()["field"] == "claimant"


@pytest.mark.parametrize("who", ["auditor", "fund_admin"])
def test_auditors_and_administrators_do_not_file_claims(request, api_as, who, org_b, relief):
    response = api_as(request.getfixturevalue(who)).post(f"{BASE}/claims/", claim_body(org_b), format="multipart",
                                                         HTTP_IDEMPOTENCY_KEY="c4")
    assert response.status_code in (400, 403)
    assert not Claim.objects.exists()


def test_another_company_cannot_reach_a_claim_or_its_documents(api_as, member_a, claim):
    client = api_as(member_a)
    document = claim.documents.get()
    assert client.get(f"{BASE}/claims/").json()["count"] == 0
    assert client.get(f"{BASE}/claims/{claim.pk}/").status_code == 404
    assert client.get(f"{BASE}/documents/{document.pk}/download/").status_code == 404
    assert client.post(f"{BASE}/claims/{claim.pk}/documents/", {"documents": [pdf()]},
                       format="multipart").status_code == 404


@pytest.mark.parametrize("who", ["member_b", "auditor", "fund_admin"])
def test_the_claimant_auditors_and_administrators_download_documents(request, api_as, who, claim):
    document = claim.documents.get()
    response = api_as(request.getfixturevalue(who)).get(f"{BASE}/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("action, body", [
    ("request-info", {"message": "?"}), ("approve", {"amount": 1}), ("reject", {"reason": "x"}), ("pay", {}),
])
@pytest.mark.parametrize("who", ["auditor", "member_b"])
def test_review_actions_are_for_fund_administrators_only(request, api_as, who, claim, action, body):
    response = api_as(request.getfixturevalue(who)).post(f"{BASE}/claims/{claim.pk}/{action}/", body, format="json")
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_the_whole_review_through_the_api(api_as, fund_admin, member_b, funded, claim):
    admin = api_as(fund_admin)
    assert admin.post(f"{BASE}/claims/{claim.pk}/request-info/", {"message": "계약서 제출"},
                      format="json").status_code == 200
    claimant = api_as(member_b)
    answered = claimant.post(f"{BASE}/claims/{claim.pk}/answer/", {"message": "첨부", "documents": [pdf("c.pdf")]},
                             format="multipart")
    assert answered.status_code == 200 and len(answered.json()["documents"]) == 2
    admin = api_as(fund_admin)
    too_much = admin.post(f"{BASE}/claims/{claim.pk}/approve/", {"amount": 300_000_001}, format="json")
    assert too_much.status_code == 400 and too_much.json()["field"] == "amount"
    approved = admin.post(f"{BASE}/claims/{claim.pk}/approve/", {"amount": 200_000_000}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert admin.get(f"{BASE}/fund/").json()["available"] == 800_000_000
    paid = admin.post(f"{BASE}/claims/{claim.pk}/pay/", {"paid_on": "2026-03-20"}, format="json")
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert [e["to_status"] for e in paid.json()["history"]] == ["in_review", "info_requested", "in_review",
                                                                 "approved", "paid"]
    fund = admin.get(f"{BASE}/fund/").json()
    assert (fund["cash"], fund["reserved"], fund["claims_paid"]) == (800_000_000, 0, 200_000_000)


def test_an_approval_beyond_the_cash_is_a_409_with_the_figures(api_as, fund_admin, file_claim):
    claim = file_claim()
    response = api_as(fund_admin).post(f"{BASE}/claims/{claim.pk}/approve/", {"amount": 100}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "피해구제기금의 가용 현금은 0원이며, 이 승인에는 100원이 필요합니다."
    english = api_as(fund_admin).post(f"{BASE}/claims/{claim.pk}/approve/", {"amount": 100}, format="json",
                                      HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "The relief fund's available cash is 0원; this approval needs 100원."


def test_the_fund_figures_are_for_administrators_and_auditors(api_as, auditor, member_b, relief):
    assert api_as(member_b).get(f"{BASE}/fund/").status_code == 403
    assert api_as(auditor).get(f"{BASE}/fund/").status_code == 200


def test_a_claimant_adds_documents_while_in_review(api_as, member_b, claim):
    response = api_as(member_b).post(f"{BASE}/claims/{claim.pk}/documents/", {"documents": [pdf("more.pdf")]},
                                     format="multipart")
    assert response.status_code == 201 and [d["original_name"] for d in response.json()] == ["more.pdf"]


def test_an_auditor_cannot_upload_documents(api_as, auditor, claim):
    response = api_as(auditor).post(f"{BASE}/claims/{claim.pk}/documents/", {"documents": [pdf()]},
                                    format="multipart")
    assert response.status_code == 403
    assert claim.documents.count() == 1


CLAIM_POSTS = ["documents", "answer", "request-info", "approve", "reject", "pay"]


@pytest.mark.parametrize("action", CLAIM_POSTS)
def test_every_claim_action_is_closed_to_anonymous_and_404_to_another_company(api, api_as, member_a, claim, action):
    url = f"{BASE}/claims/{claim.pk}/{action}/"
    assert api.post(url, {}, format="json").status_code in (401, 403)
    assert api_as(member_a).post(url, {"message": "x", "reason": "x", "amount": 1}, format="json").status_code == 404
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_sanction_and_payment_writes_are_closed_to_anonymous(api, impose):
    sanction = impose()
    assert api.post(f"{BASE}/sanctions/", {}, format="json").status_code in (401, 403)
    assert api.post(f"{BASE}/sanctions/{sanction.pk}/waive/", {"reason": "x"}, format="json").status_code in (401, 403)
    assert api.post(f"{BASE}/fine-payments/", {}, format="json").status_code in (401, 403)
    assert Sanction.objects.get(pk=sanction.pk).waived_at is None


def test_an_auditor_cannot_answer_for_the_claimant(api_as, auditor, fund_admin, claim):
    api_as(fund_admin).post(f"{BASE}/claims/{claim.pk}/request-info/", {"message": "?"}, format="json")
    response = api_as(auditor).post(f"{BASE}/claims/{claim.pk}/answer/", {"message": "x"}, format="json")
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.INFO_REQUESTED


def test_a_fine_payment_or_relief_dated_in_a_closed_year_is_a_409_and_moves_nothing(api_as, fund_admin, funded, claim,
                                                                                   impose, org_a, relief):
    from apps.funds import chart
    from apps.funds.selectors import fund_account
    from apps.ledger.services import period_close

    owing = impose(fine_amount=100_000_000)
    client = api_as(fund_admin)
    assert client.post(f"{BASE}/claims/{claim.pk}/approve/", {"amount": 200_000_000}, format="json").status_code == 200
    period_close(actor=fund_admin, ledger=relief.ledger, year=2025,
                 net_assets_account=fund_account(relief, chart.UNRESTRICTED_NET_ASSETS))
    refused = [
        client.post(f"{BASE}/sanctions/", sanction_body(org_a, decision_date="2025-12-01"), format="json",
                    HTTP_IDEMPOTENCY_KEY="closed-impose"),
        client.post(f"{BASE}/fine-payments/", {"sanction": owing.pk, "amount": 1_000, "paid_on": "2025-12-01"},
                    format="json", HTTP_IDEMPOTENCY_KEY="closed-pay"),
        client.post(f"{BASE}/claims/{claim.pk}/pay/", {"paid_on": "2025-12-01"}, format="json"),
    ]
    assert [(r.status_code, r.json()["code"]) for r in refused] == [(409, "period_closed")] * 3
    assert not Sanction.objects.filter(case_reference="2026-기술-0100").exists()
    assert client.get(f"{BASE}/sanctions/{owing.pk}/").json()["outstanding"] == 100_000_000
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.APPROVED
