"""Benchmark: employers told at once, at sweep scale; time, SQL statements and peak memory.

    .venv/bin/python bench/monitoring.py [1000 5000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_monitoring .venv/bin/python bench/monitoring.py

Builds its own test database (migrations) with 50,000 certifications, 30,000 of them employed at
providers across the 58 counties (a staff and a billing user and one active webhook per county),
then, for each size, makes that many employed certifications overdue and runs the daily expiry sweep
(certification.jobs.certifications_expire). It prints the sweep, then the work of benefit's receiver
of certification_status_changed on its own (the same function the signal calls): raising every
workforce alert, its audit event, the county users' notifications in their language, and a queued
webhook delivery per county webhook, with the e-mail and delivery tasks enqueued once each (the
production database task backend). The statement count stays the same whatever the number expiring.
"""

import datetime
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench._support import in_test_database  # noqa: E402

CERTIFICATIONS = 50_000
EMPLOYED = 30_000
BATCH = 10_000
FIRST_DAY = datetime.date(2027, 3, 1)


def generate() -> None:
    from peercert.accounts.models import CertificationProgram, County, Person, RoleAssignment, User
    from peercert.benefit.models import Employment, Provider, Webhook
    from peercert.certification.models import Certification

    started = time.perf_counter()
    program = CertificationProgram.objects.get(code="statewide")
    counties = list(County.objects.order_by("code"))
    Person.objects.bulk_create(
        [
            Person(
                legal_first_name=f"Peer{i}",
                legal_last_name="Benchmark",
                search_name=f"peer{i} benchmark",
                preferred_language="es" if i % 3 == 0 else "en",
            )
            for i in range(CERTIFICATIONS)
        ],
        batch_size=BATCH,
    )
    person_ids = list(Person.objects.filter(legal_last_name="Benchmark").order_by("pk").values_list("pk", flat=True))
    far = FIRST_DAY + datetime.timedelta(days=400)
    Certification.objects.bulk_create(
        [
            Certification(
                number=f"PSS-{i + 1:07d}",
                person_id=pid,
                program=program,
                status="active",
                issued_on=far - datetime.timedelta(days=730),
                expires_on=far + datetime.timedelta(days=i % 300),
            )
            for i, pid in enumerate(person_ids)
        ],
        batch_size=BATCH,
    )
    Provider.objects.bulk_create(
        [
            Provider(
                county=c,
                name=f"{c.name} Peer Services",
                kind="contracted",
                npi=f"1{int(c.code):09d}",
                address_line1="1 Main St",
                city=c.name,
                postal_code="95814",
                active_from=datetime.date(2022, 7, 1),
                smhs=True,
            )
            for c in counties
        ]
    )
    providers = list(Provider.objects.order_by("county__code"))
    Employment.objects.bulk_create(
        [
            Employment(
                person_id=pid,
                provider=providers[i % len(providers)],
                county_id=providers[i % len(providers)].county_id,
                position_title="Peer Support Specialist",
                fte="1.00",
                start_on=datetime.date(2025, 1, 1),
                smhs=True,
                status="hired",
                hired_on=datetime.date(2025, 1, 1),
            )
            for i, pid in enumerate(person_ids[:EMPLOYED])
        ],
        batch_size=BATCH,
    )
    users = User.objects.bulk_create(
        [User(email=f"{role}{c.code}@bench.example", password="!") for c in counties for role in ("staff", "billing")]
    )
    users = {u.email: u for u in User.objects.filter(email__endswith="@bench.example")}
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=users[f"{role}{c.code}@bench.example"], role=f"county_{role}", county=c)
            for c in counties
            for role in ("staff", "billing")
        ]
    )
    Webhook.objects.bulk_create(
        [Webhook(county=c, url=f"https://ehr{c.code}.bench.example/peercert", secret=f"s{c.code}") for c in counties]
    )
    print(
        f"  generated {CERTIFICATIONS:,} certifications, {EMPLOYED:,} employed across {len(counties)} counties "
        f"(each with a webhook and 2 users) in {time.perf_counter() - started:.1f} s"
    )


def run_size(expiring: int, today: datetime.date, offset: int) -> None:
    from peercert.benefit import receivers
    from peercert.benefit.models import WebhookDelivery, WorkforceAlert
    from peercert.certification.jobs import certifications_expire
    from peercert.certification.models import Certification
    from peercert.certification.signals import certification_status_changed
    from peercert.core.models import Notification

    # The next `expiring` employed certifications are due (employed peers are the first EMPLOYED people).
    employed = Certification.objects.filter(status="active", person__legal_last_name="Benchmark").order_by("pk")
    ids = list(employed.values_list("pk", flat=True)[offset : offset + expiring])
    Certification.objects.filter(pk__in=ids).update(expires_on=today - datetime.timedelta(days=1))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # The sweep announces its changes on commit; hold them, so the receiver's own work is timed alone.
    held = []
    certification_status_changed.disconnect(dispatch_uid="benefit.workforce_alerts")
    certification_status_changed.connect(
        lambda sender, changes, **kw: held.append(changes), dispatch_uid="bench", weak=False
    )
    try:
        with CaptureQueriesContext(connection) as sweep_queries:
            started = time.perf_counter()
            sweep = certifications_expire(today=today)
            sweep_time = time.perf_counter() - started
    finally:
        certification_status_changed.disconnect(dispatch_uid="bench")
        receivers.connect_all()
    print(
        f"  {expiring:>6,} expiring   sweep (expire, history, audit, peers' notices) "
        f"{sweep_time:6.2f} s {len(sweep_queries):3d} SQL statements ({sweep.moved:,} expired)"
    )

    alerts_before = WorkforceAlert.objects.count()
    deliveries_before = WebhookDelivery.objects.count()
    notes_before = Notification.objects.filter(subject__contains="PSS-").count()
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for changes in held:
            receivers._status_changed(Certification, changes=changes)
        elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    alerts = WorkforceAlert.objects.count() - alerts_before
    deliveries = WebhookDelivery.objects.count() - deliveries_before
    notes = Notification.objects.filter(subject__contains="PSS-").count() - notes_before
    print(
        f"  {expiring:>6,} expiring   receiver: alerts, audit, notices, webhooks queued "
        f"{elapsed:6.2f} s {len(queries):3d} SQL statements  peak {peak / 2**20:5.1f} MiB  "
        f"({alerts:,} alerts, {notes:,} county notices, {deliveries:,} deliveries queued)"
    )


def run(sizes: list[int]) -> None:
    from django.urls import reverse

    print(f"database: {connection.vendor}")
    generate()
    reverse("benefit:alert_list")  # the URLconf loaded once, as in any running process
    day, offset = FIRST_DAY, 0
    for size in sizes:
        run_size(size, day, offset)
        offset += size
        day += datetime.timedelta(days=1)


def main(sizes: list[int]) -> None:
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}):
        in_test_database(run, sizes)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 5_000])
