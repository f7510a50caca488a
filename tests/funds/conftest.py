"""The four funds, set up as in production, and a way to post contributions to them through the ledger."""

from datetime import date

import pytest

from apps.core.money import krw
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_account
from apps.funds.services import funds_setup
from apps.ledger import services
from apps.ledger.services import credit, debit


@pytest.fixture
def funds(db) -> dict[str, Fund]:
    funds_setup(actor="test")
    return {fund.code: fund for fund in Fund.objects.select_related("ledger")}


@pytest.fixture
def wwcf(funds) -> Fund:
    return funds["wwcf"]


def contribute(fund: Fund, won: int, *, party: str, use: str = "", day: date = date(2026, 3, 2)):
    """A contribution received in cash: Dr cash / Cr contribution revenue, the revenue line naming the contributor
    and its designated use, as the contributions app posts it."""
    metadata = {"designated_use": use} if use else {}
    return services.entry_post(
        actor="test", ledger=fund.ledger, effective_date=day, memo="contribution received",
        reference=f"contribution:{party}:{day}",
        lines=[debit(fund_account(fund, chart.CASH), krw(won), party=party),
               credit(fund_account(fund, chart.CONTRIBUTION_REVENUE), krw(won), party=party, metadata=metadata)],
    )
