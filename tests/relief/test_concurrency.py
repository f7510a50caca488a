"""Two administrators approving two claims at the same moment for the fund's last cash: the ledger's
non-negative cash, reservations included, lets exactly one through (PostgreSQL: real row locks)."""

import pytest

from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.relief import services
from apps.relief.exceptions import InsufficientFunds, PaymentExceedsOutstanding
from apps.relief.models import Claim, ClaimStatus, FinePayment
from apps.relief.selectors import fund_cash
from tests.ledger.test_concurrency import in_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_approvals_racing_for_the_last_cash_cannot_both_succeed(funded, file_claim, fund_admin):
    claims = [file_claim(amount_claimed=600_000_000, idempotency_key=f"race-{i}") for i in range(2)]

    def approve(i):
        return services.claim_approve(actor=fund_admin, claim=claims[i].pk, amount=600_000_000)

    results = in_threads(2, approve)

    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], InsufficientFunds), results
    assert "400,000,000" in refused[0].message
    assert Claim.objects.filter(status=ClaimStatus.APPROVED).count() == 1
    assert fund_cash().available == 400_000_000


def test_two_payments_racing_for_the_last_outstanding_won_cannot_both_be_taken(impose, fund_admin):
    sanction = impose(fine_amount=100_000_000)

    def pay(i):
        return services.fine_payment_record(actor=fund_admin, sanction=sanction.pk, amount=60_000_000,
                                            paid_on=sanction.decision_date, idempotency_key=f"race-pay-{i}")

    results = in_threads(2, pay)

    assert sum(isinstance(r, PaymentExceedsOutstanding) for r in results) == 1, results
    assert sum(FinePayment.objects.values_list("amount", flat=True)) == 60_000_000


def test_one_fine_payment_retried_at_once_is_collected_once(impose, fund_admin, relief):
    sanction = impose(fine_amount=100_000_000)
    cash_before = fund_account(relief, chart.CASH).balance_minor

    def pay(i):
        return services.fine_payment_record(actor=fund_admin, sanction=sanction.pk, amount=60_000_000,
                                            paid_on=sanction.decision_date, idempotency_key="bank-retry")

    results = in_threads(4, pay)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert {r.pk for r in results} == {FinePayment.objects.get().pk}
    assert fund_account(relief, chart.CASH).balance_minor - cash_before == 60_000_000
