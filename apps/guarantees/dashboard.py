"""The win-win finance pool's cards for the dashboards: the pool against its ₩1.7 trillion target, and each
guarantee institution's outstanding guarantees against the capacity the transferred money supports. Figures are
scoped like every other read: a contributor sees only its own programs."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.dashboard.cards import Card, Figure
from apps.organizations.selectors import sees_all_organizations

from .models import POOL_FUND_CODE
from .selectors import pool_utilisation


def dashboard_cards(user) -> list[Card]:
    if not getattr(user, "is_authenticated", False):
        return []
    pool = pool_utilisation(user)
    staff = sees_all_organizations(user)
    if not staff and not pool.by_institution:
        return []
    link = reverse("guarantees:utilisation")
    total = pool.total
    cards = [Card(
        title=_("Win-win finance pool") if staff else _("Your win-win finance pool"), fund=POOL_FUND_CODE,
        used=pool.raised if staff else total.contributed, limit=pool.target if staff else None,
        figures=(Figure(_("Contributed"), total.contributed), Figure(_("Earmarked"), total.earmarked),
                 Figure(_("Transferred"), total.transferred), Figure(_("Guarantees outstanding"), total.outstanding)),
        link=link,
    )]
    for row in pool.by_institution:
        cards.append(Card(
            title=_("Guarantees: %(institution)s") % {"institution": row.name}, fund=POOL_FUND_CODE,
            used=row.outstanding, limit=row.capacity or None,
            figures=(Figure(_("Transferred"), row.transferred), Figure(_("Capacity"), row.capacity),
                     Figure(_("Guarantees outstanding"), row.outstanding)),
            link=link,
        ))
    return cards
