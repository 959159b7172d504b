"""Hooks a higher app fills in at start-up: the integrity app's utilization limits.

A utilization check is a callable taking a queryset of the service lines being decided and returning a
list of (reason code, the lines of it that breach, detail) triples; detail is an expression giving
each line's hold detail (the rule and its version), or None. The gate writes each as LineHold rows with
one INSERT ... SELECT, so a check must be set-based (no rows in Python) and must return each line at
most once per code. Its codes and plain messages are registered with register_utilization_reason so
pages, filters and the API name them.
"""

from collections.abc import Callable

from django.db.models import Expression, QuerySet

UtilizationCheck = Callable[[QuerySet], list[tuple[str, QuerySet, Expression | None]]]

UTILIZATION_CHECKS: list[UtilizationCheck] = []
UTILIZATION_REASONS: dict[str, object] = {}


def register_utilization_check(check: UtilizationCheck) -> None:
    if check not in UTILIZATION_CHECKS:
        UTILIZATION_CHECKS.append(check)


def register_utilization_reason(code: str, message) -> None:
    """A reason code a utilization check writes, with its plain message (lazy-translated)."""
    UTILIZATION_REASONS[code] = message
