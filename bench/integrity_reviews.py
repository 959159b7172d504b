"""Benchmark: drawing a DHCS monitoring review's sample from a county's paid service lines.

    .venv/bin/python bench/integrity_reviews.py                    # SQLite, 100,000 paid lines
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reviews BENCH_LINES=1000000 .venv/bin/python bench/integrity_reviews.py

Builds its own test database with N paid lines (BENCH_LINES, default 100,000) in Los Angeles over a
year, then draws a review's sample (integrity.services.review_sample: one INSERT ... SELECT per kind,
ordered by the seeded key) at N/10 and at N lines, and again with the same seed. Prints time,
statements and the process's peak memory; the statement count must be the same at both sizes and
the two draws with one seed must be equal.
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

import time_machine  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench._support import in_test_database, timed  # noqa: E402

LINES = int(os.environ.get("BENCH_LINES", "100000"))
CHUNK = 10_000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def add_lines(batch, count: int, offset: int) -> None:
    from peercert.billing.models import ServiceLine

    first = datetime.date(2026, 1, 1)
    rows = []
    for i in range(offset, offset + count):
        rows.append(
            ServiceLine(
                batch=batch,
                county_id=batch.county_id,
                cin=f"{90000000 + i % 10**7:08d}A",
                service_date=first + datetime.timedelta(days=i % 300),
                minutes=60,
                units=4,
                code="H0038",
                delivery_system="smhs",
                place_of_service="11",
                remittance_status="paid",
                paid_amount=Decimal("165.00"),
                source_position=i,
            )
        )
        if len(rows) == CHUNK:
            ServiceLine.objects.bulk_create(rows)
            rows = []
    ServiceLine.objects.bulk_create(rows)


def run() -> None:
    from peercert.accounts.models import County
    from peercert.accounts.roles import Role
    from peercert.accounts.tests.factories import user_with_role
    from peercert.billing.models import ServiceBatch
    from peercert.integrity import services

    with time_machine.travel(datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC), tick=True):
        analyst = user_with_role(Role.DHCS_ANALYST, email="bench.analyst@test.peercert.example")
        la = County.objects.get(name="Los Angeles")
        batch = ServiceBatch.objects.create(county=la, source="manual")

        def review():
            return services.review_open(
                actor=analyst,
                party="county",
                county=la,
                title="Bench review",
                scope=["service_line"],
                period_start=datetime.date(2026, 1, 1),
                period_end=datetime.date(2026, 10, 31),
                seed=99,
            )

        def draw(label, r):
            with CaptureQueriesContext(connection) as queries:
                timed(label, lambda: services.review_sample(actor=analyst, review=r))
            return len(queries)

        small_n = max(LINES // 10, 1)
        add_lines(batch, small_n, 0)
        few = draw(f"sample over {small_n:,} paid lines", review())
        add_lines(batch, LINES - small_n, small_n)
        large, again = review(), review()
        many = draw(f"sample over {LINES:,} paid lines", large)
        draw(f"same seed again over {LINES:,}", again)

        def drawn(r):
            return list(r.records.order_by("position").values_list("service_line_id", flat=True))

        assert drawn(large) == drawn(again), "the same seed drew different samples"
        assert few == many, f"statements grew with the lines: {few} -> {many}"
        print(f"{large.records.count()} records drawn; the same seed drew the same sample")
        print(f"statements per draw: {few} at {small_n:,} lines, {many} at {LINES:,}")
        print(f"peak memory {peak_mb():.0f} MB")


if __name__ == "__main__":
    in_test_database(run)
