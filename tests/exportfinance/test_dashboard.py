"""The dashboard cards: commitments disbursed, and shares received and channelled, for administrators and auditors
only."""

import pytest

from apps.exportfinance import services
from apps.exportfinance.dashboard import dashboard_cards

from .conftest import make_project, report


@pytest.mark.django_db
def test_cards_show_the_fund_wide_figures_to_staff_only(sef, org_a, rule, fund_admin, auditor, member_a):
    project = make_project(org_a, committed=1_000_000)
    services.disbursement_post(actor="test", project=project, amount=400_000, effective_date=project.start_date,
                               idempotency_key="d")
    share = services.profit_share_assess(actor="test", report=report(project, 10_000_000))
    services.profit_share_receive(actor="test", share=share)
    services.profit_share_assess(actor="test", report=report(project, 3_000_000, period="H2"))
    financing, recycling = dashboard_cards(auditor)
    assert (financing.used, financing.limit) == (400_000, 1_000_000)
    assert (recycling.used, recycling.limit) == (1_000_000, 1_300_000)
    assert [f.won for f in recycling.figures] == [300_000, 1_000_000, 500_000]
    assert len(dashboard_cards(fund_admin)) == 2 and dashboard_cards(member_a) == []
