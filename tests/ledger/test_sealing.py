"""The sealer: gapless numbers per ledger and fiscal year, a hash chain over committed entries, safe to run twice
and to run concurrently."""

import threading
from datetime import date

import pytest
from django.db import connection

from apps.core.money import krw
from apps.ledger import services
from apps.ledger.models import EntrySeal, JournalEntry, LedgerChain
from apps.ledger.sealing import ENTRY_FIELDS, GENESIS_HASH, entry_digest, lines_by_entry, seal_ledger
from apps.ledger.services import credit, debit
from apps.ledger.verification import verify

pytestmark = pytest.mark.django_db

D26 = date(2026, 3, 2)
D27 = date(2027, 1, 15)


def post(book, amount=1_000, when=D26, metadata=None):
    return services.entry_post(
        actor="test", ledger=book.ledger, effective_date=when, metadata=metadata,
        lines=[debit(book.cash, krw(amount)), credit(book.revenue, krw(amount))],
    )


def seal_all(ledger, batch=5000):
    sealed = 0
    while (n := seal_ledger(ledger.pk, batch=batch)) > 0:
        sealed += n
    return sealed


def numbers(ledger):
    """(fiscal year, number) of each sealed entry, in entry order."""
    return list(EntrySeal.objects.filter(ledger=ledger).order_by("entry_id").values_list("fiscal_year", "number"))


def chain(ledger):
    return list(EntrySeal.objects.filter(ledger=ledger).order_by("chain_index"))


def test_numbers_are_gapless_per_fiscal_year(book):
    for when in (D26, D27, D26, D27, D26):
        post(book, when=when)
    assert seal_all(book.ledger) == 5
    assert numbers(book.ledger) == [(2026, 1), (2027, 1), (2026, 2), (2027, 2), (2026, 3)]
    assert [s.display_number for s in chain(book.ledger)] == [
        "2026-000001", "2027-000001", "2026-000002", "2027-000002", "2026-000003",
    ]
    assert [s.chain_index for s in chain(book.ledger)] == [1, 2, 3, 4, 5]


def test_each_seal_links_the_previous_hash_and_covers_its_entry(book):
    entries = [post(book, amount) for amount in (100, 200, 300)]
    seal_all(book.ledger)
    seals = chain(book.ledger)
    assert seals[0].previous_hash == GENESIS_HASH
    assert [s.previous_hash for s in seals[1:]] == [s.hash for s in seals[:-1]]
    assert len({s.hash for s in seals}) == 3
    head = LedgerChain.objects.get(ledger=book.ledger)
    assert (head.head_hash, head.sealed_count) == (seals[-1].hash, 3)
    # The hash is recomputable from the entry as stored: what the verifier does.
    second = JournalEntry.objects.filter(pk=entries[1].pk).values_list(*ENTRY_FIELDS).get()
    assert entry_digest(seals[0].hash, 2026, 2, second, lines_by_entry([entries[1].pk])[entries[1].pk]) == seals[1].hash


def test_sealing_twice_seals_nothing_new(book):
    post(book)
    post(book)
    assert seal_ledger(book.ledger.pk) == 2
    before = [(s.entry_id, s.number, s.hash) for s in chain(book.ledger)]
    assert seal_ledger(book.ledger.pk) == 0
    assert [(s.entry_id, s.number, s.hash) for s in chain(book.ledger)] == before
    assert LedgerChain.objects.get(ledger=book.ledger).sealed_count == 2


def test_a_second_ledger_has_its_own_numbering_and_chain(book, other_book):
    for target in (book, other_book, book, other_book, other_book):
        post(target)
    seal_all(book.ledger)
    seal_all(other_book.ledger)
    assert numbers(book.ledger) == [(2026, 1), (2026, 2)]
    assert numbers(other_book.ledger) == [(2026, 1), (2026, 2), (2026, 3)]
    assert chain(other_book.ledger)[0].previous_hash == GENESIS_HASH
    assert [s.chain_index for s in chain(other_book.ledger)] == [1, 2, 3]


def test_entries_committed_after_a_seal_run_get_the_next_numbers(book):
    for _ in range(3):
        post(book)
    seal_all(book.ledger)
    head = LedgerChain.objects.get(ledger=book.ledger).head_hash
    later = [post(book), post(book, when=D27)]
    assert seal_all(book.ledger) == 2
    seals = {s.entry_id: s for s in chain(book.ledger)}
    assert (seals[later[0].pk].fiscal_year, seals[later[0].pk].number) == (2026, 4)
    assert (seals[later[1].pk].fiscal_year, seals[later[1].pk].number) == (2027, 1)
    assert seals[later[0].pk].previous_hash == head
    assert seals[later[0].pk].chain_index == 4


