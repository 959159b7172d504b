"""Benchmark: overpayments found when certification status changes are recorded back-dated after payment.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_integrity BENCH_LINES=1000000 BENCH_CHANGES=1000 \
        .venv/bin/python bench/integrity.py
    BENCH_LINES=20000 BENCH_CHANGES=50 .venv/bin/python bench/integrity.py     # a quick run (SQLite)

Builds its own test database with bench/claims_gate.py's generator (BENCH_LINES service lines over
BENCH_LINES/50 peers in Los Angeles), runs the gate, and marks every billable line paid by an 835 (one
UPDATE). Then records BENCH_CHANGES revocations effective 30 days back, at once (as the daily sweep or a
bulk discipline import would), and prints the time and the SQL statements of finding every overpayment
(integrity.services.overpayments_find_for_certification_changes over the lazy queryset of the changes),
then the same for one more change alone, and the process's peak memory. The statement count does not
depend on the number of paid lines or of changes. Target at 1,000,000 lines: under 10 s for the 1,000.
"""

import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench._support import in_test_database  # noqa: E402

LINES = int(os.environ.get("BENCH_LINES", "100000"))
CHANGES = int(os.environ.get("BENCH_CHANGES", "1000"))
TODAY = datetime.date(2026, 11, 16)


def _timed(label: str, fn):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        with transaction.atomic():
            result = fn()
        elapsed = time.perf_counter() - started
    print(f"  {label:<44} {elapsed:8.2f} s  {len(queries):4d} SQL statements  {result}")
    return elapsed, len(queries)


def run() -> None:
    import time_machine

    from bench.claims_gate import generate, peak_mb
    from peercert.billing import gate
    from peercert.billing.models import ServiceLine
    from peercert.certification.models import Certification, CertificationStatusChange
    from peercert.integrity import services
    from peercert.integrity.models import OverpaymentLine

    print(f"database: {connection.vendor}; {LINES:,} service lines; {CHANGES:,} back-dated changes")
    with time_machine.travel(datetime.datetime(2026, 11, 16, 18, tzinfo=datetime.UTC), tick=True):
        batch_id = generate(LINES)
        started = time.perf_counter()
        with transaction.atomic():
            gate.evaluate(batch_id, TODAY)
        paid = ServiceLine.objects.filter(batch_id=batch_id, status="billable").update(
            remittance_status="paid", paid_amount=Decimal("41.25"), paid_on=TODAY
        )
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(ServiceLine._meta.db_table)
            cursor.execute(
                f"UPDATE {table} SET payer_claim_control_number = 'P' || id WHERE remittance_status = 'paid'"
            )  # noqa: S608
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        print(f"  gate run and {paid:,} lines paid in {time.perf_counter() - started:.1f} s")

        effective = TODAY - datetime.timedelta(days=30)
        certs = list(
            Certification.objects.filter(number__startswith="PSS-B").order_by("pk").values_list("pk", flat=True)
        )
        chosen, alone = certs[:CHANGES], certs[CHANGES]
        now = datetime.datetime(2026, 11, 16, 18, tzinfo=datetime.UTC)

        def record(ids):
            Certification.objects.filter(pk__in=ids).update(status="revoked", status_changed_on=effective)
            made = CertificationStatusChange.objects.bulk_create(
                [
                    CertificationStatusChange(
                        certification_id=pk,
                        from_status="active",
                        to_status="revoked",
                        effective_on=effective,
                        reason="Revoked, back-dated (bench)",
                        source="discipline",
                        created_at=now,
                        updated_at=now,
                    )
                    for pk in ids
                ],
                batch_size=2000,
            )
            return CertificationStatusChange.objects.filter(pk__in=[c.pk for c in made])

        many = record(chosen)
        many_t, many_q = _timed(
            f"finding for {len(chosen):,} changes at once",
            lambda: services.overpayments_find_for_certification_changes(changes=many, today=TODAY),
        )
        found = OverpaymentLine.objects.count()
        again_t, again_q = _timed(
            "the same changes announced again",
            lambda: services.overpayments_find_for_certification_changes(changes=many, today=TODAY),
        )
        one = record([alone])
        one_t, one_q = _timed(
            "finding for one change",
            lambda: services.overpayments_find_for_certification_changes(changes=one, today=TODAY),
        )
        print(
            f"  overpaid lines listed: {found:,} after the {len(chosen):,}; {OverpaymentLine.objects.count():,} in all"
        )
        print(f"  target: under 10 s for the 1,000 -> {'met' if many_t < 10 else 'NOT met'} ({many_t:.2f} s)")
        print(f"  statements: {many_q} for {len(chosen):,} changes, {one_q} for one, {again_q} for a repeat")
        print(f"  peak memory of the process: {peak_mb():.0f} MB")


if __name__ == "__main__":
    in_test_database(run)
