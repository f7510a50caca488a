"""Disbursements and repayments: within the commitment and the outstanding amount, posted to the sef ledger naming
the beneficiary, and idempotent."""

from datetime import date

import pytest

from apps.exportfinance import services
from apps.exportfinance.exceptions import (
    CommitmentExceeded,
    IdempotencyConflict,
    InvalidInput,
    NotAllowed,
    ProjectNotActive,
    ProjectTermsLocked,
    RepaymentExceedsOutstanding,
)
from apps.exportfinance.models import Disbursement, FinancingType, ProjectStatus
from apps.funds import chart
from apps.ledger.exceptions import LimitExceeded
from apps.ledger.models import JournalLine
from apps.ledger.selectors import trial_balance

from .conftest import SEF_CASH, balance, cash, make_project

D = date(2025, 3, 3)


def disburse(project, amount, key, actor="test", day=D):
    return services.disbursement_post(actor=actor, project=project, amount=amount, effective_date=day,
                                      idempotency_key=key)


def repay(project, amount, key, actor="test", day=D):
    return services.repayment_post(actor=actor, project=project, amount=amount, effective_date=day,
                                   idempotency_key=key)


@pytest.mark.django_db
def test_a_loan_disbursement_moves_cash_into_loans_receivable_naming_the_beneficiary(sef, project, org_a):
    d = disburse(project, 30_000_000_000, "d1")
    project.refresh_from_db()
    assert (project.disbursed_total, project.outstanding, project.undisbursed) == (30 * 10**9, 30 * 10**9, 70 * 10**9)
    assert balance(sef, chart.LOANS_RECEIVABLE) == 30 * 10**9
    assert cash(sef) == SEF_CASH - 30 * 10**9
    assert set(JournalLine.objects.filter(entry=d.entry).values_list("party", flat=True)) == {org_a.party}
    assert trial_balance(sef.ledger).is_balanced


@pytest.mark.django_db
def test_an_investment_is_booked_as_a_project_investment(sef, org_a):
    project = make_project(org_a, financing_type=FinancingType.INVESTMENT)
    disburse(project, 5_000, "inv")
    repay(project, 2_000, "inv-back")
    assert (balance(sef, chart.PROJECT_INVESTMENTS), balance(sef, chart.LOANS_RECEIVABLE)) == (3_000, 0)


@pytest.mark.django_db
def test_disbursements_never_add_up_to_more_than_the_commitment(sef, project):
    disburse(project, 60_000_000_000, "d1")
    with pytest.raises(CommitmentExceeded) as refused:
        disburse(project, 40_000_000_001, "d2")
    assert refused.value.field == "amount"
    disburse(project, 40_000_000_000, "d3")
    project.refresh_from_db()
    assert project.disbursed_total == project.committed


@pytest.mark.django_db
def test_a_disbursement_the_fund_has_no_cash_for_is_refused_and_nothing_is_recorded(sef, org_a):
    project = make_project(org_a, committed=SEF_CASH * 2)
    with pytest.raises(LimitExceeded):
        disburse(project, SEF_CASH + 1, "too-much")
    project.refresh_from_db()
    assert project.disbursed_total == 0 and not Disbursement.objects.exists()


@pytest.mark.django_db
def test_a_repeated_key_returns_the_first_disbursement_and_a_changed_one_is_refused(sef, project):
    first = disburse(project, 1_000, "same")
    again = disburse(project, 1_000, "same")
    assert again.pk == first.pk and again.is_replay
    with pytest.raises(IdempotencyConflict):
        disburse(project, 2_000, "same")
    project.refresh_from_db()
    assert project.disbursed_total == 1_000 and cash(sef) == SEF_CASH - 1_000


@pytest.mark.django_db
def test_repayments_never_exceed_what_is_outstanding(sef, project):
    disburse(project, 10_000, "d")
    repay(project, 4_000, "r1")
    with pytest.raises(RepaymentExceedsOutstanding):
        repay(project, 6_001, "r2")
    repay(project, 6_000, "r3")
    project.refresh_from_db()
    assert (project.repaid_total, project.outstanding) == (10_000, 0)
    assert balance(sef, chart.LOANS_RECEIVABLE) == 0 and cash(sef) == SEF_CASH


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [0, -5, 1.5, True])
def test_an_amount_that_is_not_whole_positive_won_is_refused(sef, project, amount):
    with pytest.raises(InvalidInput) as refused:
        disburse(project, amount, f"bad-{amount}")
    assert refused.value.field == "amount"


@pytest.mark.django_db
def test_only_fund_administrators_move_a_projects_money(sef, project, member_a):
    with pytest.raises(NotAllowed):
        disburse(project, 1_000, "member", actor=member_a)


@pytest.mark.django_db
def test_a_cancelled_project_disburses_nothing(sef, project):
    project.status = ProjectStatus.CANCELLED
    services.project_update(actor="test", project=project)
    with pytest.raises(ProjectNotActive):
        disburse(project, 1_000, "late")


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ProjectStatus.COMPLETED, ProjectStatus.CANCELLED])
def test_a_project_with_money_outstanding_cannot_be_completed_or_cancelled(sef, project, status):
    """A repayment needs an active project: closing it with money out would leave that money unrecoverable."""
    disburse(project, 50_000, "d")
    repay(project, 20_000, "r")
    project.status = status
    with pytest.raises(ProjectTermsLocked) as refused:
        services.project_update(actor="test", project=project)
    assert (refused.value.field, refused.value.status) == ("status", 409)
    assert "30,000" in refused.value.message
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE
    repay(project, 30_000, "r2")
    project.status = status
    services.project_update(actor="test", project=project)
    project.refresh_from_db()
    assert project.status == status


@pytest.mark.django_db
def test_once_money_moved_a_project_keeps_its_beneficiary_and_financing_type(sef, project, org_b):
    disburse(project, 1_000, "d")
    for field, value in (("beneficiary", org_b), ("financing_type", FinancingType.INVESTMENT)):
        edited = type(project).objects.get(pk=project.pk)
        setattr(edited, field, value)
        with pytest.raises(ProjectTermsLocked) as refused:
            services.project_update(actor="test", project=edited)
        assert refused.value.field == field
    project.refresh_from_db()
    assert project.financing_type == FinancingType.LOAN


@pytest.mark.django_db
def test_only_fund_administrators_edit_a_project(sef, project, member_a):
    project.name = "renamed by a member"
    with pytest.raises(NotAllowed):
        services.project_update(actor=member_a, project=project)
    project.refresh_from_db()
    assert project.name != "renamed by a member"


@pytest.mark.django_db
def test_before_any_money_moves_the_terms_may_change(sef, project, org_b):
    project.beneficiary, project.financing_type = org_b, FinancingType.INVESTMENT
    services.project_update(actor="test", project=project)
    project.refresh_from_db()
    assert (project.beneficiary, project.financing_type) == (org_b, FinancingType.INVESTMENT)


@pytest.mark.django_db
def test_the_commitment_cannot_be_lowered_below_what_was_disbursed(sef, project):
    disburse(project, 50_000, "d")
    project.committed = 49_999
    with pytest.raises(CommitmentExceeded):
        services.project_update(actor="test", project=project)


@pytest.mark.django_db(transaction=True)
def test_an_edit_is_its_own_transaction_when_the_caller_has_none(sef, project):
    """The service locks the project row to check the edit against money in flight: outside any transaction it
    opens its own (an edit from a script or a task), rather than failing to lock."""
    project.name = "LNG 운반선 수출 (2차)"
    services.project_update(actor="test", project=project)
    project.refresh_from_db()
    assert project.name == "LNG 운반선 수출 (2차)"
