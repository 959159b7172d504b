"""`manage.py task_worker`: django-tasks-db's db_worker, with a heartbeat and recovery of dead workers' tasks.

Run as many as the load needs (scripts/serve starts WORKER_CONCURRENCY of them). See peercert.core.workers.
"""

from django_tasks_db.management.commands import db_worker

from peercert.core import workers


class Command(db_worker.Command):
    help = "Run background tasks, beating a heartbeat so a killed worker's task is run by another."

    def handle(self, *args, worker_id: str, **options):
        heartbeat = workers.Heartbeat(worker_id)
        workers.beat(worker_id, started_at=heartbeat.started_at)
        heartbeat.start()
        try:
            return super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()
            heartbeat.join(timeout=5)
            workers.forget(worker_id)
