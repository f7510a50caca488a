"""What real PostgreSQL does under concurrent load: no lost update, no double post, limits hold, no deadlock
reaches the caller. Each test runs real threads, each with its own database connection."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, connections, transaction

from apps.core.money import krw
from apps.ledger import selectors, services
from apps.ledger.exceptions import HoldNotOpen, InvalidEntry, PeriodClosed
from apps.ledger.models import Account, Hold, JournalEntry, JournalLine
from apps.ledger.services import credit, debit

from .conftest import make_book

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
D = date(2026, 5, 1)


def in_threads(n, func, *args):
    """Run func(i, *args) in n threads that start together; returns results or exceptions, in order."""
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            return func(i, *args)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each caller got
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def stored_equals_lines(ledger):
    for account in Account.objects.filter(ledger=ledger):
        sums = JournalLine.objects.filter(account=account).values_list("debit", "credit")
        assert (account.debit_total, account.credit_total) == (sum(d for d, _ in sums), sum(c for _, c in sums))


def test_fifty_concurrent_posts_with_one_key_make_one_entry():
    book = make_book()

    def post(i):
        return services.entry_post(actor="api", ledger=book.ledger, effective_date=D, idempotency_key="retry-me",
                                   lines=[debit(book.cash, krw(1_000)), credit(book.revenue, krw(1_000))])

    results = in_threads(50, post)
    assert not [r for r in results if isinstance(r, Exception)]
    assert len({r.pk for r in results}) == 1
    assert JournalEntry.objects.count() == 1
    assert Account.objects.get(pk=book.cash.pk).balance_minor == 1_000


def test_concurrent_postings_on_the_same_accounts_lose_no_update():
    book = make_book()
    accounts = [book.receivable, book.expense, book.payable, book.revenue]

    def post(i):
        for k in range(25):
            a, b = accounts[(i + k) % 4], accounts[(i + k + 1) % 4]  # opposite lock orders between threads
            services.entry_post(actor="load", ledger=book.ledger, effective_date=D,
                                lines=[debit(a, krw(k + 1)), credit(b, krw(k + 1))])
        return True

    results = in_threads(8, post)
    assert results == [True] * 8  # no deadlock or serialization failure reached a caller
    assert JournalEntry.objects.count() == 200
    stored_equals_lines(book.ledger)
    assert selectors.trial_balance(book.ledger).is_balanced


def test_limit_holds_under_concurrent_withdrawals():
    book = make_book()
    services.entry_post(actor="t", ledger=book.ledger, effective_date=D,
                        lines=[debit(book.cash, krw(1_000)), credit(book.revenue, krw(1_000))])

    def withdraw(i):
        return services.entry_post(actor="t", ledger=book.ledger, effective_date=D,
                                   lines=[debit(book.expense, krw(100)), credit(book.cash, krw(100))])

    results = in_threads(20, withdraw)
    outcomes = Counter(type(r).__name__ for r in results)
    assert outcomes == {"JournalEntry": 10, "LimitExceeded": 10}
    assert Account.objects.get(pk=book.cash.pk).balance_minor == 0


def test_concurrent_tranches_never_overspend_a_hold():
    book = make_book()
    services.entry_post(actor="t", ledger=book.ledger, effective_date=D,
                        lines=[debit(book.cash, krw(10_000)), credit(book.revenue, krw(10_000))])
    hold = services.hold_create(actor="t", ledger=book.ledger, effective_date=D,
                                lines=[debit(book.expense, krw(1_000)), credit(book.cash, krw(1_000))])

    def tranche(i):
        return services.hold_post(actor="t", hold=hold.pk, amount=krw(300))

    results = in_threads(6, tranche)
    paid = [r for r in results if isinstance(r, JournalEntry)]
    assert len(paid) == 3
    assert all(isinstance(r, InvalidEntry | HoldNotOpen) for r in results if not isinstance(r, JournalEntry))
    assert Hold.objects.get(pk=hold.pk).remaining == 100
    cash = Account.objects.get(pk=book.cash.pk)
    assert (cash.balance_minor, cash.available_minor) == (9_100, 9_000)


def test_postings_racing_a_period_close_land_before_it_or_are_refused(fund_admin):
    book = make_book()

    def work(i):
        if i == 0:
            return services.period_close(actor=fund_admin, ledger=book.ledger, year=2026,
                                         net_assets_account=book.net_assets)
        return services.entry_post(actor="t", ledger=book.ledger, effective_date=D,
                                   lines=[debit(book.receivable, krw(10)), credit(book.revenue, krw(10))])

    results = in_threads(12, work)
    refused = [r for r in results[1:] if isinstance(r, PeriodClosed)]
    posted = [r for r in results[1:] if isinstance(r, JournalEntry)]
    assert len(refused) + len(posted) == 11
    # Every posting that landed was closed into net assets: nothing is left in revenue for 2026.
    assert selectors.account_balance(book.revenue, as_of=date(2026, 12, 31)).amount == 0
    assert Account.objects.get(pk=book.net_assets.pk).balance_minor == 10 * len(posted)


def test_a_raw_unbalanced_insert_is_refused_at_commit():
    book = make_book()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO ledger_journalentry (ledger_id, effective_date, posted_at, memo, actor_label, reference, "
            "payload_hash, metadata) VALUES (%s, %s, now(), 'raw', 'sql', '', '', '{}') RETURNING id",
            [book.ledger.pk, D],
        )
        entry_id = cur.fetchone()[0]
        for account, dr, cr in ((book.cash, 100, 0), (book.revenue, 0, 99)):
            cur.execute(
                "INSERT INTO ledger_journalline (entry_id, account_id, debit, credit, currency, party, "
                "effective_date, balance_after, metadata) VALUES (%s, %s, %s, %s, 'KRW', '', %s, 0, '{}')",
                [entry_id, account.pk, dr, cr, D],
            )
    assert JournalEntry.objects.count() == 0


def test_a_raw_entry_without_lines_is_refused_at_commit():
    book = make_book()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match="line"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO ledger_journalentry (ledger_id, effective_date, posted_at, memo, actor_label, reference, "
            "payload_hash, metadata) VALUES (%s, %s, now(), 'raw', 'sql', '', '', '{}')",
            [book.ledger.pk, D],
        )


def test_a_raw_line_added_to_a_posted_entry_is_refused():
    book = make_book()
    from django.db import IntegrityError, transaction

    entry = services.entry_post(actor="t", ledger=book.ledger, effective_date=D,
                                lines=[debit(book.receivable, krw(5)), credit(book.revenue, krw(5))])
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO ledger_journalline (entry_id, account_id, debit, credit, currency, party, effective_date, "
            "balance_after, metadata) VALUES (%s, %s, 7, 0, 'KRW', '', %s, 0, '{}')",
            [entry.pk, book.receivable.pk, D],
        )


def test_a_raw_batch_with_one_bad_entry_among_good_ones_is_refused():
    book = make_book()
    from django.db import IntegrityError, transaction

    def raw_entry(cur, debit_amount, credit_amount):
        cur.execute(
            "INSERT INTO ledger_journalentry (ledger_id, effective_date, posted_at, memo, actor_label, reference, "
            "payload_hash, metadata) VALUES (%s, %s, now(), 'raw', 'sql', '', '', '{}') RETURNING id",
            [book.ledger.pk, D],
        )
        entry_id = cur.fetchone()[0]
        for account, dr, cr in ((book.receivable, debit_amount, 0), (book.revenue, 0, credit_amount)):
            cur.execute(
                "INSERT INTO ledger_journalline (entry_id, account_id, debit, credit, currency, party, "
                "effective_date, balance_after, metadata) VALUES (%s, %s, %s, %s, 'KRW', '', %s, 0, '{}')",
                [entry_id, account.pk, dr, cr, D],
            )

    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic(), connection.cursor() as cur:
        raw_entry(cur, 10, 10)
        raw_entry(cur, 10, 10)
        raw_entry(cur, 10, 9)
        raw_entry(cur, 10, 10)
    assert JournalEntry.objects.count() == 0


def test_a_posting_that_waited_for_a_close_sees_the_year_closed(fund_admin):
    """Deterministic order: the close has begun (it has locked every account but the last, which another
    transaction holds) when the posting starts; the posting waits for the close and, once it commits, is
    refused."""
    book = make_book()
    last = Account.objects.filter(ledger=book.ledger).order_by("-id").first()
    assert last.pk not in (book.receivable.pk, book.revenue.pk)
    holder_ready, release = threading.Event(), threading.Event()

    def hold_an_account():
        try:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("SELECT 1 FROM ledger_account WHERE id = %s FOR UPDATE", [last.pk])
                holder_ready.set()
                release.wait(30)
        finally:
            connections.close_all()

    def in_thread(func):
        def run():
            try:
                return func()
            except Exception as exc:  # noqa: BLE001 - the test inspects what each caller got
                return exc
            finally:
                connections.close_all()
        return run

    def waiting() -> int:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND datname = current_database()")
            return cur.fetchone()[0]

    def until(condition):
        for _ in range(300):
            if condition():
                return
            time.sleep(0.02)
        raise AssertionError("the transactions never reached the expected waits")

    with ThreadPoolExecutor(max_workers=3) as pool:
        holder = pool.submit(hold_an_account)
        assert holder_ready.wait(10)
        close = pool.submit(in_thread(lambda: services.period_close(
            actor=fund_admin, ledger=book.ledger, year=2026, net_assets_account=book.net_assets)))
        until(lambda: waiting() == 1)  # the close holds its locks and waits for the account
        post = pool.submit(in_thread(lambda: services.entry_post(
            actor="t", ledger=book.ledger, effective_date=D,
            lines=[debit(book.receivable, krw(10)), credit(book.revenue, krw(10))])))
        until(lambda: waiting() == 2)  # the posting waits for the close
        release.set()
        holder.result(10)
        assert not isinstance(close.result(10), Exception)
        assert isinstance(post.result(10), PeriodClosed)
    assert not JournalEntry.objects.filter(effective_date=D).exists()
