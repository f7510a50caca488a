"""Tax-credit rules are effective-dated configuration: the art. 8-3 rule is seeded as announced, and two rules of
the same kind never share a day."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.taxcredits import services
from apps.taxcredits.exceptions import NotAllowed, OverlappingRule
from apps.taxcredits.models import CreditKind, TaxCreditBand, TaxCreditRule

pytestmark = pytest.mark.django_db
ART_8_3 = CreditKind.WIN_WIN_FUND_CONTRIBUTION


def test_the_art_8_3_rule_is_seeded_as_announced(rule):
    assert (rule.rate, rule.valid_from, rule.valid_to) == (Decimal("0.10"), date(2026, 1, 1), date(2028, 12, 31))
    assert rule.rate_percent == "10 %"


@pytest.mark.parametrize(("valid_from", "valid_to"), [
    (date(2028, 12, 31), date(2029, 12, 31)),  # shares the sunset day
    (date(2025, 1, 1), date(2026, 1, 1)),  # shares the first day
    (date(2027, 1, 1), None),  # open-ended, starting inside
    (date(2020, 1, 1), None),  # open-ended, covering it all
])
def test_an_overlapping_rule_of_the_same_kind_is_refused(fund_admin, rule, valid_from, valid_to):
    with pytest.raises(OverlappingRule) as refused:
        services.rule_create(actor=fund_admin, kind=ART_8_3, rate=Decimal("0.05"), valid_from=valid_from,
                             valid_to=valid_to)

    assert refused.value.field == "valid_from" and "겹칩니다" in refused.value.message  # Korean by default
    assert TaxCreditRule.objects.filter(kind=ART_8_3).count() == 1


def test_clean_refuses_an_overlap_for_the_back_office(rule):
    overlapping = TaxCreditRule(kind=ART_8_3, rate=Decimal("0.05"), valid_from=date(2028, 1, 1))

    with pytest.raises(ValidationError) as refused:
        overlapping.full_clean()

    assert "valid_from" in refused.value.message_dict


def test_a_rule_may_follow_the_sunset_or_be_of_another_kind(fund_admin, rule):
    after = services.rule_create(actor=fund_admin, kind=ART_8_3, rate=Decimal("0.07"), valid_from=date(2029, 1, 1))
    payment = services.rule_create(actor="test", kind=CreditKind.WIN_WIN_PAYMENT, rate=Decimal("0.005"),
                                   valid_from=date(2026, 1, 1), valid_to=date(2028, 12, 31))
    TaxCreditBand.objects.create(rule=payment, max_days=15, rate=Decimal("0.005"))

    assert TaxCreditRule.objects.valid_on(date(2029, 1, 1), ART_8_3).get() == after
    assert TaxCreditRule.objects.valid_on(date(2028, 12, 31), ART_8_3).get() == rule
    assert [b.max_days for b in payment.bands.all()] == [15]


def test_ending_a_rule_earlier_makes_room_for_its_successor(fund_admin, rule):
    services.rule_end(actor=fund_admin, rule=rule, valid_to=date(2027, 6, 30))
    successor = services.rule_create(actor=fund_admin, kind=ART_8_3, rate=Decimal("0.05"),
                                     valid_from=date(2027, 7, 1))

    assert TaxCreditRule.objects.valid_on(date(2027, 7, 1), ART_8_3).get() == successor


def test_a_rule_ending_before_it_starts_is_refused(fund_admin, rule):
    with pytest.raises(ValidationError):
        services.rule_create(actor=fund_admin, kind=CreditKind.TRADE_INSURANCE_FUND, rate=Decimal("0.10"),
                             valid_from=date(2027, 1, 1), valid_to=date(2026, 12, 31))


def test_only_fund_administrators_set_rules(member_a, auditor, rule):
    for actor in (member_a, auditor):
        with pytest.raises(NotAllowed):
            services.rule_create(actor=actor, kind=ART_8_3, rate=Decimal("0.2"), valid_from=date(2030, 1, 1))
