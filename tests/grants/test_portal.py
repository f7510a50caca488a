"""The grants pages: the lead's finance officer proposes a project (errors beside the fields, CSRF, one project per
form however often it is sent) and follows it; an SME's members see their awards; nobody sees another company's."""

import re

import pytest
from django.test import Client

from apps.grants import services
from apps.grants.models import ExpansionProject

from .conftest import BN, D

NEW = "/portal/grants/projects/new/"


def _form(org_a, org_b, **overrides):
    return {"lead": org_a.pk, "title": "미국 2차전지 공동진출", "country": "US", "total_cost": "10,000,000,000",
            "start_date": "2026-04-01", "end_date": "2028-03-31", "participants": [org_b.pk],
            "idempotency_key": "6f1c1d56-0c7a-4a59-9bd5-0f0b3c1e9a11", **overrides}


@pytest.fixture
def paid(project, award):
    granted = award(BN)
    services.tranche_pay(actor="test", award=granted, amount=300_000_000, paid_date=D, idempotency_key="t1")
    return granted


@pytest.mark.parametrize("url", ["/portal/grants/", NEW, "/portal/grants/projects/1/", "/portal/grants/awards/1/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


def test_the_finance_officer_proposes_a_project_once(client, cash, org_a, org_b, member_a):
    client.force_login(member_a)
    page = client.get(NEW).content.decode()
    assert "csrfmiddlewaretoken" in page
    assert re.search(r'name="idempotency_key" value="[0-9a-f-]{36}"', page)
    first = client.post(NEW, _form(org_a, org_b))
    again = client.post(NEW, _form(org_a, org_b))
    project = ExpansionProject.objects.get()
    assert first["Location"] == again["Location"] == f"/portal/grants/projects/{project.pk}/"
    assert (project.total_cost, project.lead, project.proposed_by) == (10 * BN, org_a, member_a)
    assert "미국 2차전지 공동진출" in client.get("/portal/grants/").content.decode()


def test_errors_are_shown_beside_the_fields(client, cash, org_a, org_b, member_a):
    client.force_login(member_a)
    response = client.post(NEW, _form(org_a, org_b, total_cost="12.5", end_date="2026-01-01", participants=[]))
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("total_cost", "end_date", "participants"):
        assert f'id="id_{field}_error"' in html
    assert ExpansionProject.objects.count() == 0


def test_the_form_refuses_a_post_without_csrf(cash, org_a, org_b, member_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_a)
    assert client.post(NEW, _form(org_a, org_b)).status_code == 403


def test_smes_and_viewers_have_no_form(client, member_b, viewer_a):
    for user in (member_b, viewer_a):
        client.force_login(user)
        assert client.get(NEW).status_code == 404


def test_the_sme_sees_its_award_with_tranches_and_remaining(client, paid, member_b):
    client.force_login(member_b)
    html = client.get(f"/portal/grants/awards/{paid.pk}/").content.decode()
    assert "3억 원" in html and "7억 원" in html  # paid, remaining
    assert "2026-03-02" in html
    assert f"/portal/grants/awards/{paid.pk}/" in client.get("/portal/grants/").content.decode()


def test_nobody_sees_another_companys_project_or_award(client, paid, member_c, django_user_model):
    from tests.organizations.factories import MembershipFactory, OrganizationFactory

    stranger = django_user_model.objects.create_user("stranger", password="pw")
    MembershipFactory(user=stranger, organization=OrganizationFactory())
    client.force_login(stranger)
    assert client.get(f"/portal/grants/projects/{paid.project_id}/").status_code == 404
    assert client.get(f"/portal/grants/awards/{paid.pk}/").status_code == 404
    assert "미국 반도체 공동진출" not in client.get("/portal/grants/").content.decode()
    client.force_login(member_c)  # takes part in the project, but the award is B's
    assert client.get(f"/portal/grants/awards/{paid.pk}/").status_code == 404
    assert client.get(f"/portal/grants/projects/{paid.project_id}/").status_code == 200


def test_the_lead_follows_its_project_and_its_awards(client, paid, member_a):
    client.force_login(member_a)
    html = client.get(f"/portal/grants/projects/{paid.project_id}/").content.decode()
    assert "새싹정밀" in html and "10억 원" in html


def test_the_portal_links_to_the_grants_pages(client, member_a):
    client.force_login(member_a)
    assert 'href="/portal/grants/"' in client.get("/portal/grants/").content.decode()
