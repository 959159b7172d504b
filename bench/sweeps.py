"""Benchmark: the daily expiry-and-reminder sweep over many certifications; time and SQL statements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_renewal .venv/bin/python bench/sweeps.py [20000 200000]

For each size: builds its own test database (migrations), generates people, accounts and
certifications set-based (bulk_create), then runs the registered daily jobs
renewal.expire_certifications (whose SQL is certification.jobs.certifications_expire) and
renewal.send_reminders through core.jobs.run_daily_jobs
(each in its own transaction, JobRun recorded, emails enqueued once on commit with the
production database task backend) and prints the time and the number of SQL statements:

  - "first run": expiry dates spread evenly over the next two years; the first run ever also
    sends every reminder not yet sent (each certification within 90 days gets its latest one);
  - "same day again": the same jobs for the same day (idempotent: nothing changes);
  - "next day": steady operation (about 1/730 expire each day, and each reminder day catches
    about as many);
  - "backlog": 10% of certifications overdue at once (a week of missed runs, or an import),
    showing the statement count does not grow with the rows changed either.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402

TODAY = datetime.date(2027, 3, 1)
JOBS = ["renewal.expire_certifications", "renewal.send_reminders"]
BATCH = 10_000


def main(sizes: list[int]) -> None:
    from django.conf import settings
    from django.test.utils import get_runner

    setup_test_environment()
    print(f"database: {connection.vendor}; sweep day {TODAY}")
    for size in sizes:
        runner = get_runner(settings)(verbosity=0, interactive=False)
        old = runner.setup_databases()
        try:
            with override_settings(
                TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
            ):
                run(size)
        finally:
            runner.teardown_databases(old)


def generate(size: int) -> None:
    from peercert.accounts.models import CertificationProgram, Person, User
    from peercert.certification.models import Certification

    firsts = ["María", "José", "Nguyễn", "Siobhán", "Zoë", "Renée", "Tomás", "Anaïs", "Thảo", "Gurpreet"]
    lasts = ["Hernández", "Núñez", "Trần", "Ó Briain", "Peña", "Castañeda", "Kaur", "Møller", "Okafor", "Ibáñez"]
    program = CertificationProgram.objects.get(code="statewide")
    started = time.perf_counter()
    User.objects.bulk_create(
        [User(email=f"peer{i}@bench.example", password="!", display_name=f"Peer {i}") for i in range(size)],
        batch_size=BATCH,
    )
    user_ids = dict(User.objects.filter(email__endswith="@bench.example").values_list("email", "pk"))
    Person.objects.bulk_create(
        [
            Person(
                user_id=user_ids[f"peer{i}@bench.example"],
                legal_first_name=firsts[i % 10],
                legal_last_name=lasts[i // 10 % 10],
                search_name=f"{firsts[i % 10]} {lasts[i // 10 % 10]}".lower(),
                email=f"peer{i}@bench.example",
            )
            for i in range(size)
        ],
        batch_size=BATCH,
    )
    person_ids = list(
        Person.objects.filter(email__endswith="@bench.example").order_by("pk").values_list("pk", flat=True)
    )
    certs = []
    for i, person_id in enumerate(person_ids):
        expires = TODAY - datetime.timedelta(days=1) + datetime.timedelta(days=i % 730)
        certs.append(
            Certification(
                number=f"PSS-{i + 1:07d}",
                person_id=person_id,
                program=program,
                status="active",
                issued_on=expires - datetime.timedelta(days=730),
                expires_on=expires,
                status_changed_on=expires - datetime.timedelta(days=730),
            )
        )
    Certification.objects.bulk_create(certs, batch_size=BATCH)
    print(f"  generated {size:,} people, accounts and certifications in {time.perf_counter() - started:.1f} s")


def sweep(label: str, day: datetime.date = TODAY) -> None:
    from peercert.core.jobs import run_daily_jobs

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        runs = run_daily_jobs(today=day, only=JOBS, triggered_by="bench")
        elapsed = time.perf_counter() - started
    counts = {k: v for r in runs for k, v in r.counts.items() if k in ("expired", "reminded")}
    failed = [r.job for r in runs if r.outcome != "succeeded"]
    print(
        f"  {label:<16} {elapsed:6.2f} s  {len(ctx.captured_queries):3d} SQL statements  {counts}"
        + (f"  FAILED: {failed}" if failed else "")
    )


def run(size: int) -> None:
    from peercert.certification.models import Certification

    print(f"{size:,} certifications")
    generate(size)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    # Load the URL configuration (every app's views and API schemas) once, as any running
    # Django process already has: the sweeps reverse() the links they put in notifications.
    from django.urls import reverse

    reverse("renewal:mine")
    sweep("first run")
    sweep("same day again")
    sweep("next day", TODAY + datetime.timedelta(days=1))
    overdue = Certification.objects.filter(
        status="active", pk__in=Certification.objects.filter(status="active").order_by("pk").values("pk")[: size // 10]
    )
    overdue.update(issued_on=TODAY - datetime.timedelta(days=735), expires_on=TODAY - datetime.timedelta(days=5))
    sweep("backlog (10%)", TODAY + datetime.timedelta(days=1))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [20_000, 200_000])
