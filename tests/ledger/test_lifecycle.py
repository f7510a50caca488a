"""Reversals, holds (two-phase postings), inter-fund transfers and fiscal periods."""

from datetime import date

import pytest

from apps.core.money import krw
from apps.ledger import selectors, services
from apps.ledger.exceptions import (
    AlreadyReversed,
    HoldNotOpen,
    IdempotencyConflict,
    InvalidEntry,
    LimitExceeded,
    PeriodClosed,
)
from apps.ledger.models import Account, FiscalPeriod, HoldStatus, JournalEntry, Ledger, PeriodEvent
from apps.ledger.services import credit, debit

D = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def fund(book, amount):
    return services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                               lines=[debit(book.cash, krw(amount)), credit(book.revenue, krw(amount))])


def balance(account):
    return Account.objects.get(pk=account.pk).balance_minor


def available(account):
    return Account.objects.get(pk=account.pk).available_minor


# Reversals


def test_reversal_mirrors_the_original_and_points_to_it(book):
    original = fund(book, 5_000)
    reversal = services.entry_reverse(actor="test", entry=original)
    assert reversal.reverses_id == original.pk
    assert [(ln.account_id, ln.debit, ln.credit) for ln in reversal.lines.order_by("id")] == [
        (book.cash.pk, 0, 5_000), (book.revenue.pk, 5_000, 0)
    ]
    assert balance(book.cash) == 0
    assert balance(book.revenue) == 0
    assert reversal.effective_date == original.effective_date


def test_an_entry_is_reversed_only_once(book):
    original = fund(book, 5_000)
    services.entry_reverse(actor="test", entry=original)
    with pytest.raises(AlreadyReversed):
        services.entry_reverse(actor="test", entry=JournalEntry.objects.get(pk=original.pk))
    assert JournalEntry.objects.count() == 2


def test_a_reversal_that_would_overdraw_a_limited_account_is_refused(book):
    original = fund(book, 5_000)
    services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                        lines=[debit(book.expense, krw(4_000)), credit(book.cash, krw(4_000))])
    with pytest.raises(LimitExceeded):
        services.entry_reverse(actor="test", entry=original)


# Holds


def test_hold_reserves_then_posts_in_tranches(book):
    fund(book, 10_000)
    hold = services.hold_create(actor="test", ledger=book.ledger, effective_date=D, memo="award 7",
                                lines=[debit(book.expense, krw(6_000)), credit(book.cash, krw(6_000))])
    assert balance(book.cash) == 10_000
    assert available(book.cash) == 4_000
    with pytest.raises(LimitExceeded):
        services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                            lines=[debit(book.expense, krw(4_001)), credit(book.cash, krw(4_001))])
    first = services.hold_post(actor="test", hold=hold, amount=krw(2_500), idempotency_key="tranche-1")
    assert services.hold_post(actor="test", hold=hold, amount=krw(2_500), idempotency_key="tranche-1").pk == first.pk
    assert (balance(book.cash), available(book.cash)) == (7_500, 4_000)
    hold.refresh_from_db()
    assert (hold.remaining, hold.status) == (3_500, HoldStatus.OPEN)
    with pytest.raises(InvalidEntry):
        services.hold_post(actor="test", hold=hold, amount=krw(3_501))
    services.hold_post(actor="test", hold=hold)
    hold.refresh_from_db()
    assert (hold.remaining, hold.status) == (0, HoldStatus.POSTED)
    assert (balance(book.cash), available(book.cash)) == (4_000, 4_000)
    with pytest.raises(HoldNotOpen):
        services.hold_post(actor="test", hold=hold)


def test_void_releases_what_is_left(book):
    fund(book, 10_000)
    hold = services.hold_create(actor="test", ledger=book.ledger, effective_date=D,
                                lines=[debit(book.expense, krw(6_000)), credit(book.cash, krw(6_000))])
    services.hold_post(actor="test", hold=hold, amount=krw(1_000))
    services.hold_void(actor="test", hold=hold, reason="award cancelled")
    hold.refresh_from_db()
    assert (hold.status, hold.remaining, hold.void_reason, hold.voided_by) == (
        HoldStatus.VOIDED, 0, "award cancelled", "test"
    )
    assert (balance(book.cash), available(book.cash)) == (9_000, 9_000)
    with pytest.raises(HoldNotOpen):
        services.hold_void(actor="test", hold=hold)


