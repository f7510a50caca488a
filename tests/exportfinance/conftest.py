"""The four funds with cash in sef, companies A and B with their officers, an export project of company A, and
ways to set the recycling rule and report profit."""

from datetime import date
from decimal import Decimal

import pytest

from apps.exportfinance import services
from apps.exportfinance.models import ExportProject, FinancingType, RecyclingRule
from apps.funds import chart
from apps.funds.selectors import fund_account
from tests.funds.conftest import contribute, funds  # noqa: F401
from tests.organizations.fixtures import *  # noqa: F403

SEF_CASH = 10**12  # ₩1조 in sef's bank account to lend from
START = date(2025, 1, 2)


@pytest.fixture
def sef(funds):  # noqa: F811
    fund = funds["sef"]
    contribute(fund, SEF_CASH, party="gov:moef", day=date(2025, 1, 2))
    return fund


@pytest.fixture
def wwcf(funds):  # noqa: F811
    return funds["wwcf"]


def make_project(organization, *, committed=100_000_000_000, financing_type=FinancingType.LOAN,
                 name="LNG 운반선 수출") -> ExportProject:
    return services.project_create(actor="test", beneficiary=organization, name=name, financing_type=financing_type,
                                   committed=committed, term_months=60, start_date=START)


@pytest.fixture
def project(sef, org_a) -> ExportProject:
    return make_project(org_a)


def set_rule(*, rate="0.10", channel_share="0.5", base="operating_profit", due_days=90,
             destination_fund="wwcf") -> RecyclingRule:
    """The one rule, changed for the test (the seeded one starts 2026-01-01; moved back so 2025 periods have it).
    A transactional test's flush may have taken the seed away: then it is made again."""
    rule = RecyclingRule.objects.first() or RecyclingRule(valid_from=date(2020, 1, 1))
    rule.rate, rule.channel_share, rule.base = Decimal(rate), Decimal(channel_share), base
    rule.due_days, rule.destination_fund, rule.valid_from = due_days, destination_fund, date(2020, 1, 1)
    rule.save()
    return rule


@pytest.fixture
def rule(db) -> RecyclingRule:
    return set_rule()


def report(project, operating_profit: int, *, year=2025, period="H1", net_profit=None, reason="", actor="test",
           key=None):
    return services.profit_report_submit(
        actor=actor, project=project, year=year, period=period, operating_profit=operating_profit,
        net_profit=operating_profit if net_profit is None else net_profit, reason=reason, idempotency_key=key)


def balance(fund, code: str) -> int:
    return fund_account(fund, code).balance_minor


def cash(fund) -> int:
    return balance(fund, chart.CASH)
