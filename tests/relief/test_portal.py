"""The relief pages: a harmed company's officer files a claim (field errors, CSRF, one claim per form, checked
uploads), follows it and answers; a sanctioned company sees what it owes; nobody reaches another company's claim,
sanction or document, whatever id is typed."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.relief import services
from apps.relief.documents import MAX_DOCUMENT_BYTES
from apps.relief.models import Claim, ClaimStatus

from .conftest import PDF, pdf

pytestmark = pytest.mark.django_db
INDEX = reverse("relief:index")
NEW = reverse("relief:claim_new")


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def form_key(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)


def form_data(org, key, **overrides):
    return {"idempotency_key": key, "claimant": org.pk, "case_reference": "2026-기술-0001",
            "description": "기술 유출로 매출 손실", "amount_claimed": "300,000,000원", "documents": [pdf()],
            **overrides}


@pytest.mark.parametrize("url", [INDEX, NEW])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_officer_files_a_claim_and_a_double_submission_files_it_once(client_as, member_b, org_b, relief):
    client = client_as(member_b)
    key = form_key(client.get(NEW).content.decode())

    first = client.post(NEW, form_data(org_b, key))
    second = client.post(NEW, form_data(org_b, key))

    claim = Claim.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("relief:claim", args=[claim.pk])
    assert claim.amount_claimed == 300_000_000 and claim.documents.count() == 1
    page = client.get(first["Location"]).content.decode()
    assert "300,000,000" in page and "evidence.pdf" in page


def test_field_errors_are_shown_beside_the_fields(client_as, member_b, org_b, relief):
    client = client_as(member_b)
    response = client.post(NEW, form_data(org_b, "k", amount_claimed="12.5", description=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_amount_claimed_error"' in page and 'id="id_description_error"' in page
    assert not Claim.objects.exists()


def test_a_spoofed_upload_is_refused_on_the_form(client_as, member_b, org_b, relief):
    client = client_as(member_b)
    response = client.post(NEW, form_data(org_b, "k", documents=[pdf("scan.png", b"%PDF-1.4 not a png")]))
    assert response.status_code == 400
    assert "내용이 확장자와 맞지 않습니다" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_form_needs_the_csrf_token(member_b, org_b, relief):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_b)
    assert client.post(NEW, form_data(org_b, "k")).status_code == 403
    assert not Claim.objects.exists()


@pytest.mark.parametrize("who", ["viewer_a", "auditor", "fund_admin", "outsider"])
def test_only_finance_officers_get_the_claim_form(request, client_as, who):
    assert client_as(request.getfixturevalue(who)).get(NEW).status_code == 404


def test_the_claimant_answers_an_information_request_with_a_document(client_as, member_b, fund_admin, file_claim):
    claim = file_claim()
    services.claim_request_info(actor=fund_admin, claim=claim, message="계약서를 제출해 주세요")
    client = client_as(member_b)
    page = client.get(reverse("relief:claim", args=[claim.pk])).content.decode()
    assert "계약서를 제출해 주세요" in page and 'id="answer"' in page

    response = client.post(reverse("relief:claim_answer", args=[claim.pk]),
                           {"message": "첨부합니다", "documents": [pdf("contract.pdf")]})

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW and claim.documents.count() == 2


def test_another_company_gets_404_for_claims_documents_and_answers(client_as, member_a, file_claim, fund_admin):
    claim = file_claim()
    services.claim_request_info(actor=fund_admin, claim=claim, message="?")
    document = claim.documents.get()
    client = client_as(member_a)
    assert client.get(reverse("relief:claim", args=[claim.pk])).status_code == 404
    assert client.get(reverse("relief:document", args=[document.pk])).status_code == 404
    assert client.post(reverse("relief:claim_answer", args=[claim.pk]), {"message": "x"}).status_code == 404
    assert client.post(reverse("relief:claim_documents", args=[claim.pk]), {"documents": [pdf()]}).status_code == 404
    assert reverse("relief:claim", args=[claim.pk]) not in client.get(INDEX).content.decode()
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.INFO_REQUESTED


@pytest.mark.parametrize("who", ["member_b", "auditor", "fund_admin"])
def test_documents_download_for_those_who_may_see_the_claim(request, client_as, who, file_claim):
    document = file_claim().documents.get()
    response = client_as(request.getfixturevalue(who)).get(reverse("relief:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_documents_are_not_served_from_a_public_url(client, file_claim):
    document = file_claim().documents.get()
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_a_sanctioned_company_sees_what_it_owes_and_nobody_else_does(client_as, member_a, member_b, impose,
                                                                     collect):
    sanction = impose(fine_amount=1_000_000_000)
    collect(sanction, 400_000_000)
    client = client_as(member_a)
    page = client.get(INDEX).content.decode()
    assert sanction.case_reference in page and "600,000,000" in page
    detail = client.get(reverse("relief:sanction", args=[sanction.pk])).content.decode()
    assert "400,000,000" in detail and "6억 원" in detail

    other = client_as(member_b)
    assert sanction.case_reference not in other.get(INDEX).content.decode()
    assert other.get(reverse("relief:sanction", args=[sanction.pk])).status_code == 404


def test_an_oversized_upload_is_refused_on_the_form(client_as, member_b, org_b, relief):
    big = pdf("scan.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES)
    response = client_as(member_b).post(NEW, form_data(org_b, "k", documents=[big]))
    assert response.status_code == 400
    assert "최대 10 MB" in response.content.decode()
    assert not Claim.objects.exists()
