"""The figures of the four statements, per fund and consolidated, against what was worked out by hand."""

from datetime import date

from apps.funds import chart
from apps.statements.selectors import (
    CASH_FLOW,
    CONSOLIDATED,
    NET_ASSETS,
    OPERATIONS,
    POSITION,
    Period,
    fiscal_year,
    scope_get,
    statement_compute,
    statements_compute,
)
from tests.funds.conftest import contribute

from .figures import BOOKS

FY2026 = Period(date(2026, 1, 1), date(2026, 12, 31))


def test_the_financial_position_balances_and_counts_the_surplus_not_yet_closed(books):
    position = statement_compute(kind=POSITION, scope=scope_get("wwcf"), period=FY2026)
    assert position.row("total_assets").amount == position.row("total_liabilities_and_net_assets").amount
    assert position.row(chart.CASH).amount == BOOKS["wwcf_cash_2026"]
    assert position.row("total_net_assets").amount == BOOKS["wwcf_net_assets_2026"]
    assert position.row("unclosed_surplus").amount == BOOKS["wwcf_revenue_2026"]
    assert all(check.ok for check in position.checks)


def test_the_prior_year_stands_beside_the_current_one(books):
    position = statement_compute(kind=POSITION, scope=scope_get("wwcf"), period=FY2026)
    assert position.prior_period == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert position.row(chart.CASH).prior == BOOKS["wwcf_cash_2025"]
    assert position.row("total_net_assets").prior == BOOKS["wwcf_net_assets_2025"]
    assert position.row("unclosed_surplus").prior == 0  # 2025 was closed into net assets
    operations = statement_compute(kind=OPERATIONS, scope=scope_get("wwcf"), period=FY2026)
    assert operations.row("surplus").prior == 800_000_000  # the closing entry is not a revenue or an expense
    assert operations.row(chart.GRANT_EXPENSE).prior == 200_000_000
    assert operations.row(chart.GRANT_EXPENSE).amount == 0


def test_the_operating_statement_shows_revenue_less_expense(books):
    operations = statement_compute(kind=OPERATIONS, scope=scope_get("sef"), period=FY2026)
    assert operations.row("total_revenue").amount == 800_000_000
    assert operations.row(chart.TRANSFER_EXPENSE).amount == 50_000_000
    assert operations.row("surplus").amount == 750_000_000


def test_changes_in_net_assets_reconcile_to_the_financial_position(books):
    changes = statement_compute(kind=NET_ASSETS, scope=scope_get("wwcf"), period=FY2026)
    assert changes.row("opening").amount == BOOKS["wwcf_net_assets_2025"]
    assert changes.row("surplus").amount == BOOKS["wwcf_revenue_2026"]
    assert changes.row(chart.RESTRICTED_NET_ASSETS).amount == 10_000_000
    assert changes.row(chart.UNRESTRICTED_NET_ASSETS).amount == -10_000_000
    assert changes.row("closing").amount == BOOKS["wwcf_net_assets_2026"]
    assert all(check.ok for check in changes.checks)


def test_cash_flows_are_classified_by_counter_account_and_reconcile(books):
    flows = statement_compute(kind=CASH_FLOW, scope=scope_get("wwcf"), period=FY2026)
    assert flows.row("net_operating").amount == 500_000_000
    assert flows.row("net_investing").amount == -100_000_000
    assert flows.row("net_financing").amount == 30_000_000  # the transfer settled in cash
    assert flows.row("opening_cash").amount == BOOKS["wwcf_cash_2025"]
    assert flows.row("closing_cash").amount == BOOKS["wwcf_cash_2026"]
    assert flows.row("opening_cash").amount + flows.row("net_change").amount == flows.row("closing_cash").amount
    assert all(check.ok for check in flows.checks)
    assert flows.row("net_operating").prior == 800_000_000  # 1,000 m received, 200 m granted in 2025


def test_a_period_within_the_year_uses_balances_at_its_ends(books):
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    flows = statement_compute(kind=CASH_FLOW, scope=scope_get("wwcf"), period=period)
    assert flows.row("opening_cash").amount == 1_300_000_000
    assert flows.row("net_investing").amount == -100_000_000
    assert flows.row("closing_cash").amount == 1_200_000_000


def test_consolidation_eliminates_what_the_funds_owe_each_other(books):
    statements = {s.kind: s for s in statements_compute(scope=scope_get(CONSOLIDATED), period=FY2026)}
    position, operations = statements[POSITION], statements[OPERATIONS]
    keys = {row.key for row in position.rows}
    assert chart.DUE_FROM_OTHER_FUNDS not in keys and chart.DUE_TO_OTHER_FUNDS not in keys
    assert position.row(chart.CASH).amount == BOOKS["wwcf_cash_2026"] + BOOKS["sef_cash_2026"]
    assert position.row("total_net_assets").amount == BOOKS["wwcf_net_assets_2026"] + BOOKS["sef_net_assets_2026"]
    assert position.row("total_assets").amount == position.row("total_liabilities_and_net_assets").amount
    op_keys = {row.key for row in operations.rows}
    assert chart.TRANSFERS_FROM_OTHER_FUNDS not in op_keys and chart.TRANSFER_EXPENSE not in op_keys
    assert operations.row("total_revenue").amount == 500_000_000 + 300_000_000 + 800_000_000
    flows = statements[CASH_FLOW]
    assert flows.row("net_financing").amount == 0  # cash that moved between the funds stayed in the group
    assert all(check.ok for s in statements.values() for check in s.checks)
    assert "상계" in position.notes[0][0]


def test_the_default_period_is_the_fiscal_year():
    period = fiscal_year(2026)
    assert (period.date_from, period.date_to) == (date(2026, 1, 1), date(2026, 12, 31))
    assert Period(date(2024, 2, 29), date(2024, 12, 31)).year_before().date_from == date(2023, 2, 28)


def test_a_one_sided_interfund_booking_stays_visible_and_is_flagged(books):
    from .conftest import post

    post(books["wwcf"], date(2026, 6, 1), chart.DUE_FROM_OTHER_FUNDS, chart.TRANSFERS_FROM_OTHER_FUNDS, 7_000_000,
         "claimed from another fund, not booked there")
    statements = {s.kind: s for s in statements_compute(scope=scope_get(CONSOLIDATED), period=FY2026)}
    position = statements[POSITION]
    assert position.row(chart.DUE_FROM_OTHER_FUNDS).amount == 7_000_000  # only the matched part is eliminated
    assert position.row("total_assets").amount == position.row("total_liabilities_and_net_assets").amount
    assert [c.ok for c in position.checks] == [True, False]
    assert [c.ok for c in statements[OPERATIONS].checks] == [False]
    assert statements[OPERATIONS].row(chart.TRANSFERS_FROM_OTHER_FUNDS).amount == 7_000_000


def test_the_statements_read_a_fixed_number_of_aggregated_queries(books, django_assert_max_num_queries):
    scope = scope_get(CONSOLIDATED)
    with django_assert_max_num_queries(14):
        statements_compute(scope=scope, period=FY2026)
    for day in range(1, 29):  # more entries do not mean more queries
        contribute(books["wwcf"], 1_000, party="org:9", day=date(2026, 2, day))
    with django_assert_max_num_queries(14):
        statements_compute(scope=scope, period=FY2026)
