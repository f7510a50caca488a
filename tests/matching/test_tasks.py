"""Matching as Celery tasks: eagerly on commit in the embedded mode; on real workers over Redis, with contributions
confirmed at once while the sweep runs, and with a worker process killed mid-way."""

import os
import signal
import threading

import pytest
from django.db import connections
from django.db.models import Sum

from apps.contributions import services as contributions
from apps.contributions.models import Contribution, ContributionEvent, ContributionStatus
from apps.ledger.models import JournalEntry
from apps.matching import services
from apps.matching.models import Match, MatchingBudget, MatchReason
from apps.matching.tasks import TASK_ACTOR
from tests.ledger.test_concurrency import in_threads
from tests.workers import result_of, sending_to_own_queue, wait_for, worker_process

from .conftest import USE, D, confirm, make_budget, make_rule, receivable, revenue


def real_worker(test):
    """PostgreSQL (locks; a worker process sees the test database) and Redis, with committed rows only."""
    return pytest.mark.redis(pytest.mark.postgres(pytest.mark.django_db(transaction=True)(test)))


@pytest.mark.django_db
def test_confirming_a_contribution_matches_it_when_the_confirmation_commits(fund, org_a,
                                                                            django_capture_on_commit_callbacks):
    make_rule(fund)
    make_budget(fund, 1_000)
    with django_capture_on_commit_callbacks(execute=True):
        contribution = confirm(fund, org_a, 300)
    match = Match.objects.get(contribution=contribution)
    assert (match.matched, match.actor_label) == (300, TASK_ACTOR)
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.MATCHED
    assert revenue(fund) == 300


@pytest.mark.django_db
def test_the_sweep_task_matches_what_was_missed(fund, org_a):
    from apps.matching.tasks import matching_sweep

    make_rule(fund)
    make_budget(fund, 1_000)
    confirm(fund, org_a, 300)  # no on-commit callback ran: the task was "lost"
    assert matching_sweep.delay().get() == {"matched": 1, "unmatched": 0, "failed": 0, "closed": 0}


@pytest.fixture
def broker_app():
    """The Celery app sending to a queue of this test's own."""
    with sending_to_own_queue("matching") as app:
        yield app


@pytest.fixture
def celery_worker(broker_app):
    """A real Celery worker in this process, four threads consuming the test's queue."""
    from celery.contrib.testing.worker import start_worker

    with start_worker(broker_app, pool="threads", concurrency=4, perform_ping_check=False,
                      queues=[broker_app.conf.task_default_queue], loglevel="WARNING", shutdown_timeout=30):
        yield broker_app


def submitted(fund, organizations, n: int, amount: int) -> list[int]:
    return [contributions.contribution_submit(
        actor="test", organization=organizations[i % len(organizations)], fund=fund, amount=amount,
        contribution_date=D, designated_use=USE).pk for i in range(n)]


def assert_nothing_half_done(fund, budget: MatchingBudget) -> None:
    """Every match with money has its entry and a matched contribution with its event; every budget total is the
    sum of its matches and the ledger's matching revenue; no contribution is matched without a match row."""
    budget.refresh_from_db()
    matches = Match.objects.filter(contribution__fund=fund)
    granted = matches.filter(matched__gt=0)
    total = matches.aggregate(won=Sum("matched"))["won"] or 0
    assert budget.matched_total == total == revenue(fund) == receivable(fund)
    assert budget.matched_total <= budget.amount
    assert granted.filter(entry__isnull=True).count() == 0
    assert JournalEntry.objects.filter(idempotency_key__endswith=":match").count() == granted.count()
    matched = Contribution.objects.filter(fund=fund, status=ContributionStatus.MATCHED)
    assert set(matched.values_list("pk", flat=True)) == set(granted.values_list("contribution_id", flat=True))
    assert ContributionEvent.objects.filter(to_status=ContributionStatus.MATCHED).count() == granted.count()


@real_worker
def test_contributions_confirmed_at_once_while_the_sweep_runs_are_each_matched_once(celery_worker, fund, org_a,
                                                                                     org_b):
    n = 200
    make_rule(fund)
    budget = make_budget(fund, 150_500_000)  # 150½ of the 200 contributions: the budget runs out on the way
    ids = submitted(fund, [org_a, org_b], n, 1_000_000)
    confirming = threading.Event()
    sweeps = []

    def sweep_until_confirmed():
        try:
            while not confirming.is_set():
                sweeps.append(services.matching_sweep(batch=50))
        finally:
            connections.close_all()

    sweeper = threading.Thread(target=sweep_until_confirmed)
    sweeper.start()
    results = in_threads(8, lambda i: [contributions.contribution_confirm(actor="test", contribution=pk)
                                       for pk in ids[i::8]])
    confirming.set()
    sweeper.join()
    assert not [r for r in results if isinstance(r, Exception)]
    wait_for(lambda: Match.objects.filter(contribution_id__in=ids).count() == n, 90, "every contribution matched")

    assert Match.objects.filter(contribution_id__in=ids).values("contribution_id").distinct().count() == n
    assert_nothing_half_done(fund, budget)
    assert budget.matched_total == budget.amount == 150_500_000
    reasons = list(Match.objects.values_list("reason", flat=True))
    assert (reasons.count(""), reasons.count(MatchReason.BUDGET_SHORT),
            reasons.count(MatchReason.BUDGET_EXHAUSTED)) == (150, 1, 49)


@real_worker
def test_a_worker_killed_mid_way_leaves_nothing_half_done_and_the_rest_is_completed(broker_app, fund, org_a):
    from apps.matching.tasks import matching_sweep

    n = 300
    queue = broker_app.conf.task_default_queue
    make_rule(fund)
    budget = make_budget(fund, 10**12)
    ids = submitted(fund, [org_a], n, 1_000)
    for pk in ids:  # each confirmation queues its matching task as it commits; no worker is running yet
        contributions.contribution_confirm(actor="test", contribution=pk)
    matches = Match.objects.filter(contribution_id__in=ids)

    first = worker_process(queue, f"doomed-{os.getpid()}")
    try:
        wait_for(lambda: matches.count() >= 20, 60, "the first worker to match some")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    killed_at = matches.count()
    assert killed_at < n, "the worker finished before it could be killed"
    assert_nothing_half_done(fund, budget)

    second = worker_process(queue, f"heir-{os.getpid()}")
    try:
        # Queued behind every task left: when the sweep answers, the queue has been worked off. The task the
        # killed worker held stays unacknowledged until Redis' visibility timeout; the sweep matches its
        # contribution now, and its late redelivery will find the match and do nothing.
        swept = result_of(matching_sweep.delay(), 120)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert swept["matched"] <= 1 and swept["failed"] == 0
    assert matches.count() == n
    assert_nothing_half_done(fund, budget)
    assert budget.matched_total == n * 1_000
    assert services.contribution_match(actor="test", contribution=ids[0]).pk == matches.get(
        contribution_id=ids[0]).pk

