"""The win-win cooperation fund with cash in it, company A (a large company, `member_a` its finance officer) leading
projects with company B (an SME, `member_b`) and another SME, and helpers that propose, approve, award and pay
through the services as a fund administrator would."""

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import translation

from apps.grants import services
from apps.organizations.models import SizeClass
from tests.funds.conftest import contribute, funds, wwcf  # noqa: F401
from tests.organizations.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.organizations.fixtures import *  # noqa: F403

D = date(2026, 3, 2)
BN = 1_000_000_000  # ₩10억
FUND_CASH = 50 * BN


@pytest.fixture(autouse=True)
def in_english():
    """Services speak the active language; the tests read their refusals in English (pages and API requests still
    choose their own language per request)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def seeded_rules(request):
    """The cap and share rules as the migration seeds them: a browser test run earlier on the same database ends
    with a flush that removes the migration's rows, so database tests put them back if they are gone."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db" if "transactional_db" not in request.fixturenames else "transactional_db")
        import_module("apps.grants.migrations.0002_seed_rules").seed(apps, None)


@pytest.fixture
def cash(wwcf):  # noqa: F811
    """₩50 bn received by the fund, so awards can be encumbered."""
    contribute(wwcf, FUND_CASH, party="org:donor")
    return wwcf


@pytest.fixture
def org_c(db):
    return OrganizationFactory(name_ko="가온바이오", name_en="Gaon Bio", size_class=SizeClass.SME)


@pytest.fixture
def member_c(org_c):
    user = UserFactory(username="member_c", password="pw-member_c")
    MembershipFactory(user=user, organization=org_c)
    return user


@pytest.fixture
def propose(cash, org_a, org_b, org_c):
    """propose(**overrides): company A proposes a US project of ₩10 bn with B and C, approved unless told not."""

    def make(*, approve=True, **overrides):
        kwargs = {"actor": "test", "lead": org_a, "title": "미국 반도체 공동진출", "country": "US",
                  "total_cost": 10 * BN, "start_date": D, "end_date": date(2028, 12, 31),
                  "participants": [org_b, org_c], **overrides}
        project = services.project_propose(**kwargs)
        return services.project_approve(actor="test", project=project) if approve else project

    return make


@pytest.fixture
def project(propose):
    return propose()


@pytest.fixture
def award(project, org_b):
    """award(amount, **overrides): award company B in `project`."""

    def make(amount, **overrides):
        kwargs = {"actor": "test", "project": project, "sme": org_b, "amount": amount, "award_date": D, **overrides}
        return services.award_approve(**kwargs)

    return make
