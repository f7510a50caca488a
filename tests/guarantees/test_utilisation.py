"""Pool utilisation against the ₩1.7 trillion target, per contributor and per institution, and the dashboard
cards built on it."""

from decimal import Decimal

import pytest

from apps.guarantees import services
from apps.guarantees.dashboard import dashboard_cards
from apps.guarantees.selectors import pool_utilisation

from .conftest import D, confirm, make_program


@pytest.fixture
def pool(funded, wwfp, org_a, org_b, kibo, fund_admin):
    """Company A: ₩100,000,000 earmarked for KODIT and transferred (12.5×), ₩500,000,000 guaranteed; ₩60,000,000
    earmarked for KIBO (10×) of which ₩20,000,000 transferred; ₩40,000,000 received, not earmarked."""
    kibo_program = make_program(kibo, org_a, name="기술혁신 보증", multiple="10")
    services.earmark_create(actor=fund_admin, contribution=confirm(wwfp, org_a, 60_000_000), program=kibo_program)
    confirm(wwfp, org_a, 40_000_000)
    services.transfer_create(actor=fund_admin, program=kibo_program, amount=20_000_000, transfer_date=D)
    services.guarantee_issue(actor=fund_admin, program=funded, sme=org_b, amount=500_000_000, term_months=12,
                             issue_date=D)
    return kibo_program


def test_utilisation_per_contributor_and_institution(pool, org_a, kodit, kibo):
    utilisation = pool_utilisation(day=D)

    assert utilisation.target == 1_700_000_000_000
    [a] = utilisation.by_contributor
    assert (a.key, a.contributed, a.earmarked, a.transferred, a.outstanding, a.capacity) == (
        org_a.pk, 200_000_000, 160_000_000, 120_000_000, 500_000_000, 1_450_000_000)
    assert a.leverage_used == Decimal("4.16")  # 500 ÷ 120, rounded down
    by_code = {row.key: row for row in utilisation.by_institution}
    assert (by_code[kodit.pk].transferred, by_code[kodit.pk].capacity, by_code[kodit.pk].outstanding) == (
        100_000_000, 1_250_000_000, 500_000_000)
    assert (by_code[kibo.pk].earmarked, by_code[kibo.pk].capacity, by_code[kibo.pk].leverage_used) == (
        60_000_000, 200_000_000, Decimal("0.00"))
    assert utilisation.total.contributed == utilisation.raised == 200_000_000
    assert utilisation.percent_of_target == Decimal("0.01")  # 200,000,000 of 1.7 trillion, to a hundredth of a %


def test_a_company_sees_only_its_own_utilisation_and_the_pools_progress(pool, member_b, outsider):
    sme_view = pool_utilisation(member_b, day=D)
    assert sme_view.by_institution == [] and sme_view.total.transferred == 0
    assert sme_view.raised == 200_000_000  # the fund-wide figure, not a company's record
    assert pool_utilisation(outsider, day=D).total.contributed == 0


def test_dashboard_cards_show_the_pool_against_its_target(pool, fund_admin, member_a, outsider):
    [pool_card, *institutions] = dashboard_cards(fund_admin)

    assert (pool_card.used, pool_card.limit) == (200_000_000, 1_700_000_000_000)
    assert sorted((c.used, c.limit) for c in institutions) == [(0, 200_000_000), (500_000_000, 1_250_000_000)]
    assert dashboard_cards(member_a)[0].limit is None  # a contributor's own figures, not the pool's target
    assert dashboard_cards(outsider) == []
