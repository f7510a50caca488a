"""Donation receipts: numbered without gap per fund and fiscal year (a failed confirmation uses no number), kept
when cancelled, and listed in each fund's per-donor register; totals count only money received."""

from datetime import date

import pytest

from apps.contributions import selectors, services
from apps.contributions.models import DonationReceipt
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.exceptions import PeriodClosed

pytestmark = pytest.mark.django_db


def numbers(fund, year):
    return list(DonationReceipt.objects.filter(fund=fund, fiscal_year=year).values_list("number", flat=True))


def confirm(contribution, actor="test"):
    return services.contribution_confirm(actor=actor, contribution=contribution)


def test_numbers_run_from_one_per_fund_and_year(submit, wwcf, wwfp):
    for _ in range(3):
        confirm(submit())
    confirm(submit(contribution_date=date(2027, 1, 4)))
    confirm(submit(fund=wwfp))

    assert numbers(wwcf, 2026) == [1, 2, 3]
    assert numbers(wwcf, 2027) == [1]
    assert numbers(wwfp, 2026) == [1]
    assert DonationReceipt.objects.get(fund=wwfp).display_number == "WWFP-2026-000001"


def test_a_cancelled_receipt_keeps_its_number_and_the_next_follows_it(submit, wwcf):
    first = confirm(submit())
    services.contribution_correct(actor="test", contribution=first, reason="착오")
    confirm(submit())

    assert numbers(wwcf, 2026) == [1, 2]
    assert DonationReceipt.objects.get(number=1).is_cancelled


def test_a_confirmation_that_fails_uses_no_number(submit, wwcf, fund_admin):
    confirm(submit())
    late = submit()
    ledger.period_close(actor="test", ledger=wwcf.ledger, year=2026,
                        net_assets_account=fund_account(wwcf, chart.UNRESTRICTED_NET_ASSETS))

    with pytest.raises(PeriodClosed):
        confirm(late)
    late.refresh_from_db()
    assert late.status == "submitted" and not DonationReceipt.objects.filter(contribution=late).exists()

    ledger.period_reopen(actor=fund_admin, ledger=wwcf.ledger, year=2026, reason="late receipt")
    confirm(late)
    assert numbers(wwcf, 2026) == [1, 2]


def test_the_register_lists_each_donors_receipts_for_a_fund_and_year(submit, wwcf, org_a, org_b, member_b):
    a1, a2 = confirm(submit()), confirm(submit(amount=50_000_000))
    b1 = confirm(submit(actor=member_b, organization=org_b, amount=7_000_000))
    services.contribution_correct(actor="test", contribution=a2, reason="착오")
    confirm(submit(contribution_date=date(2027, 2, 1)))  # another year

    register = selectors.receipt_register(fund=wwcf, year=2026)

    assert [(r.donor_name, [x.contribution_id for x in r.receipts], r.total) for r in register] == [
        ("새싹정밀", [b1.pk], 7_000_000), ("한빛전자", [a1.pk, a2.pk], 100_000_000)]
    assert [r.number for r in selectors.receipts_of_donor(org_a)] == [1, 2, 1]
    assert [r.number for r in selectors.receipts_of_donor(org_a, fund=wwcf, year=2027)] == [1]


def test_totals_count_money_received_per_organisation_fund_and_year(submit, wwcf, wwfp, org_a):
    confirm(submit())
    confirm(submit(amount=20_000_000, fund=wwfp))
    confirm(submit(amount=3_000_000, contribution_date=date(2027, 5, 5)))
    services.contribution_correct(actor="test", contribution=confirm(submit(amount=1)), reason="x")
    submit(amount=999)

    assert selectors.contribution_totals(organization=org_a) == {
        (org_a.pk, wwcf.pk, 2026): 100_000_000, (org_a.pk, wwfp.pk, 2026): 20_000_000,
        (org_a.pk, wwcf.pk, 2027): 3_000_000}
    assert selectors.contribution_totals(fund=wwcf, year=2027) == {(org_a.pk, wwcf.pk, 2027): 3_000_000}
