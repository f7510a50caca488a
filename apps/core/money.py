"""The one place that owns money precision, rounding, splitting and Korean display.

Amounts are stored as integers of the currency's minor unit (KRW has none: 1 unit = 1 won), so they are exact on
PostgreSQL and SQLite alike; the rest of the code speaks `Money`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal

from moneyed import Currency, Money, get_currency

KRW = get_currency("KRW")


class MoneyPrecisionError(ValueError):
    """An amount has more precision than its currency's minor unit allows."""


def currency_of(code: str | Currency) -> Currency:
    return code if isinstance(code, Currency) else get_currency(code)


def to_minor(money: Money) -> int:
    """Exact integer of minor units; refuses fractions of the minor unit instead of rounding them away."""
    unit = currency_of(money.currency).sub_unit
    scaled = money.amount if unit == 1 else money.amount * unit
    if not scaled.is_finite():
        raise MoneyPrecisionError(f"{money.amount} {money.currency} is not an amount")
    minor = int(scaled)  # towards zero; exact when there is no fraction, which the comparison checks
    if minor != scaled:
        raise MoneyPrecisionError(f"{money.amount} {money.currency} has a fraction of its smallest unit")
    return minor


def from_minor(minor: int, currency: str | Currency = KRW) -> Money:
    cur = currency_of(currency)
    if cur.sub_unit == 1:
        return Money(Decimal(minor), cur)
    return Money(Decimal(minor) / cur.sub_unit, cur)


def krw(amount: int | str | Decimal) -> Money:
    return Money(Decimal(amount), KRW)


def floor_won(amount: Decimal, unit: int = 1) -> int:
    """Floor to a multiple of `unit` won: 1 for tax bases, 10 for public-money receipts and payments."""
    whole = int(amount.to_integral_value(rounding=ROUND_FLOOR))
    return whole - whole % unit


def apply_rate(base: int, rate: Decimal) -> int:
    """`floor(base × rate)` in whole units, as tax credits and levies are computed."""
    return floor_won(Decimal(base) * rate)


def split(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """Split `total` minor units in proportion to `weights`; the parts always add back exactly to `total`.

    Largest-remainder method: every part is floored, then the leftover units go one each to the parts with the
    largest remainders (earlier parts win ties), so the split is deterministic.
    """
    if not weights:
        raise ValueError("split needs at least one weight")
    if any(Decimal(w) < 0 for w in weights):
        raise ValueError("split weights cannot be negative")
    weight_sum = sum(Decimal(w) for w in weights)
    if weight_sum == 0:
        raise ValueError("split weights cannot all be zero")
    exact = [Decimal(total) * Decimal(w) / weight_sum for w in weights]
    parts = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in exact]
    leftover = total - sum(parts)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:leftover]:
        parts[i] += 1
    return parts


_KOREAN_UNITS = ((10**12, "조"), (10**8, "억"), (10**4, "만"))


def format_korean(won: int) -> str:
    """1700000000000 → '1조 7,000억 원'; 12345 → '1만 2,345 원'; 0 → '0 원'."""
    if won == 0:
        return "0 원"
    sign, rest, parts = ("-" if won < 0 else ""), abs(won), []
    for size, name in _KOREAN_UNITS:
        if rest >= size:
            parts.append(f"{rest // size:,}{name}")
            rest %= size
    if rest:
        parts.append(f"{rest:,}")
    return f"{sign}{' '.join(parts)} 원"


def format_won(won: int) -> str:
    """1700000000000 → '1,700,000,000,000원'."""
    return f"{won:,}원"
