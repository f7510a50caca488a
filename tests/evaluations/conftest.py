"""Companies A (large, with its finance officer) and B (an SME partner), the funds with their designated uses, the
evaluations' roles, and ways to make records, inputs and contributions for an evaluation year."""

from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest

from apps.contributions import services as contributions
from apps.evaluations import services
from apps.evaluations.models import DefenceInput, SgiInput
from tests.contributions.conftest import USE, uses, wwfp  # noqa: F401
from tests.funds.conftest import funds, wwcf  # noqa: F401
from tests.organizations.factories import OrganizationFactory
from tests.organizations.fixtures import *  # noqa: F403

YEAR = 2025


@pytest.fixture(autouse=True)
def evaluation_setup(db):
    """The seeded configuration (a transactional test's flush may have removed it) and the roles' permissions."""
    from django.apps import apps

    import_module("apps.evaluations.migrations.0002_seed_configuration").seed(apps, None)
    services.role_permissions_grant()


@pytest.fixture
def record(org_a, org_b):
    """record(**overrides): a record of company A with B as its tier-1 partner, registered by the system."""

    def make(principal=None, partners=None, actor="test", **overrides):
        values = {"project": "협력사 공정 개선", "transaction_type": "subcontracting", "goal": "불량률 30 % 절감",
                  "contract_date": date(YEAR, 3, 2), "sharing_method": "cash", "amount": 1_000_000_000,
                  "evidence_description": "성과 배분 계약서 2025-17", **overrides}
        return services.record_create(actor=actor, principal=principal or org_a,
                                      partners=partners if partners is not None else [(org_b, 1)], **values)

    return make


def confirmed(record_factory, **overrides):
    return services.record_confirm(actor="test", record=record_factory(**overrides))


def sgi_input(organization, year=YEAR, *, survey="70", performance="15", deductions="0", fair_trade="90",
              under_investigation=False) -> SgiInput:
    return SgiInput.objects.create(organization=organization, year=year, survey_score=Decimal(survey),
                                   performance_score=Decimal(performance), deductions=Decimal(deductions),
                                   fair_trade_score=Decimal(fair_trade), under_investigation=under_investigation)


def defence_input(organization, year=YEAR, *, cooperation="90", technology="80", localization="70",
                  deductions="0", under_investigation=False) -> DefenceInput:
    return DefenceInput.objects.create(organization=organization, year=year, cooperation_score=Decimal(cooperation),
                                       technology_score=Decimal(technology),
                                       localization_score=Decimal(localization), deductions=Decimal(deductions),
                                       under_investigation=under_investigation)


def contribute(fund, organization, amount: int, day: date):
    contribution = contributions.contribution_submit(actor="test", organization=organization, fund=fund,
                                                     amount=amount, contribution_date=day, designated_use=USE)
    return contributions.contribution_confirm(actor="test", contribution=contribution)


@pytest.fixture
def org_c(db):
    return OrganizationFactory(name_ko="다른대기업", size_class="large")
