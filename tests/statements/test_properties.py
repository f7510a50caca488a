"""Whatever is posted, in any fund, on any day: the financial position balances, the changes in net assets end
where the financial position does, and opening cash plus the cash flows is closing cash — per fund and
consolidated, for the year and for its comparative."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.money import krw
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.exceptions import LimitExceeded
from apps.ledger.services import credit, debit
from apps.statements.selectors import CONSOLIDATED, INTERFUND_CODES, Period, scope_get, statements_compute

# Inter-fund accounts move only through transfers, both sides at once, as the ledger's transfer service posts them.
CODES = [spec.code for spec in chart.CHART if spec.code not in INTERFUND_CODES]
FUNDS = ["wwcf", "wwfp", "sef", "relief"]

postings = st.lists(st.tuples(
    st.sampled_from(FUNDS), st.integers(min_value=0, max_value=729), st.sampled_from(CODES), st.sampled_from(CODES),
    st.integers(min_value=1, max_value=10**12)), min_size=1, max_size=12)
transfers = st.lists(st.tuples(st.sampled_from(FUNDS), st.sampled_from(FUNDS), st.integers(0, 729),
                               st.integers(min_value=1, max_value=10**9)), max_size=3)


def post_all(funds, entries, moves):
    for code, offset, debit_code, credit_code, won in entries:
        fund = funds[code]
        if debit_code == credit_code:
            continue
        try:
            ledger.entry_post(actor="test", ledger=fund.ledger, effective_date=date(2025, 1, 1) + timedelta(offset),
                              lines=[debit(fund_account(fund, debit_code), krw(won)),
                                     credit(fund_account(fund, credit_code), krw(won))])
        except LimitExceeded:  # cash cannot go below zero; that posting is refused, the others stand
            continue
    for source, target, offset, won in moves:
        if source == target:
            continue
        ledger.interfund_transfer_post(
            actor="test", amount=krw(won), effective_date=date(2025, 1, 1) + timedelta(offset),
            source_debit=fund_account(funds[source], chart.TRANSFER_EXPENSE),
            source_credit=fund_account(funds[source], chart.DUE_TO_OTHER_FUNDS),
            target_debit=fund_account(funds[target], chart.DUE_FROM_OTHER_FUNDS),
            target_credit=fund_account(funds[target], chart.TRANSFERS_FROM_OTHER_FUNDS))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=postings, moves=transfers)
def test_the_statements_always_balance_and_reconcile(funds, entries, moves):
    post_all(funds, entries, moves)
    for scope_code in ("wwcf", "sef", CONSOLIDATED):
        for statement in statements_compute(scope=scope_get(scope_code),
                                            period=Period(date(2026, 1, 1), date(2026, 12, 31))):
            assert all(check.ok for check in statement.checks), (scope_code, statement.kind)
            rows = {row.key: row for row in statement.rows}
            if statement.kind == "position":
                assert rows["total_assets"].prior == rows["total_liabilities_and_net_assets"].prior
            if statement.kind == "cash-flow":
                assert rows["opening_cash"].prior + rows["net_change"].prior == rows["closing_cash"].prior
