"""The one module that owns precision: amounts become exact integers of the minor unit, or are refused."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moneyed import Money

from apps.core.money import MoneyPrecisionError, from_minor, split, to_minor


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1), st.sampled_from(["KRW", "USD"]))
def test_minor_units_round_trip_exactly(minor, currency):
    assert to_minor(from_minor(minor, currency)) == minor


@pytest.mark.parametrize("amount, currency", [("0.5", "KRW"), ("1000000000000000.1", "KRW"), ("12.345", "USD"),
                                              ("NaN", "KRW"), ("Infinity", "USD")])
def test_a_fraction_of_the_smallest_unit_or_a_non_number_is_refused(amount, currency):
    with pytest.raises(MoneyPrecisionError):
        to_minor(Money(Decimal(amount), currency))


def test_dollars_count_in_cents_and_won_in_won():
    assert (to_minor(Money("12.34", "USD")), to_minor(Money("1700000000000", "KRW"))) == (1234, 1_700_000_000_000)


@given(st.integers(min_value=0, max_value=10**15), st.lists(st.integers(min_value=0, max_value=10**6), min_size=1,
                                                               max_size=8).filter(any))
def test_a_split_adds_back_to_the_total(total, weights):
    assert sum(split(total, weights)) == total
