"""Balanced or refused, exact to the won, idempotent: the posting rules on both databases."""

from datetime import date

import pytest
from django.db import connection, transaction
from moneyed import Money

from apps.core.money import krw
from apps.ledger import services
from apps.ledger.exceptions import (
    CurrencyMismatch,
    IdempotencyConflict,
    InvalidAccount,
    InvalidEntry,
    LimitExceeded,
    UnbalancedEntry,
)
from apps.ledger.models import Account, AccountDay, AppendOnlyError, JournalEntry, JournalLine
from apps.ledger.services import credit, debit

from .factories import AccountFactory

D = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def post(book, amount=1_000, *, dr=None, cr=None, key=None, when=D):
    return services.entry_post(
        actor="test", ledger=book.ledger, effective_date=when, idempotency_key=key,
        lines=[debit(dr or book.cash, krw(amount)), credit(cr or book.revenue, krw(amount))],
    )


def totals(account):
    account = Account.objects.get(pk=account.pk)
    return account.debit_total, account.credit_total


def test_balanced_entry_posts_lines_and_stored_balances(book):
    entry = post(book, 1_700_000_000_000)
    assert [(ln.debit, ln.credit) for ln in entry.lines.order_by("id")] == [
        (1_700_000_000_000, 0), (0, 1_700_000_000_000)
    ]
    assert Account.objects.get(pk=book.cash.pk).balance == krw(1_700_000_000_000)
    assert Account.objects.get(pk=book.revenue.pk).balance == krw(1_700_000_000_000)


def test_amounts_beyond_ten_to_the_fifteen_won_stay_exact(book):
    huge = 9_000_000_000_000_000_001  # ₩9.0 × 10¹⁸ + 1: SQLite's decimal path would round this
    post(book, huge)
    line = JournalLine.objects.get(account=book.cash)
    assert line.debit == huge
    assert totals(book.cash) == (huge, 0)
    assert Account.objects.get(pk=book.cash.pk).balance == Money(huge, "KRW")


@pytest.mark.parametrize(
    ("lines", "error", "field"),
    [
        (lambda b: [debit(b.cash, krw(100)), credit(b.revenue, krw(99))], UnbalancedEntry, "lines"),
        (lambda b: [debit(b.cash, krw(100))], InvalidEntry, "lines"),
        (lambda b: [debit(b.cash, krw(0)), credit(b.revenue, krw(0))], InvalidEntry, "lines[0].amount"),
        (lambda b: [debit(b.cash, krw(-5)), credit(b.revenue, krw(-5))], InvalidEntry, "lines[0].amount"),
        (lambda b: [debit(b.cash, Money("10.5", "KRW")), credit(b.revenue, Money("10.5", "KRW"))], InvalidEntry,
         "lines[0].amount"),
        (lambda b: [debit(999_999, krw(5)), credit(b.revenue, krw(5))], InvalidAccount, "lines[0].account"),
        (lambda b: [debit(b.cash, Money(5, "USD")), credit(b.revenue, Money(5, "USD"))], CurrencyMismatch, "lines[0]"),
    ],
    ids=["unbalanced", "one-line", "zero", "negative", "fraction-of-won", "unknown-account", "currency"],
)
def test_invalid_entries_are_refused_and_write_nothing(book, lines, error, field):
    with pytest.raises(error) as caught:
        services.entry_post(actor="test", ledger=book.ledger, effective_date=D, lines=lines(book))
    assert caught.value.field == field
    assert JournalEntry.objects.count() == 0
    assert JournalLine.objects.count() == 0
    assert totals(book.cash) == (0, 0)


def test_inactive_account_is_refused(book):
    Account.objects.filter(pk=book.revenue.pk).update(is_active=False)
    with pytest.raises(InvalidAccount, match="inactive"):
        post(book)
    assert JournalEntry.objects.count() == 0


def test_account_of_another_ledger_is_refused(book, other_book):
    with pytest.raises(InvalidAccount, match="another ledger"):
        post(book, cr=other_book.revenue)
    assert JournalEntry.objects.count() == 0


def test_multi_currency_entry_balances_per_currency(book):
    usd_cash = AccountFactory(ledger=book.ledger, currency="USD", code="1120")
    usd_rev = AccountFactory(ledger=book.ledger, currency="USD", code="4120", type="revenue")
    entry = services.entry_post(actor="test", ledger=book.ledger, effective_date=D, lines=[
        debit(book.cash, krw(1_300)), credit(book.revenue, krw(1_300)),
        debit(usd_cash, Money("1.25", "USD")), credit(usd_rev, Money("1.25", "USD")),
    ])
    assert entry.lines.get(account=usd_cash).debit == 125  # cents, the USD minor unit
    with pytest.raises(UnbalancedEntry, match="USD"):
        services.entry_post(actor="test", ledger=book.ledger, effective_date=D, lines=[
            debit(book.cash, krw(2)), credit(usd_rev, Money(1, "USD")),
            debit(usd_cash, Money(2, "USD")), credit(book.revenue, krw(2)),
        ])


