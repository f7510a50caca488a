"""Real PostgreSQL, real threads: twenty confirmations at once in one fund and year get receipts 1..20 — no gap,
no duplicate — and exactly one ledger entry each; the same contribution confirmed twice at once posts once."""

from datetime import date

import pytest

from apps.contributions import services
from apps.contributions.exceptions import InvalidTransition
from apps.contributions.models import Contribution, DonationReceipt
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger.models import JournalEntry
from tests.ledger.test_concurrency import in_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def many(submit, n):
    return [submit(amount=1_000_000 + i, contribution_date=date(2026, 3, 1 + i % 28)) for i in range(n)]


def test_twenty_concurrent_confirmations_number_receipts_without_gap(submit, fund_admin, wwcf):
    contributions = many(submit, 20)

    results = in_threads(20, lambda i: services.contribution_confirm(actor=fund_admin,
                                                                    contribution=contributions[i].pk))

    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(DonationReceipt.objects.filter(fund=wwcf, fiscal_year=2026).values_list("number", flat=True)) == \
        list(range(1, 21))
    for contribution in contributions:
        assert JournalEntry.objects.filter(reference=f"contribution:{contribution.pk}").count() == 1
    assert fund_account(wwcf, chart.CASH).balance_minor == sum(c.amount for c in contributions)
    assert Contribution.objects.filter(status="confirmed").count() == 20


def test_one_contribution_confirmed_by_many_at_once_posts_once(submit, fund_admin, wwcf):
    contribution = submit()

    results = in_threads(8, lambda i: services.contribution_confirm(actor=fund_admin, contribution=contribution.pk))

    assert len([r for r in results if isinstance(r, Contribution)]) == 1
    assert all(isinstance(r, InvalidTransition) for r in results if not isinstance(r, Contribution))
    assert JournalEntry.objects.filter(reference=f"contribution:{contribution.pk}").count() == 1
    assert DonationReceipt.objects.count() == 1


def test_one_idempotency_key_sent_many_times_at_once_makes_one_contribution(submit):
    results = in_threads(10, lambda i: submit(idempotency_key="retried-request"))

    assert not [r for r in results if isinstance(r, Exception)]
    assert len({r.pk for r in results}) == 1
    assert Contribution.objects.count() == 1
    assert sum(not r.is_replay for r in results) == 1
