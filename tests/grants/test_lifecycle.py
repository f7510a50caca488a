"""A project from proposal to paid tranches: who may do what, the history, and what the ledger shows."""

from datetime import date

import pytest

from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.grants import services
from apps.grants.exceptions import (
    FundCashShort,
    IdempotencyConflict,
    InvalidGrant,
    InvalidTransition,
    NotAllowed,
)
from apps.grants.models import Award, AwardStatus, GrantEvent, ProjectStatus, Tranche
from apps.ledger import services as ledger
from apps.ledger.exceptions import PeriodClosed
from apps.ledger.models import Hold, HoldStatus
from apps.ledger.selectors import trial_balance

from .conftest import BN, FUND_CASH, D


def _accounts(fund):
    cash, expense = fund_account(fund, chart.CASH), fund_account(fund, chart.GRANT_EXPENSE)
    return cash, expense


def test_the_lead_companys_finance_officer_proposes_a_project(cash, org_a, org_b, member_a):
    project = services.project_propose(actor=member_a, lead=org_a, title="베트남 동반진출", country="vn",
                                       total_cost=5 * BN, start_date=D, end_date=date(2027, 6, 30),
                                       participants=[org_b], idempotency_key="k1")
    assert (project.status, project.country, project.fund.code) == (ProjectStatus.PROPOSED, "VN", "wwcf")
    assert list(project.participants.all()) == [org_b]
    assert GrantEvent.objects.get(project=project).actor == member_a


def test_a_repeated_proposal_key_makes_one_project(cash, org_a, org_b, member_a):
    kwargs = {"actor": member_a, "lead": org_a, "title": "t", "country": "US", "total_cost": BN, "start_date": D,
              "end_date": D, "participants": [org_b], "idempotency_key": "same"}
    first = services.project_propose(**kwargs)
    again = services.project_propose(**kwargs)
    assert (again.pk, again.is_replay) == (first.pk, True)
    with pytest.raises(IdempotencyConflict):
        services.project_propose(**{**kwargs, "total_cost": 2 * BN})


def test_another_companys_member_cannot_propose_for_the_lead(cash, org_a, org_b, member_b):
    with pytest.raises(NotAllowed):
        services.project_propose(actor=member_b, lead=org_a, title="t", country="US", total_cost=BN,
                                 start_date=D, end_date=D, participants=[org_b])


@pytest.mark.parametrize(("overrides", "field"), [
    ({"country": "KR"}, "country"),
    ({"country": "XX"}, "country"),
    ({"total_cost": 0}, "total_cost"),
    ({"end_date": date(2026, 1, 1)}, "end_date"),
    ({"participants": []}, "participants"),
    ({"title": " "}, "title"),
])
def test_a_proposal_with_bad_input_names_the_field(propose, overrides, field):
    with pytest.raises(InvalidGrant) as refused:
        propose(approve=False, **overrides)
    assert refused.value.field == field


def test_only_smes_take_part_and_only_a_large_company_leads(propose, org_a, org_b):
    with pytest.raises(InvalidGrant, match="SME"):
        propose(participants=[org_a])
    with pytest.raises(InvalidGrant) as refused:
        propose(lead=org_b, participants=[org_a])
    assert refused.value.field == "lead"


def test_rejection_needs_a_reason_and_is_recorded(propose, fund_admin):
    project = propose(approve=False)
    with pytest.raises(InvalidGrant):
        services.project_reject(actor=fund_admin, project=project, reason="")
    services.project_reject(actor=fund_admin, project=project, reason="사업계획 미비")
    event = project.events.order_by("pk").last()
    assert (event.to_status, event.actor, event.reason) == ("rejected", fund_admin, "사업계획 미비")
    with pytest.raises(InvalidTransition):
        services.project_approve(actor=fund_admin, project=project)


def test_only_fund_administrators_decide(propose, member_a, auditor):
    project = propose(approve=False)
    for actor in (member_a, auditor):
        with pytest.raises(NotAllowed):
            services.project_approve(actor=actor, project=project)


def test_awards_go_only_to_participants_of_approved_projects(propose, org_b):
    with pytest.raises(InvalidTransition):
        services.award_approve(actor="test", project=propose(approve=False), sme=org_b, amount=1, award_date=D)
    other = propose(participants=[org_b]).participations.get().sme
    assert other == org_b


def test_an_award_reserves_the_funds_cash_without_spending_it(award, cash):
    granted = award(1 * BN)
    cash_account, expense = _accounts(cash)
    cash_account.refresh_from_db()
    expense.refresh_from_db()
    assert cash_account.balance_minor == FUND_CASH
    assert cash_account.available_minor == FUND_CASH - 1 * BN
    assert expense.balance_minor == 0
    assert (granted.hold.amount, granted.hold.status) == (1 * BN, HoldStatus.OPEN)
    assert granted.events.get().to_status == AwardStatus.APPROVED


def test_tranches_post_grant_expense_and_cash(award, cash, org_b):
    granted = award(1 * BN)
    services.tranche_pay(actor="test", award=granted, amount=300_000_000, paid_date=date(2026, 4, 1),
                         idempotency_key="t1")
    last = services.tranche_pay(actor="test", award=granted, amount=700_000_000, paid_date=date(2026, 5, 1),
                                idempotency_key="t2")
    granted.refresh_from_db()
    assert (granted.paid, granted.remaining, granted.status) == (1 * BN, 0, AwardStatus.PAID)
    assert {line.party for line in last.entry.lines.all()} == {org_b.party}
    cash_account, expense = _accounts(cash)
    cash_account.refresh_from_db()
    expense.refresh_from_db()
    assert expense.balance_minor == 1 * BN
    assert cash_account.balance_minor == cash_account.available_minor == FUND_CASH - 1 * BN
    rows = trial_balance(cash.ledger).rows
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows)


