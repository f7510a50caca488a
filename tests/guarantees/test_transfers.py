"""Transfers of pool money to guarantee institutions: posted on the wwfp ledger, never more than the contributor's
received money earmarked for that institution."""

from datetime import date

import pytest

from apps.contributions import services as contributions
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.guarantees import services
from apps.guarantees.exceptions import InvalidGuarantee, NotAllowed, TransferExceedsEarmarked
from apps.guarantees.models import GuaranteeTransfer
from apps.ledger import services as ledger
from apps.ledger.exceptions import PeriodClosed
from apps.ledger.models import JournalEntry, JournalLine

from .conftest import USE, D, confirm, make_program


def test_transfer_posts_guarantee_support_expense_against_cash_naming_the_contributor(earmarked, program, wwfp,
                                                                                     org_a, fund_admin):
    cash_before = fund_account(wwfp, chart.CASH).balance_minor

    transfer = services.transfer_create(actor=fund_admin, program=program, amount=40_000_000, transfer_date=D)

    lines = list(JournalLine.objects.filter(entry=transfer.entry).select_related("account"))
    assert {(line.account.code, line.debit, line.credit, line.party) for line in lines} == {
        (chart.GUARANTEE_SUPPORT_EXPENSE, 40_000_000, 0, org_a.party), (chart.CASH, 0, 40_000_000, org_a.party)}
    assert sum(line.debit for line in lines) == sum(line.credit for line in lines)
    assert transfer.entry.ledger_id == wwfp.ledger_id
    assert fund_account(wwfp, chart.CASH).balance_minor == cash_before - 40_000_000
    assert fund_account(wwfp, chart.GUARANTEE_SUPPORT_EXPENSE).balance_minor == 40_000_000


def test_transfers_stop_at_the_earmarked_money_and_say_how_much_is_left(earmarked, program, fund_admin):
    services.transfer_create(actor=fund_admin, program=program, amount=70_000_000, transfer_date=D)

    with pytest.raises(TransferExceedsEarmarked, match="30,000,000 won left") as refusal:
        services.transfer_create(actor=fund_admin, program=program, amount=30_000_010, transfer_date=D)

    assert refusal.value.field == "amount"
    services.transfer_create(actor=fund_admin, program=program, amount=30_000_000, transfer_date=D)
    assert sum(GuaranteeTransfer.objects.values_list("amount", flat=True)) == 100_000_000


def test_unconfirmed_or_unearmarked_money_cannot_be_transferred(wwfp, org_a, program, fund_admin, member_a):
    confirm(wwfp, org_a, 80_000_000)  # received, not earmarked
    submitted = contributions.contribution_submit(actor=member_a, organization=org_a, fund=wwfp, amount=60_000_000,
                                                  contribution_date=D, designated_use=USE)
    services.earmark_create(actor=member_a, contribution=submitted, program=program)  # earmarked, not received

    with pytest.raises(TransferExceedsEarmarked, match="0 won left"):
        services.transfer_create(actor=fund_admin, program=program, amount=10, transfer_date=D)


def test_money_earmarked_for_one_institution_cannot_go_to_another(earmarked, kibo, org_a, fund_admin):
    kibo_program = make_program(kibo, org_a, name="기술 보증")

    with pytest.raises(TransferExceedsEarmarked):
        services.transfer_create(actor=fund_admin, program=kibo_program, amount=10, transfer_date=D)


def test_the_cap_is_per_contributor_and_institution_across_its_programs(earmarked, program, kodit, org_a,
                                                                          fund_admin):
    second = make_program(kodit, org_a, name="수출 협력사 보증")
    services.transfer_create(actor=fund_admin, program=second, amount=60_000_000, transfer_date=D)

    with pytest.raises(TransferExceedsEarmarked, match="40,000,000 won left"):
        services.transfer_create(actor=fund_admin, program=program, amount=50_000_000, transfer_date=D)


def test_only_fund_administrators_transfer(earmarked, program, member_a, auditor):
    for actor in (member_a, auditor):
        with pytest.raises(NotAllowed):
            services.transfer_create(actor=actor, program=program, amount=10, transfer_date=D)
    assert not GuaranteeTransfer.objects.exists()


def test_a_retried_transfer_posts_once(earmarked, program, fund_admin):
    first = services.transfer_create(actor=fund_admin, program=program, amount=10_000_000, transfer_date=D,
                                     idempotency_key="t-1")
    again = services.transfer_create(actor=fund_admin, program=program, amount=10_000_000, transfer_date=D,
                                     idempotency_key="t-1")

    assert again.pk == first.pk and again.is_replay
    assert JournalEntry.objects.filter(reference="guarantee-transfer:t-1").count() == 1


def test_a_reversed_contribution_no_longer_counts_as_earmarked(earmarked, program, fund_admin):
    contributions.contribution_correct(actor=fund_admin, contribution=earmarked, reason="wrong amount")

    with pytest.raises(TransferExceedsEarmarked):
        services.transfer_create(actor=fund_admin, program=program, amount=10, transfer_date=D)


def test_a_transfer_drops_what_is_under_ten_won(earmarked, program, wwfp, fund_admin):
    transfer = services.transfer_create(actor=fund_admin, program=program, amount=1_234_567, transfer_date=D)

    assert transfer.amount == 1_234_560
    assert fund_account(wwfp, chart.GUARANTEE_SUPPORT_EXPENSE).balance_minor == 1_234_560
    with pytest.raises(InvalidGuarantee, match="under 10 won"):
        services.transfer_create(actor=fund_admin, program=program, amount=9, transfer_date=D)


def test_a_transfer_dated_in_a_closed_year_is_refused_and_writes_nothing(earmarked, program, wwfp, fund_admin):
    ledger.period_close(actor="test", ledger=wwfp.ledger, year=2026,
                        net_assets_account=fund_account(wwfp, chart.UNRESTRICTED_NET_ASSETS))

    with pytest.raises(PeriodClosed, match="2026"):
        services.transfer_create(actor=fund_admin, program=program, amount=10_000_000, transfer_date=D,
                                 idempotency_key="closed")
    assert not GuaranteeTransfer.objects.exists()
    assert not JournalEntry.objects.filter(reference="guarantee-transfer:closed").exists()

    transfer = services.transfer_create(actor=fund_admin, program=program, amount=10_000_000,
                                        transfer_date=date(2027, 1, 4), idempotency_key="next-year")
    assert transfer.entry.effective_date == date(2027, 1, 4)
