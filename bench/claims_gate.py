"""Benchmark: the certification-to-claim gate over one batch of many service lines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gate BENCH_LINES=1000000 .venv/bin/python bench/claims_gate.py
    .venv/bin/python bench/claims_gate.py            # SQLite, 100,000 lines

Builds its own test database, then N service lines (BENCH_LINES, default 100,000) over N/50 peers
(hired, certified, supervised, directed) and N/5 beneficiaries with a year of eligibility, with a few
percent of lines failing each rule. Prints:
  - the gate (billing.gate.evaluate: holds by INSERT ... SELECT per reason, pricing, deciding) over all lines;
  - one hand-written SQL query of the same rules (the floor: it only reads, the gate also writes);
  - a per-row ORM loop over a 10,000-line sample, with the per-row selectors, scaled to N;
  - statements and the process's peak memory.
Targets at 1,000,000: gate under 20 s, within 2x of the hand SQL, 50x faster than the loop, under 500 MB.
"""

import datetime
import os
import random
import resource
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
SAMPLE = min(10_000, LINES)
CHUNK = 10_000
TODAY = datetime.date(2026, 11, 16)
FIRST_DAY = datetime.date(2025, 12, 1)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _chunks(rows, model, size=CHUNK):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            model.objects.bulk_create(batch, batch_size=size)
            batch = []
    if batch:
        model.objects.bulk_create(batch, batch_size=size)


