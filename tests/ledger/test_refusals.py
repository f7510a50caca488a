"""Every fault is refused alike whichever way an entry is posted: alone (on PostgreSQL the lean
`ledger_post_entry`) or in a batch (`ledger_post`), with the same typed error and message, and nothing written.
On SQLite both ways are the embedded engine's, which must agree with itself the same way."""

from dataclasses import replace
from datetime import date

import pytest
from django.db import transaction
from moneyed import Money

from apps.core.money import krw
from apps.ledger import posting, services
from apps.ledger.exceptions import LedgerError
from apps.ledger.models import Account, AccountDay, JournalEntry, JournalLine
from apps.ledger.services import credit, debit

D = date(2026, 5, 4)
MISSING = 999_999
pytestmark = pytest.mark.django_db


def entry(book, lines=None, **fields) -> posting.EntrySpec:
    lines = lines or [debit(book.receivable, krw(7)), credit(book.revenue, krw(7))]
    return replace(posting.EntrySpec(ledger_id=book.ledger.pk, effective_date=D, lines=lines), **fields)


def reused_key(book, other_book):
    services.entry_post(actor="test", ledger=book.ledger, effective_date=D, idempotency_key="once",
                        lines=[debit(book.receivable, krw(1)), credit(book.revenue, krw(1))])
    return entry(book, idempotency_key="once"), None


def closed_year(book, other_book):
    services.period_close(actor="test", ledger=book.ledger, year=2025, net_assets_account=book.net_assets)
    return entry(book, effective_date=date(2025, 12, 31)), None


def inactive_account(book, other_book):
    Account.objects.filter(pk=book.expense.pk).update(is_active=False)
    return entry(book, [debit(book.expense, krw(7)), credit(book.revenue, krw(7))]), None


def total_past_64_bits(book, other_book):
    services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                        lines=[debit(book.receivable, krw(posting.MAX_AMOUNT)),
                               credit(book.revenue, krw(posting.MAX_AMOUNT))])
    return entry(book), None


def limit(book, other_book):
    services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                        lines=[debit(book.cash, krw(30)), credit(book.revenue, krw(30))])
    return entry(book, [debit(book.expense, krw(50)), credit(book.cash, krw(50))]), None


FAULTS = {
    "reused-key": reused_key,
    "no-ledger": lambda book, other: (entry(book, ledger_id=MISSING), None),
    "closed-year": closed_year,
    "no-reversed-entry": lambda book, other: (entry(book, reverses_id=MISSING), None),
    "no-hold": lambda book, other: (entry(book, hold_id=MISSING), None),
    "no-user": lambda book, other: (entry(book), MISSING),
    "no-account": lambda book, other: (entry(book, [debit(MISSING, krw(7)), credit(book.revenue, krw(7))]), None),
    "inactive": inactive_account,
    "other-ledger": lambda book, other: (entry(book, [debit(book.receivable, krw(7)),
                                                      credit(other.revenue, krw(7))]), None),
    "currency": lambda book, other: (entry(book, [debit(book.receivable, Money(7, "USD")),
                                                  credit(book.revenue, Money(7, "USD"))]), None),
    "past-64-bits": total_past_64_bits,
    "limit": limit,
}


def refused(entries: list[posting.EntrySpec], user_id: int | None) -> LedgerError:
    normal = [posting.normalise(spec, i if len(entries) > 1 else None) for i, spec in enumerate(entries)]
    with pytest.raises(LedgerError) as caught, transaction.atomic():
        posting.post_entries(normal, posting.Actor(user_id=user_id, label="test"))
    return caught.value


def written() -> tuple:
    return (JournalEntry.objects.count(), JournalLine.objects.count(), AccountDay.objects.count(),
            sorted(Account.objects.values_list("id", "debit_total", "credit_total")))


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_is_refused_alike_alone_and_in_a_batch(book, other_book, fault):
    faulty, user_id = FAULTS[fault](book, other_book)
    sound = entry(book, [debit(book.net_assets, krw(3)), credit(book.payable, krw(3))])
    before = written()

    alone = refused([faulty], user_id)
    in_batch = refused([sound, faulty], user_id)

    assert (type(in_batch), str(in_batch)) == (type(alone), str(alone))
    assert in_batch.field in (alone.field, f"entries[1].{alone.field}")
    assert written() == before
