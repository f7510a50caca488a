"""The Win-Win Finance Index reads an organisation's year in the pool through `finance_index_inputs`."""

from datetime import date

from apps.guarantees import services
from apps.guarantees.models import GuaranteeStatus
from apps.guarantees.selectors import FinanceIndexInputs, finance_index_inputs
from apps.organizations.models import SizeClass
from tests.organizations.factories import OrganizationFactory

from .conftest import confirm


def test_inputs_count_the_years_pool_contributions_and_partner_guarantees(funded, wwfp, uses, org_a, org_b,
                                                                            fund_admin):
    other_sme = OrganizationFactory(size_class=SizeClass.SME)
    org_a.partner_smes.add(other_sme)
    confirm(uses["wwcf"], org_a, 7_000_000)  # another fund: not the pool
    confirm(wwfp, org_a, 30_000_000, day=date(2027, 1, 4))  # another year
    issue = {"actor": fund_admin, "program": funded, "term_months": 12}
    services.guarantee_issue(**issue, sme=org_b, amount=300_000_000, issue_date=date(2026, 4, 1))
    services.guarantee_issue(**issue, sme=org_b, amount=200_000_000, issue_date=date(2026, 5, 1))
    services.guarantee_issue(**issue, sme=other_sme, amount=100_000_000, issue_date=date(2026, 6, 1))
    cancelled = services.guarantee_issue(**issue, sme=other_sme, amount=50_000_000, issue_date=date(2026, 6, 2))
    services.guarantee_status_change(actor=fund_admin, guarantee=cancelled, to_status=GuaranteeStatus.CANCELLED)

    assert finance_index_inputs(org_a, 2026) == FinanceIndexInputs(
        contributed_won=100_000_000, guarantees_won=600_000_000, guarantees_count=3, partner_smes_reached=2)
    assert finance_index_inputs(org_a, 2027) == FinanceIndexInputs(30_000_000, 0, 0, 0)


def test_an_organisation_outside_the_pool_has_zero_inputs(funded, org_b):
    assert finance_index_inputs(org_b, 2026) == FinanceIndexInputs(0, 0, 0, 0)
