"""The statements API: figures in exact won and in the unit asked for, for administrators and auditors only."""

import pytest
from django.urls import reverse

from apps.funds import chart

URLS = [reverse("statements-scopes"), reverse("statements-scope", args=["consolidated"]),
        reverse("statements-statement", args=["wwcf", "cash-flow"])]


@pytest.mark.parametrize("url", URLS)
def test_only_administrators_and_auditors_may_read(api, api_as, funds, member_a, outsider, auditor, fund_admin, url):
    assert api.get(url).status_code in (401, 403)
    for user in (member_a, outsider):
        assert api_as(user).get(url).status_code == 403
    for user in (auditor, fund_admin):
        assert api_as(user).get(url).status_code == 200


def test_nobody_writes_through_it(api_as, funds, fund_admin, auditor):
    for url in URLS:
        assert api_as(fund_admin).post(url, {}).status_code == 405
        assert api_as(auditor).post(url, {}).status_code == 403


def test_the_scopes_are_the_funds_and_the_consolidation(api_as, funds, auditor):
    codes = [row["code"] for row in api_as(auditor).get(reverse("statements-scopes")).json()]
    assert codes[-1] == "consolidated" and "wwcf" in codes and len(codes) == 5


def test_all_four_statements_with_comparatives_and_units(api_as, books, auditor):
    body = api_as(auditor).get(reverse("statements-scope", args=["wwcf"]),
                               {"date_from": "2026-01-01", "date_to": "2026-12-31", "unit": "eok"}).json()
    assert [s["kind"] for s in body] == ["position", "operations", "net-assets", "cash-flow"]
    position = body[0]
    cash = next(r for r in position["rows"] if r["key"] == chart.CASH)
    assert (cash["amount"], cash["prior"], cash["amount_in_unit"], cash["prior_in_unit"]) == (
        1_230_000_000, 800_000_000, 12, 8)
    assert position["prior_period"] == {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    assert all(check["ok"] for s in body for check in s["checks"])


def test_one_statement(api_as, books, auditor):
    body = api_as(auditor).get(reverse("statements-statement", args=["wwcf", "cash-flow"]),
                               {"date_from": "2026-01-01"}).json()
    rows = {r["key"]: r["amount"] for r in body["rows"]}
    assert rows["opening_cash"] + rows["net_change"] == rows["closing_cash"] == 1_230_000_000


def test_bad_input_names_the_field(api_as, funds, auditor):
    client = api_as(auditor)
    url = reverse("statements-scope", args=["wwcf"])
    response = client.get(url, {"date_from": "2026-06-01", "date_to": "2026-01-01"})
    assert response.status_code == 400 and "date_to" in str(response.json())
    response = client.get(url, {"unit": "bushels"})
    assert response.status_code == 400 and "unit" in str(response.json())
    assert client.get(reverse("statements-scope", args=["nofund"])).status_code == 404
    assert client.get(reverse("statements-statement", args=["wwcf", "balance"])).status_code == 404
