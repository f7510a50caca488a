"""The funds, company A (a large contributor) with company B as its partner SME, the KODIT program A funds at
12.5×, and ways to confirm, earmark and transfer pool money."""

from datetime import date
from decimal import Decimal

import pytest

from apps.contributions import services as contributions
from apps.contributions.models import Contribution
from apps.guarantees import services
from apps.guarantees.models import GuaranteeInstitution, GuaranteeProgram, LeverageRule
from tests.contributions.conftest import USE, uses  # noqa: F401
from tests.funds.conftest import funds  # noqa: F401
from tests.organizations.fixtures import *  # noqa: F403

D = date(2026, 3, 2)


def confirm(fund, organization, amount: int, *, day: date = D) -> Contribution:
    """A contribution submitted and confirmed by the system."""
    contribution = contributions.contribution_submit(
        actor="test", organization=organization, fund=fund, amount=amount, contribution_date=day,
        designated_use=USE)
    return contributions.contribution_confirm(actor="test", contribution=contribution)


def make_program(institution, organization, *, multiple="12.5", name="협력사 동반성장 보증",
                 valid_from=date(2026, 1, 1)) -> GuaranteeProgram:
    program = GuaranteeProgram.objects.create(institution=institution, organization=organization, name=name)
    LeverageRule.objects.create(program=program, multiple=Decimal(multiple), valid_from=valid_from)
    return program


@pytest.fixture
def wwfp(uses):  # noqa: F811
    return uses["wwfp"]


@pytest.fixture
def institutions(db) -> dict[str, GuaranteeInstitution]:
    """The seeded institutions (set up again: a transactional test may have flushed what the migration seeded)."""
    return {i.code: i for i in services.institutions_setup()}


@pytest.fixture
def kodit(institutions):
    return institutions["kodit"]


@pytest.fixture
def kibo(institutions):
    return institutions["kibo"]


@pytest.fixture
def partnered(org_a, org_b):
    """Company B is company A's partner SME."""
    org_a.partner_smes.add(org_b)
    return org_b


@pytest.fixture
def program(kodit, org_a, partnered):
    return make_program(kodit, org_a)


@pytest.fixture
def earmarked(wwfp, org_a, program):
    """₩100,000,000 of company A to the pool, confirmed and earmarked for its KODIT program."""
    contribution = confirm(wwfp, org_a, 100_000_000)
    services.earmark_create(actor="test", contribution=contribution, program=program)
    return contribution


@pytest.fixture
def funded(earmarked, program, fund_admin):
    """The earmarked ₩100,000,000 transferred to KODIT: the program supports ₩1,250,000,000 of guarantees."""
    services.transfer_create(actor=fund_admin, program=program, amount=100_000_000, transfer_date=D,
                             idempotency_key="funded")
    return program
