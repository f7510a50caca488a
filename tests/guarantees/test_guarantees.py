"""Guarantees to partner SMEs: never more outstanding under a program than transferred money × the leverage
multiple, with a history of every change of status."""

from datetime import date
from decimal import Decimal

import pytest

from apps.guarantees import services
from apps.guarantees.exceptions import ExposureCapExceeded, InvalidGuarantee, InvalidTransition, NotAllowed
from apps.guarantees.models import Guarantee, GuaranteeStatus, LeverageRule
from apps.guarantees.selectors import program_capacity
from apps.organizations.models import SizeClass
from tests.organizations.factories import OrganizationFactory

ISSUED = date(2026, 4, 1)


def issue(program, sme, amount, actor, **extra):
    return services.guarantee_issue(actor=actor, program=program, sme=sme, amount=amount, term_months=12,
                                    issue_date=extra.pop("issue_date", ISSUED), **extra)


def test_a_guarantee_to_a_partner_sme_is_active_and_matures_after_its_term(funded, org_b, fund_admin):
    guarantee = services.guarantee_issue(actor=fund_admin, program=funded, sme=org_b, amount=500_000_000,
                                         term_months=18, issue_date=date(2026, 8, 31))

    assert guarantee.status == GuaranteeStatus.ACTIVE
    assert guarantee.maturity_date == date(2028, 2, 29)
    assert [e.to_status for e in guarantee.events.all()] == [GuaranteeStatus.ACTIVE]


def test_exposure_stops_at_transferred_money_times_the_multiple(funded, org_b, fund_admin):
    issue(funded, org_b, 1_000_000_000, fund_admin)

    with pytest.raises(ExposureCapExceeded) as refusal:
        issue(funded, org_b, 250_000_001, fund_admin)

    assert "1,250,000,000 won" in refusal.value.message  # the limit: 100,000,000 × 12.5
    assert "250,000,000 won of room left" in refusal.value.message
    assert refusal.value.field == "amount"
    issue(funded, org_b, 250_000_000, fund_admin)
    assert program_capacity(funded, ISSUED).remaining == 0


def test_ending_a_guarantee_frees_its_exposure(funded, org_b, fund_admin):
    first = issue(funded, org_b, 1_250_000_000, fund_admin)
    services.guarantee_status_change(actor=fund_admin, guarantee=first, to_status=GuaranteeStatus.REPAID,
                                     reason="repaid on time")

    issue(funded, org_b, 1_250_000_000, fund_admin)

    assert [(e.from_status, e.to_status) for e in first.events.all()] == [
        ("", GuaranteeStatus.ACTIVE), (GuaranteeStatus.ACTIVE, GuaranteeStatus.REPAID)]


def test_the_multiple_in_force_on_the_issue_date_applies(funded, org_b, fund_admin):
    LeverageRule.objects.filter(program=funded).update(valid_to=date(2026, 6, 30))
    LeverageRule.objects.create(program=funded, multiple=Decimal("5"), valid_from=date(2026, 7, 1))

    issue(funded, org_b, 1_000_000_000, fund_admin)  # under 12.5×
    with pytest.raises(ExposureCapExceeded, match="500,000,000 won"):
        issue(funded, org_b, 1, fund_admin, issue_date=date(2026, 7, 1))  # 5×: already above


def test_without_a_multiple_in_force_no_guarantee_is_issued(funded, org_b, fund_admin):
    with pytest.raises(ExposureCapExceeded, match="no leverage multiple"):
        issue(funded, org_b, 1, fund_admin, issue_date=date(2025, 12, 31))


def test_only_partner_smes_receive_guarantees(funded, fund_admin):
    stranger = OrganizationFactory(size_class=SizeClass.SME)

    with pytest.raises(InvalidGuarantee, match="not a partner SME") as refusal:
        issue(funded, stranger, 1_000_000, fund_admin)
    assert refusal.value.field == "sme"


def test_an_ended_guarantee_stays_ended(funded, org_b, fund_admin):
    guarantee = issue(funded, org_b, 1_000_000, fund_admin)
    services.guarantee_status_change(actor=fund_admin, guarantee=guarantee, to_status=GuaranteeStatus.CALLED)

    with pytest.raises(InvalidTransition):
        services.guarantee_status_change(actor=fund_admin, guarantee=guarantee, to_status=GuaranteeStatus.ACTIVE)


def test_only_fund_administrators_record_guarantees(funded, org_b, member_a, auditor):
    for actor in (member_a, auditor):
        with pytest.raises(NotAllowed):
            issue(funded, org_b, 1_000_000, actor)
    assert not Guarantee.objects.exists()


def test_a_retried_guarantee_is_recorded_once(funded, org_b, fund_admin):
    first = issue(funded, org_b, 1_000_000, fund_admin, idempotency_key="g-1")
    again = issue(funded, org_b, 1_000_000, fund_admin, idempotency_key="g-1")

    assert again.pk == first.pk and again.is_replay
    assert Guarantee.objects.count() == 1
