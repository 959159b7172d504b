"""Benchmark: the 837P build for N billable lines, and its pyx12 validation, separately; time, SQL
statements and peak memory.

    BENCH_CLAIM_LINES=10000 .venv/bin/python bench/claims_x12.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_claims BENCH_CLAIM_LINES=100000 .venv/bin/python bench/claims_x12.py

Builds its own test database, generates one county's providers, peers (one per 50 lines),
beneficiaries (one per 5 lines) and N billable service lines set-based (bulk_create), then times:

  - "837P build": x12_837_out.build_from_lines over a values() queryset read in chunks (the
    lines are never all Python objects at once; the file text itself is held, as ClaimFile.content
    stores it);
  - "pyx12 validation": x12_837_out.validate of that text (pyx12 walks every segment);
  - "835 import": the state's answer to the file (1 in 20 lines denied) posted by
    services.remittance_import.

Peak memory is the process's maximum RSS so far (it only grows); BENCH_TRACEMALLOC=1 adds
tracemalloc's peak for each step (Python allocations), which slows every step several times.
"""

import datetime
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench._support import in_test_database  # noqa: E402

LINES = int(os.environ.get("BENCH_CLAIM_LINES", "10000"))
NOW = datetime.datetime(2026, 11, 20, 20, 0, tzinfo=datetime.UTC)


TRACE = os.environ.get("BENCH_TRACEMALLOC") == "1"


def step(label: str, fn):
    if TRACE:
        tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    traced = ""
    if TRACE:
        traced = f"  traced peak {tracemalloc.get_traced_memory()[1] / 2**20:7.1f} MiB"
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<22} {elapsed:8.2f} s  {len(queries):6d} SQL statements  peak RSS {rss:7.1f} MiB{traced}")
    return result


def generate(n: int):
    from decimal import Decimal

    from peercert.accounts.models import County, Person
    from peercert.benefit.models import Employment, EmploymentStatus, Provider, ProviderKind
    from peercert.benefit.tests.factories import RateFactory, valid_npi
    from peercert.billing.models import BatchSource, BatchStatus, Beneficiary, LineStatus, ServiceBatch, ServiceLine
    from peercert.billing.tests.factories import cin_for

    county = County.objects.get(name="Los Angeles")
    RateFactory(county=county, amount=Decimal("41.25"))
    providers = Provider.objects.bulk_create(
        Provider(
            county=county,
            name=f"Bench Clinic {i}",
            kind=ProviderKind.CONTRACTED,
            npi=valid_npi(700000 + i),
            address_line1=f"{i} Main St",
            city="Los Angeles",
            postal_code="90012",
            active_from=datetime.date(2022, 1, 1),
            smhs=True,
        )  # fmt: skip
        for i in range(max(1, n // 2000))
    )
    peers = max(10, n // 50)
    people = Person.objects.bulk_create(
        Person(legal_first_name=f"Peer{i}", legal_last_name="Bench", date_of_birth=datetime.date(1980, 1, 1))
        for i in range(peers)
    )
    employments = Employment.objects.bulk_create(
        Employment(
            person=p,
            provider=providers[i % len(providers)],
            county=county,
            position_title="Peer",
            fte=Decimal("1.00"),
            start_on=datetime.date(2025, 1, 1),
            smhs=True,
            individual_npi=valid_npi(800000 + i),
            status=EmploymentStatus.HIRED,
            hired_on=datetime.date(2025, 1, 1),
        )  # fmt: skip
        for i, p in enumerate(people)
    )
    beneficiaries = Beneficiary.objects.bulk_create(
        Beneficiary(
            county=county,
            cin=cin_for(i),
            legal_first_name="Member",
            legal_last_name=f"B{i}",
            date_of_birth=datetime.date(1990, 1, 1),
        )  # fmt: skip
        for i in range(max(1, n // 5))
    )
    batch = ServiceBatch.objects.create(
        county=county, source=BatchSource.CSV, status=BatchStatus.CHECKED, checked_at=NOW, line_count=n
    )
    chunk = []
    for i in range(n):
        chunk.append(
            ServiceLine(
                batch=batch,
                county=county,
                employment=employments[i % len(employments)],
                beneficiary=beneficiaries[i % len(beneficiaries)],
                cin=beneficiaries[i % len(beneficiaries)].cin,
                service_date=datetime.date(2026, 10, 1) + datetime.timedelta(days=(i // len(beneficiaries)) % 28),
                minutes=60,
                units=4,
                code="H0038",
                modifiers="HQ" if i % 3 == 0 else "",
                delivery_system="smhs",
                place_of_service="11",
                status=LineStatus.BILLABLE,
                source_position=i + 1,
            )  # fmt: skip
        )
        if len(chunk) == 5000:
            ServiceLine.objects.bulk_create(chunk)
            chunk = []
    ServiceLine.objects.bulk_create(chunk)
    return batch


def run() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from peercert.billing import services, x12_835_in, x12_837_out
    from peercert.billing.models import ClaimFile

    print(f"database: {connection.vendor}; {LINES} billable lines")
    start = time.perf_counter()
    batch = generate(LINES)
    print(f"{'generate':<22} {time.perf_counter() - start:8.2f} s")
    built = step(
        "837P build",
        lambda: x12_837_out.build_from_lines(batch, icn=1, now=NOW, county_name="Los Angeles", county_code="19"),
    )
    print(
        f"{'':<22} {built.line_count} lines, {built.claim_count} claims, ${built.total_charge}, {len(built.content) / 2**20:.1f} MiB of X12"
    )
    result = step("pyx12 validation", lambda: x12_837_out.validate(built.content))
    print(f"{'':<22} valid: {result.ok}; {len(result.messages)} messages")
    import hashlib

    claim_file = ClaimFile.objects.create(
        batch=batch, interchange_control_number=1, content=built.content,
        sha256=hashlib.sha256(built.content.encode()).hexdigest(), line_count=built.line_count,
        total_charge=built.total_charge, validated_at=NOW,
    )  # fmt: skip
    refs = [int(s.split("*")[2]) for s in built.content.replace("\n", "").split("~") if s.startswith("REF*6R*")]
    text = x12_835_in.answer_837p(built.content, icn=2, now=NOW, deny=set(refs[::20]))
    upload = SimpleUploadedFile("bench.835", text.encode("ascii"))
    remittance, _ = step(
        "835 import", lambda: services.remittance_import(actor=None, county=batch.county_id, upload=upload)
    )
    print(f"{'':<22} {remittance.line_count} lines posted, ${remittance.payment_amount}")
    del claim_file


if __name__ == "__main__":
    in_test_database(run)
