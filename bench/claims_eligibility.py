"""Benchmark: the county eligibility file import of N rows against PostgreSQL COPY of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_billing .venv/bin/python bench/claims_eligibility.py
    BENCH_ELIGIBILITY_ROWS=1000000 ...   (default 100,000)

Writes a CSV of N rows (N/5 beneficiaries, 5 months each, every row with the name and date of birth, so
the import adds the beneficiaries too) to a temporary file, then imports it with the streaming path the
import_eligibility command uses (eligibility_import_stream), then imports it again (adds nothing), then
COPYs the same file into a scratch table of text columns: the floor. Prints each time, the ratio of the
import to COPY (target: within 3x), the SQL statements and the process's peak memory (target: under
500 MB). Builds and drops its own test database, as Django's test runner does.
"""

import datetime
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from _support import in_test_database  # noqa: E402
from django.db import connection  # noqa: E402

MONTHS_PER_BENEFICIARY = 5
COLUMNS = "cin,month,eligible,aid_code,last_name,first_name,date_of_birth"


class Counter:
    """Counts statements without keeping their text (a million rows' SQL would be the peak memory)."""

    def __init__(self):
        self.count = 0
        self.slowest: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.slowest.append((time.perf_counter() - start, " ".join(sql.split())[:70]))
            self.slowest = sorted(self.slowest, reverse=True)[:3]


def timed(label: str, fn):
    counter = Counter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    print(f"{label:<44} {elapsed:8.2f} s  {counter.count:6d} SQL statements")
    if os.environ.get("BENCH_SLOWEST"):
        for seconds, sql in counter.slowest:
            print(f"    {seconds:7.2f} s  {sql}")
    return result, elapsed


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_file(path: str, rows: int) -> None:
    firsts = ["María", "José", "Thảo", "Armen", "Keanu", "Soledad", "Jamal", "Priya", "Wei", "Yesenia"]
    lasts = ["Hernández", "Nguyễn", "Petrosyan", "Kahale", "Ochoa", "Johnson", "Patel", "Chen", "Lozano", "Kim"]
    months = [f"2026-{m:02d}" for m in range(6, 6 + MONTHS_PER_BENEFICIARY)]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(COLUMNS + "\n")
        for n in range(rows):
            person, month = divmod(n, MONTHS_PER_BENEFICIARY)
            eligible = "N" if (person + month) % 11 == 0 else "Y"
            born = datetime.date(1950, 1, 1) + datetime.timedelta(days=person % 20000)
            out.write(
                f"{80000000 + person:08d}{'ABCDEFGHJKLMNPQRSTUVWXYZ'[person % 24]},{months[month]},{eligible},"
                f"{'1H' if eligible == 'Y' else ''},{lasts[person % 10]},{firsts[(person // 10) % 10]},{born:%Y-%m-%d}\n"
            )


def run(rows: int) -> None:
    import time_machine

    from peercert.accounts.models import County
    from peercert.accounts.roles import Role
    from peercert.accounts.tests.factories import user_with_role
    from peercert.billing import services
    from peercert.billing.models import Beneficiary, EligibilityMonth

    county = County.objects.get(name="Los Angeles")
    staff = user_with_role(Role.COUNTY_BILLING, email="bench-billing@bench.example")
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "eligibility.csv")
        write_file(path, rows)
        size = os.path.getsize(path) / 1_048_576
        print(f"eligibility file of {rows:,} rows ({size:.0f} MB), database {connection.vendor}")
        print(f"peak memory before the import: {peak_mb():.0f} MB")
        with time_machine.travel(datetime.datetime(2026, 11, 16, 18, tzinfo=datetime.UTC), tick=False):
            result, imported = timed(
                "import (eligibility_import_stream)",
                lambda: services.eligibility_import_stream(actor=staff, county=county, path=path),
            )
            assert result.added == rows, (result.added, result.errors[:3])
            again, _ = timed(
                "the same file again (adds nothing)",
                lambda: services.eligibility_import_stream(actor=staff, county=county, path=path),
            )
            assert again.already
        print(f"  {Beneficiary.objects.count():,} beneficiaries, {EligibilityMonth.objects.count():,} months")
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE bench_eligibility_copy (cin text, month text, eligible text, aid_code text, "
                "last_name text, first_name text, date_of_birth text)"
            )

        def copy():
            with connection.cursor() as cursor, open(path, "rb") as source:
                with cursor.cursor.copy(
                    "COPY bench_eligibility_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as stream:
                    while chunk := source.read(1 << 20):
                        stream.write(chunk)

        _, copied = timed("PostgreSQL COPY of the same rows (the floor)", copy)
    print(f"import / COPY: {imported / copied:.1f}x (target: within 3x)")
    print(f"peak memory of the process: {peak_mb():.0f} MB (target: under 500 MB)")


if __name__ == "__main__":
    if connection.vendor != "postgresql":
        sys.exit("Run with DATABASE_URL=postgres://...: the floor is PostgreSQL's COPY.")
    in_test_database(run, int(os.environ.get("BENCH_ELIGIBILITY_ROWS", "100000")))
