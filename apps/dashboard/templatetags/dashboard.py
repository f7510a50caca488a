"""Dashboard pieces for templates: `{% contributor_figures organization %}` (a contributor's own figures with a
small chart, for the portal's home), and filters the back office's home uses."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.translation import get_language

from apps.core.money import format_korean

from ..cards import Card
from ..selectors import contributor_figures as figures_read

register = template.Library()

# Fund colours in the contributor's chart, in the order the funds were created; matching in grey.
PALETTE = ("#1f5fbf", "#2f9e6e", "#d9822b", "#8e44ad", "#c0392b")
MATCHING_COLOUR = "#9aa5b1"
CHART_WIDTH, CHART_HEIGHT, BAR_AREA = 560, 180, 150


def _english() -> bool:
    return (get_language() or "ko").startswith("en")


@register.filter
def fund_name(fund) -> str:
    """A fund's (or an organisation's) English name on an English page, its Korean name otherwise."""
    return (fund.name_en or fund.name_ko) if _english() else fund.name_ko


@register.filter
def card_percent(card: Card) -> int:
    """Used of the card's limit, in whole per cent (0–100) for a progress bar."""
    if not card.limit:
        return 0
    return max(0, min(100, card.used * 100 // card.limit))


@register.filter
def card_text(card: Card) -> str:
    return f"{format_korean(card.used)} / {format_korean(card.limit or 0)}"


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    title: str


def _bars(figures) -> tuple[list[Bar], list[tuple[int, str]]]:
    """Per year a stack of what each fund received and, beside it, the matching obtained; heights in proportion
    to the largest year."""
    years = figures.years
    top = max([y.contributed for y in years] + [y.matched for y in years] + [1])
    slot = CHART_WIDTH // max(len(years), 1)
    width = max(min(slot // 3, 48), 8)
    colours = {f.code: PALETTE[i % len(PALETTE)] for i, f in enumerate(figures.funds)}
    bars, labels = [], []
    for index, year in enumerate(years):
        left = index * slot + (slot - 2 * width - 4) // 2
        base = BAR_AREA
        for fund in figures.funds:
            won = year.by_fund.get(fund.code, 0)
            height = won * BAR_AREA // top
            if height:
                base -= height
                bars.append(Bar(left, base, width, height, colours[fund.code],
                                f"{year.year} {fund_name(fund)}: {format_korean(won)}"))
        if year.matched:
            height = year.matched * BAR_AREA // top
            bars.append(Bar(left + width + 4, BAR_AREA - height, width, height, MATCHING_COLOUR,
                            f"{year.year}: {format_korean(year.matched)}"))
        labels.append((index * slot + slot // 2, str(year.year)))
    return bars, labels


@register.inclusion_tag("dashboard/contributor_figures.html")
def contributor_figures(organization):
    """The organisation's contributions by year and fund, receipts, tax credits and matching obtained."""
    figures = figures_read(organization)
    bars, labels = _bars(figures)
    legend = [(PALETTE[i % len(PALETTE)], fund_name(f)) for i, f in enumerate(figures.funds)]
    return {"figures": figures, "bars": bars, "labels": labels, "legend": legend, "matching_colour": MATCHING_COLOUR,
            "width": CHART_WIDTH, "height": CHART_HEIGHT, "baseline": BAR_AREA}
