"""The sealer as a task: eagerly on commit in the embedded mode, and on a real Celery worker over Redis."""

import os
from datetime import date

import pytest

from apps.core.money import krw
from apps.ledger import services
from apps.ledger.models import EntrySeal, LedgerChain
from apps.ledger.services import credit, debit
from tests.workers import result_of

from .conftest import make_book

D = date(2026, 4, 1)


def post(book, amount=10, **kw):
    return services.entry_post(actor="t", ledger=book.ledger, effective_date=D,
                               lines=[debit(book.cash, krw(amount)), credit(book.revenue, krw(amount))],
                               **kw)


@pytest.mark.django_db
def test_embedded_mode_seals_each_entry_when_it_commits(book, settings, django_capture_on_commit_callbacks):
    settings.LEDGER_SEAL_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True):
        entry = post(book)
    seal = EntrySeal.objects.get(entry=entry)
    assert (seal.fiscal_year, seal.number, seal.chain_index) == (2026, 1, 1)
    assert LedgerChain.objects.get(ledger=book.ledger).head_hash == seal.hash


@pytest.fixture
def celery_worker():
    """A real Celery worker in a thread, consuming a queue of its own (xdist workers must not share one)."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    queue = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], loglevel="WARNING"):
        yield app
    app.conf.task_default_queue = "celery"


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_on_redis_seals_committed_entries_once(celery_worker):
    from apps.ledger.tasks import seal_all, seal_ledgers

    book = make_book()
    entries = [post(book, amount=i + 1) for i in range(30)]
    first = result_of(seal_all.delay(), 30)
    again = result_of(seal_ledgers.delay([book.ledger.pk]), 30)
    assert (first, again) == (30, 0)
    numbers = sorted(EntrySeal.objects.filter(ledger=book.ledger).values_list("number", flat=True))
    assert numbers == list(range(1, 31))
    assert set(EntrySeal.objects.values_list("entry_id", flat=True)) == {e.pk for e in entries}
