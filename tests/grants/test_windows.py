"""The cap windows, checked against brute force: the heaviest window containing a day, found from a few candidate
starts, is the heaviest of all the windows tried day by day."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core.dates import add_months
from apps.grants.models import CapWindow, GrantCapRule
from apps.grants.selectors import most_in_a_window

DAYS = st.dates(min_value=date(2023, 1, 1), max_value=date(2031, 12, 31))
AWARDS = st.lists(st.tuples(DAYS, st.integers(min_value=1, max_value=2_000_000_000)), max_size=8)


def brute_force(rule: GrantCapRule, day: date, dated) -> int:
    if rule.window_kind == CapWindow.FISCAL_YEARS:
        n = rule.window_length
        spans = [(date(y, 1, 1), date(y + n - 1, 12, 31)) for y in range(day.year - n + 1, day.year + 1)]
    else:
        months = 12 * rule.window_length
        starts = (day - timedelta(days=k) for k in range(0, 366 * rule.window_length + 2))
        spans = [(s, add_months(s, months) - timedelta(days=1)) for s in starts]
        spans = [(s, e) for s, e in spans if s <= day <= e]
    return max((sum(won for d, won in dated if s <= d <= e) for s, e in spans), default=0)


@settings(max_examples=60, deadline=None)
@given(day=DAYS, dated=AWARDS, kind=st.sampled_from(CapWindow.values), years=st.integers(min_value=1, max_value=3))
def test_the_heaviest_window_is_found(day, dated, kind, years):
    rule = GrantCapRule(window_kind=kind, window_length=years)
    assert most_in_a_window(rule, day, dated) == brute_force(rule, day, dated)


def test_a_rolling_window_of_three_years_holds_awards_less_than_36_months_apart():
    rule = GrantCapRule(window_kind=CapWindow.ROLLING_MONTHS, window_length=3)
    apart = [(date(2026, 1, 10), 5), (date(2029, 1, 10), 7)]
    together = [(date(2026, 1, 10), 5), (date(2029, 1, 9), 7)]
    assert most_in_a_window(rule, date(2027, 6, 1), apart) == 7
    assert most_in_a_window(rule, date(2027, 6, 1), together) == 12
