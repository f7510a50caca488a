"""Approvals and payments racing for the same SME's last room under its cap, on PostgreSQL: the row locks make the
second wait and then count the first, so only one succeeds."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections, transaction

from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.grants import services
from apps.grants.exceptions import CapExceeded
from apps.grants.models import Award
from apps.grants.selectors import sme_room
from apps.ledger.models import Account
from tests.ledger.test_concurrency import in_threads

from .conftest import BN, D

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _with_the_funds_cash_locked(cash_account, run, *, hold_for: float = 1.5):
    """Run `run()` while another transaction holds the fund's cash account, so every approval gets past its cap
    check and queues at the ledger — unless the SME's lock made it queue before the check — then let go."""
    locked, release = threading.Event(), threading.Event()

    def blocker():
        try:
            with transaction.atomic():
                Account.objects.select_for_update().get(pk=cash_account.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        held = pool.submit(blocker)
        assert locked.wait(10)
        racing = pool.submit(run)
        time.sleep(hold_for)
        release.set()
        held.result()
        return racing.result()


def test_two_approvals_racing_for_the_last_room_only_one_wins(propose, org_b, cash):
    usa, vietnam = propose(country="US"), propose(country="VN")
    services.award_approve(actor="test", project=usa, sme=org_b, amount=1_500_000_000, award_date=D)

    def approve(i):
        project = usa if i % 2 == 0 else vietnam  # two projects: only the SME's lock stands between them
        return services.award_approve(actor="test", project=project.pk, sme=org_b.pk, amount=400_000_000,
                                      award_date=D)

    results = _with_the_funds_cash_locked(fund_account(cash, chart.CASH), lambda: in_threads(2, approve))
    won = [r for r in results if isinstance(r, Award)]
    refused = [r for r in results if isinstance(r, CapExceeded)]
    assert (len(won), len(refused)) == (1, 1), results
    assert refused[0].room in (100_000_000, 0)  # the US or the Vietnam cap, whichever came second
    assert Award.objects.filter(sme=org_b).count() == 2
    assert sme_room(org_b, "US", D).room == 100_000_000


def test_approvals_racing_for_one_projects_share_only_fill_it(propose, org_b, org_c, cash):
    project = propose(total_cost=1 * BN)  # 60 % = ₩600,000,000

    def approve(i):
        return services.award_approve(actor="test", project=project.pk, sme=(org_b, org_c)[i % 2].pk,
                                      amount=400_000_000, award_date=D)

    results = _with_the_funds_cash_locked(fund_account(cash, chart.CASH), lambda: in_threads(2, approve))
    assert sorted(type(r).__name__ for r in results) == ["Award", "CapExceeded"], results


def test_a_tranche_retried_at_once_pays_once(propose, org_b):
    project = propose()
    award = services.award_approve(actor="test", project=project, sme=org_b, amount=BN, award_date=D)

    def pay(i):
        return services.tranche_pay(actor="test", award=award.pk, amount=BN // 4, paid_date=D,
                                    idempotency_key="retry-me")

    results = in_threads(6, pay)
    assert all(not isinstance(r, Exception) for r in results), results
    assert len({r.pk for r in results}) == 1
    award.refresh_from_db()
    assert award.paid == BN // 4


def test_tranches_racing_for_the_rest_of_an_award_never_overpay(propose, org_b):
    project = propose()
    award = services.award_approve(actor="test", project=project, sme=org_b, amount=BN, award_date=D)

    def pay(i):
        return services.tranche_pay(actor="test", award=award.pk, amount=BN * 2 // 5, paid_date=D,
                                    idempotency_key=f"t{i}")

    results = in_threads(4, pay)
    assert sum(1 for r in results if not isinstance(r, Exception)) == 2, results
    award.refresh_from_db()
    assert award.paid == BN * 4 // 5
