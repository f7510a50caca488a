"""The grants demo: two approved projects with awards and tranches paid, one waiting, an SME login — and a second
run that changes nothing."""

import pytest

from apps.core.demo import (
    DemoContext,
    ensure_books,
    ensure_members,
    ensure_organizations,
    ensure_users,
    grant_role_permissions,
)
from apps.funds.models import Fund
from apps.grants.dashboard import dashboard_cards
from apps.grants.demo import ensure_demo
from apps.grants.models import Award, ExpansionProject, GrantEvent, Tranche
from apps.ledger.models import Hold, JournalEntry
from tests.funds.conftest import contribute

pytestmark = pytest.mark.django_db


@pytest.fixture
def context():
    grant_role_permissions()
    users = ensure_users()
    books = ensure_books(users["fundadmin"])
    organizations = ensure_organizations(users["fundadmin"])
    officers = ensure_members(users["fundadmin"], organizations)
    contribute(Fund.objects.get(code="wwcf"), 100 * 10**9, party="org:donor")
    return DemoContext(actor=users["fundadmin"], users=users, organizations=organizations, officers=officers,
                       books=books)


def _counts():
    return tuple(m.objects.count() for m in (ExpansionProject, Award, Tranche, GrantEvent, Hold, JournalEntry))


def test_the_demo_runs_twice_and_nothing_doubles(context, client):
    ensure_demo(context)
    first = _counts()
    ensure_demo(context)
    assert _counts() == first
    assert first[:3] == (3, 4, 4)
    samsung_us = ExpansionProject.objects.get(country="US")
    assert samsung_us.lead.name_en == "Samsung Electronics"
    assert sum(a.paid for a in samsung_us.awards.all()) == 16 * 10**8
    client.login(username="daehan_officer", password="daehan-demo-2026")  # noqa: S106
    assert "18억 원" in client.get("/portal/grants/").content.decode()


def test_the_dashboard_shows_paid_of_awarded_per_country(context, fund_admin, member_a):
    ensure_demo(context)
    total, *countries = dashboard_cards(fund_admin)
    assert (total.used, total.limit) == (21 * 10**8, 53 * 10**8)
    assert {c.link.rsplit("=", 1)[1] for c in countries} == {"US", "VN"}
    assert dashboard_cards(member_a) == []
