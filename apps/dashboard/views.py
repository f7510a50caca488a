"""The administrators' home in the back office (unfold's DASHBOARD_CALLBACK): per fund what was raised against
the target and month by month, cash, matching budget left, encumbrances and the programs' cards; the latest
entries and verification run. Fund administrators and auditors see the figures; other staff the app list only."""

from __future__ import annotations

import json

from django.utils import timezone

from apps.core.roles import reads_books
from apps.core.views import ledger_summaries
from apps.statements.units import UNITS, Unit

from .selectors import fund_panels, last_verification, program_cards, raised_by_month, recent_entries
from .templatetags.dashboard import fund_name

CHART_OPTIONS = json.dumps({
    "responsive": True, "maintainAspectRatio": False, "animation": False,
    "plugins": {"legend": {"display": False}},
    "scales": {"x": {"grid": {"display": False}}, "y": {"beginAtZero": True, "ticks": {"maxTicksLimit": 4}}},
})


def chart_unit(values: list[int]) -> Unit:
    """The largest unit (억, 백만, 천 원 or 원) in which the biggest value still reads as 10 or more: axes of
    whole numbers a reader takes in at a glance."""
    top = max((abs(v) for v in values), default=0)
    return next((u for u in sorted(UNITS.values(), key=lambda u: -u.won) if top >= 10 * u.won), UNITS["won"])


def _chart(label: str, labels: list[str], values: list[int], unit: Unit) -> str:
    """Chart.js data: the months' amounts in `unit`, each rounded from exact won (display only)."""
    return json.dumps({"labels": labels, "datasets": [
        {"label": label, "data": [unit.of(v) for v in values], "backgroundColor": "var(--color-primary-600)",
         "borderRadius": 3},
    ]})


def admin_dashboard(request, context: dict) -> dict:
    """UNFOLD's DASHBOARD_CALLBACK."""
    user = request.user
    if not reads_books(user):
        return context
    cards = program_cards(user)
    panels = fund_panels(user, cards=cards)
    shown = {p.fund.code for p in panels}
    months = raised_by_month([p.fund for p in panels])
    balanced = {s.ledger.pk: s.balanced for s in ledger_summaries()}
    for panel in panels:
        values = months["series"][panel.fund.code]
        panel.chart_unit = chart_unit(values)
        panel.chart = _chart(fund_name(panel.fund), months["labels"], values, panel.chart_unit)
        panel.balanced = balanced.get(panel.fund.ledger_id, True)
    context.update({
        "fund_panels": panels,
        "other_cards": [card for card in cards if card.fund not in shown],
        "chart_options": CHART_OPTIONS,
        "months_from": months["labels"][0], "months_to": months["labels"][-1],
        "recent_entries": recent_entries(),
        "last_verification": last_verification(),
        "year": timezone.localdate().year,
    })
    return context
