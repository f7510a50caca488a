"""Sanctions and claims in the back office: sanctions added through the fine cap and listed with what is paid and
outstanding (filters, search by name or registration number), claims reviewed with small forms whose refusals
are shown, the fund's available cash on the claim pages, documents linked; auditors see everything, change
nothing."""

import pytest
from django.urls import reverse

from apps.core.demo import grant_role_permissions
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger.services import period_close
from apps.relief.models import Claim, ClaimStatus, FinePayment, Sanction

pytestmark = pytest.mark.django_db
SANCTIONS = reverse("admin:relief_sanction_changelist")
CLAIMS = reverse("admin:relief_claim_changelist")
PAYMENTS = reverse("admin:relief_finepayment_changelist")


@pytest.fixture(autouse=True)
def role_permissions(db):
    grant_role_permissions()


def action_url(model, name, pk):
    return reverse(f"admin:relief_{model}_{name}", args=[pk])


def add_form(org, **overrides):
    return {"organization": org.pk, "case_reference": "2026-기술-0500", "violation_type": "technology_theft",
            "corrective_order": "기술자료 반환", "penalty_points": "5", "decision_date": "2026-03-02",
            "fine_amount": "2000000000", **overrides}


def test_an_administrator_adds_a_sanction_and_its_fine_is_posted(client, fund_admin, org_a, relief):
    client.force_login(fund_admin)
    response = client.post(reverse("admin:relief_sanction_add"), add_form(org_a))

    assert response.status_code == 302, response.content.decode()[:2000]
    sanction = Sanction.objects.get()
    assert sanction.imposition_entry is not None and sanction.fine_amount == 2_000_000_000


def test_the_add_form_refuses_a_fine_above_the_legal_maximum(client, fund_admin, org_a, relief):
    client.force_login(fund_admin)
    response = client.post(reverse("admin:relief_sanction_add"), add_form(org_a, fine_amount="5000000001"))
    assert response.status_code == 200
    assert "5,000,000,000" in response.content.decode()
    assert not Sanction.objects.exists()


@pytest.mark.parametrize("query, expected", [
    ({"violation_type__exact": "late_payment"}, {1}), ({"payment_status": "paid"}, {0}),
    ({"payment_status": "unpaid"}, {1}), ({"year": "2026"}, {0, 1}), ({"q": "124-81-00998"}, {0, 1}),
    ({"q": "한빛"}, {0, 1}), ({"q": "새싹"}, set()),
])
def test_the_sanction_list_filters_and_searches(client, auditor, impose, collect, query, expected):
    paid = impose(fine_amount=1_000)
    collect(paid, 1_000)
    other = impose(violation_type="late_payment")
    client.force_login(auditor)
    response = client.get(SANCTIONS, query)
    assert response.status_code == 200
    shown = {i for i, s in enumerate((paid, other)) if f"/{s.pk}/change/" in response.content.decode()}
    assert shown == expected


def test_an_administrator_records_a_payment_and_sees_the_refusal_of_too_much(client, fund_admin, impose):
    sanction = impose(fine_amount=100_000_000)
    client.force_login(fund_admin)
    url = action_url("sanction", "record_payment", sanction.pk)
    form = client.get(url)
    assert form.status_code == 200

    too_much = client.post(url, {"idempotency_key": "a", "amount": "100,000,001", "paid_on": "2026-03-03"})
    assert too_much.status_code == 200 and "100,000,000" in too_much.content.decode()
    done = client.post(url, {"idempotency_key": "b", "amount": "100,000,000", "paid_on": "2026-03-03"})
    again = client.post(url, {"idempotency_key": "b", "amount": "100,000,000", "paid_on": "2026-03-03"})

    assert done.status_code == again.status_code == 302
    assert FinePayment.objects.count() == 1
    page = client.get(reverse("admin:relief_sanction_change", args=[sanction.pk])).content.decode()
    assert "100,000,000" in page


def test_an_administrator_reviews_a_claim_with_the_forms(client, fund_admin, funded, file_claim):
    claim = file_claim()
    client.force_login(fund_admin)
    page = client.get(reverse("admin:relief_claim_change", args=[claim.pk])).content.decode()
    assert "1,000,000,000" in page  # the fund's available cash heads the page
    assert reverse("relief:document", args=[claim.documents.get().pk]) in page

    refused = client.post(action_url("claim", "approve", claim.pk), {"amount": "300,000,001"})
    assert refused.status_code == 200 and "300,000,000" in refused.content.decode()
    assert client.post(action_url("claim", "approve", claim.pk), {"amount": "250,000,000"}).status_code == 302
    assert client.post(action_url("claim", "pay", claim.pk), {"paid_on": "2026-03-05"}).status_code == 302

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and claim.approved_amount == 250_000_000
    assert "750,000,000" in client.get(CLAIMS).content.decode()


def test_an_approval_beyond_the_cash_is_shown_with_the_figures(client, fund_admin, file_claim):
    claim = file_claim()
    client.force_login(fund_admin)
    response = client.post(action_url("claim", "approve", claim.pk), {"amount": "1000"})
    assert "가용 현금은 0원이며, 이 승인에는 1,000원이 필요합니다" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_a_rejection_and_an_information_request_need_their_text(client, fund_admin, file_claim):
    claim = file_claim()
    client.force_login(fund_admin)
    assert client.post(action_url("claim", "reject", claim.pk), {"reason": ""}).status_code == 200
    assert client.post(action_url("claim", "request_info", claim.pk), {"message": "계약서"}).status_code == 302
    assert client.post(action_url("claim", "reject", claim.pk), {"reason": "근거 부족"}).status_code == 302
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.REJECTED


def test_an_auditor_sees_every_list_but_no_action_works(client, auditor, impose, file_claim):
    sanction, claim = impose(), file_claim()
    client.force_login(auditor)
    for url in (SANCTIONS, CLAIMS, PAYMENTS, reverse("admin:relief_sanction_change", args=[sanction.pk]),
                reverse("admin:relief_claim_change", args=[claim.pk])):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:relief_sanction_add")).status_code == 403
    assert client.post(action_url("claim", "reject", claim.pk), {"reason": "x"}).status_code == 403
    assert client.post(action_url("sanction", "waive_fine", sanction.pk), {"reason": "x"}).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW
    assert Sanction.objects.get(pk=sanction.pk).waived_at is None


def test_company_members_do_not_reach_the_back_office(client, member_b, file_claim):
    claim = file_claim()
    client.force_login(member_b)
    assert client.get(CLAIMS).status_code == 302
    assert client.post(action_url("claim", "reject", claim.pk), {"reason": "x"}).status_code == 302


def test_the_add_form_refuses_a_fine_dated_in_a_closed_year(client, fund_admin, org_a, relief):
    period_close(actor=fund_admin, ledger=relief.ledger, year=2025,
                 net_assets_account=fund_account(relief, chart.UNRESTRICTED_NET_ASSETS))
    client.force_login(fund_admin)
    response = client.post(reverse("admin:relief_sanction_add"), add_form(org_a, decision_date="2025-12-01"))
    assert response.status_code == 200 and "2025" in response.content.decode()
    assert not Sanction.objects.exists()
