"""Submitting a contribution: who may, what is refused (with the field at fault), and why a retried request makes
one contribution."""

from decimal import Decimal

import pytest

from apps.contributions.exceptions import IdempotencyConflict, InvalidContribution, NotAllowed
from apps.contributions.models import Contribution, ContributionEvent, ContributionStatus
from apps.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_a_finance_officer_submits_for_their_company(submit, org_a, org_b, member_a):
    contribution = submit(beneficiaries=[org_b], program="상생 R&D")

    assert contribution.status == ContributionStatus.SUBMITTED
    assert (contribution.organization, contribution.amount, contribution.designated_use.code) == (
        org_a, 100_000_000, "technology_cooperation")
    assert list(contribution.beneficiaries.all()) == [org_b]
    assert contribution.submitted_by == member_a
    [event] = ContributionEvent.objects.filter(contribution=contribution)
    assert (event.from_status, event.to_status, event.actor, event.actor_label) == (
        "", "submitted", member_a, "member_a")


def test_a_fund_administrator_may_submit_for_a_company(submit, fund_admin):
    assert submit(actor=fund_admin).submitted_by == fund_admin


@pytest.mark.parametrize("who", ["member_b", "viewer_a", "outsider", "auditor"])
def test_others_may_not_submit_for_company_a(submit, request, who):
    with pytest.raises(NotAllowed) as refused:
        submit(actor=request.getfixturevalue(who))
    assert refused.value.field == "organization"
    assert not Contribution.objects.exists()


def test_an_anonymous_actor_is_refused(submit):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        submit(actor=AnonymousUser())


@pytest.mark.parametrize("amount", [0, -1, Decimal("1.5"), 1.0, True, "100"])
def test_an_amount_that_is_not_whole_won_above_zero_is_refused(submit, amount):
    with pytest.raises(InvalidContribution) as refused:
        submit(amount=amount)
    assert refused.value.field == "amount"
    assert not Contribution.objects.exists()


def test_an_inactive_fund_is_refused(submit, uses):
    wwcf = uses["wwcf"]
    wwcf.is_active = False
    wwcf.save()
    with pytest.raises(InvalidContribution) as refused:
        submit(fund=wwcf)
    assert refused.value.field == "fund"


def test_a_company_cannot_name_itself_as_beneficiary(submit, org_a):
    with pytest.raises(InvalidContribution) as refused:
        submit(beneficiaries=[org_a])
    assert refused.value.field == "beneficiaries"


def test_a_repeated_idempotency_key_returns_the_first_contribution(submit, org_b):
    first = submit(idempotency_key="click-1", beneficiaries=[org_b])
    again = submit(idempotency_key="click-1", beneficiaries=[org_b.pk])

    assert again.pk == first.pk and again.is_replay and not first.is_replay
    assert Contribution.objects.count() == 1
    assert ContributionEvent.objects.count() == 1


@pytest.mark.parametrize("change", [{"amount": 200_000_000}, {"designated_use": "culture"}, {"program": "other"}])
def test_a_repeated_idempotency_key_with_another_payload_is_refused(submit, change):
    submit(idempotency_key="click-1")
    with pytest.raises(IdempotencyConflict) as refused:
        submit(idempotency_key="click-1", **change)
    assert refused.value.field == "idempotency_key"
    assert Contribution.objects.count() == 1


def test_without_a_key_each_submission_is_a_new_contribution(submit):
    submit()
    submit()
    assert Contribution.objects.count() == 2


def test_an_inactive_organisation_may_not_submit(submit, org_a):
    Organization.objects.filter(pk=org_a.pk).update(is_active=False)
    org_a.refresh_from_db()
    with pytest.raises(NotAllowed):  # its officers lose the right to submit
        submit(organization=org_a)
