"""What runs at once never breaks the pool's limits (PostgreSQL: real row locks, real threads)."""

import pytest

from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.guarantees import services
from apps.guarantees.exceptions import ExposureCapExceeded, InvalidEarmark, TransferExceedsEarmarked
from apps.guarantees.models import Earmark, Guarantee, GuaranteeStatus, GuaranteeTransfer
from apps.guarantees.selectors import outstanding_of_program
from tests.ledger.test_concurrency import in_threads

from .conftest import D, confirm, make_program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_guarantees_at_once_never_exceed_the_exposure_cap(funded, org_b, fund_admin):
    # Capacity 1,250,000,000; twenty requests of 100,000,000 at once: exactly twelve fit.
    results = in_threads(20, lambda i: services.guarantee_issue(
        actor=fund_admin, program=funded.pk, sme=org_b.pk, amount=100_000_000, term_months=12, issue_date=D))

    issued = [r for r in results if isinstance(r, Guarantee)]
    refused = [r for r in results if not isinstance(r, Guarantee)]
    assert len(issued) == 12
    assert all(isinstance(r, ExposureCapExceeded) for r in refused)
    assert outstanding_of_program(funded) == 1_200_000_000
    assert Guarantee.objects.filter(status=GuaranteeStatus.ACTIVE).count() == 12


def test_guarantees_under_two_programs_at_once_each_keep_their_own_cap(funded, kibo, wwfp, org_a, org_b,
                                                                        fund_admin):
    second = make_program(kibo, org_a, name="기술혁신 보증", multiple="2")
    services.earmark_create(actor=fund_admin, contribution=confirm(wwfp, org_a, 1_000_000), program=second)
    services.transfer_create(actor=fund_admin, program=second, amount=1_000_000, transfer_date=D)
    programs = [funded.pk, second.pk]

    results = in_threads(10, lambda i: services.guarantee_issue(
        actor=fund_admin, program=programs[i % 2], sme=org_b.pk, amount=1_000_000, term_months=6, issue_date=D))

    # 2,000,000 of room under the second program; the first has far more than the five asked of it.
    assert sum(isinstance(r, Guarantee) for r in results) == 7
    assert outstanding_of_program(second) == 2_000_000


def test_ten_transfers_at_once_never_exceed_the_earmarked_money(earmarked, program, wwfp, fund_admin):
    results = in_threads(10, lambda i: services.transfer_create(
        actor=fund_admin, program=program.pk, amount=30_000_000, transfer_date=D))

    assert sum(isinstance(r, GuaranteeTransfer) for r in results) == 3
    assert all(isinstance(r, TransferExceedsEarmarked) for r in results if not isinstance(r, GuaranteeTransfer))
    assert fund_account(wwfp, chart.GUARANTEE_SUPPORT_EXPENSE).balance_minor == 90_000_000


def test_one_transfer_retried_many_times_at_once_posts_once(earmarked, program, wwfp, fund_admin):
    results = in_threads(8, lambda i: services.transfer_create(
        actor=fund_admin, program=program.pk, amount=10_000_000, transfer_date=D, idempotency_key="retried"))

    assert not [r for r in results if isinstance(r, Exception)]
    assert len({r.pk for r in results}) == 1
    assert fund_account(wwfp, chart.GUARANTEE_SUPPORT_EXPENSE).balance_minor == 10_000_000


def test_one_contribution_earmarked_many_times_at_once_is_earmarked_once(wwfp, org_a, program, kibo, fund_admin):
    contribution = confirm(wwfp, org_a, 10_000_000)
    programs = [program.pk, make_program(kibo, org_a, name="기술혁신 보증").pk]

    results = in_threads(8, lambda i: services.earmark_create(actor=fund_admin, contribution=contribution.pk,
                                                              program=programs[i % 2]))

    assert sum(isinstance(r, Earmark) for r in results) == 1
    assert all(isinstance(r, InvalidEarmark) for r in results if not isinstance(r, Earmark))
    assert Earmark.objects.filter(contribution=contribution).count() == 1


def test_one_earmark_request_retried_many_times_at_once_makes_one_earmark(wwfp, org_a, program, member_a):
    contribution = confirm(wwfp, org_a, 10_000_000)

    results = in_threads(6, lambda i: services.earmark_create(actor=member_a, contribution=contribution.pk,
                                                              program=program.pk, idempotency_key="double-click"))

    assert not [r for r in results if isinstance(r, Exception)]
    assert len({r.pk for r in results}) == 1 and sum(not r.is_replay for r in results) == 1
