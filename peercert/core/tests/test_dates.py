"""core.dates: the month-end rule (29 February plus a year is 28 February)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peercert.core.dates import add_months, add_years

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 15), 1, D(2026, 2, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),  # across the year end
        (D(2026, 3, 31), -1, D(2026, 2, 28)),  # backwards
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 1, 15), -13, D(2024, 12, 15)),
        (D(2026, 5, 20), 0, D(2026, 5, 20)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (D(2026, 6, 1), 2, D(2028, 6, 1)),
        (D(2028, 2, 29), 1, D(2029, 2, 28)),  # the program's rule: 29 February becomes 28 February
        (D(2028, 2, 29), 4, D(2032, 2, 29)),  # a leap year again keeps the 29th
        (D(2028, 2, 29), -1, D(2027, 2, 28)),  # looking back too
        (D(2028, 2, 29), -4, D(2024, 2, 29)),
    ],
)
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


days = st.dates(min_value=D(1950, 1, 1), max_value=D(2200, 12, 31))


@given(days, st.integers(min_value=-600, max_value=600))
def test_months_land_in_the_right_month_never_later_in_it(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + datetime.timedelta(days=1)).day == 1)


@given(days, st.integers(min_value=-50, max_value=50))
def test_years_are_twelve_months(day, years):
    assert add_years(day, years) == add_months(day, 12 * years)
