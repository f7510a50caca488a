"""Profit reports and recycling: the share is floor(base × rate) under the rule of the period's end, posted once per
project and period, corrected by difference, received in full and split between the ecosystem and sef to the won,
with sef's due-to equal to the destination's due-from."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from apps.exportfinance import services
from apps.exportfinance.exceptions import (
    AlreadyReported,
    IdempotencyConflict,
    InvalidInput,
    NoRuleInForce,
    NotAllowed,
    NothingDue,
    ShareSettled,
)
from apps.exportfinance.models import ProfitReport, ProfitShare, RecyclingRule, ShareStatus
from apps.funds import chart
from apps.ledger.models import JournalEntry
from apps.ledger.selectors import trial_balance

from .conftest import SEF_CASH, balance, cash, report, set_rule


def share_of(project, year=2025, period="H1") -> ProfitShare:
    return ProfitShare.objects.get(project=project, year=year, period=period)


@pytest.mark.django_db
def test_a_report_is_recycled_into_a_receivable_of_floor_base_times_rate(sef, project, rule,
                                                                         django_capture_on_commit_callbacks):
    set_rule(rate="0.0725")
    with django_capture_on_commit_callbacks(execute=True):
        report(project, 1_234_567)
    share = share_of(project)
    assert (share.base_amount, share.amount_due, share.status) == (1_234_567, 89_506, ShareStatus.DUE)  # 89,506.1
    assert share.due_date == date(2025, 9, 28)  # 90 days after 30 June
    assert balance(sef, chart.PROFIT_SHARE_RECEIVABLE) == balance(sef, chart.RECYCLED_PROFIT_REVENUE) == 89_506


@pytest.mark.django_db
def test_the_rules_base_chooses_operating_or_net_profit(sef, project):
    set_rule(base="net_profit")
    share = services.profit_share_assess(actor="test", report=report(project, 1_000_000, net_profit=300_000))
    assert (share.base_amount, share.amount_due) == (300_000, 30_000)


@pytest.mark.django_db
def test_a_loss_owes_nothing_and_posts_nothing(sef, project, rule):
    share = services.profit_share_assess(actor="test", report=report(project, -5_000_000))
    assert (share.base_amount, share.amount_due, share.status) == (0, 0, ShareStatus.NOTHING_DUE)
    assert balance(sef, chart.PROFIT_SHARE_RECEIVABLE) == 0
    with pytest.raises(NothingDue):
        services.profit_share_receive(actor="test", share=share)


@pytest.mark.django_db
def test_assessing_again_changes_nothing(sef, project, rule):
    filed = report(project, 1_000_000)
    first = services.profit_share_assess(actor="test", report=filed)
    again = services.profit_share_assess(actor="test", report=filed)
    assert again.pk == first.pk
    assert ProfitShare.objects.count() == 1
    assert JournalEntry.objects.filter(reference=first.reference).count() == 1
    assert services.recycle_sweep().assessed == 0


@pytest.mark.django_db
def test_the_sweep_recycles_what_no_task_did(sef, project, rule):
    report(project, 1_000_000)  # no on-commit callback ran: the task was "lost"
    report(project, 2_000_000, period="H2")
    assert services.recycle_sweep().assessed == 2
    assert ProfitShare.objects.count() == 2 and balance(sef, chart.PROFIT_SHARE_RECEIVABLE) == 300_000


@pytest.mark.django_db
def test_a_period_without_a_rule_is_left_for_the_sweep(sef, project):
    RecyclingRule.objects.update(valid_from=date(2026, 1, 1))
    filed = report(project, 1_000_000)
    with pytest.raises(NoRuleInForce):
        services.profit_share_assess(actor="test", report=filed)
    assert services.recycle_sweep().failed == 1
    set_rule()
    assert services.recycle_sweep().assessed == 1


@pytest.mark.django_db
def test_a_second_report_of_a_period_needs_a_reason_and_supersedes_the_first(sef, project, rule):
    first = report(project, 1_000_000)
    services.profit_share_assess(actor="test", report=first)
    with pytest.raises(AlreadyReported) as refused:
        report(project, 1_500_000)
    assert refused.value.field == "reason"
    correction = report(project, 1_500_000, reason="감사 후 수정 / corrected after the audit")
    assert correction.supersedes == first
    first.refresh_from_db()
    assert not first.is_current and correction.is_current
    share = services.profit_share_assess(actor="test", report=first)  # a late task of the first: uses the current
    assert (share.report, share.amount_due) == (correction, 150_000)
    assert balance(sef, chart.PROFIT_SHARE_RECEIVABLE) == balance(sef, chart.RECYCLED_PROFIT_REVENUE) == 150_000
    lower = report(project, 400_000, reason="again")
    share = services.profit_share_assess(actor="test", report=lower)
    assert share.amount_due == 40_000 and balance(sef, chart.PROFIT_SHARE_RECEIVABLE) == 40_000
    assert ProfitShare.objects.count() == 1 and ProfitReport.objects.count() == 3


@pytest.mark.django_db
def test_the_database_refuses_two_first_reports_of_one_period(sef, project, rule):
    first = report(project, 1_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProfitReport.objects.create(project=project, year=2025, period="H1", operating_profit=1, net_profit=1,
                                    actor_label="x", payload_hash="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProfitShare.objects.create(project=project, year=2025, period="H1", report=first, rule=rule, base_amount=0,
                                   rate=0, amount_due=0, due_date=date(2025, 9, 1), assessed_by="x")
        ProfitShare.objects.create(project=project, year=2025, period="H1", report=first, rule=rule, base_amount=0,
                                   rate=0, amount_due=0, due_date=date(2025, 9, 1), assessed_by="x")


@pytest.mark.django_db
def test_periods_that_have_not_ended_or_overlap_are_refused(sef, project, rule):
    with pytest.raises(InvalidInput):
        report(project, 1_000, year=2100, period="FY")
    report(project, 1_000, period="Q1")
    with pytest.raises(InvalidInput) as refused:
        report(project, 1_000, period="H1")
    assert refused.value.field == "period"
    with pytest.raises(InvalidInput):
        report(project, 1_000, year=2024, period="FY")  # before the project started


@pytest.mark.django_db
def test_a_finance_officer_reports_for_their_own_company_only(sef, project, member_a, member_b, viewer_a, rule):
    assert report(project, 1_000, actor=member_a).actor_label == "member_a"
    for other in (member_b, viewer_a):
        with pytest.raises(NotAllowed):
            report(project, 1_000, period="H2", actor=other)


@pytest.mark.django_db
def test_a_repeated_report_key_returns_the_first_report(sef, project, rule):
    first = report(project, 1_000, key="k")
    assert report(project, 1_000, key="k").pk == first.pk
    with pytest.raises(IdempotencyConflict):
        report(project, 2_000, key="k")


@pytest.mark.django_db
@pytest.mark.parametrize(("channel_share", "channelled", "retained"), [
    ("1", 123_456, 0), ("0.5", 61_728, 61_728), ("0.3333", 41_148, 82_308), ("0", 0, 123_456)])
def test_on_receipt_the_configured_part_is_channelled_and_the_split_adds_back(sef, wwcf, project, channel_share,
                                                                              channelled, retained):
    set_rule(rate="0.1", channel_share=channel_share)
    share = services.profit_share_assess(actor="test", report=report(project, 1_234_560))
    assert share.amount_due == 123_456
    share = services.profit_share_receive(actor="test", share=share, effective_date=date(2025, 9, 1))
    assert (share.received, share.channelled, share.retained) == (123_456, channelled, retained)
    assert share.channelled + share.retained == share.received
    assert share.status == (ShareStatus.CHANNELLED if channelled else ShareStatus.RECEIVED)
    assert balance(sef, chart.PROFIT_SHARE_RECEIVABLE) == 0
    assert cash(sef) == SEF_CASH + 123_456
    assert balance(sef, chart.DUE_TO_OTHER_FUNDS) == balance(wwcf, chart.DUE_FROM_OTHER_FUNDS) == channelled
    assert balance(sef, chart.TRANSFER_EXPENSE) == balance(wwcf, chart.TRANSFERS_FROM_OTHER_FUNDS) == channelled
    assert trial_balance(sef.ledger).is_balanced and trial_balance(wwcf.ledger).is_balanced
    if channelled:
        assert share.channel_source_entry.transfer_id == share.channel_target_entry.transfer_id


@pytest.mark.django_db
def test_receiving_twice_channels_once_and_a_received_period_cannot_be_corrected(sef, wwcf, project, rule):
    share = services.profit_share_assess(actor="test", report=report(project, 1_000_000))
    services.profit_share_receive(actor="test", share=share)
    services.profit_share_receive(actor="test", share=share)
    assert balance(wwcf, chart.DUE_FROM_OTHER_FUNDS) == 50_000
    with pytest.raises(ShareSettled):
        report(project, 2_000_000, reason="late correction")


@pytest.mark.django_db
def test_only_fund_administrators_record_a_receipt(sef, project, rule, member_a):
    share = services.profit_share_assess(actor="test", report=report(project, 1_000_000))
    with pytest.raises(NotAllowed):
        services.profit_share_receive(actor=member_a, share=share)


@pytest.mark.django_db
def test_settling_in_cash_clears_the_due_pair_once(sef, wwcf, project, rule):
    share = services.profit_share_assess(actor="test", report=report(project, 1_000_000))
    with pytest.raises(NothingDue):
        services.channel_settle(actor="test", share=share)  # nothing channelled before the receipt
    services.profit_share_receive(actor="test", share=share, effective_date=date(2025, 9, 1))
    wwcf_cash = cash(wwcf)
    settled = services.channel_settle(actor="test", share=share, effective_date=date(2025, 9, 15))
    services.channel_settle(actor="test", share=share)
    assert settled.settled_on == date(2025, 9, 15)
    assert balance(sef, chart.DUE_TO_OTHER_FUNDS) == balance(wwcf, chart.DUE_FROM_OTHER_FUNDS) == 0
    assert cash(wwcf) == wwcf_cash + 50_000 and cash(sef) == SEF_CASH + 100_000 - 50_000
    assert settled.settle_source_entry.transfer_id == settled.settle_target_entry.transfer_id
    assert trial_balance(sef.ledger).is_balanced and trial_balance(wwcf.ledger).is_balanced
