"""The funds, companies A and B, and ways to configure matching and confirm contributions for it."""

from datetime import date
from decimal import Decimal

import pytest

from apps.contributions import services as contributions
from apps.contributions.models import Contribution
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.matching.models import MatchingBudget, MatchingRule
from tests.contributions.conftest import USE, uses  # noqa: F401
from tests.funds.conftest import funds, wwcf  # noqa: F401
from tests.organizations.fixtures import *  # noqa: F403

D = date(2026, 3, 2)


def make_rule(fund, *, ratio="1.0", program="", valid_from=date(2026, 1, 1), **extra) -> MatchingRule:
    return MatchingRule.objects.create(fund=fund, program=program, ratio=Decimal(ratio), valid_from=valid_from, **extra)


def make_budget(fund, amount: int, *, year: int = 2026, program: str = "") -> MatchingBudget:
    return MatchingBudget.objects.create(fund=fund, program=program, year=year, amount=amount)


def confirm(fund, organization, amount: int, *, day: date = D, program: str = "") -> Contribution:
    """A contribution submitted and confirmed by the system (no matching runs unless on-commit callbacks do)."""
    contribution = contributions.contribution_submit(
        actor="test", organization=organization, fund=fund, amount=amount, contribution_date=day,
        designated_use=USE, program=program)
    return contributions.contribution_confirm(actor="test", contribution=contribution)


def revenue(fund) -> int:
    return fund_account(fund, chart.MATCHING_REVENUE).balance_minor


def receivable(fund) -> int:
    return fund_account(fund, chart.MATCHING_RECEIVABLE).balance_minor


@pytest.fixture
def fund(uses):  # noqa: F811
    return uses["wwcf"]
