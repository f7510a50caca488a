"""Issued statements are frozen: they keep the figures and rates they were issued with, and issuing again adds a
version beside the old one."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import ProtectedError

from apps.taxcredits import selectors, services
from apps.taxcredits.exceptions import NotAllowed
from apps.taxcredits.models import TaxCreditStatement

pytestmark = pytest.mark.django_db


def test_an_issued_statement_stores_the_lines_and_totals(confirm, org_a, smes, fund_admin, rule):
    org_a.related_parties.add(smes[1])
    contribution = confirm(amount=1_000_001, beneficiaries=smes[:2])

    statement = services.statement_issue(actor=fund_admin, organization=org_a, year=2026)

    assert (statement.version, statement.issued_by, statement.issued_by_label) == (1, fund_admin, "admin1")
    assert statement.lines == [{"contribution": contribution.pk, "date": "2026-03-02", "fund": "wwcf",
                                "amount": 1_000_001, "excluded": 500_000, "base": 500_001, "rate": "0.100000",
                                "credit": 50_000, "rule": rule.pk, "reason": ""}]
    assert (statement.total_amount, statement.total_excluded, statement.total_base, statement.total_credit) == (
        1_000_001, 500_000, 500_001, 50_000)


def test_an_issued_statement_keeps_its_figures_after_the_rate_changes(confirm, org_a, fund_admin, rule):
    confirm(amount=1_234_567)
    first = services.statement_issue(actor=fund_admin, organization=org_a, year=2026)

    rule.rate = Decimal("0.05")
    rule.save()

    first.refresh_from_db()
    assert first.total_credit == 123_456 and first.lines[0]["rate"] == "0.100000"
    assert selectors.statement_compute(organization=org_a, year=2026).total_credit == 61_728

    second = services.statement_issue(actor=fund_admin, organization=org_a, year=2026)
    assert (second.version, second.total_credit) == (2, 61_728)
    assert list(TaxCreditStatement.objects.filter(organization=org_a).values_list("version", "total_credit")) == [
        (1, 123_456), (2, 61_728)]


def test_versions_count_per_organisation_and_year(confirm, org_a, org_b, fund_admin, rule):
    confirm(amount=1_000, contribution_date=date(2027, 5, 1))
    services.statement_issue(actor=fund_admin, organization=org_a, year=2026)
    later = services.statement_issue(actor=fund_admin, organization=org_a, year=2027)
    other = services.statement_issue(actor=fund_admin, organization=org_b, year=2026)

    assert (later.version, later.total_credit, other.version, other.total_credit) == (1, 100, 1, 0)


def test_only_fund_administrators_issue(org_a, member_a, auditor, rule):
    for actor in (member_a, auditor):
        with pytest.raises(NotAllowed):
            services.statement_issue(actor=actor, organization=org_a, year=2026)
    assert not TaxCreditStatement.objects.exists()


def test_an_issued_statement_is_never_deleted(org_a, fund_admin, rule):
    statement = services.statement_issue(actor=fund_admin, organization=org_a, year=2026)

    with pytest.raises(ProtectedError):
        statement.delete()
