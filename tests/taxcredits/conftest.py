"""Companies A and B with their officers, the funds and designated uses, the seeded art. 8-3 rule, and helpers to
submit and confirm contributions through the contributions services."""

from datetime import date
from decimal import Decimal

import pytest

from apps.contributions import services as contributions
from apps.organizations.models import SizeClass
from apps.taxcredits.models import CreditKind, TaxCreditRule
from tests.contributions.conftest import submit, uses  # noqa: F401
from tests.funds.conftest import funds, wwcf  # noqa: F401
from tests.organizations.factories import OrganizationFactory
from tests.organizations.fixtures import *  # noqa: F403


@pytest.fixture(autouse=True)
def rule(db) -> TaxCreditRule:
    """The art. 8-3 rule the migration seeds: 10 % from 2026-01-01 to 2028-12-31 (put back if a transactional test
    elsewhere flushed it away)."""
    return TaxCreditRule.objects.get_or_create(
        kind=CreditKind.WIN_WIN_FUND_CONTRIBUTION, valid_from=date(2026, 1, 1),
        defaults={"rate": Decimal("0.10"), "valid_to": date(2028, 12, 31)},
    )[0]


@pytest.fixture
def smes(db):
    """Three SMEs that contributions may name as beneficiaries, in the order of their ids."""
    return [OrganizationFactory(size_class=SizeClass.SME) for _ in range(3)]


@pytest.fixture
def confirm(submit, fund_admin):  # noqa: F811
    """confirm(**overrides): company A's officer submits, a fund administrator confirms."""

    def make(**overrides):
        return contributions.contribution_confirm(actor=fund_admin, contribution=submit(**overrides))

    return make
