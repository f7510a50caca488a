"""Two administrators adding overlapping matching rules at the same moment: one is saved, the other refused, as the
back office does it (validate and save in one transaction)."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.matching.models import MatchingRule
from tests.ledger.test_concurrency import in_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_overlapping_rules_saved_at_once_leave_one(funds):
    wwcf = funds["wwcf"]

    def add(i):
        with transaction.atomic():
            rule = MatchingRule(fund=wwcf, program="", ratio=Decimal("1"), valid_from=date(2026, 1 + i, 1))
            rule.full_clean()
            time.sleep(0.3)  # both have validated before either saves, unless the check waits for the other
            rule.save()
            return rule

    results = in_threads(2, add)

    assert MatchingRule.objects.filter(fund=wwcf).count() == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