def test_same_idempotency_key_returns_the_first_entry(book):
    first = post(book, 500, key="contribution:1")
    again = post(book, 500, key="contribution:1")
    assert again.pk == first.pk
    assert JournalEntry.objects.count() == 1
    assert totals(book.cash) == (500, 0)


def test_same_key_with_another_payload_is_a_conflict(book):
    post(book, 500, key="contribution:1")
    with pytest.raises(IdempotencyConflict):
        post(book, 501, key="contribution:1")
    assert totals(book.cash) == (500, 0)


def test_limited_account_cannot_go_below_zero(book):
    post(book, 1_000)
    with pytest.raises(LimitExceeded, match="1110"):
        post(book, 1_001, dr=book.expense, cr=book.cash)
    assert totals(book.cash) == (1_000, 0)
    post(book, 1_000, dr=book.expense, cr=book.cash)
    assert Account.objects.get(pk=book.cash.pk).balance == krw(0)


def test_running_balance_and_day_totals_follow_each_line(book):
    post(book, 100)
    post(book, 40, dr=book.expense, cr=book.cash)
    post(book, 7, when=date(2026, 3, 5))
    running = JournalLine.objects.filter(account=book.cash).order_by("id").values_list("balance_after", flat=True)
    assert list(running) == [100, 60, 67]
    days = {d.day: (d.debit, d.credit) for d in AccountDay.objects.filter(account=book.cash)}
    assert days == {D: (100, 40), date(2026, 3, 5): (7, 0)}


def test_an_entry_with_two_lines_on_one_account_runs_its_balance_line_by_line(book):
    post(book, 100)
    services.entry_post(actor="test", ledger=book.ledger, effective_date=D, lines=[
        debit(book.cash, krw(10)), credit(book.cash, krw(4)), credit(book.revenue, krw(6))])
    running = JournalLine.objects.filter(account=book.cash).order_by("id").values_list("balance_after", flat=True)
    assert list(running) == [100, 110, 106]
    assert totals(book.cash) == (110, 4)
    assert AccountDay.objects.get(account=book.cash, day=D).debit == 110


def test_posted_entries_are_the_instances_a_query_loads(book):
    """The engine builds the entries it returns without a query; they must equal the rows as loaded."""
    [posted] = services.entries_post_batch(actor="test", entries=[services.entry_spec(
        ledger=book.ledger, effective_date=D, memo="메모", reference="contribution:7", metadata={"k": [1]},
        lines=[debit(book.cash, krw(5)), credit(book.revenue, krw(5))],
    )])
    loaded = JournalEntry.objects.get(pk=posted.pk)

    def fields(entry):
        return {k: v for k, v in vars(entry).items() if k != "_state"}

    assert fields(posted) == fields(loaded)
    assert (posted._state.adding, posted._state.db) == (False, loaded._state.db)
    assert posted.ledger == book.ledger and posted.lines.count() == 2
    with pytest.raises(AppendOnlyError):
        posted.save()


def test_a_batch_keeps_each_entry_and_line_with_its_own_fields(book):
    """Fields most entries leave at their default travel by position: one set on a middle entry or line must
    land there and nowhere else."""
    plain = [debit(book.cash, krw(1)), credit(book.revenue, krw(1))]
    dressed = [debit(book.cash, krw(2), party="SME-42", metadata={"grant": 9}), credit(book.revenue, krw(2))]
    first, middle, last = services.entries_post_batch(actor="test", entries=[
        services.entry_spec(ledger=book.ledger, effective_date=D, lines=plain),
        services.entry_spec(ledger=book.ledger, effective_date=date(2026, 4, 1), lines=dressed, memo="중간",
                            reference="grant:9", idempotency_key="middle", metadata={"batch": "b"}),
        services.entry_spec(ledger=book.ledger, effective_date=D, lines=plain),
    ])
    rows = {e.pk: e for e in JournalEntry.objects.filter(pk__in=[first.pk, middle.pk, last.pk])}
    assert [(rows[e.pk].memo, rows[e.pk].reference, rows[e.pk].idempotency_key, rows[e.pk].metadata,
             rows[e.pk].effective_date) for e in (first, middle, last)] == [
        ("", "", None, {}, D), ("중간", "grant:9", "middle", {"batch": "b"}, date(2026, 4, 1)), ("", "", None, {}, D),
    ]
    lines = JournalLine.objects.order_by("id")
    assert [(ln.entry_id, ln.debit, ln.credit, ln.party, ln.metadata) for ln in lines] == [
        (first.pk, 1, 0, "", {}), (first.pk, 0, 1, "", {}),
        (middle.pk, 2, 0, "SME-42", {"grant": 9}), (middle.pk, 0, 2, "", {}),
        (last.pk, 1, 0, "", {}), (last.pk, 0, 1, "", {}),
    ]


