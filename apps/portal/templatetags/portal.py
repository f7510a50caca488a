"""Small helpers for the portal's pages: a row's name in the page's language, a status as a coloured badge class,
and a rate as a percentage."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from apps.contributions.models import RECEIVED_STATUSES, ContributionStatus

register = template.Library()


@register.filter
def local_name(obj) -> str:
    """`name_en` on English pages when there is one, `name_ko` otherwise."""
    if obj is None:
        return ""
    if (get_language() or "ko").startswith("en") and getattr(obj, "name_en", ""):
        return obj.name_en
    return obj.name_ko


@register.filter
def status_class(status: str) -> str:
    if status in RECEIVED_STATUSES:
        return "ok"
    if status == ContributionStatus.SUBMITTED:
        return "wait"
    return "bad"


@register.filter
def percent(rate) -> str:
    """Decimal("0.10") → "10 %"; nothing for no rate."""
    if rate is None or rate == "":
        return ""
    value = (Decimal(rate) * 100).normalize()
    return f"{value:f} %"
