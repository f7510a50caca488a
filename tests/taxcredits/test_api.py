"""The tax-credits API: fund administrators and auditors see every organisation, a member only their own (another
organisation answers 404), and only fund administrators issue statements."""

import pytest

from apps.taxcredits import services
from apps.taxcredits.models import TaxCreditStatement

pytestmark = pytest.mark.django_db

LIVE = "/api/v1/tax-credits/statements/"
ISSUED = "/api/v1/tax-credits/issued-statements/"
PEOPLE = ["anonymous", "outsider", "member_a", "member_b", "auditor", "fund_admin"]


def client_for(request, api, who):
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    return api


@pytest.fixture
def of_a(confirm, rule):
    return confirm(amount=1_234_567)


@pytest.fixture
def issued(of_a, org_a, org_b, fund_admin):
    return (services.statement_issue(actor=fund_admin, organization=org_a, year=2026),
            services.statement_issue(actor=fund_admin, organization=org_b, year=2026))


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 401), ("outsider", 404), ("member_a", 200),
                                               ("member_b", 404), ("auditor", 200), ("fund_admin", 200)])
def test_who_sees_company_a_s_live_statement(request, api, of_a, org_a, rule, who, expected):
    response = client_for(request, api, who).get(LIVE, {"organization": org_a.pk, "year": 2026})

    assert response.status_code in ((401, 403) if expected == 401 else (expected,))
    if expected == 200:
        body = response.json()
        assert (body["total_amount"], body["total_credit"]) == (1_234_567, 123_456)
        assert body["lines"] == [{"contribution": of_a.pk, "date": "2026-03-02", "fund": "wwcf", "amount": 1_234_567,
                                  "excluded": 0, "base": 1_234_567, "rate": "0.100000", "credit": 123_456,
                                  "rule": rule.pk, "reason": ""}]


def test_the_live_statement_needs_an_organisation_and_a_year(api_as, member_a):
    response = api_as(member_a).get(LIVE, {"year": 2026})

    assert response.status_code == 400 and response.json()["field"] == "organization"


@pytest.mark.parametrize("who", PEOPLE)
def test_who_sees_which_issued_statements(request, api, issued, who):
    a, b = issued
    response = client_for(request, api, who).get(ISSUED)
    if who == "anonymous":
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    seen = {row["id"] for row in response.json()["results"]}
    assert seen == {"outsider": set(), "member_a": {a.pk}, "member_b": {b.pk}, "auditor": {a.pk, b.pk},
                    "fund_admin": {a.pk, b.pk}}[who]
    detail = api.get(f"{ISSUED}{a.pk}/")
    assert detail.status_code == (200 if a.pk in seen else 404)


def test_issued_statements_filter_by_organisation_and_year(api_as, auditor, issued, org_a):
    rows = api_as(auditor).get(ISSUED, {"organization": org_a.pk, "year": 2026}).json()["results"]

    assert [(row["organization"], row["version"], row["total_credit"]) for row in rows] == [(org_a.pk, 1, 123_456)]


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 401), ("outsider", 403), ("member_a", 403),
                                               ("member_b", 403), ("auditor", 403), ("fund_admin", 201)])
def test_only_fund_administrators_issue_statements(request, api, of_a, org_a, who, expected):
    response = client_for(request, api, who).post(ISSUED, {"organization": org_a.pk, "year": 2026}, format="json")

    assert response.status_code in ((401, 403) if expected == 401 else (expected,))
    assert TaxCreditStatement.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        assert (response.json()["version"], response.json()["total_credit"]) == (1, 123_456)


def test_the_schema_names_the_tax_credit_endpoints(api_as, fund_admin):
    schema = api_as(fund_admin).get("/api/schema/", {"format": "json"}).json()

    assert {LIVE, ISSUED, ISSUED + "{id}/"} <= set(schema["paths"])
