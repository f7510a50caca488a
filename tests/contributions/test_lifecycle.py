"""A contribution's life: confirmed (posted to the fund's ledger, receipted), withdrawn or rejected before that,
or corrected afterwards by a reversal — each change recorded with its actor, and refused out of turn."""

import pytest

from apps.contributions import services
from apps.contributions.exceptions import InvalidContribution, InvalidTransition, NotAllowed
from apps.contributions.models import ContributionEvent, ContributionStatus, DonationReceipt
from apps.funds import chart
from apps.funds.selectors import fund_account, fund_progress
from apps.ledger.models import JournalEntry, JournalLine

pytestmark = pytest.mark.django_db


def balances(fund):
    return fund_account(fund, chart.CASH).balance_minor, fund_account(fund, chart.CONTRIBUTION_REVENUE).balance_minor


def history(contribution):
    return list(ContributionEvent.objects.filter(contribution=contribution)
                .values_list("from_status", "to_status", "actor_label", "reason"))


# Confirmation


def test_confirming_posts_cash_and_contribution_revenue_naming_the_contributor(confirmed, wwcf, org_a):
    assert confirmed.status == ContributionStatus.CONFIRMED and confirmed.confirmed_at
    assert balances(wwcf) == (100_000_000, 100_000_000)
    entry = confirmed.confirmation_entry
    assert (entry.reference, entry.idempotency_key) == (f"contribution:{confirmed.pk}",
                                                        f"contribution:{confirmed.pk}:confirm")
    assert entry.effective_date == confirmed.contribution_date
    lines = {ln.account.code: ln for ln in JournalLine.objects.filter(entry=entry).select_related("account")}
    assert lines[chart.CASH].debit == 100_000_000 and lines[chart.CASH].party == org_a.party
    revenue = lines[chart.CONTRIBUTION_REVENUE]
    assert (revenue.credit, revenue.party) == (100_000_000, org_a.party)
    assert revenue.metadata == {"designated_use": "technology_cooperation", "contribution": confirmed.pk}


def test_fund_progress_shows_the_contribution_by_designated_use_and_contributor(submit, fund_admin, wwcf, org_a):
    services.contribution_confirm(actor=fund_admin, contribution=submit())
    services.contribution_confirm(actor=fund_admin, contribution=submit(amount=50_000_000, designated_use="culture"))
    submit(amount=999)  # submitted only: not money in the fund

    progress = fund_progress(wwcf)

    assert progress.raised == 150_000_000
    assert progress.by_designated_use == {"culture": 50_000_000, "technology_cooperation": 100_000_000}
    assert progress.by_contributor == {org_a.party: 150_000_000}


def test_confirming_issues_a_receipt_with_the_donor_snapshot(confirmed, org_a):
    receipt = DonationReceipt.objects.get(contribution=confirmed)
    assert (receipt.fiscal_year, receipt.number, receipt.amount) == (2026, 1, 100_000_000)
    assert (receipt.donor_name, receipt.donor_brn_display) == ("한빛전자", "124-81-00998")
    assert receipt.display_number == "WWCF-2026-000001" and not receipt.is_cancelled


def test_confirming_twice_is_refused_and_posts_once(confirmed, fund_admin, wwcf):
    with pytest.raises(InvalidTransition) as refused:
        services.contribution_confirm(actor=fund_admin, contribution=confirmed)

    assert refused.value.field == "status"
    assert JournalEntry.objects.filter(reference=f"contribution:{confirmed.pk}").count() == 1
    assert DonationReceipt.objects.count() == 1
    assert balances(wwcf) == (100_000_000, 100_000_000)


@pytest.mark.parametrize("who", ["member_a", "viewer_a", "member_b", "auditor", "outsider"])
def test_only_fund_administrators_confirm(submit, request, who, wwcf):
    contribution = submit()
    with pytest.raises(NotAllowed):
        services.contribution_confirm(actor=request.getfixturevalue(who), contribution=contribution)
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.SUBMITTED
    assert balances(wwcf) == (0, 0)


def test_a_task_may_confirm_by_its_label(submit):
    contribution = services.contribution_confirm(actor="task:bank-feed", contribution=submit().pk)
    assert history(contribution)[-1] == ("submitted", "confirmed", "task:bank-feed", "")


# Withdrawal and rejection


