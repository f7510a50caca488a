"""Two years of books in two funds, with every kind of movement the statements classify: contributions received
in cash, a grant paid, the 2025 year closed, then in 2026 a loan, matching accrued, a transfer between funds with
part of it settled in cash, and a reclassification between restricted and unrestricted net assets."""

from datetime import date

import pytest

from apps.core.money import krw
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.services import credit, debit
from tests.funds.conftest import contribute, funds  # noqa: F401
from tests.organizations.fixtures import *  # noqa: F403


def post(fund, day: date, debit_code: str, credit_code: str, won: int, memo: str = ""):
    return ledger.entry_post(actor="test", ledger=fund.ledger, effective_date=day, memo=memo,
                             lines=[debit(fund_account(fund, debit_code), krw(won)),
                                    credit(fund_account(fund, credit_code), krw(won))])

def transfer(source, target, day: date, won: int, *, settle: bool):
    """Source owes target (transfer expense / due to) or, settling, pays what it owes in cash."""
    if settle:
        accounts = (chart.DUE_TO_OTHER_FUNDS, chart.CASH, chart.CASH, chart.DUE_FROM_OTHER_FUNDS)
    else:
        accounts = (chart.TRANSFER_EXPENSE, chart.DUE_TO_OTHER_FUNDS, chart.DUE_FROM_OTHER_FUNDS,
                    chart.TRANSFERS_FROM_OTHER_FUNDS)
    sd, sc, td, tc = accounts
    ledger.interfund_transfer_post(
        actor="test", amount=krw(won), effective_date=day,
        source_debit=fund_account(source, sd), source_credit=fund_account(source, sc),
        target_debit=fund_account(target, td), target_credit=fund_account(target, tc))

@pytest.fixture
def books(funds):  # noqa: F811
    wwcf, sef = funds["wwcf"], funds["sef"]
    contribute(wwcf, 1_000_000_000, party="org:1", day=date(2025, 3, 2))
    post(wwcf, date(2025, 6, 30), chart.GRANT_EXPENSE, chart.CASH, 200_000_000, "grant paid")
    ledger.period_close(actor="test", ledger=wwcf.ledger, year=2025,
                        net_assets_account=fund_account(wwcf, chart.UNRESTRICTED_NET_ASSETS))

    contribute(wwcf, 500_000_000, party="org:1", day=date(2026, 2, 10))
    post(wwcf, date(2026, 3, 5), chart.LOANS_RECEIVABLE, chart.CASH, 100_000_000, "loan to an SME")
    post(wwcf, date(2026, 4, 1), chart.MATCHING_RECEIVABLE, chart.MATCHING_REVENUE, 300_000_000, "matching")
    post(wwcf, date(2026, 4, 2), chart.UNRESTRICTED_NET_ASSETS, chart.RESTRICTED_NET_ASSETS, 10_000_000,
         "reclassified")
    contribute(sef, 800_000_000, party="org:2", day=date(2026, 1, 15))
    transfer(sef, wwcf, date(2026, 5, 1), 50_000_000, settle=False)
    transfer(sef, wwcf, date(2026, 5, 20), 30_000_000, settle=True)
    return funds
