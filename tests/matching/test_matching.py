"""Matching one contribution: what the rule grants, the limits that cut it, the ledger entry, exactly once."""

import pytest
from django.db import IntegrityError, transaction

from apps.contributions.models import ContributionEvent, ContributionStatus
from apps.ledger.models import JournalEntry
from apps.matching import services
from apps.matching.exceptions import NotAllowed
from apps.matching.models import Match, MatchingBudget, MatchReason

from .conftest import USE, D, confirm, make_budget, make_rule, receivable, revenue

pytestmark = pytest.mark.django_db


def match(contribution):
    return services.contribution_match(actor="test", contribution=contribution)


def test_one_to_one_rule_matches_the_contribution_exactly(fund, org_a):
    rule = make_rule(fund, ratio="1.0")
    budget = make_budget(fund, 1_000_000_000)
    contribution = confirm(fund, org_a, 100_000_001)
    m = match(contribution)
    assert (m.requested, m.matched, m.reason, m.rule, m.budget) == (100_000_001, 100_000_001, "", rule, budget)
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.MATCHED
    event = ContributionEvent.objects.filter(contribution=contribution).last()
    assert (event.from_status, event.to_status, event.actor_label) == ("confirmed", "matched", "test")
    budget.refresh_from_db()
    assert (budget.matched_total, budget.remaining) == (100_000_001, 899_999_999)


def test_the_match_is_posted_to_the_funds_ledger_naming_the_contributor(fund, org_a):
    make_rule(fund, ratio="0.3")
    make_budget(fund, 1_000_000_000)
    m = match(confirm(fund, org_a, 123_456_789))
    assert m.matched == 37_037_036  # floor(123,456,789 × 0.3)
    assert (receivable(fund), revenue(fund)) == (37_037_036, 37_037_036)
    entry = m.entry
    assert entry.reference == f"contribution:{m.contribution_id}"
    assert entry.idempotency_key == f"contribution:{m.contribution_id}:match"
    assert {line.party for line in entry.lines.all()} == {org_a.party}


def test_a_budget_that_runs_short_matches_partially_and_then_not_at_all(fund, org_a, org_b):
    make_rule(fund)
    budget = make_budget(fund, 150)
    first, second, third = (match(confirm(fund, org, 100)) for org in (org_a, org_b, org_a))
    assert (first.matched, first.reason) == (100, "")
    assert (second.requested, second.matched, second.reason) == (100, 50, MatchReason.BUDGET_SHORT)
    assert (third.matched, third.reason, third.entry) == (0, MatchReason.BUDGET_EXHAUSTED, None)
    budget.refresh_from_db()
    assert budget.matched_total == budget.amount == revenue(fund) == 150
    third.contribution.refresh_from_db()
    assert third.contribution.status == ContributionStatus.CONFIRMED  # nothing matched: no money, no new status


def test_the_cap_per_organisation_and_year_limits_its_matches(fund, org_a, org_b):
    make_rule(fund, recipient_cap=250)
    make_budget(fund, 10_000)
    a1, a2, a3 = (match(confirm(fund, org_a, 100)) for _ in range(3))
    b1 = match(confirm(fund, org_b, 100))
    assert [a1.matched, a2.matched, a3.matched, b1.matched] == [100, 100, 50, 100]
    assert a3.reason == MatchReason.RECIPIENT_CAP
    assert match(confirm(fund, org_a, 100)).matched == 0


def test_the_maximum_government_share_limits_the_match(fund, org_a):
    # Smart-factory type 1: the government pays at most 30 % of the cost (contribution + match).
    make_rule(fund, ratio="1.0", max_share="0.3")
    make_budget(fund, 10**9)
    m = match(confirm(fund, org_a, 70_000_000))
    assert (m.requested, m.matched, m.reason) == (70_000_000, 30_000_000, MatchReason.MAX_SHARE)
    assert m.matched * 10 <= (m.matched + 70_000_000) * 3


