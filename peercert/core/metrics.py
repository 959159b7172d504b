"""PeerCert's own Prometheus metrics, beside django-prometheus's request metrics.

- peercert_job_duration_seconds{job}: how long the heavy paths took (the gate, imports, reports), from
  wherever they run (web or worker processes; with PROMETHEUS_MULTIPROC_DIR set, as scripts/serve does,
  every process's figures are summed at /metrics).
- peercert_task_queue_depth{status}: background tasks waiting and running, read from the database at
  each scrape.
"""

import time
from contextlib import contextmanager

from prometheus_client import REGISTRY, Histogram
from prometheus_client.core import GaugeMetricFamily

JOB_DURATION = Histogram(
    "peercert_job_duration_seconds",
    "Time the heavy paths took: the billing gate, imports and reports",
    ["job"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900),
)


@contextmanager
def timed(job: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        JOB_DURATION.labels(job=job).observe(time.perf_counter() - start)


class TaskQueueCollector:
    def collect(self):
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        gauge = GaugeMetricFamily("peercert_task_queue_depth", "Background tasks by status", labels=["status"])
        try:
            counts = dict(
                DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
                .values_list("status")
                .annotate(n=Count("id"))
                .values_list("status", "n")
            )
        except Exception:  # noqa: BLE001 - a scrape must answer even when the database does not
            return
        for status in ("READY", "RUNNING"):
            gauge.add_metric([status.lower()], counts.get(status, 0))
        yield gauge


_registered = False


def register_collectors() -> None:
    global _registered
    if not _registered:
        REGISTRY.register(TaskQueueCollector())
        _registered = True