def generate(n: int) -> int:
    from peercert.accounts.models import CertificationProgram, County, Person
    from peercert.benefit.models import (
        AuthorityCode,
        DirectingProfessional,
        Employment,
        FederalAuthority,
        Provider,
        Rate,
        SupervisorAssignment,
    )
    from peercert.billing.models import Beneficiary, EligibilityMonth, ServiceBatch, ServiceLine
    from peercert.billing.units import units_for
    from peercert.certification.models import Certification

    rnd = random.Random(14)
    peers, people = max(20, n // 50), max(100, n // 5)
    la = County.objects.get(name="Los Angeles")
    program = CertificationProgram.objects.get(code="statewide")
    started = time.perf_counter()
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
            for i in range(max(1, peers // 20))
        ]
    )
    _chunks(
        (
            Person(legal_first_name="Peer", legal_last_name=f"Bench {i}", email=f"p{i}@bench.example")
            for i in range(peers + 50)
        ),
        Person,
    )
    person_ids = list(
        Person.objects.filter(email__endswith="@bench.example").order_by("pk").values_list("pk", flat=True)
    )
    peer_ids, supervisor_ids = person_ids[:peers], person_ids[peers:]
    # 2% of peers lose their certification before the year, 2% are hired late, 2% lose their
    # directing professional, 2% their supervisor.
    _chunks(
        (
            Certification(
                number=f"PSS-B{i:07d}",
                person_id=pid,
                program=program,
                status="active",
                issued_on=datetime.date(2025, 1, 1),
                expires_on=datetime.date(2026, 6, 1) if i % 50 == 1 else datetime.date(2027, 1, 1),
            )
            for i, pid in enumerate(peer_ids)
        ),
        Certification,
    )
    _chunks(
        (
            Employment(
                person_id=pid,
                provider=providers[i % len(providers)],
                county=la,
                position_title="Peer Support Specialist",
                fte=Decimal("1.00"),
                start_on=datetime.date(2025, 1, 1),
                status="hired",
                hired_on=datetime.date(2026, 7, 1) if i % 50 == 2 else datetime.date(2025, 1, 1),
                individual_npi=f"17{i:08d}",
                smhs=True,
            )
            for i, pid in enumerate(peer_ids)
        ),
        Employment,
    )
    employment_ids = list(Employment.objects.filter(county=la).order_by("pk").values_list("pk", "person_id"))
    _chunks(
        (
            DirectingProfessional(
                employment_id=eid,
                name="Dr. Bench",
                credential_kind="licensed",
                license_type="LCSW",
                license_number=f"L{i}",
                issuing_board="BBS",
                start_on=datetime.date(2025, 1, 1),
                end_on=datetime.date(2026, 3, 1) if i % 50 == 3 else None,
            )
            for i, (eid, _p) in enumerate(employment_ids)
        ),
        DirectingProfessional,
    )
    _chunks(
        (
            SupervisorAssignment(
                supervisor_id=supervisor_ids[i % len(supervisor_ids)],
                employment_id=eid,
                county=la,
                start_on=datetime.date(2025, 1, 1),
                end_on=datetime.date(2026, 2, 1) if i % 50 == 4 else None,
                status="ended" if i % 50 == 4 else "active",
                # Half within their training window; the others' supervisors trained (below) or not.
                training_due_on=datetime.date(2027, 1, 1) if i % 2 else datetime.date(2025, 3, 1),
            )
            for i, (eid, _p) in enumerate(employment_ids)
        ),
        SupervisorAssignment,
    )
    _train(supervisor_ids[: len(supervisor_ids) - 2])
    Rate.objects.create(
        county=la,
        delivery_system="smhs",
        code="H0038",
        amount=Decimal("41.25"),
        effective_from=datetime.date(2025, 7, 1),
        status="approved",
    )
    authority = FederalAuthority.objects.create(
        number="SPA BENCH",
        kind="spa",
        title="Peer",
        approved_on=datetime.date(2022, 6, 1),
        effective_from=datetime.date(2022, 7, 1),
        smhs=True,
    )
    AuthorityCode.objects.create(authority=authority, code="H0038")
    _chunks(
        (
            Beneficiary(
                county=la,
                cin=f"{10000000 + i:08d}{'ABCDEFGHJKLMNPQRSTUVWXYZ'[i % 24]}",
                legal_first_name="B",
                legal_last_name=f"{i}",
                date_of_birth=datetime.date(1980, 1, 1),
            )
            for i in range(people)
        ),
        Beneficiary,
    )
    beneficiary_ids = list(Beneficiary.objects.filter(county=la).order_by("pk").values_list("pk", "cin"))
    now = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    months = [datetime.date(2025 + (11 + m) // 12, (11 + m) % 12 + 1, 1) for m in range(12)]  # Dec 2025 .. Nov 2026
    # The daily job makes each month's partitions ahead of it (billing.partitions); a year of data needs
    # the year's months made, as they would be by then (nothing on SQLite).
    from peercert.billing import partitions

    for month in months:
        for table in partitions.TABLES:
            if partitions.partitioned(table):
                partitions.ensure_month(table, month)
    _chunks(
        (
            EligibilityMonth(
                beneficiary_id=bid,
                month=month,
                eligible=not (i % 40 == 5 and month.month == 5),
                source="county_file",
                verified_at=now,
            )
            for i, (bid, _cin) in enumerate(beneficiary_ids)
            for month in months
        ),
        EligibilityMonth,
    )
    batch = ServiceBatch.objects.create(county=la, source="csv", line_count=n)
    span = (TODAY - FIRST_DAY).days

    def lines():
        for i in range(n):
            eid, _person = employment_ids[rnd.randrange(peers)]
            bid, cin = beneficiary_ids[rnd.randrange(people)]
            minutes = 5 if i % 100 == 7 else rnd.choice((15, 30, 45, 60, 90))
            unknown = i % 200 == 9
            yield ServiceLine(
                batch_id=batch.pk,
                county_id=la.pk,
                employment_id=None if i % 300 == 11 else eid,
                beneficiary_id=None if unknown else bid,
                cin="99999999Z" if unknown else cin,
                service_date=FIRST_DAY + datetime.timedelta(days=rnd.randrange(span)),
                minutes=minutes,
                units=units_for(minutes),
                code="H0050" if i % 150 == 13 else "H0038",
                delivery_system="smhs",
                place_of_service="11",
                source_position=i + 1,
            )

    _chunks(lines(), ServiceLine)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    print(
        f"  generated {n:,} lines, {peers:,} peers, {people:,} beneficiaries with 12 months each "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return batch.pk


def _train(person_ids):
    from peercert.accounts.models import TrainingEntity
    from peercert.training.models import Completion, Curriculum, CurriculumKind, CurriculumVersion, Offering

    entity = TrainingEntity.objects.first() or TrainingEntity.objects.create(name="Bench trainer")
    curriculum = Curriculum.objects.create(title="Supervisor bench", kind=CurriculumKind.SUPERVISOR)
    version = CurriculumVersion.objects.create(curriculum=curriculum, number=1, hours=Decimal("6"), status="approved")
    offering = Offering.objects.create(
        training_entity=entity,
        curriculum_version=version,
        starts_on=datetime.date(2025, 2, 1),
        ends_on=datetime.date(2025, 2, 2),
        hours=Decimal("6"),
        language="en",
        modality="virtual",
        capacity=10_000,
        cost=Decimal("0"),
        accommodation_contact="bench@example.org",
    )
    _chunks(
        (
            Completion(
                offering=offering,
                person_id=pid,
                completed_on=datetime.date(2025, 2, 2),
                hours=Decimal("6"),
                ce_category="general",
                idempotency_key=Completion.key_for(pid, offering.pk),
            )
            for pid in person_ids
        ),
        Completion,
    )


def hand_sql(batch_id: int) -> tuple[float, dict]:
    """The same rules as one hand-written read: each line's failing rules as a bit mask, counted."""
    from peercert.billing import gate

    q = connection.ops.quote_name
    month = (
        "date_trunc('month', l.service_date)::date"
        if connection.vendor == "postgresql"
        else "date(l.service_date, 'start of month')"
    )
    cutoff = gate.timely_filing_cutoff(TODAY)
    sql = f"""
    SELECT mask, count(*) FROM (
      SELECT
        (CASE WHEN l.employment_id IS NULL THEN 1 ELSE 0 END)
      + (CASE WHEN l.beneficiary_id IS NULL THEN 2 ELSE 0 END)
      + (CASE WHEN l.units = 0 THEN 4 ELSE 0 END)
      + (CASE WHEN l.employment_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM certification_certification c WHERE c.person_id = e.person_id
              AND c.issued_on <= l.service_date AND c.expires_on >= l.service_date
              AND COALESCE((SELECT h.to_status FROM certification_certificationstatuschange h
                            WHERE h.certification_id = c.id AND h.effective_on <= l.service_date
                            ORDER BY h.effective_on DESC, h.id DESC LIMIT 1), c.status) = 'active')
          THEN 8 ELSE 0 END)
      + (CASE WHEN l.employment_id IS NOT NULL AND NOT (e.county_id = l.county_id AND e.hired_on <= l.service_date
             AND (e.end_on IS NULL OR e.end_on >= l.service_date) AND e.status IN ('hired', 'ended')) THEN 16 ELSE 0 END)
      + (CASE WHEN l.employment_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM benefit_supervisorassignment a WHERE a.employment_id = l.employment_id
              AND a.start_on <= l.service_date AND (a.end_on IS NULL OR a.end_on >= l.service_date)
              AND (a.training_due_on >= l.service_date OR EXISTS (
                   SELECT 1 FROM training_completion t JOIN training_offering o ON o.id = t.offering_id
                   JOIN training_curriculumversion v ON v.id = o.curriculum_version_id
                   JOIN training_curriculum cu ON cu.id = v.curriculum_id
                   WHERE t.person_id = a.supervisor_id AND t.completed_on <= l.service_date AND cu.kind = 'supervisor')))
          THEN 32 ELSE 0 END)
      + (CASE WHEN l.employment_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM benefit_directingprofessional d WHERE d.employment_id = l.employment_id
              AND d.start_on <= l.service_date AND (d.end_on IS NULL OR d.end_on >= l.service_date)) THEN 64 ELSE 0 END)
      + (CASE WHEN l.beneficiary_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM billing_eligibilitymonth m WHERE m.beneficiary_id = l.beneficiary_id
              AND m.month = {month} AND m.eligible AND m.superseded_at IS NULL) THEN 128 ELSE 0 END)
      + (CASE WHEN NOT EXISTS (
            SELECT 1 FROM benefit_rate r WHERE r.status = 'approved' AND r.delivery_system = l.delivery_system
              AND r.code = l.code AND r.effective_from <= l.service_date
              AND (r.effective_to IS NULL OR r.effective_to >= l.service_date)
              AND (r.county_id = l.county_id OR (r.kind = 'interim' AND r.county_id IS NULL))) THEN 256 ELSE 0 END)
      + (CASE WHEN NOT EXISTS (
            SELECT 1 FROM benefit_authoritycode ac JOIN benefit_federalauthority fa ON fa.id = ac.authority_id
            WHERE ac.code = l.code AND fa.effective_from <= l.service_date
              AND (fa.effective_to IS NULL OR fa.effective_to >= l.service_date)
              AND ((l.delivery_system = 'smhs' AND fa.smhs) OR (l.delivery_system = 'dmc' AND fa.dmc)
                   OR (l.delivery_system = 'dmc_ods' AND fa.dmc_ods))) THEN 512 ELSE 0 END)
      + (CASE WHEN NOT EXISTS (
            SELECT 1 FROM benefit_billingcode bc WHERE bc.code = l.code AND bc.effective_from <= l.service_date
              AND (bc.effective_to IS NULL OR bc.effective_to >= l.service_date)
              AND ((l.delivery_system = 'smhs' AND bc.smhs) OR (l.delivery_system = 'dmc' AND bc.dmc)
                   OR (l.delivery_system = 'dmc_ods' AND bc.dmc_ods))) THEN 1024 ELSE 0 END)
      + (CASE WHEN l.beneficiary_id IS NOT NULL AND l.employment_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM billing_serviceline o JOIN benefit_employment oe ON oe.id = o.employment_id
            WHERE o.beneficiary_id = l.beneficiary_id AND oe.person_id = e.person_id
              AND o.service_date = l.service_date AND o.code = l.code AND o.units = l.units
              AND ((o.batch_id <> l.batch_id AND o.status IN ('billable', 'overridden'))
                   OR (o.batch_id = l.batch_id AND o.id < l.id))) THEN 2048 ELSE 0 END)
      + (CASE WHEN l.service_date < %s THEN 4096 ELSE 0 END) AS mask
      FROM {q("billing_serviceline")} l LEFT JOIN benefit_employment e ON e.id = l.employment_id
      WHERE l.batch_id = %s
    ) AS masks GROUP BY mask
    """
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [cutoff, batch_id])
        rows = dict(cursor.fetchall())
    return time.perf_counter() - started, rows


def per_row_loop(batch_id: int) -> float:
    """The gate as a naive per-line loop over the sample, calling the per-row selectors."""
    from peercert.benefit import selectors as benefit_selectors
    from peercert.billing.models import EligibilityMonth, ServiceLine
    from peercert.certification import selectors as certification_selectors

    started = time.perf_counter()
    held = 0
    sample = ServiceLine.objects.filter(batch_id=batch_id).select_related("employment__person").order_by("pk")[:SAMPLE]
    for line in sample:
        reasons = []
        e = line.employment
        if e is None:
            reasons.append("unknown_rendering_npi")
        else:
            if certification_selectors.certification_active_on(e.person, line.service_date) is None:
                reasons.append("certification_not_active")
            if not (
                e.hired_on and e.hired_on <= line.service_date and (e.end_on is None or e.end_on >= line.service_date)
            ):
                reasons.append("not_hired")
            if not benefit_selectors.trained_supervisor_on(e, line.service_date):
                reasons.append("no_trained_supervisor")
            if not e.directing_professionals.filter(start_on__lte=line.service_date).exists():
                reasons.append("no_directing_professional")
        if (
            line.beneficiary_id
            and not EligibilityMonth.objects.filter(
                beneficiary_id=line.beneficiary_id,
                month=line.service_date.replace(day=1),
                eligible=True,
                superseded_at__isnull=True,
            ).exists()
        ):
            reasons.append("not_eligible")
        if benefit_selectors.rate_in_force(line.county_id, line.delivery_system, line.code, line.service_date) is None:
            reasons.append("no_rate")
        if not benefit_selectors.authority_in_force(line.delivery_system, line.code, line.service_date):
            reasons.append("no_federal_authority")
        if not benefit_selectors.code_allowed(line.code, line.delivery_system, line.service_date):
            reasons.append("code_not_allowed")
        held += bool(reasons)
    return time.perf_counter() - started


def explain_decide(batch_id: int) -> None:
    """EXPLAIN ANALYZE of the gate's one UPDATE (PostgreSQL), rolled back."""
    from peercert.billing import gate

    if connection.vendor != "postgresql":
        return
    captured = []
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        dict(gate.steps(batch_id, TODAY))["decide"]()
        captured = [q["sql"] for q in queries.captured_queries]
        transaction.set_rollback(True)
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured[-1])
        print("\n".join(row[0] for row in cursor.fetchall()))
        transaction.set_rollback(True)


def run() -> None:
    import time_machine

    from peercert.billing import gate
    from peercert.billing.models import LineHold, ServiceLine

    print(f"database: {connection.vendor}; {LINES:,} service lines")
    with time_machine.travel(datetime.datetime(2026, 11, 16, 18, tzinfo=datetime.UTC), tick=True):
        batch_id = generate(LINES)
        floor, masks = hand_sql(batch_id)
        held_by_hand = sum(n for mask, n in masks.items() if mask)
        print(f"  hand-written SQL (one read)          {floor:8.2f} s   {held_by_hand:,} lines held")
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            step_times = []
            with transaction.atomic():
                for name, step in gate.steps(batch_id, TODAY):
                    at = time.perf_counter()
                    step()
                    step_times.append((name, time.perf_counter() - at))
                counts = gate.counts(batch_id)
            elapsed = time.perf_counter() - started
        held = counts["by_status"].get("held", 0)
        print(
            f"  gate (set-based, writes holds)       {elapsed:8.2f} s   {len(queries):3d} SQL statements  "
            f"{held:,} held, {counts['by_status'].get('billable', 0):,} billable, "
            f"{LineHold.objects.filter(line__batch_id=batch_id).count():,} holds"
        )
        print("    by step: " + ", ".join(f"{name} {t:.2f}" for name, t in step_times))
        assert held == held_by_hand, (held, held_by_hand)
        with CaptureQueriesContext(connection) as again:
            started = time.perf_counter()
            with transaction.atomic():
                gate.evaluate(batch_id, TODAY)
            rerun = time.perf_counter() - started
        print(f"  gate again (re-run, same lines)      {rerun:8.2f} s   {len(again):3d} SQL statements")
        # The duplicate rule's earlier lines are now billable in the same batch: same answer.
        assert ServiceLine.objects.filter(batch_id=batch_id, status="held").count() == held
        if os.environ.get("BENCH_EXPLAIN"):
            explain_decide(batch_id)
        if os.environ.get("BENCH_LOOP", "1") == "0":
            print(f"  peak memory of the process: {peak_mb():.0f} MB")
            return
        loop = per_row_loop(batch_id)
        scaled = loop * LINES / SAMPLE
        print(f"  per-row ORM loop on {SAMPLE:,} lines      {loop:8.2f} s   scaled to {LINES:,}: {scaled:,.0f} s")
        print(f"  gate / hand SQL: {elapsed / floor:.2f}x   per-row loop / gate: {scaled / elapsed:.0f}x")
        print(f"  peak memory of the process: {peak_mb():.0f} MB")


if __name__ == "__main__":
    in_test_database(run)
