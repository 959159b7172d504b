"""Oversight's background tasks: building a report run's file, its progress committed step by step."""

import logging

from django_tasks import task

from peercert.core import metrics

logger = logging.getLogger(__name__)


@task()
def run_report(run_id: int) -> dict:
    """Build one queued report run (services.report_run_execute); on failure the run is marked failed."""
    from peercert.oversight import services

    try:
        with metrics.timed("oversight_report"):
            run = services.report_run_execute(run_id=run_id)
    except Exception:
        # No figures in the log: the run id says where to look.
        logger.exception("Report run %s failed", run_id)
        services.report_run_fail(run_id=run_id, error="The report could not be built. Try again, or ask support.")
        raise
    return {"status": run.status, "sha256": run.sha256}
