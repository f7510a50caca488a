"""Leverage multiples are effective-dated configuration: the rules of one program never overlap, even when two
administrators add them at the same moment."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.guarantees.models import GuaranteeProgram, LeverageRule
from apps.guarantees.selectors import leverage_rule_on
from tests.ledger.test_concurrency import in_threads


def test_an_overlapping_rule_is_refused(program):
    rule = LeverageRule(program=program, multiple=Decimal("10"), valid_from=date(2027, 1, 1))

    with pytest.raises(ValidationError) as refusal:
        rule.full_clean()
    assert "12.5×" in refusal.value.message_dict["valid_from"][0]  # names the rule it overlaps


def test_the_rule_in_force_on_a_day_applies(program):
    LeverageRule.objects.filter(program=program).update(valid_to=date(2026, 12, 31))
    later = LeverageRule(program=program, multiple=Decimal("10"), valid_from=date(2027, 1, 1))
    later.full_clean()
    later.save()

    assert leverage_rule_on(program, date(2026, 12, 31)).multiple_text == "12.5"
    assert leverage_rule_on(program, date(2027, 1, 1)).multiple_text == "10"
    assert leverage_rule_on(program, date(2025, 12, 31)) is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_rules_saved_at_once_leave_one(kodit, org_a):
    program = GuaranteeProgram.objects.create(institution=kodit, organization=org_a, name="동시 저장")

    def add(i):
        with transaction.atomic():
            rule = LeverageRule(program=program, multiple=Decimal("10"), valid_from=date(2026, 1 + i, 1))
            rule.full_clean()
            time.sleep(0.3)  # both have validated before either saves, unless the check waits for the other
            rule.save()
            return rule

    results = in_threads(2, add)

    assert LeverageRule.objects.filter(program=program).count() == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1