def test_small_batches_continue_the_numbering(book):
    for when in (D26, D26, D27, D26, D27):
        post(book, when=when)
    assert [seal_ledger(book.ledger.pk, batch=2) for _ in range(4)] == [2, 2, 1, 0]
    assert sorted(numbers(book.ledger)) == [(2026, 1), (2026, 2), (2026, 3), (2027, 1), (2027, 2)]
    assert verify().ok


def test_digest_does_not_depend_on_how_the_database_orders_nested_keys():
    """PostgreSQL's jsonb and SQLite's text return a nested object's keys in different orders."""
    entry = (1, 1, D26, None, "memo", "test", "", None, None, None, {"tags": [{"bb": 1, "a": 2}]})
    reordered = (*entry[:-1], {"tags": [{"a": 2, "bb": 1}]})
    assert entry_digest(GENESIS_HASH, 2026, 1, entry, []) == entry_digest(GENESIS_HASH, 2026, 1, reordered, [])


def test_entries_with_nested_metadata_seal_and_verify(book):
    post(book, metadata={"contribution": {"ids": [3, 1, 2], "parts": [{"org": "org:12", "share": "0.5"}]}})
    seal_all(book.ledger)
    result = verify()
    assert result.ok, result.problems


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sealers_never_hand_out_the_same_number(book):
    years = [D26, D27]
    services.entries_post_batch(actor="test", entries=[
        services.entry_spec(ledger=book.ledger, effective_date=years[i % 2],
                            lines=[debit(book.cash, krw(10)), credit(book.revenue, krw(10))])
        for i in range(300)
    ])
    start = threading.Barrier(3)
    sealed, errors = [], []

    def sealer():
        try:
            start.wait()
            while (n := seal_ledger(book.ledger.pk, batch=7)) > 0:
                sealed.append(n)
        except Exception as exc:  # reported below, with the thread's traceback
            errors.append(exc)
        finally:
            connection.close()

    def poster():
        try:
            start.wait()
            for i in range(40):
                post(book, when=years[i % 2])
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=fn) for fn in (sealer, sealer, poster)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    # Whatever the poster committed after the sealers' last run.
    final = seal_all(book.ledger)
    assert sum(sealed) + final == 340 == JournalEntry.objects.count()
    for year in (2026, 2027):
        year_numbers = sorted(n for y, n in numbers(book.ledger) if y == year)
        assert year_numbers == list(range(1, 171))
    assert [s.chain_index for s in chain(book.ledger)] == list(range(1, 341))
    result = verify()
    assert result.ok, result.problems


def test_the_sealer_starts_after_the_settled_mark_and_a_full_scan_catches_stragglers(book):
    from datetime import timedelta

    from django.utils import timezone

    from apps.ledger.sealing import SETTLE, seal_ledger_fully

    first = [post(book) for _ in range(3)]
    assert seal_ledger_fully(book.ledger.pk) == 3
    chain = LedgerChain.objects.get(ledger=book.ledger)
    assert (chain.scan_from, chain.mark_id) == (0, max(e.pk for e in first))
    # Ten minutes on, every posting that was in flight at the mark has long committed: scanning moves past it.
    LedgerChain.objects.filter(pk=chain.pk).update(mark_at=timezone.now() - SETTLE - timedelta(seconds=1))
    later = post(book)
    assert seal_ledger_fully(book.ledger.pk) == 1
    chain.refresh_from_db()
    assert chain.scan_from == max(e.pk for e in first) + 1
    assert EntrySeal.objects.filter(entry=later).exists()
    # A posting that stayed open past the mark (a straggler below scan_from) waits for the next full scan.
    straggler = post(book)
    LedgerChain.objects.filter(pk=chain.pk).update(scan_from=straggler.pk + 1)
    assert seal_ledger_fully(book.ledger.pk) == 0
    LedgerChain.objects.filter(pk=chain.pk).update(full_scan_at=timezone.now() - timedelta(hours=2))
    assert seal_ledger_fully(book.ledger.pk) == 1
    assert verify().ok
