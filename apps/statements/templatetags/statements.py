"""Statements in templates: `{{ row|local_label }}` (Korean or English as the page), `{{ won|in_unit:unit }}`."""

from django import template
from django.utils.translation import get_language

register = template.Library()


def _english() -> bool:
    return (get_language() or "ko").startswith("en")


@register.filter
def local_label(obj) -> str:
    """An object's `label_en` on an English page, its `label_ko` otherwise (`title_*`, `name_*` likewise)."""
    for stem in ("label", "title", "name"):
        if hasattr(obj, f"{stem}_ko"):
            return getattr(obj, f"{stem}_en" if _english() else f"{stem}_ko")
    return str(obj)


@register.filter
def in_unit(won: int, unit) -> str:
    """Whole won shown in the reader's unit, with separators; a negative figure with a minus sign."""
    value = unit.of(won)
    return f"−{abs(value):,}" if value < 0 else f"{value:,}"
