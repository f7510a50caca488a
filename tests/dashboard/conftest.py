"""Company A's contributions over two years, matched by the government, a hold open on a fund's cash, and a
verification run: what the dashboards have to show."""

from datetime import date
from decimal import Decimal

import pytest

from apps.core.money import krw
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.models import VerificationRun
from apps.ledger.services import credit, debit
from apps.matching.services import contribution_match
from apps.taxcredits.models import CreditKind, TaxCreditRule
from tests.contributions.conftest import USE, uses  # noqa: F401
from tests.funds.conftest import funds  # noqa: F401
from tests.matching.conftest import confirm, make_budget, make_rule
from tests.organizations.fixtures import *  # noqa: F403

__all__ = ["USE", "art_8_3", "books", "today"]

TODAY = date(2026, 11, 26)


@pytest.fixture
def today():
    return TODAY


@pytest.fixture(autouse=True)
def art_8_3(db):
    """The art. 8-3 rule as its migration seeds it (a browser test's flush may have removed the seeded row)."""
    return TaxCreditRule.objects.get_or_create(kind=CreditKind.WIN_WIN_FUND_CONTRIBUTION, valid_from=date(2026, 1, 1),
                                               defaults={"rate": Decimal("0.10"), "valid_to": date(2028, 12, 31)})[0]


@pytest.fixture
def books(uses, org_a, org_b):  # noqa: F811
    wwcf, wwfp = uses["wwcf"], uses["wwfp"]
    make_rule(wwcf, ratio="0.5")
    make_budget(wwcf, 1_000_000_000)
    first = confirm(wwcf, org_a, 400_000_000, day=date(2026, 3, 2))
    contribution_match(actor="test", contribution=first)
    confirm(wwfp, org_a, 200_000_000, day=date(2026, 7, 15))
    confirm(wwcf, org_b, 50_000_000, day=date(2026, 8, 1))
    ledger.hold_create(actor="test", ledger=wwcf.ledger, effective_date=date(2026, 9, 1), memo="grant approved",
                       lines=[debit(fund_account(wwcf, chart.GRANTS_PAYABLE), krw(30_000_000)),
                              credit(fund_account(wwcf, chart.CASH), krw(30_000_000))])
    VerificationRun.objects.create(ok=True, checked={"entries": 4}, actor_label="nightly")
    return uses
