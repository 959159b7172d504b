"""The registry's daily job: queue the bulk files' regeneration (the work runs in the task worker)."""

import datetime

from django.db import transaction

from peercert.core.jobs import register_daily_job

JOB_NAME = "registry.bulk_files"


def enqueue_bulk_files(today: datetime.date) -> dict:
    """Queue the regeneration of the registry's bulk files (CSV, JSON Lines) once the day's changes are in."""
    from peercert.core.models import JobRun
    from peercert.registry.tasks import generate_bulk_files

    # Daily jobs are idempotent: a second run for the same day (a retry, a manual run) queues nothing more.
    if JobRun.objects.filter(job=JOB_NAME, for_day=today, outcome=JobRun.Outcome.SUCCEEDED).exists():
        return {"enqueued": 0}
    transaction.on_commit(generate_bulk_files.enqueue)
    return {"enqueued": 1}


def register() -> None:
    # Last of the day: after the sweeps that expire and vacate, so the files show their results.
    register_daily_job(JOB_NAME, enqueue_bulk_files, order=95)
