"""Figures shown in 원, 천원, 백만원 or 억원: each rounded half away from zero from its exact amount."""

import pytest

from apps.statements.units import UNITS, unit_get


@pytest.mark.parametrize(("unit", "won", "shown"), [
    ("won", 1_234_567, 1_234_567),
    ("thousand", 1_234_567, 1_235),
    ("thousand", 1_234_499, 1_234),
    ("thousand", 500, 1),
    ("thousand", -500, -1),
    ("thousand", -499, 0),
    ("million", 1_500_000, 2),
    ("eok", 1_700_000_000_000, 17_000),
    ("eok", 149_999_999, 1),
    ("eok", 150_000_000, 2),
])
def test_each_figure_is_rounded_half_away_from_zero(unit, won, shown):
    assert UNITS[unit].of(won) == shown


def test_rounding_is_exact_beyond_float_precision():
    assert UNITS["thousand"].of(9_007_199_254_740_993_500) == 9_007_199_254_740_994


def test_an_unknown_unit_falls_back_on_won():
    assert unit_get("bushels").code == "won"
    assert unit_get(None).code == "won"
