"""The export-finance room's cards for the dashboards: how much of the commitments is disbursed, and how much of
the assessed profit shares came back and went on to the ecosystem."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.dashboard.cards import Card, Figure
from apps.organizations.selectors import sees_all_organizations

from . import selectors
from .models import ProfitShare


def dashboard_cards(user) -> list[Card]:
    """Fund-wide figures, for fund administrators and auditors only (a company sees its own in the portal)."""
    if not sees_all_organizations(user):
        return []
    totals = selectors.totals(selectors.projects_visible_to(user), ProfitShare.objects.all())
    financing = Card(
        title=_("Export project financing"), fund="sef", used=totals.disbursed, limit=totals.committed or None,
        figures=(Figure(_("Committed"), totals.committed), Figure(_("Disbursed"), totals.disbursed),
                 Figure(_("Repaid"), totals.repaid), Figure(_("Outstanding"), totals.outstanding)),
        link=reverse("admin:exportfinance_exportproject_changelist"),
    )
    assessed = totals.shares_due + totals.shares_received
    recycling = Card(
        title=_("Profit recycling"), fund="sef", used=totals.shares_received, limit=assessed or None,
        figures=(Figure(_("Shares due"), totals.shares_due), Figure(_("Shares received"), totals.shares_received),
                 Figure(_("Channelled to the ecosystem"), totals.channelled)),
        link=reverse("admin:exportfinance_profitshare_changelist"),
    )
    return [financing, recycling]
