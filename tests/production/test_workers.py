"""Several task workers on one queue: a task is never run by two at once, never finished twice, and a
worker killed mid-task (SIGKILL) loses nothing: another worker puts its task back and runs it.
PostgreSQL only: SKIP LOCKED is what keeps two workers off the same task."""

import os
import signal
import subprocess
import time
from collections import Counter

import pytest

from tests.production.conftest import ROOT, database_url, postgres_only, production_env

pytestmark = [postgres_only(), pytest.mark.xdist_group("production"), pytest.mark.django_db(transaction=True)]


def _enqueue(labels, seconds, log):
    from django_tasks_db.models import DBTaskResult

    for label in labels:
        DBTaskResult.objects.create(
            args_kwargs={"args": [label, seconds, str(log)], "kwargs": {}},
            priority=0,
            task_path="tests.production.tasks.slow_marker",
            queue_name="default",
            backend_name="default",
        )


def _worker(worker_id: str) -> subprocess.Popen:
    env = production_env(database_url(), DEBUG="1", WORKER_HEARTBEAT_SECONDS="0.5", WORKER_STALE_SECONDS="3")
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "manage.py", "task_worker", "--queue-name", "*", "--interval", "0.2"]
        + ["--no-startup-delay", "--worker-id", worker_id, "-v", "0"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_killed_worker_loses_no_task_and_none_finishes_twice(tmp_path):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from peercert.core.models import WorkerHeartbeat

    log = tmp_path / "runs.log"
    labels = [f"t{i}" for i in range(6)]
    _enqueue(labels, 1.5, log)
    doomed, survivor = _worker("worker-doomed"), _worker("worker-survivor")
    try:
        running = _wait(
            lambda: DBTaskResult.objects.filter(
                status=TaskResultStatus.RUNNING, worker_ids__contains=["worker-doomed"]
            ).first(),
            60,
            "the doomed worker to start a task",
        )
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait()
        _wait(
            lambda: DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == len(labels),
            90,
            "every task to finish",
        )
    finally:
        for process in (doomed, survivor):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
    lines = log.read_text().split()
    ends = Counter(label for kind, label in zip(lines[::2], lines[1::2], strict=True) if kind == "end")
    starts = Counter(label for kind, label in zip(lines[::2], lines[1::2], strict=True) if kind == "start")
    assert ends == Counter({label: 1 for label in labels}), ends
    killed_label = running.args_kwargs["args"][0]
    assert starts[killed_label] == 2 and ends[killed_label] == 1
    again = DBTaskResult.objects.get(pk=running.pk)
    assert again.worker_ids == ["worker-doomed", "worker-survivor"]
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
    # The survivor stopped cleanly and forgot its heartbeat; the doomed one's stays, stale.
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["worker-doomed"]