def test_a_retried_tranche_pays_once(award):
    granted = award(1 * BN)
    first = services.tranche_pay(actor="test", award=granted, amount=BN // 2, paid_date=D, idempotency_key="once")
    again = services.tranche_pay(actor="test", award=granted, amount=BN // 2, paid_date=D, idempotency_key="once")
    assert (again.pk, again.is_replay) == (first.pk, True)
    granted.refresh_from_db()
    assert granted.paid == BN // 2
    with pytest.raises(IdempotencyConflict):
        services.tranche_pay(actor="test", award=granted, amount=1, paid_date=D, idempotency_key="once")


def test_a_tranche_cannot_exceed_what_is_left(award):
    granted = award(1 * BN)
    services.tranche_pay(actor="test", award=granted, amount=900_000_000, paid_date=D, idempotency_key="t1")
    with pytest.raises(InvalidGrant, match="what is left of the award: ₩100,000,000"):
        services.tranche_pay(actor="test", award=granted, amount=100_000_001, paid_date=D, idempotency_key="t2")
    granted.refresh_from_db()
    assert granted.paid == 900_000_000 and granted.tranches.count() == 1


def test_a_tranche_is_not_paid_before_the_award_date(award):
    with pytest.raises(InvalidGrant) as refused:
        services.tranche_pay(actor="test", award=award(BN), amount=1, paid_date=date(2026, 3, 1),
                             idempotency_key="early")
    assert refused.value.field == "paid_date"


def test_a_tranche_needs_an_idempotency_key(award):
    with pytest.raises(InvalidGrant) as refused:
        services.tranche_pay(actor="test", award=award(BN), amount=1, paid_date=D, idempotency_key="")
    assert refused.value.field == "idempotency_key"


def test_cancelling_voids_what_is_left_and_keeps_what_was_paid(award, cash, fund_admin):
    granted = award(1 * BN)
    services.tranche_pay(actor="test", award=granted, amount=400_000_000, paid_date=D, idempotency_key="t1")
    services.award_cancel(actor=fund_admin, award=granted, reason="현지 법인 설립 취소")
    granted.refresh_from_db()
    granted.hold.refresh_from_db()
    assert (granted.status, granted.remaining, granted.counted) == (AwardStatus.CANCELLED, 0, 400_000_000)
    assert granted.hold.status == HoldStatus.VOIDED
    cash_account, expense = _accounts(cash)
    cash_account.refresh_from_db()
    expense.refresh_from_db()
    assert cash_account.balance_minor == cash_account.available_minor == FUND_CASH - 400_000_000
    assert expense.balance_minor == 400_000_000
    event = granted.events.order_by("pk").last()
    assert (event.to_status, event.actor, event.reason) == ("cancelled", fund_admin, "현지 법인 설립 취소")
    with pytest.raises(InvalidTransition):
        services.tranche_pay(actor="test", award=granted, amount=1, paid_date=D, idempotency_key="t2")
    with pytest.raises(InvalidTransition):
        services.award_cancel(actor=fund_admin, award=granted, reason="again")


def test_the_funds_cash_never_goes_negative(wwcf, org_a, org_b, org_c):
    from tests.funds.conftest import contribute

    contribute(wwcf, 1 * BN, party="org:donor")
    project = services.project_propose(actor="test", lead=org_a, title="t", country="US", total_cost=100 * BN,
                                       start_date=D, end_date=D, participants=[org_b, org_c])
    services.project_approve(actor="test", project=project)
    services.award_approve(actor="test", project=project, sme=org_b, amount=800_000_000, award_date=D)
    with pytest.raises(FundCashShort) as refused:
        services.award_approve(actor="test", project=project, sme=org_c, amount=200_000_001, award_date=D)
    assert refused.value.field == "amount"
    assert "cash" in refused.value.message
    services.award_approve(actor="test", project=project, sme=org_c, amount=200_000_000, award_date=D)


def test_a_repeated_award_key_makes_one_award(award):
    first = award(BN, idempotency_key="a1")
    again = award(BN, idempotency_key="a1")
    assert (again.pk, again.is_replay) == (first.pk, True)
    with pytest.raises(IdempotencyConflict):
        award(2 * BN, idempotency_key="a1")


def test_an_award_or_a_tranche_dated_in_a_closed_year_is_refused_and_writes_nothing(award, cash):
    granted = award(BN)
    ledger.period_close(actor="test", ledger=cash.ledger, year=2026,
                        net_assets_account=fund_account(cash, chart.UNRESTRICTED_NET_ASSETS))

    with pytest.raises(PeriodClosed, match="2026"):
        services.tranche_pay(actor="test", award=granted, amount=BN // 2, paid_date=D, idempotency_key="closed")
    with pytest.raises(PeriodClosed, match="2026"):
        award(BN, idempotency_key="late")
    granted.refresh_from_db()
    assert granted.paid == 0 and not Tranche.objects.exists()
    assert Award.objects.count() == 1 and Hold.objects.count() == 1

    paid = services.tranche_pay(actor="test", award=granted, amount=BN // 2, paid_date=date(2027, 1, 4),
                                idempotency_key="next-year")
    assert paid.entry.effective_date == date(2027, 1, 4)
