"""The caps per SME over 3 years (₩2.0 bn in the United States, ₩1.5 bn elsewhere, ₩1.0 bn before 2026) and the
60 % government share, enforced at approval and again at payment, as configuration."""

from datetime import date

import pytest

from apps.grants import services
from apps.grants.exceptions import CapExceeded, NoRuleInForce
from apps.grants.models import Award, CapWindow, CountryScope, GrantCapRule, GrantShareRule
from apps.grants.selectors import sme_room
from apps.ledger.models import Hold

from .conftest import BN, D


def test_united_states_cap_refusal_names_the_cap_and_the_room(award):
    award(1_800_000_000)
    with pytest.raises(CapExceeded) as refused:
        award(300_000_000)
    assert refused.value.message == ("United States cap per SME over 3 years: ₩2,000,000,000; "
                                     "already awarded ₩1,800,000,000; room ₩200,000,000")
    assert refused.value.field == "amount"
    assert refused.value.room == 200_000_000
    assert list(Award.objects.values_list("amount", flat=True)) == [1_800_000_000]
    assert Hold.objects.count() == 1  # the refused award reserved none of the fund's cash


def test_the_last_won_of_the_united_states_cap_can_be_awarded(award, org_b):
    award(1_800_000_000)
    award(200_000_000)
    assert sme_room(org_b, "US", D).room == 0


def test_other_countries_have_a_cap_of_one_and_a_half_billion(propose, org_b):
    vietnam = propose(country="VN")
    services.award_approve(actor="test", project=vietnam, sme=org_b, amount=1_500_000_000, award_date=D)
    with pytest.raises(CapExceeded) as refused:
        services.award_approve(actor="test", project=vietnam, sme=org_b, amount=1, award_date=D)
    assert refused.value.message.startswith("Cap outside the United States per SME over 3 years: ₩1,500,000,000")


def test_awards_in_every_country_count_against_the_cap(propose, org_b):
    vietnam, usa = propose(country="VN"), propose(country="US")
    services.award_approve(actor="test", project=vietnam, sme=org_b, amount=1_500_000_000, award_date=D)
    assert sme_room(org_b, "US", D).room == 500_000_000
    with pytest.raises(CapExceeded, match="room ₩500,000,000"):
        services.award_approve(actor="test", project=usa, sme=org_b, amount=600_000_000, award_date=D)


def test_awards_dated_before_2026_have_the_old_one_billion_cap(award):
    award(1 * BN, award_date=date(2025, 6, 1))
    with pytest.raises(CapExceeded) as refused:
        award(1, award_date=date(2025, 9, 1))
    assert refused.value.message == ("United States cap per SME over 3 years: ₩1,000,000,000; "
                                     "already awarded ₩1,000,000,000; room ₩0")


def test_a_2025_award_counts_against_the_2026_cap(award):
    award(1 * BN, award_date=date(2025, 6, 1))
    award(1 * BN, award_date=D)
    with pytest.raises(CapExceeded, match="already awarded ₩2,000,000,000; room ₩0"):
        award(1, award_date=D)


def test_awards_outside_three_fiscal_years_do_not_count(award):
    award(1 * BN, award_date=date(2023, 12, 31))
    award(2 * BN, award_date=date(2026, 1, 1))  # fiscal years 2024–2026 leave 2023 out


def test_a_later_award_in_the_window_counts_for_an_earlier_date(award):
    award(1 * BN, award_date=date(2027, 5, 1))
    with pytest.raises(CapExceeded, match="room ₩1,000,000,000"):
        award(1 * BN + 1, award_date=D)  # 2026–2028 holds both


def test_a_rolling_window_is_configuration(award):
    GrantCapRule.objects.filter(scope=CountryScope.UNITED_STATES, valid_from=date(2026, 1, 1)).update(
        window_kind=CapWindow.ROLLING_MONTHS)
    award(1 * BN, award_date=date(2026, 1, 10))
    with pytest.raises(CapExceeded, match=r"\(rolling\)"):
        award(1 * BN + 1, award_date=date(2028, 12, 31))
    award(1 * BN, award_date=date(2029, 1, 10))  # 36 months later the first award has left the window


def test_government_share_is_at_most_sixty_percent_of_total_cost(propose, org_b, org_c):
    small = propose(total_cost=1 * BN)
    services.award_approve(actor="test", project=small, sme=org_b, amount=400_000_000, award_date=D)
    with pytest.raises(CapExceeded) as refused:
        services.award_approve(actor="test", project=small, sme=org_c, amount=200_000_001, award_date=D)
    assert refused.value.message == ("Government share cap: 60 % of the project's total cost ₩1,000,000,000: "
                                     "₩600,000,000; already awarded ₩400,000,000; room ₩200,000,000")
    services.award_approve(actor="test", project=small, sme=org_c, amount=200_000_000, award_date=D)


def test_a_cancelled_award_counts_only_for_what_was_paid(award):
    first = award(2 * BN)
    services.tranche_pay(actor="test", award=first, amount=500_000_000, paid_date=D, idempotency_key="t1")
    services.award_cancel(actor="test", award=first, reason="사업 축소")
    with pytest.raises(CapExceeded, match="already awarded ₩500,000,000; room ₩1,500,000,000"):
        award(1_500_000_001)
    award(1_500_000_000)


def test_a_cap_lowered_after_approval_stops_payments_beyond_it(award):
    granted = award(2 * BN)
    services.tranche_pay(actor="test", award=granted, amount=1 * BN, paid_date=D, idempotency_key="t1")
    GrantCapRule.objects.filter(scope=CountryScope.UNITED_STATES, valid_from=date(2026, 1, 1)).update(cap=1_200_000_000)
    with pytest.raises(CapExceeded) as refused:
        services.tranche_pay(actor="test", award=granted, amount=300_000_000, paid_date=D, idempotency_key="t2")
    assert refused.value.message == ("United States cap per SME over 3 years: ₩1,200,000,000; "
                                     "already awarded ₩1,000,000,000; room ₩200,000,000")
    services.tranche_pay(actor="test", award=granted, amount=200_000_000, paid_date=D, idempotency_key="t3")


def test_a_share_lowered_after_approval_stops_payments_beyond_it(award):
    granted = award(2 * BN)  # 20 % of ₩10 bn
    GrantShareRule.objects.update(max_share="0.1")
    with pytest.raises(CapExceeded, match="10 % of the project's total cost"):
        services.tranche_pay(actor="test", award=granted, amount=1 * BN + 1, paid_date=D, idempotency_key="t1")
    services.tranche_pay(actor="test", award=granted, amount=1 * BN, paid_date=D, idempotency_key="t2")


def test_without_a_rule_in_force_nothing_is_awarded(award):
    GrantCapRule.objects.filter(scope=CountryScope.UNITED_STATES).delete()
    with pytest.raises(NoRuleInForce):
        award(1)


@pytest.mark.django_db
def test_the_seeded_rules_match_the_announcement():
    caps = {(r.scope, r.valid_from, r.valid_to): r.cap for r in GrantCapRule.objects.all()}
    assert caps[("us", date(2026, 1, 1), None)] == 2 * BN
    assert caps[("other", date(2026, 1, 1), None)] == 1_500_000_000
    assert caps[("us", date(2000, 1, 1), date(2025, 12, 31))] == 1 * BN
    assert GrantShareRule.objects.get().percent == "60"
