"""The funds API: any signed-in user reads every fund's progress (fund totals are public information); anonymous
users are refused; nobody writes."""

from datetime import date

import pytest

from .conftest import contribute

pytestmark = pytest.mark.django_db

FUNDS = "/api/v1/funds/"
SAMSUNG, KB = "org:samsung-electronics", "org:kb-financial"


@pytest.fixture
def raised(wwcf):
    contribute(wwcf, 200_000_000_000, party=SAMSUNG, use="performance_sharing", day=date(2026, 3, 2))
    contribute(wwcf, 100_000_000_000, party=KB, use="productivity", day=date(2027, 2, 1))
    return wwcf


def test_anonymous_users_are_refused(api, funds):
    assert api.get(FUNDS).status_code in (401, 403)
    assert api.get(f"{FUNDS}wwcf/").status_code in (401, 403)


@pytest.mark.parametrize("who", ["outsider", "auditor", "fund_admin"])
def test_every_signed_in_user_reads_the_funds(api_as, funds, who, request):
    client = api_as(request.getfixturevalue(who))

    listed = client.get(FUNDS)
    detail = client.get(f"{FUNDS}wwcf/")

    assert listed.status_code == 200 and detail.status_code == 200
    assert [f["code"] for f in listed.json()["results"]] == ["wwcf", "wwfp", "sef", "relief"]


@pytest.mark.parametrize("who", ["outsider", "auditor", "fund_admin"])
def test_nobody_writes_through_the_api(api_as, funds, who, request):
    client = api_as(request.getfixturevalue(who))

    assert client.post(FUNDS, {"code": "new"}, format="json").status_code == 405
    assert client.patch(f"{FUNDS}wwcf/", {"target": 1}, format="json").status_code == 405
    assert client.put(f"{FUNDS}wwcf/", {"target": 1}, format="json").status_code == 405
    assert client.delete(f"{FUNDS}wwcf/").status_code == 405


def test_the_detail_carries_the_progress(api_as, outsider, raised):
    body = api_as(outsider).get(f"{FUNDS}wwcf/").json()

    assert body["code"] == "wwcf" and body["name_ko"] == "상생협력기금"
    assert body["managing_institution_ko"] == "대·중소기업·농어업협력재단"
    assert body["ledger"] == raised.ledger_id
    assert (body["target"], body["target_start_year"], body["target_end_year"]) == (1_500_000_000_000, 2026, 2030)
    assert body["raised"] == 300_000_000_000
    assert body["share_of_target"] == "0.200000"
    assert body["cash"] == 300_000_000_000
    assert body["by_year"] == [{"year": 2026, "raised": 200_000_000_000}, {"year": 2027, "raised": 100_000_000_000}]
    assert body["by_contributor"] == [{"party": KB, "raised": 100_000_000_000},
                                      {"party": SAMSUNG, "raised": 200_000_000_000}]
    assert body["by_designated_use"] == [{"designated_use": "performance_sharing", "raised": 200_000_000_000},
                                         {"designated_use": "productivity", "raised": 100_000_000_000}]


def test_the_list_carries_each_fund_s_totals(api_as, auditor, raised):
    rows = {f["code"]: f for f in api_as(auditor).get(FUNDS).json()["results"]}

    assert rows["wwcf"]["raised"] == 300_000_000_000 and rows["wwcf"]["share_of_target"] == "0.200000"
    assert rows["wwfp"]["target"] == 1_700_000_000_000 and rows["wwfp"]["share_of_target"] == "0.000000"
    assert rows["sef"]["target"] is None and rows["sef"]["share_of_target"] is None
    assert "by_contributor" not in rows["wwcf"]


def test_a_fund_is_found_by_code_or_id_and_an_unknown_one_is_a_404(api_as, fund_admin, wwcf):
    client = api_as(fund_admin)

    assert client.get(f"{FUNDS}{wwcf.pk}/").json()["code"] == "wwcf"
    assert client.get(f"{FUNDS}nope/").status_code == 404
    assert client.get(f"{FUNDS}999999/").status_code == 404


def test_the_funds_are_in_the_openapi_schema(api_as, fund_admin, funds):
    schema = api_as(fund_admin).get("/api/schema/", HTTP_ACCEPT="application/json")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/funds/" in paths and "/api/v1/funds/{code_or_id}/" in paths
