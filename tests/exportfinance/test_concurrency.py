"""Exactly once, whatever runs at the same time: threads racing on PostgreSQL's locks, and real Celery workers on
Redis recycling reports while the monthly sweep runs."""

import os
import signal
import threading

import pytest
from django.db import connections
from django.db.models import Sum

from apps.exportfinance import services
from apps.exportfinance.models import Disbursement, ProfitReport, ProfitShare
from apps.funds import chart
from apps.ledger.models import JournalEntry
from apps.ledger.selectors import trial_balance
from tests.ledger.test_concurrency import in_threads
from tests.workers import result_of, sending_to_own_queue, wait_for, worker_process

from .conftest import balance, make_project, report, set_rule


def assert_books_agree(sef, wwcf):
    """Every share's receivable is in the ledger once; both ledgers balance; sef's due-to is wwcf's due-from."""
    shares = ProfitShare.objects.all()
    due = shares.aggregate(won=Sum("amount_due"))["won"] or 0
    received = shares.aggregate(won=Sum("received"))["won"] or 0
    channelled = shares.aggregate(won=Sum("channelled"))["won"] or 0
    assert balance(sef, chart.RECYCLED_PROFIT_REVENUE) == due
    assert balance(sef, chart.PROFIT_SHARE_RECEIVABLE) == due - received
    assert balance(sef, chart.DUE_TO_OTHER_FUNDS) == balance(wwcf, chart.DUE_FROM_OTHER_FUNDS) == channelled
    assert trial_balance(sef.ledger).is_balanced and trial_balance(wwcf.ledger).is_balanced


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_workers_assessing_one_report_make_one_share_and_one_entry(sef, wwcf, project):
    set_rule()
    filed = report(project, 9_999_999)
    results = in_threads(8, lambda i: services.profit_share_assess(actor=f"worker-{i}", report=filed.pk))
    assert not [r for r in results if isinstance(r, Exception)]
    assert {r.pk for r in results} == {ProfitShare.objects.get().pk}
    assert JournalEntry.objects.filter(reference=results[0].reference).count() == 1
    assert_books_agree(sef, wwcf)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_receipts_racing_channel_once(sef, wwcf, project):
    set_rule(channel_share="1")
    share = services.profit_share_assess(actor="test", report=report(project, 10_000_000))
    results = in_threads(6, lambda i: services.profit_share_receive(actor="test", share=share.pk))
    assert not [r for r in results if isinstance(r, Exception)]
    assert balance(wwcf, chart.TRANSFERS_FROM_OTHER_FUNDS) == 1_000_000
    assert_books_agree(sef, wwcf)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_disbursements_racing_never_exceed_the_commitment(sef, org_a):
    project = make_project(org_a, committed=10_000)
    results = in_threads(8, lambda i: services.disbursement_post(
        actor="test", project=project.pk, amount=3_000, effective_date=project.start_date,
        idempotency_key=f"race-{i}"))
    assert sum(isinstance(r, Disbursement) for r in results) == 3
    project.refresh_from_db()
    assert project.disbursed_total == 9_000 == balance(sef, chart.LOANS_RECEIVABLE)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_disbursement_retried_at_once_pays_out_once(sef, project):
    results = in_threads(6, lambda i: services.disbursement_post(
        actor="test", project=project.pk, amount=5_000, effective_date=project.start_date, idempotency_key="retry"))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {r.pk for r in results} == {Disbursement.objects.get().pk}
    project.refresh_from_db()
    assert project.disbursed_total == 5_000 == balance(sef, chart.LOANS_RECEIVABLE)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_reporting_one_period_at_once_make_one_current_report(sef, project):
    set_rule()
    results = in_threads(4, lambda i: report(project.pk, 1_000 * (i + 1)))
    assert len([r for r in results if isinstance(r, ProfitReport)]) == 1
    assert ProfitReport.objects.count() == 1


# Real workers on Redis


@pytest.fixture
def broker_app():
    """The Celery app sending to a queue of this test's own."""
    with sending_to_own_queue("exportfinance") as app:
        yield app


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_workers_recycle_reports_filed_while_the_sweep_runs_each_exactly_once(broker_app, sef, wwcf, org_a,
                                                                                    org_b):
    from apps.exportfinance.tasks import recycle_sweep

    set_rule()
    projects = [make_project(org, name=f"project {n}") for n in range(5) for org in (org_a, org_b)]
    queue = broker_app.conf.task_default_queue
    workers = [worker_process(queue, f"recycler{n}-{os.getpid()}") for n in range(2)]
    try:
        sweeping = threading.Event()
        sweeps = []

        def sweep_while_reporting():
            try:
                while not sweeping.is_set():
                    sweeps.append(services.recycle_sweep())
            finally:
                connections.close_all()

        sweeper = threading.Thread(target=sweep_while_reporting)
        sweeper.start()
        periods = [(2025, "H1"), (2025, "H2")]
        # Each report commits in its own transaction and queues its task on commit, as the API and portal do.
        results = in_threads(4, lambda i: [report(p.pk, 1_000_000 + i, year=y, period=q)
                                           for p in projects[i::4] for y, q in periods])
        sweeping.set()
        sweeper.join()
        assert not [r for r in results if isinstance(r, Exception)]
        n = len(projects) * len(periods)
        wait_for(lambda: ProfitShare.objects.count() == n, 90, "every report recycled")
        swept = result_of(recycle_sweep.delay(), 60)  # queued behind every task: the queue is worked off
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)
    assert swept == {"assessed": 0, "failed": 0}
    assert ProfitShare.objects.values("project", "year", "period").distinct().count() == n
    assert JournalEntry.objects.filter(idempotency_key__startswith="exportfinance:share:").count() == n
    assert set(ProfitShare.objects.values_list("amount_due", flat=True)) == {100_000}
    assert_books_agree(sef, wwcf)
