"""The relief room's cards for the dashboards: fines imposed and collected, and claims against the fund's cash."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.dashboard.cards import Card, Figure
from apps.funds.models import Fund
from apps.organizations.selectors import sees_all_organizations

from .selectors import RELIEF_FUND, fund_cash, relief_totals


def dashboard_cards(user) -> list[Card]:
    """Fund-wide figures, for fund administrators and auditors only (a company sees its own claims in the portal)."""
    if not sees_all_organizations(user) or not Fund.objects.filter(code=RELIEF_FUND).exists():
        return []  # a company sees its own claims in the portal; an installation without the fund has no figures
    totals, cash = relief_totals(), fund_cash()
    fines = Card(
        title=_("Fines"), fund="relief", used=totals.fines_collected, limit=totals.fines_imposed or None,
        figures=(Figure(_("Fines imposed"), totals.fines_imposed), Figure(_("Fines collected"), totals.fines_collected),
                 Figure(_("Fines waived"), totals.fines_waived),
                 Figure(_("Fines outstanding"), totals.fines_outstanding)),
        link=reverse("admin:relief_sanction_changelist"),
    )
    claims = Card(
        title=_("Damage relief"), fund="relief", used=totals.claims_approved,
        limit=totals.claims_approved + cash.available,
        figures=(Figure(_("Claims approved"), totals.claims_approved), Figure(_("Claims paid"), totals.claims_paid),
                 Figure(_("Claimed, in review"), totals.claims_in_review),
                 Figure(_("Available cash"), cash.available)),
        link=reverse("admin:relief_claim_changelist"),
    )
    return [fines, claims]
