"""The 15-minute rule, at its edges and as a property, in Python and in SQL."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peercert.billing.units import units_expression, units_for


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(1, 0), (7, 0), (8, 1), (15, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (53, 4), (60, 4), (67, 4), (68, 5)],
)
def test_units_at_the_edges(minutes, units):
    assert units_for(minutes) == units


@given(st.integers(min_value=1, max_value=1440))
def test_each_unit_counts_from_its_eighth_minute(minutes):
    units = units_for(minutes)
    # n units need at least 8 + 15 (n - 1) minutes, and n + 1 units need 15 more.
    assert units == 0 or minutes >= 8 + 15 * (units - 1)
    assert minutes < 8 + 15 * units
    assert units_for(minutes + 15) == units + 1 or units == 0 and minutes + 15 < 23


@pytest.mark.django_db
def test_the_sql_form_agrees():
    from django.db.models import IntegerField, Value

    from peercert.accounts.models import County

    for minutes in (1, 7, 8, 22, 23, 37, 38, 1440):
        got = (
            County.objects.annotate(m=Value(minutes, output_field=IntegerField()))
            .annotate(u=units_expression("m"))
            .values_list("u", flat=True)
            .first()
        )
        assert got == units_for(minutes), minutes
