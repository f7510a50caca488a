"""The portal's pages through the Django test client: who may see what, the contribution form with its
confirmation step and its one-time key, and withdrawing."""

import re

import pytest
from django.urls import reverse

from apps.contributions.models import Contribution, ContributionStatus
from apps.contributions.services import contribution_confirm

pytestmark = pytest.mark.django_db

NEW = "/portal/contributions/new/"


def form_data(org, fund, **overrides):
    return {"organization": org.pk, "fund": fund.pk, "designated_use": "technology_cooperation",
            "amount": "1,000,000", "contribution_date": "2026-03-02", "program": "",
            "idempotency_key": "6f1c1d56-0c7a-4a59-9bd5-0f0b3c1e9a11", **overrides}


def key_in(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', html).group(1)


# Signing in


@pytest.mark.parametrize("url", ["/portal/", NEW, "/portal/contributions/1/", "/portal/receipts/1/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/portal/login/?next={url}"


def test_a_member_signs_in_with_a_password_and_lands_on_the_dashboard(client, member_a, org_a):
    page = client.get("/portal/login/")
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()

    response = client.post("/portal/login/", {"username": "member_a", "password": "pw-member_a"}, follow=True)

    assert response.redirect_chain[-1][0] == "/portal/"
    assert "한빛전자" in response.content.decode()


def test_a_wrong_password_is_refused_in_korean(client, member_a):
    response = client.post("/portal/login/", {"username": "member_a", "password": "wrong"})

    assert response.status_code == 200
    assert "올바른" in response.content.decode()


def test_signing_out_is_a_post_with_csrf(client_as, member_a):
    client = client_as(member_a)
    assert 'action="/portal/logout/"' in client.get("/portal/").content.decode()

    response = client.post("/portal/logout/")

    assert response.status_code == 302 and response["Location"] == "/portal/login/"
    assert client.get("/portal/").status_code == 302


# The dashboard


def test_the_dashboard_shows_the_organisation_s_contributions_receipts_and_credit_in_korean_units(
        client_as, member_a, confirmed, submit):
    submit(amount=250_000_000, idempotency_key="second")

    html = client_as(member_a).get("/portal/").content.decode()

    assert "한빛전자" in html and "124-81-00998" in html
    assert "1억 원" in html  # received
    assert "2억 5,000만 원" in html  # awaiting confirmation
    assert "1,000만 원" in html  # 10 % tax credit on ₩100,000,000
    assert confirmed.receipt.display_number in html
    assert reverse("portal:receipt", args=[confirmed.receipt.pk]) in html
    assert "기술협력" in html and "상생협력기금" in html


def test_the_dashboard_shows_nothing_of_another_company(client_as, member_b, confirmed):
    html = client_as(member_b).get("/portal/").content.decode()

    assert "새싹정밀" in html
    assert "한빛전자" not in html
    assert confirmed.receipt.display_number not in html
    assert f"/portal/contributions/{confirmed.pk}/" not in html


def test_a_viewer_sees_the_dashboard_but_no_form(client_as, viewer_a, confirmed):
    client = client_as(viewer_a)
    html = client.get("/portal/").content.decode()

    assert confirmed.receipt.display_number in html
    assert NEW not in html
    assert client.get(NEW).status_code == 404


def test_fund_administrators_are_pointed_to_the_back_office(client_as, fund_admin, confirmed):
    html = client_as(fund_admin).get("/portal/").content.decode()

    assert "/admin/contributions/contribution/" in html
    assert "한빛전자" in html and "1억 원" in html


def test_the_dashboard_switches_to_english(english, member_a, confirmed):
    english.force_login(member_a)
    html = english.get("/portal/").content.decode()

    assert '<html lang="en">' in html
    assert "Hanbit Electronics" in html and "Recent donation receipts" in html and "Win-Win Cooperation Fund" in html


# Other companies' records, by URL guessing


def test_another_company_s_contribution_and_receipt_answer_404(client_as, member_b, confirmed):
    client = client_as(member_b)

    assert client.get(f"/portal/contributions/{confirmed.pk}/").status_code == 404
    assert client.get(f"/portal/receipts/{confirmed.receipt.pk}/").status_code == 404
    response = client.post(f"/portal/contributions/{confirmed.pk}/withdraw/", {"reason": "mine now"})
    assert response.status_code == 404


# The contribution form


def test_the_form_offers_only_the_organisations_the_user_may_submit_for(client_as, member_a, org_b, uses):
    html = client_as(member_a).get(NEW).content.decode()

    assert "한빛전자" in html and "새싹정밀 (" not in html.split('name="beneficiaries"')[0]
    assert "csrfmiddlewaretoken" in html
    assert re.search(r'name="idempotency_key" value="[0-9a-f-]{36}"', html)


def test_submitting_goes_through_a_confirmation_page_first(client_as, member_a, org_a, uses):
    client = client_as(member_a)
    first = client.get(NEW).content.decode()
    data = form_data(org_a, uses["wwcf"], amount="1,500,000,000", idempotency_key=key_in(first))

    review = client.post(NEW, {**data, "review": "1"})

    assert review.status_code == 200
    html = review.content.decode()
    assert "15억 원" in html and "1,500,000,000원" in html and "기술협력" in html
    assert key_in(html) == data["idempotency_key"]
    assert not Contribution.objects.exists()

    done = client.post(NEW, {**data, "submit": "1"})

    contribution = Contribution.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/portal/contributions/{contribution.pk}/"
    assert contribution.amount == 1_500_000_000 and contribution.status == ContributionStatus.SUBMITTED
    assert contribution.submitted_by == member_a


def test_a_second_post_of_the_same_form_creates_no_second_contribution(client_as, member_a, org_a, uses):
    client = client_as(member_a)
    data = {**form_data(org_a, uses["wwcf"]), "submit": "1"}

    first = client.post(NEW, data)
    second = client.post(NEW, data)  # a double click, or the browser retrying

    assert Contribution.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/portal/contributions/{Contribution.objects.get().pk}/"


def test_a_new_form_gets_a_new_key(client_as, member_a, uses):
    client = client_as(member_a)

    assert key_in(client.get(NEW).content.decode()) != key_in(client.get(NEW).content.decode())


@pytest.mark.parametrize(("amount", "stored"), [("1,000,000", 1_000_000), ("1000000", 1_000_000),
                                               ("1,000,000원", 1_000_000), (" 2 500 000 ", 2_500_000)])
def test_amounts_are_accepted_with_separators(client_as, member_a, org_a, uses, amount, stored):
    client_as(member_a).post(NEW, {**form_data(org_a, uses["wwcf"], amount=amount), "submit": "1"})

    assert Contribution.objects.get().amount == stored


@pytest.mark.parametrize(("client_fixture", "amount", "message"), [
    ("korean", "1000.5", "소수점 없이 원 단위로"),
    ("english", "1000.5", "Give the amount in whole won, without decimals."),
    ("korean", "0", "0원보다 커야"),
    ("english", "abc", "Give the amount in won as a number"),
    ("korean", "", "필수 항목"),
    ("english", "", "This field is required."),
])
def test_amount_errors_are_shown_beside_the_field(request, member_a, org_a, uses, client_fixture, amount, message):
    client = request.getfixturevalue(client_fixture)
    client.force_login(member_a)

    response = client.post(NEW, {**form_data(org_a, uses["wwcf"], amount=amount), "submit": "1"})

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="id_amount_error">[^<]*' + re.escape(message), html)
    assert not Contribution.objects.exists()


def test_a_use_not_open_for_the_fund_on_the_date_is_refused_beside_the_field(korean, member_a, org_a, uses):
    korean.force_login(member_a)

    response = korean.post(NEW, {**form_data(org_a, uses["wwcf"], contribution_date="2025-06-30"), "review": "1"})

    assert 'id="id_designated_use_error"' in response.content.decode()
    assert "이 기금에 선택할 수 없는" in response.content.decode()


def test_naming_another_company_s_organisation_is_refused(client_as, member_a, org_b, uses):
    response = client_as(member_a).post(NEW, {**form_data(org_b, uses["wwcf"]), "submit": "1"})

    assert 'id="id_organization_error"' in response.content.decode()
    assert not Contribution.objects.exists()


def test_reusing_a_key_with_other_details_is_refused_and_a_fresh_key_is_given(client_as, member_a, org_a, uses):
    client = client_as(member_a)
    data = {**form_data(org_a, uses["wwcf"]), "submit": "1"}
    client.post(NEW, data)

    response = client.post(NEW, {**data, "amount": "2,000,000"})

    assert response.status_code == 200
    assert Contribution.objects.count() == 1
    assert key_in(response.content.decode()) != data["idempotency_key"]


# The contribution's page and withdrawing


def test_the_contribution_page_shows_history_receipt_and_credit(client_as, member_a, confirmed):
    html = client_as(member_a).get(f"/portal/contributions/{confirmed.pk}/").content.decode()

    assert confirmed.receipt.display_number in html
    assert "1,000만 원" in html and "10 %" in html
    assert "member_a" in html and "admin1" in html  # who submitted, who confirmed
    assert 'id="withdraw"' not in html


def test_a_finance_officer_withdraws_a_submitted_contribution_with_a_reason(client_as, member_a, submit):
    contribution = submit()
    client = client_as(member_a)
    assert 'id="withdraw"' in client.get(f"/portal/contributions/{contribution.pk}/").content.decode()

    refused = client.post(f"/portal/contributions/{contribution.pk}/withdraw/", {"reason": ""})
    assert refused.status_code == 400
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.SUBMITTED

    response = client.post(f"/portal/contributions/{contribution.pk}/withdraw/", {"reason": "잘못 입력함"},
                           follow=True)

    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.WITHDRAWN and contribution.reason == "잘못 입력함"
    assert "잘못 입력함" in response.content.decode()


def test_a_viewer_cannot_withdraw(client_as, viewer_a, submit):
    contribution = submit()
    client = client_as(viewer_a)
    assert 'id="withdraw"' not in client.get(f"/portal/contributions/{contribution.pk}/").content.decode()

    client.post(f"/portal/contributions/{contribution.pk}/withdraw/", {"reason": "no"})

    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.SUBMITTED


def test_a_confirmed_contribution_cannot_be_withdrawn(client_as, member_a, submit, fund_admin):
    contribution = contribution_confirm(actor=fund_admin, contribution=submit())

    response = client_as(member_a).post(f"/portal/contributions/{contribution.pk}/withdraw/", {"reason": "late"})

    assert response.status_code == 409
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.CONFIRMED


# The printable receipt


def test_the_receipt_prints_in_korean_with_the_donor_s_number_and_the_amount_in_words(client_as, member_a, confirmed):
    receipt = confirmed.receipt

    html = client_as(member_a).get(f"/portal/receipts/{receipt.pk}/").content.decode()

    assert "기부금 영수증" in html
    assert receipt.display_number in html and receipt.display_number.endswith("-2026-000001")
    assert "한빛전자" in html and "124-81-00998" in html
    assert "100,000,000원" in html and "1억 원" in html
    assert "상생협력기금" in html and "기술협력" in html and "2026년 3월 2일" in html
    assert "@media print" in html and "size: A4" in html