def test_hold_beyond_available_is_refused(book):
    fund(book, 1_000)
    with pytest.raises(LimitExceeded):
        services.hold_create(actor="test", ledger=book.ledger, effective_date=D,
                             lines=[debit(book.expense, krw(1_001)), credit(book.cash, krw(1_001))])
    assert available(book.cash) == 1_000


def test_hold_idempotency(book):
    fund(book, 1_000)
    lines = [debit(book.expense, krw(100)), credit(book.cash, krw(100))]
    first = services.hold_create(actor="test", ledger=book.ledger, effective_date=D, lines=lines, idempotency_key="h")
    again = services.hold_create(actor="test", ledger=book.ledger, effective_date=D, lines=lines, idempotency_key="h")
    assert first.pk == again.pk
    assert available(book.cash) == 900
    with pytest.raises(IdempotencyConflict):
        services.hold_create(actor="test", ledger=book.ledger, effective_date=D, idempotency_key="h",
                             lines=[debit(book.expense, krw(101)), credit(book.cash, krw(101))])


# Inter-fund transfers


def test_interfund_transfer_posts_due_to_and_due_from_in_both_ledgers(book, other_book):
    source, target = services.interfund_transfer_post(
        actor="test", amount=krw(3_000_000_000), effective_date=D, source_debit=book.expense,
        source_credit=book.payable, target_debit=other_book.receivable, target_credit=other_book.revenue,
        idempotency_key="recycle-2026-q1",
    )
    assert source.ledger_id == book.ledger.pk and target.ledger_id == other_book.ledger.pk
    assert source.transfer_id == target.transfer_id is not None
    assert balance(book.payable) == 3_000_000_000
    assert balance(other_book.receivable) == 3_000_000_000
    again = services.interfund_transfer_post(
        actor="test", amount=krw(3_000_000_000), effective_date=D, source_debit=book.expense,
        source_credit=book.payable, target_debit=other_book.receivable, target_credit=other_book.revenue,
        idempotency_key="recycle-2026-q1",
    )
    assert (again[0].pk, again[1].pk) == (source.pk, target.pk)


def test_interfund_transfer_is_all_or_nothing(book, other_book):
    with pytest.raises(LimitExceeded):
        services.interfund_transfer_post(
            actor="test", amount=krw(1), effective_date=D, source_debit=book.expense, source_credit=book.payable,
            target_debit=other_book.expense, target_credit=other_book.cash,  # target cash is empty
        )
    assert JournalEntry.objects.count() == 0
    assert balance(book.payable) == 0


def test_interfund_transfer_needs_two_ledgers(book):
    with pytest.raises(InvalidEntry):
        services.interfund_transfer_post(
            actor="test", amount=krw(1), effective_date=D, source_debit=book.expense, source_credit=book.payable,
            target_debit=book.receivable, target_credit=book.revenue,
        )


# Periods


def test_closing_moves_revenue_and_expense_to_net_assets_and_locks_the_year(book, fund_admin):
    fund(book, 10_000)
    services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                        lines=[debit(book.expense, krw(3_000)), credit(book.cash, krw(3_000))])
    period = services.period_close(actor=fund_admin, ledger=book.ledger, year=2026, net_assets_account=book.net_assets)
    assert period.status == "closed"
    closing = period.closing_entry
    assert closing.effective_date == date(2026, 12, 31)
    assert selectors.account_balance(book.revenue, as_of=date(2026, 12, 31)).amount == 0
    assert selectors.account_balance(book.expense, as_of=date(2026, 12, 31)).amount == 0
    assert balance(book.net_assets) == 7_000
    assert selectors.trial_balance(book.ledger).is_balanced
    with pytest.raises(PeriodClosed):
        fund(book, 1)
    services.entry_post(actor="test", ledger=book.ledger, effective_date=date(2027, 1, 2),
                        lines=[debit(book.cash, krw(5)), credit(book.revenue, krw(5))])
    assert PeriodEvent.objects.filter(period=period, action="close", actor=fund_admin).exists()


def test_a_closed_year_cannot_be_closed_twice(book, fund_admin):
    services.period_close(actor=fund_admin, ledger=book.ledger, year=2026, net_assets_account=book.net_assets)
    with pytest.raises(PeriodClosed):
        services.period_close(actor=fund_admin, ledger=book.ledger, year=2026, net_assets_account=book.net_assets)


