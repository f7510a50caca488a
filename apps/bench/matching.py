"""Matching benchmark: a real Celery worker on Redis sweeps 10,000 confirmed contributions (`matching_sweep_per_s`).

The contributions are created confirmed in bulk before the clock starts (their confirmation entries are not the
subject here: matching reads the contribution rows, and posts its own entries). The budget covers all but the
last tenth, so the run also crosses a partial match and exhausted-budget matches. The timed part is the sweep task
from `delay()` to its answer; afterwards every contribution must have exactly one match and the budget must hold
(matched total ≤ amount, = the sum of the matches, = the fund's matching revenue), or the bench fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.core.management.base import CommandError
from django.db.models import Count, Sum
from django.utils import timezone

from apps.contributions.models import Contribution, ContributionStatus, DesignatedUse
from apps.contributions.services import designated_uses_setup
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_account
from apps.funds.services import funds_setup
from apps.matching.models import Match, MatchingBudget, MatchingRule
from apps.organizations.models import Organization, SizeClass

from .figures import Reporter, stage

ACTOR = "bench"
FULL_COUNT = 10_000
QUICK_COUNT = 2_000
AMOUNT = 1_000_000
TARGET_PER_S = 2_000
DAY = "2026-03-02"


def run(reporter: Reporter, *, quick: bool) -> None:
    if not os.environ.get("CELERY_BROKER_URL") or settings.CELERY_BROKER_URL.startswith("memory"):
        reporter.info("matching_sweep_per_s: skipped — it needs a real worker; set CELERY_BROKER_URL=redis://…")
        return
    count = QUICK_COUNT if quick else FULL_COUNT
    with stage(reporter, f"matching: {count:,} confirmed contributions"):
        fund, budget = _prepare(count)
    with _worker() as sweep:
        with stage(reporter, "matching: a worker on Redis sweeps them") as watch:
            swept = sweep.delay().get(timeout=600)
    rate = count / watch.elapsed
    matched_once, budget_respected = _check(fund, budget, count)
    reporter.figure("matching_sweep_per_s", rate, "contributions/s", count, matched=swept["matched"],
                    unmatched=swept["unmatched"], matched_once=int(matched_once),
                    budget_respected=int(budget_respected))
    reporter.info(f"matching_sweep_per_s = {rate:.0f}: {'meets' if rate >= TARGET_PER_S else 'MISSES'} target "
                  f"≥ {TARGET_PER_S:,} contributions/s")
    if not (matched_once and budget_respected):
        raise CommandError("matching did not stay correct under the bench: "
                           f"matched once {matched_once}, budget respected {budget_respected}")


def _prepare(count: int) -> tuple[Fund, MatchingBudget]:
    funds_setup(actor=ACTOR)
    designated_uses_setup(actor=ACTOR)
    fund = Fund.objects.get(code="wwcf")
    use = DesignatedUse.objects.filter(funds=fund).order_by("code").first()
    organization = Organization.objects.create(name_ko="벤치전자", name_en="Bench Electronics",
                                               business_registration_number="1248100998", size_class=SizeClass.LARGE)
    MatchingRule.objects.create(fund=fund, ratio=Decimal("1.0"), valid_from="2026-01-01")
    budget = MatchingBudget.objects.create(fund=fund, year=2026, amount=count * AMOUNT * 9 // 10 + AMOUNT // 2)
    now = timezone.now()
    Contribution.objects.bulk_create(
        [Contribution(organization=organization, fund=fund, amount=AMOUNT, contribution_date=DAY, designated_use=use,
                      status=ContributionStatus.CONFIRMED, confirmed_at=now, submitted_by_label=ACTOR)
         for _ in range(count)], batch_size=2_000)
    return fund, budget


@contextmanager
def _worker() -> Iterator:
    """A worker in a thread on a queue of its own, started before the clock; yields the sweep task."""
    from celery.contrib.testing.worker import start_worker

    from apps.matching.tasks import matching_sweep
    from config.celery import app

    before = app.conf.task_default_queue
    app.conf.task_default_queue = queue = f"bench-matching-{os.getpid()}"
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], loglevel="WARNING"):
            yield matching_sweep
    finally:
        app.conf.task_default_queue = before


def _check(fund: Fund, budget: MatchingBudget, count: int) -> tuple[bool, bool]:
    budget.refresh_from_db()
    matches = Match.objects.filter(contribution__fund=fund).aggregate(n=Count("pk"),
                                                                     distinct=Count("contribution", distinct=True),
                                                                     won=Sum("matched"))
    revenue = fund_account(fund, chart.MATCHING_REVENUE).balance_minor
    matched_once = matches["n"] == matches["distinct"] == count
    budget_respected = budget.matched_total <= budget.amount and budget.matched_total == matches["won"] == revenue
    return matched_once, budget_respected
