"""Task workers that can be killed: heartbeats, and putting a dead worker's task back in the queue.

django-tasks-db claims a task with SELECT ... FOR UPDATE SKIP LOCKED, so two workers never take the same
one. A worker killed mid-task (SIGKILL, the machine lost) leaves its task RUNNING for ever, though. Each
worker started by `manage.py task_worker` beats every WORKER_HEARTBEAT_SECONDS from a thread; any worker
puts back in the queue (READY) a RUNNING task whose last worker has not beaten for WORKER_STALE_SECONDS,
so another worker runs it. Tasks are therefore run at least once and finish exactly once; every PeerCert
task is written to be safe to run again (imports and gates are idempotent, e-mails are marked sent).
"""

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Max
from django.utils import timezone

logger = logging.getLogger(__name__)


def beat(worker_id: str, *, started_at: datetime.datetime | None = None) -> None:
    from peercert.core.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": now, "host": socket.gethostname()[:255], "pid": os.getpid()},
        create_defaults={
            "beat_at": now,
            "started_at": started_at or now,
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def forget(worker_id: str) -> None:
    from peercert.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def requeue_orphans(now: datetime.datetime | None = None) -> int:
    """Put back in the queue every running task whose worker is gone. One UPDATE; returns how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from peercert.core.models import WorkerHeartbeat

    now = now or timezone.now()
    stale_before = now - datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=stale_before).values_list("worker_id", flat=True))
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=stale_before)
    # worker_ids lists every worker that took the task; the last one is running it now.
    orphans = [pk for pk, workers in running.values_list("pk", "worker_ids") if not workers or workers[-1] not in alive]
    if not orphans:
        return 0
    with transaction.atomic():
        count = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(pk__in=orphans, status=TaskResultStatus.RUNNING)
            .update(status=TaskResultStatus.READY, started_at=None)
        )
    if count:
        logger.warning("Put %d task(s) of stopped workers back in the queue", count, extra={"requeued": count})
    return count


def last_beat() -> datetime.datetime | None:
    from peercert.core.models import WorkerHeartbeat

    return WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]


class Heartbeat(threading.Thread):
    """Beats for one worker until stopped, and requeues dead workers' tasks as it goes."""

    def __init__(self, worker_id: str):
        super().__init__(daemon=True, name=f"heartbeat-{worker_id}")
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    close_old_connections()
                    beat(self.worker_id, started_at=self.started_at)
                    requeue_orphans()
                except Exception:  # a database blip must not kill the worker's heartbeat for good
                    logger.exception("Worker heartbeat failed")
                self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
