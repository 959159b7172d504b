"""Billing tables partitioned by month on PostgreSQL: made ahead by the daily job, a default partition
for anything else, rows moved out of it when their month gets a partition, and the gate's statements
reading only the batch's months."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peercert.billing import gate, jobs, partitions
from peercert.billing.models import EligibilityMonth, ServiceLine
from peercert.core.jobs import daily_jobs, run_daily_jobs

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
FROZEN = datetime.datetime(2031, 3, 1, 8, 5, tzinfo=datetime.UTC)  # 00:05 Pacific on 1 March


def test_the_daily_job_is_registered_and_does_nothing_on_sqlite():
    assert "billing.partitions" in [job.name for job in daily_jobs()]
    if connection.vendor == "sqlite":
        assert jobs.partitions_daily(datetime.date(2031, 3, 1)) == {
            "service_line_partitions": 0,
            "eligibility_partitions": 0,
        }


@postgres_only
def test_both_tables_are_partitioned_with_a_default():
    for table in partitions.TABLES:
        assert partitions.partitioned(table)
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{table}_default"])
            assert cursor.fetchone()[0]


@postgres_only
@time_machine.travel(FROZEN, tick=False)
def test_the_job_makes_this_month_and_three_ahead_once():
    first = run_daily_jobs(only=["billing.partitions"])[0]
    assert first.outcome == "succeeded"
    names = partitions.month_partitions("billing_serviceline")
    # 08:05 UTC is 00:05 Pacific on 1 March: this month is March (the Pacific date, not the UTC one).
    for month in ("2031_03", "2031_04", "2031_05", "2031_06"):
        assert f"billing_serviceline_p{month}" in names
        assert f"billing_eligibilitymonth_p{month}" in partitions.month_partitions("billing_eligibilitymonth")
    again = run_daily_jobs(only=["billing.partitions"])[0]
    assert again.counts == {"service_line_partitions": 0, "eligibility_partitions": 0}


@postgres_only
def test_rows_in_the_default_partition_move_to_their_new_month():
    month = datetime.date(2040, 1, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM billing_eligibilitymonth_default")
        before = cursor.fetchone()[0]
    assert partitions.partition_name("billing_eligibilitymonth", month) not in partitions.month_partitions(
        "billing_eligibilitymonth"
    )
    row = _eligibility_row(month)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM billing_eligibilitymonth_default")
        assert cursor.fetchone()[0] == before + 1
    assert partitions.ensure_month("billing_eligibilitymonth", month) is True
    assert partitions.ensure_month("billing_eligibilitymonth", month) is False
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM billing_eligibilitymonth_p2040_01 WHERE id = %s", [row.pk])
        assert cursor.fetchone()[0] == 1
        cursor.execute("SELECT count(*) FROM billing_eligibilitymonth_default")
        assert cursor.fetchone()[0] == before
    assert EligibilityMonth.objects.get(pk=row.pk).month == month


def _eligibility_row(month):
    from peercert.accounts.models import County
    from peercert.billing.models import Beneficiary

    beneficiary = Beneficiary.objects.create(
        county=County.objects.get(name="Los Angeles"),
        cin="12345678A",
        legal_first_name="Rosa",
        legal_last_name="Delgado",
        date_of_birth=datetime.date(1980, 5, 4),
    )
    return EligibilityMonth.objects.create(
        beneficiary=beneficiary,
        month=month,
        eligible=True,
        source="county_file",
        verified_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )


@postgres_only
def test_the_gate_names_the_batch_months_so_other_partitions_are_not_read():
    lines = gate.batch_lines(0)  # no such batch: no range, the batch filter alone
    assert 'service_date" >=' not in str(lines.query)
    march = ServiceLine.objects.filter(
        service_date__gte=datetime.date(2031, 3, 1), service_date__lte=datetime.date(2031, 3, 31)
    )
    sql, params = march.query.sql_with_params()
    with connection.cursor() as cursor, CaptureQueriesContext(connection):
        partitions.ensure_month("billing_serviceline", datetime.date(2031, 3, 1))
        partitions.ensure_month("billing_serviceline", datetime.date(2031, 4, 1))
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "billing_serviceline_p2031_03" in plan
    assert "billing_serviceline_p2031_04" not in plan
    assert "billing_serviceline_default" not in plan
