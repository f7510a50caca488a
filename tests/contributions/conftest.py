"""The four funds with their designated uses, companies A and B with their finance officers, and a way to submit
a contribution as company A's officer."""

from datetime import date

import pytest

from apps.contributions import services
from apps.contributions.models import Contribution
from tests.funds.conftest import funds, wwcf  # noqa: F401
from tests.organizations.fixtures import *  # noqa: F403

D = date(2026, 3, 2)
USE = "technology_cooperation"


@pytest.fixture
def uses(funds):  # noqa: F811
    services.designated_uses_setup(actor="test")
    return funds


@pytest.fixture
def wwfp(uses):
    return uses["wwfp"]


@pytest.fixture
def submit(uses, org_a, member_a):
    """submit(**overrides): company A's officer submits ₩100,000,000 to the win-win cooperation fund."""

    def make(**overrides) -> Contribution:
        kwargs = {"actor": member_a, "organization": org_a, "fund": uses["wwcf"], "amount": 100_000_000,
                  "contribution_date": D, "designated_use": USE, **overrides}
        return services.contribution_submit(**kwargs)

    return make


@pytest.fixture
def confirmed(submit, fund_admin):
    """A contribution of company A, confirmed by a fund administrator."""
    return services.contribution_confirm(actor=fund_admin, contribution=submit())
