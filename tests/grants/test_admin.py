"""Grants in the back office: lists with filters and a registration-number search, a fund administrator approving
projects, awarding, paying and cancelling through small forms (refusals reported with the cap and the room), and
auditors who see everything and change nothing."""

import pytest
from django.urls import reverse

from apps.core.demo import grant_role_permissions
from apps.grants import services
from apps.grants.models import Award, AwardStatus, ProjectStatus, Tranche

from .conftest import BN

PROJECTS = reverse("admin:grants_expansionproject_changelist")
AWARDS = reverse("admin:grants_award_changelist")


@pytest.fixture(autouse=True)
def role_permissions(db):
    grant_role_permissions()
    services.role_permissions_grant()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def granted(award):
    return award(BN)


def _detail_action(model: str, name: str, pk: int) -> str:
    return reverse(f"admin:grants_{model}_{name}", args=[pk])


def test_every_list_and_page_opens_for_admins_and_auditors(client, fund_admin, auditor, granted):
    services.tranche_pay(actor="test", award=granted, amount=1, paid_date=granted.award_date, idempotency_key="t")
    for user in (fund_admin, auditor):
        client.force_login(user)
        for model in ("expansionproject", "award", "tranche", "grantcaprule", "grantsharerule",
                      "grantevent"):
            assert client.get(reverse(f"admin:grants_{model}_changelist")).status_code == 200, model
        assert client.get(reverse("admin:grants_expansionproject_change", args=[granted.project_id])).status_code == 200
        assert client.get(reverse("admin:grants_award_change", args=[granted.pk])).status_code == 200


@pytest.mark.parametrize(("query", "count"), [
    ({"country__exact": "US"}, 1), ({"country__exact": "VN"}, 1), ({"status__exact": "proposed"}, 1),
    ({"year": "2026"}, 2), ({"q": "124-81-00998"}, 2), ({"q": "새싹정밀"}, 2), ({"q": "없는회사"}, 0),
])
def test_projects_filter_by_country_status_year_and_search_by_company(client, fund_admin, propose, query, count):
    propose()
    propose(country="VN", approve=False)
    client.force_login(fund_admin)
    response = client.get(PROJECTS, query)
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


def test_awards_search_by_the_smes_registration_number(client, fund_admin, granted, org_b):
    client.force_login(fund_admin)
    response = client.get(AWARDS, {"q": org_b.brn_display})
    assert response.context["cl"].result_count == 1


def test_an_administrator_approves_selected_projects(client, fund_admin, propose):
    project = propose(approve=False)
    client.force_login(fund_admin)
    client.post(PROJECTS, {"action": "approve_projects", "_selected_action": [project.pk]})
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED
    assert project.events.last().actor == fund_admin


def test_an_administrator_rejects_with_a_reason(client, fund_admin, propose):
    project = propose(approve=False)
    client.force_login(fund_admin)
    form = client.post(PROJECTS, {"action": "reject_projects", "_selected_action": [project.pk]})
    assert form.status_code == 200 and "reason" in form.content.decode()
    client.post(PROJECTS, {"action": "reject_projects", "_selected_action": [project.pk], "apply": "yes",
                           "reason": "예산 부족"})
    project.refresh_from_db()
    assert (project.status, project.reason) == (ProjectStatus.REJECTED, "예산 부족")


def test_an_administrator_awards_an_sme_from_the_projects_page(english, fund_admin, project, org_b):
    english.force_login(fund_admin)
    url = _detail_action("expansionproject", "award_sme", project.pk)
    assert english.get(url).status_code == 200
    data = {"sme": org_b.pk, "amount": "1,800,000,000", "award_date": "2026-03-02",
            "idempotency_key": "1b0c6c1e-3f39-4f0e-9d55-8bb9a1c1e0a1"}
    english.post(url, data)
    english.post(url, data)  # a double click: the same key
    assert Award.objects.get().amount == 1_800_000_000
    refused = english.post(url, {**data, "amount": "300,000,000",
                                 "idempotency_key": "1b0c6c1e-3f39-4f0e-9d55-8bb9a1c1e0a2"})
    assert "room ₩200,000,000" in refused.content.decode()
    assert Award.objects.count() == 1


def test_an_administrator_pays_a_tranche_and_cancels_the_rest(client, fund_admin, granted):
    client.force_login(fund_admin)
    client.post(_detail_action("award", "pay_tranche", granted.pk),
                {"amount": "400,000,000", "paid_date": "2026-04-01",
                 "idempotency_key": "2b0c6c1e-3f39-4f0e-9d55-8bb9a1c1e0a1"})
    too_much = client.post(_detail_action("award", "pay_tranche", granted.pk),
                           {"amount": "700,000,000", "paid_date": "2026-04-01",
                            "idempotency_key": "2b0c6c1e-3f39-4f0e-9d55-8bb9a1c1e0a2"})
    assert "₩600,000,000" in too_much.content.decode()
    client.post(_detail_action("award", "cancel_this_award", granted.pk), {"reason": "현지 진출 철회"})
    granted.refresh_from_db()
    assert (granted.paid, granted.status) == (400_000_000, AwardStatus.CANCELLED)
    assert Tranche.objects.count() == 1


def test_auditors_cannot_act(client, auditor, propose, granted):
    project = propose(approve=False)
    client.force_login(auditor)
    client.post(PROJECTS, {"action": "approve_projects", "_selected_action": [project.pk]})
    pay = client.post(_detail_action("award", "pay_tranche", granted.pk),
                      {"amount": "1", "paid_date": "2026-04-01",
                       "idempotency_key": "2b0c6c1e-3f39-4f0e-9d55-8bb9a1c1e0a1"})
    assert pay.status_code in (302, 403)
    client.post(AWARDS, {"action": "cancel_awards", "_selected_action": [granted.pk], "apply": "yes",
                         "reason": "x"})
    project.refresh_from_db()
    granted.refresh_from_db()
    assert project.status == ProjectStatus.PROPOSED
    assert (granted.paid, granted.status) == (0, AwardStatus.APPROVED)
