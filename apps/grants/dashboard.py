"""The grants room's cards for the dashboards: what the win-win cooperation fund awarded for joint overseas
expansion and what it has paid, in total and per target country."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.dashboard.cards import Card, Figure
from apps.organizations.selectors import sees_all_organizations

from .countries import country_name
from .selectors import totals_by_country
from .services import FUND_CODE


def dashboard_cards(user) -> list[Card]:
    """Paid of awarded, fund-wide and per country, for fund administrators and auditors only (a company sees its own
    projects and awards in the portal)."""
    if not sees_all_organizations(user):
        return []
    totals = totals_by_country()
    awarded, paid = sum(t.awarded for t in totals), sum(t.paid for t in totals)
    link = reverse("admin:grants_award_changelist")
    cards = [Card(
        title=_("Joint overseas expansion: paid of awarded"), fund=FUND_CODE, used=paid, limit=awarded or None,
        figures=(Figure(_("Awarded"), awarded), Figure(_("Paid"), paid), Figure(_("Still to pay"), awarded - paid)),
        link=link,
    )]
    for t in totals:
        cards.append(Card(
            title=_("Joint overseas expansion: %(country)s") % {"country": country_name(t.country)}, fund=FUND_CODE,
            used=t.paid, limit=t.awarded or None,
            figures=(Figure(_("Awarded"), t.awarded), Figure(_("Paid"), t.paid)),
            link=f"{link}?project__country__exact={t.country}",
        ))
    return cards
