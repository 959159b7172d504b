"""Daily jobs: expiry, reminders, vacating, discipline effective dates, window closing.

Apps register a job from their AppConfig.ready() with `register_daily_job`. Each job is a
function job(today) -> dict of counts that must be idempotent (running it twice for the
same day changes nothing the second time) and set-based. `run_daily_jobs` runs every job in
order, each in its own transaction, and records a JobRun with its counts either way.
"""

import datetime
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from peercert.core import clock
from peercert.core.models import JobRun


@dataclass(frozen=True)
class DailyJob:
    name: str
    func: Callable[[datetime.date], dict]
    order: int
    description: str


_jobs: dict[str, DailyJob] = {}


def register_daily_job(name: str, func: Callable[[datetime.date], dict], *, order: int = 50, description: str = ""):
    _jobs[name] = DailyJob(name=name, func=func, order=order, description=description or (func.__doc__ or "").strip())


def daily_jobs() -> list[DailyJob]:
    return sorted(_jobs.values(), key=lambda j: (j.order, j.name))


def run_daily_jobs(
    *, today: datetime.date | None = None, only: list[str] | None = None, triggered_by: str = ""
) -> list[JobRun]:
    """Run the daily jobs for a day. A failing job is recorded and does not stop the others."""
    today = today or clock.today()
    runs = []
    for job in daily_jobs():
        if only and job.name not in only:
            continue
        run = JobRun.objects.create(job=job.name, for_day=today, started_at=clock.now(), triggered_by=triggered_by)
        try:
            with transaction.atomic():
                counts = job.func(today) or {}
        except Exception as exc:  # noqa: BLE001 - a job's failure is recorded, then the next job runs
            run.outcome = JobRun.Outcome.FAILED
            run.error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
            run.counts = {}
        else:
            run.outcome = JobRun.Outcome.SUCCEEDED
            run.counts = {k: int(v) for k, v in counts.items()}
        run.finished_at = clock.now()
        run.save(update_fields=["outcome", "error", "counts", "finished_at"])
        runs.append(run)
    return runs
