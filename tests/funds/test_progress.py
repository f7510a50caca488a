"""Fund progress is read from the ledger only: what was raised, by year, by contributor and by designated use, and
the exact share of the target."""

from datetime import date
from decimal import Decimal

import pytest

from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_account, fund_progress, fund_totals
from apps.ledger import services

from .conftest import contribute

pytestmark = pytest.mark.django_db

SAMSUNG, KB, HYUNDAI = "org:samsung-electronics", "org:kb-financial", "org:hyundai-motor"
BN = 10**8  # 억


@pytest.fixture
def contributions(wwcf):
    contribute(wwcf, 1_000 * BN, party=SAMSUNG, use="performance_sharing", day=date(2026, 3, 2))
    contribute(wwcf, 500 * BN, party=KB, use="technology_cooperation", day=date(2026, 9, 15))
    contribute(wwcf, 300 * BN, party=SAMSUNG, use="technology_cooperation", day=date(2027, 1, 11))
    contribute(wwcf, 200 * BN, party=HYUNDAI, day=date(2027, 6, 30))
    return wwcf


def test_raised_is_the_contribution_revenue_balance_and_cash_follows(contributions):
    progress = fund_progress(contributions)

    assert progress.raised == 2_000 * BN
    assert progress.raised == fund_account(contributions, chart.CONTRIBUTION_REVENUE).balance_minor
    assert progress.cash == 2_000 * BN
    assert progress.target == 1_500_000_000_000


def test_raised_by_year_spans_the_years_contributions_came_in(contributions):
    assert fund_progress(contributions).by_year == {2026: 1_500 * BN, 2027: 500 * BN}


def test_raised_by_contributor_sums_each_party_s_contributions(contributions):
    assert fund_progress(contributions).by_contributor == {SAMSUNG: 1_300 * BN, KB: 500 * BN, HYUNDAI: 200 * BN}


def test_raised_by_designated_use_reads_the_revenue_lines_metadata(contributions):
    assert fund_progress(contributions).by_designated_use == {
        "": 200 * BN, "performance_sharing": 1_000 * BN, "technology_cooperation": 800 * BN,
    }


def test_share_of_target_is_exact(contributions):
    progress = fund_progress(contributions)

    assert progress.share_of_target == Decimal("0.133333")  # 2,000억 of 1조 5,000억 = 2/15, rounded down
    assert str(progress.share_of_target) == "0.133333"
    assert progress.percent_of_target == Decimal("13.33")


def test_share_of_target_rounds_down_where_a_float_would_round_up(wwcf):
    contribute(wwcf, 1_499_999_999_999, party=SAMSUNG)

    share = fund_totals(wwcf).share_of_target

    assert round(1_499_999_999_999 / 1_500_000_000_000, 6) == 1.0  # what floats would claim
    assert share == Decimal("0.999999")


def test_a_fund_without_a_target_has_no_share(funds):
    contribute(funds["sef"], 10 * BN, party=SAMSUNG)

    totals = fund_totals(funds["sef"])

    assert totals.raised == 10 * BN
    assert totals.share_of_target is None and totals.percent_of_target is None


def test_a_reversed_contribution_no_longer_counts(wwcf):
    contribute(wwcf, 100 * BN, party=SAMSUNG, use="culture")
    mistake = contribute(wwcf, 40 * BN, party=KB, use="culture", day=date(2026, 3, 3))
    services.entry_reverse(actor="test", entry=mistake, memo="entered in error")

    progress = fund_progress(wwcf)

    assert progress.raised == 100 * BN
    assert progress.by_contributor == {SAMSUNG: 100 * BN}
    assert progress.by_designated_use == {"culture": 100 * BN}


def test_closing_a_year_keeps_what_was_raised_in_it(contributions):
    before = fund_progress(contributions)
    services.period_close(actor="test", ledger=contributions.ledger, year=2026,
                          net_assets_account=fund_account(contributions, chart.UNRESTRICTED_NET_ASSETS))

    after = fund_progress(contributions)

    assert fund_account(contributions, chart.CONTRIBUTION_REVENUE).balance_minor == 500 * BN  # 2026 closed out
    assert (after.raised, after.by_year, after.by_contributor, after.by_designated_use) == (
        before.raised, before.by_year, before.by_contributor, before.by_designated_use)


def test_progress_of_one_fund_ignores_the_others(funds):
    contribute(funds["wwcf"], 7 * BN, party=SAMSUNG)
    contribute(funds["wwfp"], 9 * BN, party=KB)

    assert fund_progress(Fund.objects.get(code="wwfp")).by_contributor == {KB: 9 * BN}
    assert fund_totals(funds["wwcf"]).raised == 7 * BN