def test_the_finance_officer_withdraws_before_confirmation_with_a_reason(submit, member_a, wwcf):
    contribution = services.contribution_withdraw(actor=member_a, contribution=submit(), reason="중복 신청")

    assert (contribution.status, contribution.reason) == (ContributionStatus.WITHDRAWN, "중복 신청")
    assert history(contribution) == [("", "submitted", "member_a", ""),
                                     ("submitted", "withdrawn", "member_a", "중복 신청")]
    assert balances(wwcf) == (0, 0)


def test_an_administrator_rejects_with_a_reason(submit, fund_admin):
    contribution = services.contribution_reject(actor=fund_admin, contribution=submit(), reason="입금 미확인")
    assert contribution.status == ContributionStatus.REJECTED
    assert history(contribution)[-1] == ("submitted", "rejected", "admin1", "입금 미확인")


@pytest.mark.parametrize("service", [services.contribution_withdraw, services.contribution_reject])
def test_a_reason_is_required(submit, fund_admin, service):
    with pytest.raises(InvalidContribution) as refused:
        service(actor=fund_admin, contribution=submit(), reason="  ")
    assert refused.value.field == "reason"


@pytest.mark.parametrize("who, allowed", [("member_a", True), ("fund_admin", True), ("viewer_a", False),
                                          ("member_b", False), ("auditor", False)])
def test_who_may_withdraw(submit, request, who, allowed):
    contribution = submit()
    actor = request.getfixturevalue(who)
    if allowed:
        assert services.contribution_withdraw(actor=actor, contribution=contribution, reason="x").status == "withdrawn"
    else:
        with pytest.raises(NotAllowed):
            services.contribution_withdraw(actor=actor, contribution=contribution, reason="x")


def test_only_administrators_reject(submit, member_a):
    with pytest.raises(NotAllowed):
        services.contribution_reject(actor=member_a, contribution=submit(), reason="x")


@pytest.mark.parametrize("service", [services.contribution_withdraw, services.contribution_reject])
def test_a_confirmed_contribution_cannot_be_withdrawn_or_rejected(confirmed, fund_admin, service):
    with pytest.raises(InvalidTransition):
        service(actor=fund_admin, contribution=confirmed, reason="too late")
    confirmed.refresh_from_db()
    assert confirmed.status == ContributionStatus.CONFIRMED


def test_a_withdrawn_contribution_cannot_be_confirmed(submit, member_a, fund_admin):
    contribution = services.contribution_withdraw(actor=member_a, contribution=submit(), reason="x")
    with pytest.raises(InvalidTransition):
        services.contribution_confirm(actor=fund_admin, contribution=contribution)
    assert not JournalEntry.objects.exists()


# Correction


def test_a_correction_reverses_the_entry_and_cancels_the_receipt(confirmed, fund_admin, wwcf):
    corrected = services.contribution_correct(actor=fund_admin, contribution=confirmed, reason="금액 착오")

    assert (corrected.status, corrected.reason) == (ContributionStatus.REVERSED, "금액 착오")
    assert corrected.reversal_entry.reverses_id == corrected.confirmation_entry_id
    assert balances(wwcf) == (0, 0)
    assert fund_progress(wwcf).by_designated_use == {}
    receipt = DonationReceipt.objects.get(contribution=confirmed)
    assert receipt.is_cancelled and receipt.cancel_reason == "금액 착오" and receipt.number == 1
    assert history(corrected)[-1] == ("confirmed", "reversed", "admin1", "금액 착오")


def test_a_correction_is_made_once(confirmed, fund_admin):
    services.contribution_correct(actor=fund_admin, contribution=confirmed, reason="x")
    with pytest.raises(InvalidTransition):
        services.contribution_correct(actor=fund_admin, contribution=confirmed, reason="x")
    assert JournalEntry.objects.filter(reverses__isnull=False).count() == 1


def test_only_confirmed_contributions_are_corrected_and_only_by_administrators(submit, confirmed, fund_admin,
                                                                              member_a):
    with pytest.raises(InvalidTransition):
        services.contribution_correct(actor=fund_admin, contribution=submit(), reason="x")
    with pytest.raises(NotAllowed):
        services.contribution_correct(actor=member_a, contribution=confirmed, reason="x")
    with pytest.raises(InvalidContribution):
        services.contribution_correct(actor=fund_admin, contribution=confirmed, reason="")


def test_a_receipt_is_never_deleted(confirmed):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        DonationReceipt.objects.get(contribution=confirmed).delete()
