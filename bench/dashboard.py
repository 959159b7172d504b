"""Public open-data dashboard benchmark: GET /api/v1/dashboard/public at statewide size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_ovs_dash .venv/bin/python bench/dashboard.py
    DATABASE_URL=sqlite:////tmp/dashboard_bench.sqlite3 .venv/bin/python bench/dashboard.py
    BENCH_CERTIFICATIONS=100000 ... .venv/bin/python bench/dashboard.py

Runs in a throw-away test database (bench/_support.in_test_database). Loads certified peers set-based
with the registry benchmark's loader (one INSERT ... SELECT per table; 20,000 by default, several times
California's ~5,000 certified peers, spread over the 58 counties, with specializations), then:

- the cold build of the suppressed tables (every aggregate in SQL): time, SQL statements, and the
  same at a tenth of the rows, to show the statement count does not grow with the data;
- the cached answer: median and p95 of the API over BENCH_RUNS requests through Django's test Client
  (target: p95 under 50 ms), and its SQL statements per request;
- the rebuild after a certification signal (the cache invalidated), and the process's peak memory.
"""

import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key-not-secret-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("BENCH_CERTIFICATIONS", "20000")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import registry as registry_bench  # noqa: E402
from bench._support import in_test_database  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "300"))
API = "/api/v1/dashboard/public"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cold_build() -> tuple[float, int]:
    from peercert.oversight.selectors import dashboards

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        dashboards.public_tables()
        elapsed = time.perf_counter() - start
    return elapsed, len(queries)


def run() -> None:
    from peercert.certification import signals
    from peercert.certification.models import Certification

    registry_bench.TOTAL = max(1, int(os.environ["BENCH_CERTIFICATIONS"]) // 10)
    registry_bench.load()
    small_seconds, small_statements = cold_build()
    registry_bench.TOTAL = int(os.environ["BENCH_CERTIFICATIONS"])
    registry_bench.load()
    total = Certification.objects.count()
    print(
        f"{connection.vendor}: {total:,} certifications, {Certification.objects.filter(status='active').count():,} active"
    )
    seconds, statements = cold_build()
    print(f"cold build at 1/10 size            {small_seconds * 1000:9.1f} ms  {small_statements:3d} SQL statements")
    print(f"cold build at full size            {seconds * 1000:9.1f} ms  {statements:3d} SQL statements")
    if statements != small_statements:
        print("  the statement count grew with the data: MISSED")

    client = Client()
    cache.clear()
    first = client.get(API)
    assert first.status_code == 200, first.content[:300]
    times = []
    with CaptureQueriesContext(connection) as warm_queries:
        for _ in range(RUNS):
            t = time.perf_counter()
            response = client.get(API)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
    p95 = percentile(times, 95)
    floor = []
    for _ in range(RUNS):
        t = time.perf_counter()
        client.get("/healthz")
        floor.append((time.perf_counter() - t) * 1000)
    print(
        f"cached API, {RUNS} requests           median {statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms  "
        f"{len(warm_queries) / RUNS:.1f} SQL statements per request  {'met' if p95 < 50 else 'MISSED'} (p95 < 50 ms)"
    )
    print(
        f"floor: GET /healthz, {RUNS} requests    median {statistics.median(floor):6.2f} ms  p95 {percentile(floor, 95):6.2f} ms"
    )
    signals.certification_issued.send(sender=Certification, certification=Certification.objects.first())
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as rebuild:
        assert client.get(API).status_code == 200
    print(
        f"first request after a certification signal {(time.perf_counter() - t) * 1000:7.1f} ms  {len(rebuild):3d} SQL statements"
    )
    suppressed = sum(
        cell["suppressed"] for table in first.json()["tables"] for row in table["rows"] for cell in row["values"]
    )
    print(f"suppressed cells on the page: {suppressed}; response {len(first.content):,} bytes")
    print(f"peak memory: {peak_mb():.0f} MB")


if __name__ == "__main__":
    in_test_database(run)
