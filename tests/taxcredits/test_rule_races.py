"""Two administrators adding overlapping tax-credit rules of one kind at the same moment: one is saved, the other
refused with the typed error; and statements issued at the same moment numbered without a clash."""

from datetime import date
from decimal import Decimal

import pytest

from apps.taxcredits import services
from apps.taxcredits.exceptions import OverlappingRule
from apps.taxcredits.models import CreditKind, TaxCreditRule, TaxCreditStatement
from tests.ledger.test_concurrency import in_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_overlapping_rules_created_at_once_leave_one(fund_admin):
    kind = CreditKind.TRADE_INSURANCE_FUND
    TaxCreditRule.objects.filter(kind=kind).delete()

    def add(i):
        return services.rule_create(actor=fund_admin, kind=kind, rate=Decimal("0.05"),
                                    valid_from=date(2026, 1 + i, 1), valid_to=date(2028, 12, 31))

    results = in_threads(4, add)

    assert TaxCreditRule.objects.filter(kind=kind).count() == 1
    assert sum(isinstance(r, OverlappingRule) for r in results) == 3


def test_statements_issued_at_once_get_versions_one_by_one(confirm, org_a, fund_admin):
    confirm()

    results = in_threads(6, lambda i: services.statement_issue(actor=fund_admin, organization=org_a, year=2026))

    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(TaxCreditStatement.objects.filter(organization=org_a, year=2026)
                  .values_list("version", flat=True)) == [1, 2, 3, 4, 5, 6]