def test_a_single_entry_keeps_every_field_it_is_given(book, fund_admin):
    """On PostgreSQL a single entry takes the lean procedure: each field must land where a batch puts it."""
    lines = [debit(book.cash, krw(9), party="SME-7", metadata={"grant": 3}), credit(book.revenue, krw(9))]
    fields = {"ledger": book.ledger, "effective_date": D, "memo": "단건", "reference": "grant:3",
              "idempotency_key": "single", "metadata": {"source": "api"}}
    posted = services.entry_post(actor=fund_admin, lines=lines, **fields)
    row = JournalEntry.objects.get(pk=posted.pk)
    assert (row.memo, row.reference, row.idempotency_key, row.metadata, row.posted_by_id, row.actor_label) == (
        "단건", "grant:3", "single", {"source": "api"}, fund_admin.pk, posted.actor_label)
    assert [(ln.account_id, ln.debit, ln.credit, ln.party, ln.metadata, ln.balance_after)
            for ln in row.lines.order_by("id")] == [
        (book.cash.pk, 9, 0, "SME-7", {"grant": 3}, 9), (book.revenue.pk, 0, 9, "", {}, -9)]
    assert services.entry_post(actor=fund_admin, lines=lines, **fields).pk == posted.pk
    assert JournalEntry.objects.count() == 1
    party_only = services.entry_post(actor=fund_admin, ledger=book.ledger, effective_date=D,
                                     lines=[debit(book.cash, krw(1), party="SME-8"), credit(book.revenue, krw(1))])
    assert [(ln.party, ln.metadata) for ln in party_only.lines.order_by("id")] == [("SME-8", {}), ("", {})]


def test_batch_posts_all_or_nothing(book):
    good = services.entry_spec(ledger=book.ledger, effective_date=D,
                               lines=[debit(book.cash, krw(10)), credit(book.revenue, krw(10))])
    bad = services.entry_spec(ledger=book.ledger, effective_date=D,
                              lines=[debit(book.cash, krw(10)), credit(book.revenue, krw(11))])
    with pytest.raises(UnbalancedEntry) as caught:
        services.entries_post_batch(actor="test", entries=[good, good, bad])
    assert caught.value.field == "entries[2].lines"
    assert JournalEntry.objects.count() == 0
    posted = services.entries_post_batch(actor="test", entries=[good] * 250)
    assert len({e.pk for e in posted}) == 250
    assert totals(book.cash) == (2_500, 0)


def test_entries_and_lines_are_append_only_in_the_orm(book):
    entry = post(book)
    from apps.ledger.models import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        JournalLine.objects.filter(entry=entry).update(debit=1)
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.all().delete()


@pytest.mark.parametrize("statement", [
    "UPDATE ledger_journalline SET debit = debit + 1 WHERE debit > 0",
    "DELETE FROM ledger_journalline",
    "UPDATE ledger_journalentry SET memo = 'edited'",
    "DELETE FROM ledger_journalentry",
])
def test_raw_sql_cannot_change_posted_rows(book, statement):
    post(book)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(statement)
    assert JournalLine.objects.filter(account=book.cash).get().debit == 1_000


@pytest.mark.django_db(transaction=True)
def test_guards_hold_in_a_transactional_test_whose_flush_still_succeeds(book):
    post(book)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM ledger_journalline")
    assert JournalLine.objects.count() == 2


def test_guards_are_back_after_a_transactional_test(book):
    post(book)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM ledger_journalentry")


@pytest.mark.parametrize("actor", ["", None], ids=["empty-label", "nobody"])
def test_an_entry_without_an_actor_is_refused(book, actor):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(InvalidEntry) as caught:
        services.entry_post(actor=actor if actor is not None else AnonymousUser(), ledger=book.ledger,
                            effective_date=D, lines=[debit(book.cash, krw(1)), credit(book.revenue, krw(1))])
    assert caught.value.field == "actor"
    assert JournalEntry.objects.count() == 0


@pytest.mark.postgres
def test_a_posting_reads_its_own_accounts_whatever_the_size_of_the_chart(book):
    """The posting procedure must reach its accounts by key: a plan that reads every account of every ledger would
    make each posting slower as the chart grows."""
    Account.objects.bulk_create([
        Account(ledger=book.ledger, code=f"9{i:03d}", name_ko=f"계정 {i}", name_en=f"Account {i}", type="asset")
        for i in range(300)
    ])

    def account_rows_read() -> int:
        with connection.cursor() as cur:
            cur.execute("SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables"
                        " WHERE relname = 'ledger_account'")
            return cur.fetchone()[0]

    for _ in range(6):  # past the first five executions, on the cached generic plan a long-running process uses
        post(book, 10)
    before = account_rows_read()
    post(book, 10)
    assert account_rows_read() - before < 20