def test_without_a_rule_or_a_budget_the_match_is_zero_and_says_why(fund, org_a, wwcf):
    m = match(confirm(fund, org_a, 100))
    assert (m.matched, m.reason, m.rule) == (0, MatchReason.NO_RULE, None)
    make_rule(fund)
    m = match(confirm(fund, org_a, 100))
    assert (m.requested, m.matched, m.reason) == (100, 0, MatchReason.NO_BUDGET)
    assert revenue(fund) == 0


def test_a_program_rule_draws_on_the_programs_budget(fund, org_a):
    make_rule(fund, ratio="1.0")
    make_rule(fund, ratio="0.5", program="smart-factory")
    general, program = make_budget(fund, 1_000), make_budget(fund, 1_000, program="smart-factory")
    m = match(confirm(fund, org_a, 100, program="smart-factory"))
    assert (m.matched, m.budget) == (50, program)
    assert match(confirm(fund, org_a, 100, program="other")).budget == general


def test_matching_twice_matches_once(fund, org_a):
    make_rule(fund)
    make_budget(fund, 1_000)
    contribution = confirm(fund, org_a, 100)
    first, again = match(contribution), match(contribution.pk)
    assert first.pk == again.pk
    assert services.contributions_match(actor="test", contributions=[contribution]) == []
    assert Match.objects.count() == 1
    assert JournalEntry.objects.filter(idempotency_key__endswith=":match").count() == 1
    assert MatchingBudget.objects.get().matched_total == 100 == revenue(fund)


def test_a_contribution_not_confirmed_is_not_matched(fund, org_a):
    from apps.contributions import services as contributions

    make_rule(fund)
    make_budget(fund, 1_000)
    submitted = contributions.contribution_submit(actor="test", organization=org_a, fund=fund, amount=100,
                                                  contribution_date=D, designated_use=USE)
    assert match(submitted) is None
    assert not Match.objects.filter(contribution=submitted).exists()


def test_only_administrators_or_tasks_match(fund, org_a, member_a):
    with pytest.raises(NotAllowed):
        services.contribution_match(actor=member_a, contribution=confirm(fund, org_a, 100))


def test_the_database_refuses_to_overspend_a_budget(fund):
    budget = make_budget(fund, 100)
    budget.matched_total = 101
    with pytest.raises(IntegrityError), transaction.atomic():
        budget.save()


def test_the_sweep_matches_every_confirmed_contribution_once(fund, org_a, org_b):
    make_rule(fund)
    make_budget(fund, 250)
    contributions = [confirm(fund, org, 100) for org in (org_a, org_b, org_a)]
    match(contributions[0])
    result = services.matching_sweep(batch=1)
    assert (result.matched, result.unmatched, result.failed) == (2, 0, 0)
    assert services.matching_sweep().matched == 0
    assert sorted(Match.objects.values_list("matched", flat=True)) == [50, 100, 100]
    assert revenue(fund) == receivable(fund) == 250


def test_a_contribution_of_a_closed_year_is_left_for_an_administrator_and_does_not_hold_back_the_rest(
        fund, org_a):
    from datetime import date

    from apps.funds import chart
    from apps.funds.selectors import fund_account
    from apps.ledger.services import period_close

    make_rule(fund)
    make_budget(fund, 10_000)
    make_budget(fund, 10_000, year=2027)
    old = confirm(fund, org_a, 100)
    new = confirm(fund, org_a, 100, day=date(2027, 1, 5))
    period_close(actor="test", ledger=fund.ledger, year=2026,
                 net_assets_account=fund_account(fund, chart.UNRESTRICTED_NET_ASSETS))
    result = services.matching_sweep()
    assert (result.matched, result.failed, result.closed) == (1, 0, 1)  # not tried, so not failing every minute
    assert Match.objects.filter(contribution=new).exists() and not Match.objects.filter(contribution=old).exists()
    assert services.matching_sweep().closed == 1  # still waiting, still counted
