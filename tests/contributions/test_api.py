"""The contributions and receipts API: who sees and does what (another company's id is a 404, never a 403), a
required Idempotency-Key that makes a retried request harmless, and refusals as 400/409 naming the field."""

import pytest

from apps.contributions import services
from apps.contributions.models import Contribution, ContributionStatus
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.models import JournalEntry

pytestmark = pytest.mark.django_db

LIST = "/api/v1/contributions/"
RECEIPTS = "/api/v1/receipts/"
PEOPLE = ["anonymous", "outsider", "member_a", "member_b", "auditor", "fund_admin"]


def client_for(request, api, who):
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    return api


def refused_for_anonymous(response):
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "detail"}


@pytest.fixture
def of_a(submit):
    return submit()


@pytest.fixture
def of_b(submit, org_b, member_b):
    return submit(actor=member_b, organization=org_b, amount=5_000_000)


@pytest.fixture
def receipted(of_a, of_b):
    for contribution in (of_a, of_b):
        services.contribution_confirm(actor="test", contribution=contribution)
    return of_a, of_b


def body(org, **extra):
    return {"organization": org.pk, "fund": "wwcf", "amount": 300_000_000, "contribution_date": "2026-04-01",
            "designated_use": "performance_sharing", **extra}


# Who may do what


@pytest.mark.parametrize("who", PEOPLE)
def test_who_sees_which_contributions(request, api, of_a, of_b, who):
    response = client_for(request, api, who).get(LIST)
    if who == "anonymous":
        return refused_for_anonymous(response)
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {"outsider": set(), "member_a": {of_a.pk}, "member_b": {of_b.pk}, "auditor": {of_a.pk, of_b.pk},
                   "fund_admin": {of_a.pk, of_b.pk}}[who]


@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_read_company_as_contribution(request, api, of_a, who):
    response = client_for(request, api, who).get(f"{LIST}{of_a.pk}/")
    if who == "anonymous":
        return refused_for_anonymous(response)
    expected = {"outsider": 404, "member_a": 200, "member_b": 404, "auditor": 200, "fund_admin": 200}[who]
    assert response.status_code == expected
    if expected == 200:
        data = response.json()
        assert (data["amount"], data["designated_use"], data["status"], data["fund"]) == (
            100_000_000, "technology_cooperation", "submitted", "wwcf")
        assert [h["to_status"] for h in data["history"]] == ["submitted"]


