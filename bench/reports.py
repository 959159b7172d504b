"""Benchmark: the annual billing and employment report (oversight's "billing" report for a state fiscal
year) over many service lines, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reports .venv/bin/python bench/reports.py
    BENCH_LINES=1000000 ... bench/reports.py          # smaller

Builds its own test database; then 58 counties x 50 hired peers (with supervisors), 3,000 beneficiaries
per county and BENCH_LINES service lines (default 10,000,000) over fiscal year 2025-26, generated in
the database with generate_series (one INSERT ... SELECT per chunk). Then runs the report's build (the
aggregates: GROUP BY county, delivery system, code and month; unique beneficiaries; the workforce),
writes it as XLSX and CSV, and prints seconds, SQL statements and the process's peak memory.
Target at 10,000,000 lines: under 10 s for the report.
"""

import datetime
import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench._support import in_test_database  # noqa: E402

LINES = int(os.environ.get("BENCH_LINES", "10000000"))
CHUNK = 2_000_000
PEERS_PER_COUNTY = 50
BENEFICIARIES_PER_COUNTY = 3_000
FY_START = datetime.date(2025, 7, 1)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(n: int) -> None:
    from peercert.accounts.models import County, Person
    from peercert.benefit.models import Employment, Provider, SupervisorAssignment
    from peercert.billing.models import ServiceBatch

    counties = list(County.objects.order_by("pk"))
    providers = Provider.objects.bulk_create(
        [
            Provider(
                county=c,
                name=f"{c.name} peer clinic",
                kind="contracted",
                npi=f"19{i:08d}",
                address_line1="1 Main St",
                city=c.name,
                postal_code="90012",
                active_from=datetime.date(2022, 7, 1),
                smhs=True,
                dmc_ods=True,
            )
            for i, c in enumerate(counties)
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(legal_first_name="Peer", legal_last_name=f"Bench {i}")
            for i in range(len(counties) * (PEERS_PER_COUNTY + 5))
        ]
    )
    employments, supervisors = [], []
    for ci, (county, provider) in enumerate(zip(counties, providers, strict=True)):
        base = ci * (PEERS_PER_COUNTY + 5)
        for p in range(PEERS_PER_COUNTY):
            employments.append(
                Employment(
                    person=people[base + p],
                    provider=provider,
                    county=county,
                    position_title="Peer Support Specialist",
                    fte=Decimal("1.00"),
                    start_on=datetime.date(2024, 9 if p % 5 else 8, 1) if p % 7 else datetime.date(2025, 8, 1),
                    status="hired",
                    hired_on=datetime.date(2024, 9, 1) if p % 7 else datetime.date(2025, 8, 1),
                    smhs=True,
                )
            )
        supervisors.append([people[base + PEERS_PER_COUNTY + s] for s in range(5)])
    employments = Employment.objects.bulk_create(employments, batch_size=5000)
    SupervisorAssignment.objects.bulk_create(
        [
            SupervisorAssignment(
                supervisor=supervisors[i // PEERS_PER_COUNTY][i % 5],
                employment=e,
                county_id=e.county_id,
                start_on=e.start_on,
                training_due_on=e.start_on + datetime.timedelta(days=60),
            )
            for i, e in enumerate(employments)
        ],
        batch_size=5000,
    )
    batches = ServiceBatch.objects.bulk_create(
        [ServiceBatch(county=c, source="x12", status="submitted") for c in counties]
    )
    county_ids = [c.pk for c in counties]
    batch_ids = [b.pk for b in batches]
    first_employment = min(e.pk for e in employments)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # The generated rows point only at rows made above: skip the per-row foreign-key triggers while
        # loading (the superuser's replica role), as a bulk load would.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            """
            INSERT INTO billing_beneficiary (created_at, updated_at, county_id, cin, bic_id, legal_first_name,
                legal_last_name, date_of_birth, created_by_id)
            SELECT now(), now(), (%s::bigint[])[(g / %s) + 1], lpad(g::text, 8, '0') || 'A', '', 'B', g::text,
                date '1980-01-01' + (g %% 9000), NULL
            FROM generate_series(0, %s - 1) AS g
            """,
            [county_ids, BENEFICIARIES_PER_COUNTY, len(counties) * BENEFICIARIES_PER_COUNTY],
        )
        cursor.execute("SELECT min(id) FROM billing_beneficiary")
        first_beneficiary = cursor.fetchone()[0]
        for offset in range(0, n, CHUNK):
            size = min(CHUNK, n - offset)
            # Line g: county g % 58; its peer and beneficiary from that county; a day of the fiscal year;
            # 90% H0038 (smhs 70%, dmc_ods 30%), 10% H0025; 80% paid, 5% denied, the rest not yet remitted.
            cursor.execute(
                """
                INSERT INTO billing_serviceline (created_at, updated_at, batch_id, county_id, employment_id, rendering_npi,
                    beneficiary_id, cin, service_date, minutes, units, code, modifiers, delivery_system, place_of_service,
                    group_size, county_reference, source_claim_id, source_line_number, source_position, charge, status,
                    override_reason, overridden_by_id, overridden_at, payer_claim_control_number, remittance_status,
                    paid_amount, paid_on)
                SELECT now(), now(), (%(batches)s::bigint[])[c + 1], (%(counties)s::bigint[])[c + 1],
                    %(emp)s + c * %(ppc)s + (g / 58) %% %(ppc)s, '',
                    %(ben)s + c * %(bpc)s + (g / 58) %% %(bpc)s, 'X', %(start)s::date + (g %% 365), 60, 4,
                    CASE WHEN g %% 10 = 0 THEN 'H0025' ELSE 'H0038' END, '',
                    CASE WHEN g %% 10 < 7 THEN 'smhs' ELSE 'dmc_ods' END, '11', NULL, '', '', NULL, g, 165.00, 'billable',
                    '', NULL, NULL, '', CASE WHEN g %% 20 < 16 THEN 'paid' WHEN g %% 20 = 16 THEN 'denied' ELSE '' END,
                    CASE WHEN g %% 20 < 16 THEN 150.00 ELSE NULL END, NULL
                FROM (SELECT g, g %% 58 AS c FROM generate_series(%(lo)s, %(hi)s) AS g) AS s
                """,
                {
                    "batches": batch_ids,
                    "counties": county_ids,
                    "emp": first_employment,
                    "ppc": PEERS_PER_COUNTY,
                    "ben": first_beneficiary,
                    "bpc": BENEFICIARIES_PER_COUNTY,
                    "start": FY_START,
                    "lo": offset,
                    "hi": offset + size - 1,
                },
            )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE billing_serviceline")
        cursor.execute("ANALYZE billing_servicebatch")
    print(f"generated {n:,} service lines in {time.perf_counter() - started:.1f} s")


def run() -> None:
    from peercert.oversight.reports import Context, definition, period_of, report_session, writers

    if connection.vendor != "postgresql":
        print("This benchmark is for PostgreSQL (set DATABASE_URL); running on", connection.vendor)
    generate(LINES)
    period = period_of("fiscal_year", 2025)
    build = definition("billing").build
    for attempt in ("cold", "warm")[: int(os.environ.get("BENCH_REPEAT", "2"))]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            with report_session():
                tables = build(Context(period, None))
            elapsed = time.perf_counter() - started
        print(
            f"billing report, FY 2025-26, {LINES:,} lines ({attempt}): {elapsed:6.2f} s  {len(queries)} SQL statements"
        )
    totals = dict(tables[0].rows)
    assert totals["services"] == LINES, totals
    print(
        f"  {len(tables[1].rows):,} rows by county/system/code/month; {totals['unique_beneficiaries']:,} beneficiaries; billed ${totals['amount_billed']:,}"
    )
    started = time.perf_counter()
    xlsx = writers.to_xlsx(tables, title="bench")
    csv = writers.to_csv(tables)
    print(f"  writing XLSX ({len(xlsx):,} bytes) and CSV ({len(csv):,} bytes): {time.perf_counter() - started:.2f} s")
    if os.environ.get("BENCH_EXPLAIN"):
        from peercert.billing import selectors

        query = selectors.billing_totals_for_report(start=period.start, end=period.end)
        print(query.explain(analyze=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    print(f"  load average while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  peak memory of the process: {peak_mb():.0f} MB")


if __name__ == "__main__":
    in_test_database(run)
