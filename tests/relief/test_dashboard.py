"""The relief cards: fines imposed against collected, claims approved against what the fund could approve, for
fund administrators and auditors only."""

import pytest

from apps.relief import services
from apps.relief.dashboard import dashboard_cards

pytestmark = pytest.mark.django_db


def figures(card):
    return {f.label: f.won for f in card.figures}


def test_the_cards_show_fines_and_claims_against_the_funds_cash(auditor, fund_admin, funded, impose, file_claim):
    impose(fine_amount=500_000_000)
    claim = file_claim()
    services.claim_approve(actor=fund_admin, claim=claim, amount=250_000_000)

    fines, claims = dashboard_cards(auditor)

    assert (fines.used, fines.limit) == (1_000_000_000, 1_500_000_000)
    assert (claims.used, claims.limit) == (250_000_000, 1_000_000_000)
    assert list(figures(claims).values()) == [250_000_000, 0, 0, 750_000_000]


def test_companies_get_no_fund_wide_cards(member_b, funded):
    assert dashboard_cards(member_b) == []