@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_submit_for_company_a(request, api, uses, org_a, member_a, member_b, who):
    response = client_for(request, api, who).post(LIST, body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    if who == "anonymous":
        refused_for_anonymous(response)
    else:
        expected = {"outsider": 403, "member_a": 201, "member_b": 400, "auditor": 403, "fund_admin": 201}[who]
        assert response.status_code == expected
        if who == "member_b":  # company A is unknown to B's officer, as any id B cannot see
            assert response.json()["field"] == "organization"
    assert Contribution.objects.filter(organization=org_a).exists() == (who in {"member_a", "fund_admin"})


@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_confirm(request, api, of_a, who):
    response = client_for(request, api, who).post(f"{LIST}{of_a.pk}/confirm/")
    if who == "anonymous":
        refused_for_anonymous(response)
    else:
        expected = {"outsider": 404, "member_a": 403, "member_b": 404, "auditor": 403, "fund_admin": 200}[who]
        assert response.status_code == expected
    of_a.refresh_from_db()
    assert (of_a.status == ContributionStatus.CONFIRMED) == (who == "fund_admin")
    if who == "fund_admin":
        assert response.json()["receipt"]["display_number"] == "WWCF-2026-000001"


@pytest.mark.parametrize("action, allowed", [("withdraw", {"member_a", "fund_admin"}), ("reject", {"fund_admin"})])
@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_withdraw_or_reject(request, api, of_a, who, action, allowed):
    response = client_for(request, api, who).post(f"{LIST}{of_a.pk}/{action}/", {"reason": "사유"}, format="json")
    if who == "anonymous":
        refused_for_anonymous(response)
    else:
        hidden = who in {"outsider", "member_b"}
        assert response.status_code == (404 if hidden else 200 if who in allowed else 403)
    of_a.refresh_from_db()
    assert (of_a.status != ContributionStatus.SUBMITTED) == (who in allowed)


@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_correct(request, api, receipted, who):
    of_a = receipted[0]
    response = client_for(request, api, who).post(f"{LIST}{of_a.pk}/correct/", {"reason": "착오"}, format="json")
    if who == "anonymous":
        refused_for_anonymous(response)
    else:
        expected = {"outsider": 404, "member_a": 403, "member_b": 404, "auditor": 403, "fund_admin": 200}[who]
        assert response.status_code == expected
    of_a.refresh_from_db()
    assert (of_a.status == ContributionStatus.REVERSED) == (who == "fund_admin")


@pytest.mark.parametrize("who", PEOPLE)
def test_who_sees_which_receipts(request, api, receipted, who):
    of_a, of_b = receipted
    response = client_for(request, api, who).get(RECEIPTS)
    if who == "anonymous":
        return refused_for_anonymous(response)
    contributions = {row["contribution"] for row in response.json()["results"]}
    assert contributions == {"outsider": set(), "member_a": {of_a.pk}, "member_b": {of_b.pk},
                             "auditor": {of_a.pk, of_b.pk}, "fund_admin": {of_a.pk, of_b.pk}}[who]


@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_read_company_as_receipt(request, api, receipted, who):
    receipt = receipted[0].receipt
    response = client_for(request, api, who).get(f"{RECEIPTS}{receipt.pk}/")
    if who == "anonymous":
        return refused_for_anonymous(response)
    expected = {"outsider": 404, "member_a": 200, "member_b": 404, "auditor": 200, "fund_admin": 200}[who]
    assert response.status_code == expected
    if expected == 200:
        data = response.json()
        assert (data["display_number"], data["donor_brn_display"], data["amount"], data["is_cancelled"]) == (
            "WWCF-2026-000001", "124-81-00998", 100_000_000, False)


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_contributions_and_receipts_are_never_edited_through_the_api(api_as, fund_admin, receipted, method):
    client = api_as(fund_admin)
    of_a = receipted[0]
    assert getattr(client, method)(f"{LIST}{of_a.pk}/", {"amount": 1}, format="json").status_code == 405
    assert getattr(client, method)(f"{RECEIPTS}{of_a.receipt.pk}/", {}, format="json").status_code == 405


# Idempotency and refusals


def test_a_retried_submission_returns_the_first_contribution(api_as, member_a, uses, org_a):
    client = api_as(member_a)
    first = client.post(LIST, body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="double-click")
    again = client.post(LIST, body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="double-click")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Contribution.objects.count() == 1


def test_the_same_key_with_another_body_is_a_409(api_as, member_a, uses, org_a):
    client = api_as(member_a)
    client.post(LIST, body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k")
    response = client.post(LIST, body(org_a, amount=1), format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 409
    assert response.json() == {"code": "idempotency_conflict", "field": "idempotency_key",
                               "detail": response.json()["detail"]}


def test_a_submission_without_an_idempotency_key_is_refused(api_as, member_a, uses, org_a):
    response = api_as(member_a).post(LIST, body(org_a), format="json")
    assert response.status_code == 400 and response.json()["field"] == "idempotency_key"
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("change, field, code", [
    ({"amount": 1.5}, "amount", "invalid"),
    ({"amount": 0}, "amount", "invalid_contribution"),
    ({"designated_use": "culture", "fund": "sef"}, "designated_use", "designated_use_not_valid"),
    ({"contribution_date": "2025-12-31"}, "designated_use", "designated_use_not_valid"),
    ({"fund": "nope"}, "fund", "does_not_exist"),
])
def test_bad_input_is_a_400_naming_the_field(api_as, member_a, uses, org_a, change, field, code):
    response = api_as(member_a).post(LIST, body(org_a, **change), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["code"]) == (field, code)


def test_confirming_twice_is_a_409(api_as, fund_admin, receipted):
    response = api_as(fund_admin).post(f"{LIST}{receipted[0].pk}/confirm/")
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("invalid_transition", "status")
    assert JournalEntry.objects.count() == 2


def test_confirming_into_a_closed_year_is_a_409_and_posts_nothing(api_as, fund_admin, of_a, wwcf):
    ledger.period_close(actor="test", ledger=wwcf.ledger, year=2026,
                        net_assets_account=fund_account(wwcf, chart.UNRESTRICTED_NET_ASSETS))
    entries = JournalEntry.objects.count()
    response = api_as(fund_admin).post(f"{LIST}{of_a.pk}/confirm/")
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("period_closed", "effective_date")
    assert "2026 회계연도는 마감되었습니다" in response.json()["detail"]  # Korean by default
    of_a.refresh_from_db()
    assert of_a.status == ContributionStatus.SUBMITTED and JournalEntry.objects.count() == entries


def test_withdrawing_without_a_reason_is_a_400(api_as, member_a, of_a):
    response = api_as(member_a).post(f"{LIST}{of_a.pk}/withdraw/", {}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "reason"


def test_the_list_filters_by_status_fund_and_year(api_as, fund_admin, receipted, submit):
    pending = submit()
    client = api_as(fund_admin)
    assert [r["id"] for r in client.get(LIST, {"status": "submitted"}).json()["results"]] == [pending.pk]
    assert client.get(LIST, {"fund": "wwfp"}).json()["results"] == []
    assert len(client.get(LIST, {"year": 2026}).json()["results"]) == 3


def test_the_endpoints_are_in_the_openapi_schema(api_as, fund_admin):
    schema = api_as(fund_admin).get("/api/schema/", {"format": "json"}).json()
    assert {"/api/v1/contributions/", "/api/v1/contributions/{id}/confirm/", "/api/v1/contributions/{id}/withdraw/",
            "/api/v1/receipts/{id}/"} <= set(schema["paths"])
    params = schema["paths"]["/api/v1/contributions/"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in params)
