"""Billing's daily jobs."""

import datetime

from peercert.billing import partitions

__all__ = ["partitions_daily", "register"]


def partitions_daily(today: datetime.date) -> dict:
    """Make this month's partitions of the service lines and eligibility months and MONTHS_AHEAD more
    (PostgreSQL; nothing on SQLite). Idempotent: the second run on a day makes none."""
    made = partitions.ensure_ahead(today)
    return {
        "service_line_partitions": made["billing_serviceline"],
        "eligibility_partitions": made["billing_eligibilitymonth"],
    }


def register() -> None:
    from peercert.core.jobs import register_daily_job

    register_daily_job("billing.partitions", partitions_daily, order=5)
