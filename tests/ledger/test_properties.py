"""Property: any sequence of valid postings, reversals, holds and refusals keeps every ledger's trial balance at
zero and every stored total equal to the sum of its lines."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.money import krw
from apps.ledger import selectors, services
from apps.ledger.exceptions import AlreadyReversed, HoldNotOpen, InvalidEntry, LimitExceeded
from apps.ledger.models import Account, AccountDay, Hold, HoldStatus, JournalEntry, JournalLine

from .conftest import make_book

ACCOUNTS = ("cash", "receivable", "payable", "net_assets", "revenue", "expense")
amounts = st.integers(min_value=1, max_value=10**16)
post_op = st.tuples(st.just("post"), st.sampled_from(ACCOUNTS), st.sampled_from(ACCOUNTS), amounts,
                    st.integers(0, 364))
reverse_op = st.tuples(st.just("reverse"), st.integers(0, 50))
hold_op = st.tuples(st.just("hold"), st.sampled_from(ACCOUNTS), amounts)
settle_op = st.tuples(st.just("settle"), st.integers(0, 20), st.booleans())
operations = st.lists(st.one_of(post_op, reverse_op, hold_op, settle_op), min_size=1, max_size=25)
EXPECTED_REFUSALS = (LimitExceeded, AlreadyReversed, HoldNotOpen, InvalidEntry)


def apply(book, op):
    kind = op[0]
    if kind == "post":
        _, dr, cr, amount, day = op
        if dr == cr:
            return
        services.entry_post(actor="prop", ledger=book.ledger, effective_date=date(2026, 1, 1) + timedelta(days=day),
                            lines=[services.debit(getattr(book, dr), krw(amount)),
                                   services.credit(getattr(book, cr), krw(amount))])
    elif kind == "reverse":
        entries = list(JournalEntry.objects.filter(ledger=book.ledger).order_by("id"))
        if entries:
            services.entry_reverse(actor="prop", entry=entries[op[1] % len(entries)])
    elif kind == "hold":
        _, dr, amount = op
        if dr != "cash":
            services.hold_create(actor="prop", ledger=book.ledger, effective_date=date(2026, 6, 1),
                                 lines=[services.debit(getattr(book, dr), krw(amount)),
                                        services.credit(book.cash, krw(amount))])
    else:
        holds = list(Hold.objects.filter(ledger=book.ledger).order_by("id"))
        if holds:
            hold = holds[op[1] % len(holds)]
            if op[2]:
                services.hold_post(actor="prop", hold=hold)
            else:
                services.hold_void(actor="prop", hold=hold)


def assert_invariants(book):
    assert selectors.trial_balance(book.ledger).is_balanced
    for account in Account.objects.filter(ledger=book.ledger):
        lines = JournalLine.objects.filter(account=account).aggregate(d=Sum("debit"), c=Sum("credit"))
        assert (account.debit_total, account.credit_total) == (lines["d"] or 0, lines["c"] or 0)
        days = AccountDay.objects.filter(account=account).aggregate(d=Sum("debit"), c=Sum("credit"))
        assert (days["d"] or 0, days["c"] or 0) == (account.debit_total, account.credit_total)
        held = sum(
            ln.credit and h.remaining for h in Hold.objects.filter(ledger=book.ledger, status=HoldStatus.OPEN)
            for ln in h.lines.all() if ln.account_id == account.pk
        )
        assert account.pending_credit == held
        if account.non_negative:
            assert account.available_minor >= 0


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_sequence_of_postings_keeps_the_ledger_sound(ops):
    with transaction.atomic():
        book = make_book()
        for op in ops:
            try:
                with transaction.atomic():
                    apply(book, op)
            except EXPECTED_REFUSALS:
                pass
        assert_invariants(book)
        transaction.set_rollback(True)
