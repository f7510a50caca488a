"""The credit on each contribution: floor(base × rate) in whole won under the rule in force on its date, the part
used for the contributor's related parties left out, only money received counting."""

from datetime import date
from decimal import Decimal

import pytest

from apps.contributions import services as contributions
from apps.contributions.models import Contribution, ContributionStatus
from apps.core.money import split
from apps.taxcredits import selectors, services
from apps.taxcredits.models import CreditKind

pytestmark = pytest.mark.django_db


def test_the_credit_is_the_floor_of_base_times_rate(confirm, rule):
    line = selectors.contribution_credit(confirm(amount=1_234_567))

    assert (line.base, line.rate, line.credit) == (1_234_567, Decimal("0.10"), 123_456)


def test_each_line_is_floored_before_summing(confirm, org_a, rule):
    confirm(amount=15), confirm(amount=15)

    statement = selectors.statement_compute(organization=org_a, year=2026)

    assert [line.credit for line in statement.lines] == [1, 1]
    assert statement.total_credit == 2  # not floor(30 × 10 %) = 3


def test_without_beneficiaries_the_whole_amount_is_the_base(confirm, org_a, smes, rule):
    org_a.related_parties.add(smes[0])

    line = selectors.contribution_credit(confirm(amount=100_000_000))

    assert (line.excluded, line.base, line.credit) == (0, 100_000_000, 10_000_000)


def test_the_related_party_part_earns_no_credit_and_the_split_adds_back_exactly(confirm, org_a, smes, rule):
    smes[2].related_parties.add(org_a)  # symmetric: A is related to the third SME
    amount = 100_000_001
    parts = split(amount, [1, 1, 1])
    assert parts == [33_333_334, 33_333_334, 33_333_333] and sum(parts) == amount

    line = selectors.contribution_credit(confirm(amount=amount, beneficiaries=smes))

    assert line.excluded == 33_333_333
    assert line.base == 66_666_668 and line.base + line.excluded == amount
    assert line.credit == 6_666_666  # floor(6,666,666.8)


def test_a_contribution_wholly_for_related_parties_earns_nothing(confirm, org_a, smes, rule):
    org_a.related_parties.add(*smes[:2])

    line = selectors.contribution_credit(confirm(amount=7, beneficiaries=smes[:2]))

    assert (line.excluded, line.base, line.credit) == (7, 0, 0)


def test_after_the_sunset_there_is_no_credit(confirm, rule):
    last_day = selectors.contribution_credit(confirm(amount=1_000_000, contribution_date=date(2028, 12, 31)))
    after = selectors.contribution_credit(confirm(amount=1_000_000, contribution_date=date(2029, 1, 1)))

    assert last_day.credit == 100_000
    assert (after.credit, after.rate, after.reason) == (0, None, selectors.NO_RULE)


def test_extending_the_sunset_by_configuration_gives_the_credit(confirm, fund_admin, rule):
    contribution = confirm(amount=1_000_000, contribution_date=date(2029, 1, 1))
    services.rule_create(actor=fund_admin, kind=CreditKind.WIN_WIN_FUND_CONTRIBUTION, rate=Decimal("0.10"),
                         valid_from=date(2029, 1, 1), valid_to=date(2030, 12, 31))

    assert selectors.contribution_credit(contribution).credit == 100_000


def test_each_contribution_uses_the_rule_in_force_on_its_date(confirm, org_a, fund_admin, rule):
    services.rule_end(actor=fund_admin, rule=rule, valid_to=date(2026, 6, 30))
    services.rule_create(actor=fund_admin, kind=CreditKind.WIN_WIN_FUND_CONTRIBUTION, rate=Decimal("0.05"),
                         valid_from=date(2026, 7, 1))
    confirm(amount=1_000_000, contribution_date=date(2026, 6, 30))
    confirm(amount=1_000_000, contribution_date=date(2026, 7, 1))

    statement = selectors.statement_compute(organization=org_a, year=2026)

    assert [(line.rate, line.credit) for line in statement.lines] == [(Decimal("0.10"), 100_000),
                                                                      (Decimal("0.05"), 50_000)]


def test_only_money_received_counts(submit, confirm, org_a, member_a, fund_admin, rule):
    confirmed = confirm(amount=1_000_000)
    matched = confirm(amount=2_000_000)
    Contribution.objects.filter(pk=matched.pk).update(status=ContributionStatus.MATCHED)  # no matching app yet
    pending = submit(amount=10_000_000)
    contributions.contribution_withdraw(actor=member_a, contribution=submit(amount=20_000_000), reason="중복")
    contributions.contribution_reject(actor=fund_admin, contribution=submit(amount=30_000_000), reason="미입금")
    contributions.contribution_correct(actor=fund_admin, contribution=confirm(amount=40_000_000), reason="오류")

    statement = selectors.statement_compute(organization=org_a, year=2026)

    assert [line.contribution for line in statement.lines] == [confirmed.pk, matched.pk]
    assert (statement.total_amount, statement.total_credit) == (3_000_000, 300_000)
    assert selectors.contribution_credit(pending).credit == 0
    assert selectors.contribution_credit(pending).reason == selectors.NOT_RECEIVED


def test_a_statement_covers_one_organisation_and_its_tax_year(confirm, org_a, org_b, member_b, smes, rule):
    org_a.related_parties.add(smes[0])
    confirm(amount=1_000_000, contribution_date=date(2026, 12, 31))
    confirm(amount=3_000_001, beneficiaries=smes[:2], contribution_date=date(2026, 1, 1))
    confirm(amount=5_000_000, contribution_date=date(2027, 1, 1))
    confirm(actor=member_b, organization=org_b, amount=9_000_000)

    statement = selectors.statement_compute(organization=org_a, year=2026)

    assert [line.date for line in statement.lines] == [date(2026, 1, 1), date(2026, 12, 31)]
    assert statement.total_amount == 4_000_001
    assert statement.total_excluded == 1_500_001  # the first SME's part of the split 1,500,001 / 1,500,000
    assert statement.total_base == 2_500_000
    assert statement.total_credit == 250_000
