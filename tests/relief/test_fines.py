"""Sanctions and fines: the legal cap, postings on the relief ledger, payments never above what is outstanding,
the payment status derived from the payments, and waivers."""

from datetime import date

import pytest

from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger.selectors import trial_balance
from apps.relief import services
from apps.relief.exceptions import (
    FineAboveLegalMaximum,
    IdempotencyConflict,
    InvalidTransition,
    NotAllowed,
    PaymentExceedsOutstanding,
)
from apps.relief.models import FINE_LEGAL_MAXIMUM, FinePayment, PaymentStatus, Sanction
from apps.relief.selectors import relief_totals

pytestmark = pytest.mark.django_db


def balance(fund, code):
    return fund_account(fund, code).balance_minor


def status_of(sanction):
    return Sanction.objects.with_amounts().get(pk=sanction.pk)


def test_a_fine_of_exactly_five_billion_won_is_imposed_and_posted(impose, relief, org_a):
    sanction = impose(fine_amount=FINE_LEGAL_MAXIMUM)

    assert balance(relief, chart.FINES_RECEIVABLE) == 5_000_000_000
    assert balance(relief, chart.FINE_REVENUE) == 5_000_000_000
    assert {line.party for line in sanction.imposition_entry.lines.all()} == {org_a.party}
    assert status_of(sanction).payment_status == PaymentStatus.UNPAID


def test_a_fine_above_five_billion_won_is_refused_and_nothing_is_recorded(impose, relief):
    with pytest.raises(FineAboveLegalMaximum) as refused:
        impose(fine_amount=FINE_LEGAL_MAXIMUM + 1)

    assert refused.value.field == "fine_amount"
    assert "5,000,000,000" in refused.value.message
    assert not Sanction.objects.exists()
    assert balance(relief, chart.FINES_RECEIVABLE) == 0


def test_a_sanction_without_a_fine_posts_nothing(impose, relief):
    sanction = impose(fine_amount=0)
    assert sanction.imposition_entry is None
    assert status_of(sanction).payment_status == PaymentStatus.NO_FINE


def test_only_fund_administrators_impose_sanctions(impose, auditor, member_b):
    for actor in (auditor, member_b):
        with pytest.raises(NotAllowed):
            impose(actor=actor)
    assert not Sanction.objects.exists()


def test_payments_move_the_fine_into_the_funds_cash_and_set_the_status(impose, collect, relief):
    sanction = impose()

    collect(sanction, 400_000_000)
    assert status_of(sanction).payment_status == PaymentStatus.PARTLY_PAID
    assert status_of(sanction).outstanding == 600_000_000

    collect(sanction, 600_000_000)
    assert status_of(sanction).payment_status == PaymentStatus.PAID
    assert balance(relief, chart.CASH) == 1_000_000_000
    assert balance(relief, chart.FINES_RECEIVABLE) == 0
    assert trial_balance(relief.ledger).is_balanced


def test_a_payment_above_what_is_outstanding_is_refused(impose, collect, relief):
    sanction = impose()
    collect(sanction, 900_000_000)

    with pytest.raises(PaymentExceedsOutstanding) as refused:
        collect(sanction, 100_000_001)

    assert "100,000,000" in refused.value.message
    assert FinePayment.objects.count() == 1
    assert balance(relief, chart.CASH) == 900_000_000


def test_a_retried_payment_collects_once(impose, collect, relief):
    sanction = impose()
    first = collect(sanction, 100_000_000, idempotency_key="bank-ref-1")
    again = collect(sanction, 100_000_000, idempotency_key="bank-ref-1")

    assert again.pk == first.pk
    assert balance(relief, chart.CASH) == 100_000_000
    with pytest.raises(IdempotencyConflict):
        collect(sanction, 200_000_000, idempotency_key="bank-ref-1")


def test_waiving_writes_off_the_outstanding_part_and_takes_no_more_payments(impose, collect, relief, fund_admin):
    sanction = impose()
    collect(sanction, 250_000_000)

    services.sanction_waive(actor=fund_admin, sanction=sanction, reason="회생절차 개시",
                            effective_date=date(2026, 6, 1))

    assert status_of(sanction).payment_status == PaymentStatus.WAIVED
    assert balance(relief, chart.FINES_RECEIVABLE) == 0
    assert balance(relief, chart.FINE_REVENUE) == 250_000_000
    with pytest.raises(PaymentExceedsOutstanding):
        collect(sanction, 1)
    with pytest.raises(InvalidTransition):
        services.sanction_waive(actor=fund_admin, sanction=sanction, reason="again")
    totals = relief_totals()
    assert (totals.fines_imposed, totals.fines_collected, totals.fines_waived, totals.fines_outstanding) == (
        1_000_000_000, 250_000_000, 750_000_000, 0)


def test_a_case_number_is_recorded_once(impose):
    impose(case_reference="2026-기술-9999")
    with pytest.raises(Exception, match="이미 기록되어"):
        impose(case_reference="2026-기술-9999")
