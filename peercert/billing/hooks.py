"""Hooks a higher app fills in at start-up (the integrity issue's utilization limits).

UTILIZATION_CHECKS is a list of callables, each called with the batch id and returning a queryset
of (line id, reason code) rows: values_list("pk", <code expression>). The gate turns each into
`utilization` holds with one INSERT ... SELECT (the code returned becomes the hold's detail).
None is registered today.
"""

from collections.abc import Callable

from django.db.models import QuerySet

UTILIZATION_CHECKS: list[Callable[[int], QuerySet]] = []


def register_utilization_check(check: Callable[[int], QuerySet]) -> None:
    if check not in UTILIZATION_CHECKS:
        UTILIZATION_CHECKS.append(check)
