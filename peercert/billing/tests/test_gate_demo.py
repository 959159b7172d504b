"""The gate's demo: six months of services per demo county, checked, and an EHR 837P in Los Angeles in
which lines fail the gate's reasons; running it twice changes nothing."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from peercert.billing.demo import gate as demo
from peercert.billing.models import LineHold, ServiceBatch, ServiceLine
from peercert.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 12, 1, 18, tzinfo=datetime.UTC), tick=False)
def test_the_demo_shows_the_gate_at_work_and_runs_twice_unchanged():
    call_command("seed_demo", quiet_sign_ins=True, stdout=io.StringIO())
    demo.seed(None)
    counts = (
        ServiceBatch.objects.count(),
        ServiceLine.objects.count(),
        LineHold.objects.count(),
        AuditEvent.objects.count(),
    )
    demo.seed(None)
    assert (
        ServiceBatch.objects.count(),
        ServiceLine.objects.count(),
        LineHold.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    ehr = ServiceBatch.objects.get(original_name=demo.DEMO_FILE, county__name="Los Angeles")
    assert ehr.status == "checked" and ehr.source_file
    reasons = set(LineHold.objects.filter(line__batch=ehr).values_list("code", flat=True))
    assert {
        "duplicate",
        "zero_units",
        "unknown_beneficiary",
        "unknown_rendering_npi",
        "code_not_allowed",
        "not_eligible",
        "past_timely_filing",
        "not_hired",
    } <= reasons, reasons
    assert ehr.lines.filter(status="billable").exists()
    six = ServiceBatch.objects.filter(original_name=demo.SERVICES_FILE)
    assert six.count() >= 2
    assert ServiceLine.objects.filter(batch__in=six).count() >= 500
    assert (
        ServiceLine.objects.filter(batch__in=six, status="billable").count()
        > ServiceLine.objects.filter(batch__in=six, status="held").count()
    )
