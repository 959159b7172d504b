"""Benchmark: the gate's utilization check and a utilization review's draw over many service lines.

    .venv/bin/python bench/integrity_utilization.py                       # SQLite, 100,000 lines
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_util BENCH_LINES=1000000 .venv/bin/python bench/integrity_utilization.py

Builds its own test database, then N service lines over N/40 peers (each also working for a second
provider) and N/10 beneficiaries in Los Angeles: half already billed and paid (earlier batches), half in one
batch being checked; statewide rules of all four kinds (plus the seeded 32-unit peer day). Prints, for the
batch and for a batch a tenth its size: the utilization step of the gate (one INSERT ... SELECT per kind),
its statements and holds; then a utilization review of the paid lines (sample and outliers); peak memory.
The statement counts must not grow with the lines.
"""

import datetime
import os
import resource
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from bench._support import in_test_database, timed  # noqa: E402

LINES = int(os.environ.get("BENCH_LINES", "100000"))
CHUNK = 10_000
FIRST = datetime.date(2026, 6, 1)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(n: int):
    from peercert.accounts.models import County, Person
    from peercert.benefit.models import Employment, Provider
    from peercert.billing.models import Beneficiary, ServiceBatch, ServiceLine
    from peercert.integrity.models.utilization import RuleKind, UtilizationRule

    la = County.objects.get(name="Los Angeles")
    peers, people = max(10, n // 40), max(50, n // 10)
    providers = Provider.objects.bulk_create(
        [
            Provider(
                county=la,
                name=f"Bench clinic {i}",
                kind="contracted",
                npi=f"19{i:08d}",
                address_line1="1 Main St",
                city="Los Angeles",
                postal_code="90012",
                active_from=datetime.date(2022, 7, 1),
                smhs=True,
            )
            for i in range(2)
        ]
    )
    Person.objects.bulk_create(
        [
            Person(legal_first_name="Peer", legal_last_name=f"Bench {i}", email=f"u{i}@bench.example")
            for i in range(peers)
        ],
        batch_size=CHUNK,
    )
    person_ids = list(Person.objects.filter(email__endswith="@bench.example").values_list("pk", flat=True))
    Employment.objects.bulk_create(
        [
            Employment(
                person_id=pid,
                provider=providers[k],
                county=la,
                position_title="Peer Support Specialist",
                fte=Decimal("0.50"),
                start_on=datetime.date(2025, 1, 1),
                status="hired",
                hired_on=datetime.date(2025, 1, 1),
                individual_npi=f"1{k}{i:08d}",
                smhs=True,
            )
            for i, pid in enumerate(person_ids)
            for k in (0, 1)
        ],
        batch_size=CHUNK,
    )
    employments = list(Employment.objects.filter(county=la).values_list("pk", flat=True))
    Beneficiary.objects.bulk_create(
        [
            Beneficiary(
                county=la,
                cin=f"{20000000 + i:08d}{'ABCDEFGHJKLMNPQRSTUVWXYZ'[i % 24]}",
                legal_first_name="B",
                legal_last_name=str(i),
                date_of_birth=datetime.date(1980, 1, 1),
            )
            for i in range(people)
        ],
        batch_size=CHUNK,
    )
    beneficiaries = list(Beneficiary.objects.filter(county=la).values_list("pk", "cin"))
    billed = ServiceBatch.objects.create(county=la, source="manual", status="submitted")
    big = ServiceBatch.objects.create(county=la, source="manual", status="checked")
    small = ServiceBatch.objects.create(county=la, source="manual", status="checked")

    def rows(batch, count, offset, paid):
        for i in range(count):
            j = i + offset
            bid, cin = beneficiaries[j % len(beneficiaries)]
            units = 12 if j % 97 == 0 else 2 + j % 4
            yield ServiceLine(
                batch=batch,
                county=la,
                employment_id=employments[(j * 7) % len(employments)],
                beneficiary_id=bid,
                cin=cin,
                service_date=FIRST + datetime.timedelta(days=j % 120),
                minutes=units * 15,
                units=units,
                code="H0025" if j % 11 == 0 else "H0038",
                delivery_system="smhs",
                place_of_service="11",
                status="billable",
                remittance_status="paid" if paid else "",
                paid_amount=Decimal("80.00") if paid else None,
            )

    for batch, count, offset, paid in ((billed, n // 2, 0, True), (big, n // 2, 1, False), (small, n // 20, 3, False)):
        buffer = []
        for line in rows(batch, count, offset, paid):
            buffer.append(line)
            if len(buffer) >= CHUNK:
                ServiceLine.objects.bulk_create(buffer)
                buffer = []
        ServiceLine.objects.bulk_create(buffer)
    start = datetime.date(2026, 1, 1)
    UtilizationRule.objects.bulk_create(
        [
            UtilizationRule(
                kind=RuleKind.BENEFICIARY_DAY_UNITS, name="H0038 day", code="H0038", limit=8, effective_from=start
            ),
            UtilizationRule(
                kind=RuleKind.LOCKOUT, name="Lockout", code="H0025", other_code="H0038", effective_from=start
            ),
            UtilizationRule(
                kind=RuleKind.MONTHLY_FREQUENCY, name="H0038 month", code="H0038", limit=10, effective_from=start
            ),
        ]
    )
    return la, big, small


def run() -> None:
    from django.db import transaction

    from peercert.accounts.roles import Role
    from peercert.accounts.tests.factories import user_with_role
    from peercert.billing import gate
    from peercert.billing.models import LineHold
    from peercert.core import clock
    from peercert.integrity import services

    la, big, small = timed(f"generate {LINES:,} lines", lambda: generate(LINES))
    for label, batch in (("utilization step, big batch", big), ("utilization step, 1/10 batch", small)):
        step = dict(gate.steps(batch.pk))["utilization"]
        with transaction.atomic():
            written = timed(label, step)
        print(f"{'':<40} {written:8d} holds ({LineHold.objects.filter(line__batch=batch).count()} kept)")
    staff = user_with_role(Role.COUNTY_BILLING)
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 11, 2, 18, 0, tzinfo=datetime.UTC), tick=False):
        assert clock.today() == datetime.date(2026, 11, 2)
        for label, end in (
            ("utilization review, 120 days", datetime.date(2026, 9, 28)),
            ("utilization review, 12 days", datetime.date(2026, 6, 12)),
        ):
            timed(
                label,
                lambda end=end: services.utilization_review_open(
                    actor=staff, county=la, period_start=FIRST, period_end=end, seed=42
                ),
            )
    print(f"peak memory {peak_mb():.0f} MB")


if __name__ == "__main__":
    in_test_database(run)
