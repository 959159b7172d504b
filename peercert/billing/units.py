"""The 15-minute rule: how many units a service of so many minutes bills.

7 minutes or less bill nothing; 8 to 22 minutes bill one unit; each further 15 minutes counts once
its 8th minute is reached (23 to 37: 2 units, 38 to 52: 3 ...).
"""

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Cast

UNIT_MINUTES = 15
# A unit counts from its 8th minute (more than half of it).
COUNTS_FROM = 8


def units_for(minutes: int) -> int:
    """Units for a service of `minutes` minutes (0 for 7 or fewer)."""
    if minutes < COUNTS_FROM:
        return 0
    return (minutes - COUNTS_FROM) // UNIT_MINUTES + 1


def units_expression(field: str = "minutes"):
    """units_for as SQL, for a set-based update of many lines (integer division in every database)."""
    return Case(
        When(**{f"{field}__lt": COUNTS_FROM}, then=Value(0)),
        default=Cast((F(field) - COUNTS_FROM) / UNIT_MINUTES, IntegerField()) + 1,
        output_field=IntegerField(),
    )
