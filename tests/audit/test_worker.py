"""On a real Celery worker over Redis (PostgreSQL): the changes each task makes are recorded with that task's name
and its own id."""

import time
from datetime import date
from decimal import Decimal

import pytest

from apps.contributions import services as contributions
from apps.matching.models import Match, MatchingBudget, MatchingRule
from tests.matching.test_tasks import broker_app, celery_worker  # noqa: F401

from .conftest import USE, trail

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_task_on_a_real_worker_is_named_in_the_trail(celery_worker, uses, org_a):  # noqa: F811
    fund = uses["wwcf"]
    MatchingRule.objects.create(fund=fund, program="", ratio=Decimal("1"), valid_from=date(2026, 1, 1))
    MatchingBudget.objects.create(fund=fund, program="", year=2026, amount=10_000_000)
    ids = []
    for _ in range(2):  # each confirmation queues its matching task once it commits
        c = contributions.contribution_submit(actor="test", organization=org_a, fund=fund, amount=1_000_000,
                                              contribution_date=date(2026, 3, 2), designated_use=USE)
        ids.append(contributions.contribution_confirm(actor="test", contribution=c).pk)
    deadline = time.monotonic() + 60
    while Match.objects.filter(contribution_id__in=ids).count() < 2:
        assert time.monotonic() < deadline, "the worker did not match the contributions"
        time.sleep(0.1)

    events = [trail(Match.objects.get(contribution_id=pk))[0] for pk in ids]
    assert {(e.source, e.task_name, e.actor_label) for e in events} == {
        ("task", "matching.match_contribution", "task:matching.match_contribution")}
    task_ids = {e.task_id for e in events}
    assert len(task_ids) == 2 and all(len(t) == 36 for t in task_ids)  # each its own task's id
