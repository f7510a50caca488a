"""The units a reader may show the statements in, and how figures are rounded to them.

Each figure is rounded on its own, half away from zero, from its exact amount in won; totals are computed in won
before rounding, so rounded lines may not add up exactly to the rounded total (the pages say so).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Unit:
    code: str
    won: int
    label_ko: str
    label_en: str

    def of(self, won: int) -> int:
        """`won` in this unit, rounded half away from zero, with integers only."""
        magnitude = (2 * abs(won) + self.won) // (2 * self.won)
        return magnitude if won >= 0 else -magnitude


UNITS = {
    "won": Unit("won", 1, "원", "won"),
    "thousand": Unit("thousand", 1_000, "천원", "thousand won"),
    "million": Unit("million", 1_000_000, "백만원", "million won"),
    "eok": Unit("eok", 100_000_000, "억원", "100 million won"),
}
DEFAULT_UNIT = UNITS["won"]
ROUNDING_NOTE = _("Each figure is rounded on its own (half away from zero) from its exact amount in won; totals "
                  "are computed in won before rounding, so rounded lines may not add up exactly to the total.")


def unit_get(code: str | None) -> Unit:
    return UNITS.get(code or "", DEFAULT_UNIT)
