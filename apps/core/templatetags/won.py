"""Korean won in templates: `{{ amount|won }}` → 1,700,000,000,000원, `{{ amount|korean_won }}` → 1조 7,000억 원.

Both take whole won as an int, a Decimal or a KRW `Money`; an empty value renders as nothing.
"""

from decimal import Decimal

from django import template
from moneyed import Money

from apps.core.money import format_korean, format_won, to_minor

register = template.Library()


def _won(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, Money):
        return to_minor(value)
    if isinstance(value, int):
        return value
    return int(Decimal(str(value)))


@register.filter
def won(value) -> str:
    amount = _won(value)
    return "" if amount is None else format_won(amount)


@register.filter
def korean_won(value) -> str:
    amount = _won(value)
    return "" if amount is None else format_korean(amount)