def test_reopening_is_recorded_and_closing_again_posts_only_the_change(book, fund_admin):
    fund(book, 10_000)
    services.period_close(actor=fund_admin, ledger=book.ledger, year=2026, net_assets_account=book.net_assets)
    with pytest.raises(InvalidEntry):
        services.period_reopen(actor=fund_admin, ledger=book.ledger, year=2026, reason=" ")
    services.period_reopen(actor=fund_admin, ledger=book.ledger, year=2026, reason="audit adjustment")
    assert Ledger.objects.get(pk=book.ledger.pk).closed_years == []
    fund(book, 500)
    period = services.period_close(actor=fund_admin, ledger=book.ledger, year=2026, net_assets_account=book.net_assets)
    assert balance(book.net_assets) == 10_500
    assert sum(ln.amount_minor for ln in period.closing_entry.lines.filter(account=book.revenue)) == 500
    events = list(PeriodEvent.objects.filter(period=period).order_by("at").values_list("action", "reason"))
    assert events == [("close", ""), ("reopen", "audit adjustment"), ("close", "")]
    assert FiscalPeriod.objects.get(pk=period.pk).status == "closed"


def test_a_hold_dated_in_a_closed_year_is_refused(book, fund_admin):
    fund(book, 100)
    services.period_close(actor=fund_admin, ledger=book.ledger, year=2026, net_assets_account=book.net_assets)
    with pytest.raises(PeriodClosed):
        services.hold_create(actor="test", ledger=book.ledger, effective_date=D,
                             lines=[debit(book.expense, krw(1)), credit(book.cash, krw(1))])


# Reads


def test_trial_balance_statement_and_party_balances(book):
    services.entry_post(actor="test", ledger=book.ledger, effective_date=date(2026, 1, 5),
                        lines=[debit(book.cash, krw(700)), credit(book.revenue, krw(700), party="org:1")])
    services.entry_post(actor="test", ledger=book.ledger, effective_date=date(2026, 2, 5),
                        lines=[debit(book.cash, krw(300)), credit(book.revenue, krw(300), party="org:2")])
    services.entry_post(actor="test", ledger=book.ledger, effective_date=date(2026, 3, 5),
                        lines=[debit(book.expense, krw(100)), credit(book.cash, krw(100))])
    tb = selectors.trial_balance(book.ledger, as_of=date(2026, 2, 28))
    assert (tb.total_debit, tb.total_credit) == (1_000, 1_000)
    statement = selectors.account_statement(book.cash, date(2026, 2, 1), date(2026, 3, 31))
    assert statement.opening == 700
    assert [s.balance for s in statement.lines] == [1_000, 900]
    parties = {p["party"]: p["net"] for p in selectors.party_balances(book.ledger)}
    assert parties == {"org:1": -700, "org:2": -300}
    assert selectors.account_balance(book.cash, as_of=date(2026, 1, 31)).amount == 700


def test_a_statement_lists_lines_by_effective_date_then_in_posting_order(book):
    """Back-dated postings take their place by date; lines of one day stay in the order they were posted."""
    def receive(day, amount):
        services.entry_post(actor="test", ledger=book.ledger, effective_date=day,
                            lines=[debit(book.cash, krw(amount)), credit(book.revenue, krw(amount))])

    receive(date(2026, 3, 9), 1)
    receive(date(2026, 3, 2), 10)
    receive(date(2026, 3, 9), 100)
    receive(date(2026, 3, 2), 1_000)
    statement = selectors.account_statement(book.cash, date(2026, 3, 1), date(2026, 3, 31))
    assert [(s.line.effective_date.day, s.line.debit, s.balance) for s in statement.lines] == [
        (2, 10, 10), (2, 1_000, 1_010), (9, 1, 1_011), (9, 100, 1_111),
    ]


def test_only_a_fund_administrator_may_reopen_a_year(book, fund_admin, auditor, outsider):
    from apps.ledger.exceptions import NotPermitted

    services.period_close(actor=fund_admin, ledger=book.ledger, year=2026, net_assets_account=book.net_assets)
    for who in (auditor, outsider, "task:anything"):
        with pytest.raises(NotPermitted):
            services.period_reopen(actor=who, ledger=book.ledger, year=2026, reason="because")
    assert Ledger.objects.get(pk=book.ledger.pk).closed_years == [2026]
