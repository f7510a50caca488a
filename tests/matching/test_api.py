"""The matching API and back office: rules and budgets for administrators and auditors, matches scoped like
contributions."""

import pytest

from apps.matching import services

from .conftest import confirm, make_budget, make_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(fund, org_a, org_b):
    make_rule(fund)
    make_budget(fund, 1_000)
    return {org: services.contribution_match(actor="test", contribution=confirm(fund, org, 300))
            for org in (org_a, org_b)}


def test_budgets_show_amount_matched_and_remaining(api_as, auditor, matched):
    body = api_as(auditor).get("/api/v1/matching/budgets/").json()
    [budget] = body["results"]
    assert (budget["amount"], budget["matched_total"], budget["remaining"]) == (1_000, 600, 400)


def test_rules_and_budgets_are_for_administrators_and_auditors(api_as, fund_admin, member_a, matched):
    assert api_as(fund_admin).get("/api/v1/matching/rules/").json()["count"] == 1
    assert api_as(member_a).get("/api/v1/matching/rules/").status_code == 403
    assert api_as(member_a).get("/api/v1/matching/budgets/").status_code == 403


def test_members_see_only_their_own_organisations_matches(api_as, member_a, org_a, org_b, matched):
    client = api_as(member_a)
    body = client.get("/api/v1/matching/matches/").json()
    assert [m["organization"] for m in body["results"]] == [org_a.pk]
    assert body["results"][0]["matched"] == 300
    assert client.get(f"/api/v1/matching/matches/{matched[org_b].pk}/").status_code == 404


def test_anonymous_clients_get_nothing(api):
    assert api.get("/api/v1/matching/matches/").status_code in (401, 403)


@pytest.mark.parametrize("page", ["matchingrule", "matchingbudget", "match"])
def test_the_back_office_lists_rules_budgets_and_matches(client, django_user_model, matched, page):
    client.force_login(django_user_model.objects.create_superuser("root", password="pw"))
    response = client.get(f"/admin/matching/{page}/")
    assert response.status_code == 200
    if page == "matchingbudget":
        assert "400원" in response.content.decode()


def test_matches_are_read_only_in_the_back_office(client, django_user_model, matched, org_a):
    client.force_login(django_user_model.objects.create_superuser("root", password="pw"))
    assert client.get("/admin/matching/match/add/").status_code == 403
    page = client.get(f"/admin/matching/match/{matched[org_a].pk}/change/")
    assert page.status_code == 200 and b'name="matched"' not in page.content


def test_changing_a_budget_keeps_what_it_matched_and_refuses_less(fund_admin, matched):
    from apps.matching.exceptions import BudgetTooSmall
    from apps.matching.models import MatchingBudget

    stale = MatchingBudget.objects.get()
    stale.matched_total = 0  # as read before the matches committed
    stale.amount = 2_000
    services.budget_save(actor=fund_admin, budget=stale)
    assert MatchingBudget.objects.values_list("amount", "matched_total").get() == (2_000, 600)
    stale.amount = 599
    with pytest.raises(BudgetTooSmall):
        services.budget_save(actor=fund_admin, budget=stale)


def test_the_back_office_saves_a_budget_through_the_service(client, django_user_model, fund, matched):
    from apps.matching.models import MatchingBudget

    client.force_login(django_user_model.objects.create_superuser("root", password="pw"))
    budget = MatchingBudget.objects.get()
    form = {"fund": fund.pk, "program": "", "year": 2026, "amount": 500}
    page = client.post(f"/admin/matching/matchingbudget/{budget.pk}/change/", form)
    assert page.status_code == 200 and "600" in page.content.decode()  # refused beside the field
    form["amount"] = 5_000
    assert client.post(f"/admin/matching/matchingbudget/{budget.pk}/change/", form).status_code == 302
    assert MatchingBudget.objects.values_list("amount", "matched_total").get() == (5_000, 600)
