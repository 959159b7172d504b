"""What /readyz checks before a load balancer sends a process traffic."""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

_migrations_applied = False


def database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return f"failed: {type(exc).__name__}"
    return "ok"


def migrations() -> str:
    """Every migration applied. Once true it stays true for the process (a deploy starts new processes)."""
    global _migrations_applied
    if _migrations_applied:
        return "ok"
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001
        return f"failed: {type(exc).__name__}"
    if pending:
        return f"failed: {len(pending)} migration(s) not applied"
    _migrations_applied = True
    return "ok"


def storage() -> str:
    try:
        default_storage.exists("readyz-probe")
    except Exception as exc:  # noqa: BLE001
        return f"failed: {type(exc).__name__}"
    return "ok"


def worker() -> str:
    """With the database task backend, some worker beat within WORKER_STALE_SECONDS."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return "not used"
    from peercert.core.workers import last_beat

    try:
        beat = last_beat()
    except Exception as exc:  # noqa: BLE001
        return f"failed: {type(exc).__name__}"
    if beat is None:
        return "failed: no task worker has started"
    if beat < timezone.now() - datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS):
        return "failed: no task worker beat recently"
    return "ok"


def run_checks() -> dict[str, str]:
    return {"database": database(), "migrations": migrations(), "storage": storage(), "worker": worker()}
