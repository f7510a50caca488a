"""The Shared Growth Index, the Win-Win Finance Index and the defence evaluation, from inputs to stored grades."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from apps.evaluations import selectors, services
from apps.evaluations.models import (
    ContributionPointBand,
    EvaluationResult,
    Grade,
    IndexKind,
    IndexRule,
    SgiInput,
    SharingMethodWeight,
)
from tests.organizations.factories import OrganizationFactory

from .conftest import YEAR, confirmed, contribute, defence_input, sgi_input

pytestmark = pytest.mark.django_db


def result(organization, kind=IndexKind.SGI, year=YEAR) -> EvaluationResult:
    return EvaluationResult.objects.get(organization=organization, kind=kind, year=year)


def recompute(kind=IndexKind.SGI, year=YEAR):
    return services.evaluation_recompute(actor="test", kind=kind, year=year)


def test_cash_and_joint_ip_sharing_count_double_and_other_methods_once(record, org_a):
    for method in ("cash", "joint_ip", "price_adjustment"):
        confirmed(record, sharing_method=method, amount=100_000_000)
    sgi_input(org_a)
    recompute()
    inputs = result(org_a).inputs
    assert inputs["sharing_won"] == 300_000_000
    assert inputs["weighted_sharing_won"] == 500_000_000  # 2 × 1억 + 2 × 1억 + 1억
    assert inputs["cash_equivalent_won"] == 200_000_000
    assert {r["method"]: r["cash_equivalent"] for r in inputs["sharing_records"]} == {
        "cash": True, "joint_ip": True, "price_adjustment": False}


def test_only_confirmed_records_of_the_year_count(record, org_a):
    confirmed(record, amount=100_000_000)
    record(amount=900_000_000)  # awaiting confirmation
    confirmed(record, amount=700_000_000, contract_date=date(YEAR - 1, 12, 31))
    sgi_input(org_a)
    recompute()
    assert result(org_a).inputs["weighted_sharing_won"] == 200_000_000


def test_the_weight_table_is_configuration_by_contract_date(record, org_a):
    SharingMethodWeight.objects.filter(method="cash").update(valid_to=date(YEAR, 6, 30))
    SharingMethodWeight.objects.create(method="cash", weight=Decimal("3"), cash_equivalent=True,
                                       valid_from=date(YEAR, 7, 1))
    confirmed(record, amount=100_000_000, contract_date=date(YEAR, 3, 1))
    confirmed(record, amount=100_000_000, contract_date=date(YEAR, 8, 1))
    sgi_input(org_a)
    recompute()
    assert result(org_a).inputs["weighted_sharing_won"] == 500_000_000


def test_the_comprehensive_score_is_combined_half_and_half_with_fair_trade(org_a):
    sgi_input(org_a, survey="72", performance="16", deductions="4", fair_trade="88")
    recompute()
    got = result(org_a)
    # comprehensive = 72 + 16 − 4 = 84; score = 84 × 0.5 + 88 × 0.5 = 86
    assert got.inputs["comprehensive"] == "84.000"
    assert (got.score, got.grade) == (Decimal("86.000"), Grade.GOOD)


def test_weighted_sharing_adds_to_the_performance_evaluation_within_its_maximum(record, org_a, org_c):
    confirmed(record, amount=1_500_000_000)  # cash ×2 = 30억: 3 points
    sgi_input(org_a, survey="70", performance="15", fair_trade="80")
    confirmed(record, principal=org_c, amount=5_000_000_000)  # 100억: 10 points, capped at 5, then at 20 total
    sgi_input(org_c, survey="70", performance="18", fair_trade="80")
    recompute()
    assert result(org_a).inputs["performance_total"] == "18.000"
    assert result(org_c).inputs["performance_total"] == "20.000"


@pytest.mark.parametrize(("score", "grade"), [
    ("90", Grade.EXCELLENT), ("89.999", Grade.GOOD), ("80", Grade.GOOD), ("79.999", Grade.FAIR),
    ("70", Grade.FAIR), ("69.999", Grade.AVERAGE), ("60", Grade.AVERAGE), ("59.999", Grade.POOR), ("0", Grade.POOR),
])
def test_grades_start_exactly_at_their_cut_offs(score, grade):
    # A score s is reached with survey = 2s − 100 and fair trade 100 (performance and deductions 0).
    organization = OrganizationFactory()
    survey = Decimal(score) * 2 - 100
    fair_trade = "100"
    if survey < 0:  # below 50 the fair-trade score carries it
        survey, fair_trade = Decimal(0), str(Decimal(score) * 2)
    sgi_input(organization, survey=str(survey), performance="0", fair_trade=fair_trade)
    recompute()
    got = result(organization)
    assert (got.score, got.grade) == (Decimal(score).quantize(Decimal("0.001")), grade)


def test_the_cut_offs_are_configuration(org_a):
    sgi_input(org_a, survey="72", performance="16", deductions="4", fair_trade="88")  # 86
    IndexRule.objects.filter(kind="sgi").update(cutoffs={"excellent": "85", "good": "75", "fair": "65",
                                                         "average": "55"})
    recompute()
    assert result(org_a).grade == Grade.EXCELLENT


def excellent(organization, year):
    sgi_input(organization, year, survey="80", performance="20", fair_trade="100")


def test_three_consecutive_excellent_grades_earn_honour(org_a):
    for year in (2023, 2024, 2025):
        excellent(org_a, year)
        recompute(year=year)
    assert [result(org_a, year=y).honour for y in (2023, 2024, 2025)] == [False, False, True]


def test_recomputing_an_earlier_year_refreshes_the_honour_of_later_open_years_only(org_a, org_c):
    for organization in (org_a, org_c):
        for year in (2023, 2024, 2025):
            excellent(organization, year)
    for year in (2023, 2024, 2025):
        recompute(year=year)
    services.evaluation_publish(actor="test", kind=IndexKind.SGI, year=2025)
    excellent(org_a, 2026)
    excellent(org_c, 2026)
    recompute(year=2026)
    assert result(org_a, year=2026).honour and result(org_c, year=2026).honour
    SgiInput.objects.filter(organization=org_a, year=2024).update(under_investigation=True)
    recompute(year=2024)
    assert result(org_a, year=2024).deferred
    assert result(org_a, year=2025).honour  # published: it keeps what it published
    assert not result(org_a, year=2026).honour and result(org_c, year=2026).honour


def test_a_deferred_or_lower_year_breaks_the_streak(org_a, org_c):
    excellent(org_a, 2023)
    sgi_input(org_a, 2024, survey="80", performance="20", fair_trade="100", under_investigation=True)
    excellent(org_a, 2025)
    excellent(org_c, 2023)
    sgi_input(org_c, 2024, survey="70", performance="10", fair_trade="80")
    excellent(org_c, 2025)
    for year in (2023, 2024, 2025):
        recompute(year=year)
    assert not result(org_a).honour and not result(org_c).honour


def test_a_company_under_investigation_is_deferred_without_a_grade(org_a):
    sgi_input(org_a, under_investigation=True)
    recompute()
    got = result(org_a)
    assert (got.deferred, got.grade, got.score, got.honour) == (True, "", None, False)


def test_online_platform_companies_are_evaluated_like_any_other(org_a):
    platform = OrganizationFactory(size_class="platform")
    sgi_input(platform, survey="78", performance="18", fair_trade="95")
    recompute()
    assert result(platform).grade == Grade.EXCELLENT


def test_contributions_of_the_year_earn_preferential_points_by_band_capped_at_the_top_band(uses, org_a, org_c):
    year = 2026  # the designated uses open in 2026
    contribute(uses["wwcf"], org_a, 2_000_000_000, date(year, 4, 1))  # ≥ 10억: 1 point
    contribute(uses["wwcf"], org_c, 30_000_000_000, date(year, 4, 1))  # ≥ 100억: 3 points (the cap)
    for organization in (org_a, org_c):
        for evaluated in (year - 1, year):
            sgi_input(organization, evaluated, survey="72", performance="16", deductions="4", fair_trade="88")
    recompute(year=year)
    recompute(year=year - 1)
    assert (result(org_a, year=year).inputs["contributed_won"], result(org_a, year=year).score) == (
        2_000_000_000, Decimal("87.000"))
    assert (result(org_c, year=year).inputs["contribution_points"], result(org_c, year=year).score) == (
        "3.000", Decimal("89.000"))
    assert result(org_c, year=year - 1).score == Decimal("86.000")  # another year's contributions do not count


def test_contribution_bands_are_configuration(uses, org_a):
    contribute(uses["wwcf"], org_a, 2_000_000_000, date(2026, 4, 1))
    ContributionPointBand.objects.filter(kind="sgi", min_won=1_000_000_000).update(points=Decimal("1.5"))
    sgi_input(org_a, 2026, survey="72", performance="16", deductions="4", fair_trade="88")
    recompute(year=2026)
    assert result(org_a, year=2026).score == Decimal("87.500")


@pytest.fixture
def bank(db):
    return OrganizationFactory(name_ko="상생은행", size_class="financial_institution")


def test_the_finance_index_grades_every_financial_institution_from_its_pool_inputs(bank, monkeypatch):
    inputs = selectors.FinanceInputs(contributed_won=50_000_000_000, guarantees_won=80_000_000_000,
                                     guarantees_count=45, partner_smes_reached=6, source="test")
    monkeypatch.setattr(selectors, "finance_index_inputs", lambda organization, year: inputs)
    recompute(IndexKind.WFI, 2026)
    got = result(bank, IndexKind.WFI, 2026)
    # 5 × 4 = 20; 8 × 3 = 24; 4.5 × 1 = 4.5; 6 × 2 = 12 → 60.5: fair (55 ≤ s < 70)
    assert (got.score, got.grade) == (Decimal("60.500"), Grade.FAIR)
    monkeypatch.setattr(selectors, "finance_index_inputs", lambda organization, year: replace(
        inputs, contributed_won=10**13, guarantees_won=10**13, guarantees_count=10**4, partner_smes_reached=99))
    recompute(IndexKind.WFI, 2026)
    assert result(bank, IndexKind.WFI, 2026).score == Decimal("100.000")  # every component at its cap


def test_without_the_guarantees_room_the_finance_index_reads_pool_contributions_only(bank, wwfp, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "apps.guarantees.selectors", None)  # importing it raises ImportError
    contribute(wwfp, bank, 100_000_000_000, date(2026, 7, 1))
    recompute(IndexKind.WFI, 2026)
    got = result(bank, IndexKind.WFI, 2026)
    assert got.inputs["contributed_won"] == 100_000_000_000 and got.inputs["source"] == "contributions"
    assert got.inputs["guarantees_won"] == 0 and got.score == Decimal("40.000")


def test_the_finance_index_starts_with_its_rule_in_2026(bank):
    from apps.evaluations.exceptions import NoRuleInForce

    with pytest.raises(NoRuleInForce):
        recompute(IndexKind.WFI, 2025)


def test_the_defence_evaluation_uses_its_own_weights(org_a):
    defence = OrganizationFactory(name_ko="국방정밀", size_class="defence")
    defence_input(defence, cooperation="90", technology="80", localization="70", deductions="2")
    recompute(IndexKind.DEFENCE)
    got = result(defence, IndexKind.DEFENCE)
    assert (got.score, got.grade) == (Decimal("79.000"), Grade.FAIR)  # 36 + 24 + 21 − 2
    IndexRule.objects.filter(kind="defence").update(weights={"cooperation": "0.5", "technology": "0.3",
                                                             "localization": "0.2", "deductions": "1"})
    recompute(IndexKind.DEFENCE)
    assert result(defence, IndexKind.DEFENCE).score == Decimal("81.000")  # 45 + 24 + 14 − 2
    assert not EvaluationResult.objects.filter(kind=IndexKind.SGI).exists()


def test_a_defence_company_under_investigation_is_deferred(org_a):
    defence = OrganizationFactory(size_class="defence")
    defence_input(defence, under_investigation=True)
    recompute(IndexKind.DEFENCE)
    assert result(defence, IndexKind.DEFENCE).deferred
