"""The gate: each reason alone on an otherwise billable line, all at once, and the statements it takes."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit.models import EmploymentStatus
from peercert.billing import gate, services
from peercert.billing.audit import AuditAction
from peercert.billing.models import BatchStatus, LineHold, LineStatus, ServiceLine
from peercert.billing.tests.factories import billable_world, line_data
from peercert.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_november():
    with time_machine.travel(datetime.datetime(2026, 11, 16, 18, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def world():
    return billable_world()


@pytest.fixture
def staff():
    return user_with_role(Role.COUNTY_BILLING)


def run_one(staff, world, **overrides):
    batch = services.batch_create(actor=staff, county=world["county"])
    line = services.line_add(actor=staff, batch=batch, data=line_data(world, **overrides))
    services.batch_check(actor=staff, batch=batch)
    line.refresh_from_db()
    return line


def codes(line):
    return sorted(line.holds.values_list("code", flat=True))


def test_a_line_meeting_every_rule_is_billable_and_priced(staff, world):
    line = run_one(staff, world)
    assert codes(line) == []
    assert line.status == LineStatus.BILLABLE
    assert line.units == 4
    assert line.charge == Decimal("165.00")  # 4 units x 41.25
    batch = line.batch
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CHECKED
    assert batch.counts["by_status"] == {"billable": 1}
    event = AuditEvent.objects.get(action=AuditAction.BATCH_CHECK, object_id=str(batch.pk))
    assert event.after["by_status"] == {"billable": 1}


def test_certification_not_active(staff, world):
    cert = world["certification"]
    cert.status = "suspended"
    cert.save()
    cert.status_changes.create(
        from_status="active", to_status="suspended", effective_on=datetime.date(2026, 9, 1), reason="x"
    )
    assert codes(run_one(staff, world)) == ["certification_not_active"]


def test_certification_suspended_after_the_date_still_counts_as_active_on_it(staff, world):
    cert = world["certification"]
    cert.status = "suspended"
    cert.save()
    cert.status_changes.create(from_status="", to_status="active", effective_on=cert.issued_on, reason="issued")
    cert.status_changes.create(
        from_status="active", to_status="suspended", effective_on=datetime.date(2026, 11, 1), reason="x"
    )
    assert codes(run_one(staff, world)) == []


def test_not_hired_on_the_date(staff, world):
    employment = world["employment"]
    employment.hired_on = datetime.date(2026, 10, 20)
    employment.save()
    assert codes(run_one(staff, world)) == ["not_hired"]


def test_not_hired_when_only_recorded(staff, world):
    employment = world["employment"]
    employment.status, employment.hired_on = EmploymentStatus.RECORDED, None
    employment.save()
    assert codes(run_one(staff, world)) == ["not_hired"]


def test_not_hired_after_the_employment_ended(staff, world):
    employment = world["employment"]
    employment.status, employment.end_on, employment.end_reason = (
        EmploymentStatus.ENDED,
        datetime.date(2026, 10, 1),
        "resigned",
    )
    employment.save()
    assert codes(run_one(staff, world)) == ["not_hired"]


def test_no_trained_supervisor(staff, world):
    assignment = world["assignment"]
    assignment.end_on, assignment.status = datetime.date(2026, 9, 30), "ended"
    assignment.save()
    assert codes(run_one(staff, world)) == ["no_trained_supervisor"]


def test_an_untrained_supervisor_within_the_training_window_counts(staff, world):
    from peercert.benefit.tests.factories import SupervisorAssignmentFactory

    world["assignment"].delete()
    SupervisorAssignmentFactory(
        employment=world["employment"], start_on=datetime.date(2026, 10, 1), training_due_on=datetime.date(2026, 11, 30)
    )
    assert codes(run_one(staff, world)) == []


def test_no_directing_professional(staff, world):
    direction = world["direction"]
    direction.end_on = datetime.date(2026, 10, 13)
    direction.save()
    assert codes(run_one(staff, world)) == ["no_directing_professional"]


def test_not_eligible(staff, world):
    month = world["eligibility"]
    month.eligible = False
    month.save()
    assert codes(run_one(staff, world)) == ["not_eligible"]


def test_not_eligible_when_the_month_was_never_verified(staff, world):
    assert codes(run_one(staff, world, service_date=datetime.date(2026, 9, 30))) == ["not_eligible"]


def test_a_superseded_verification_does_not_count(staff, world):
    month = world["eligibility"]
    month.superseded_at = datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC)
    month.save()
    assert codes(run_one(staff, world)) == ["not_eligible"]


def test_no_rate(staff, world):
    rate = world["rate"]
    rate.effective_to = datetime.date(2026, 9, 30)
    rate.save()
    line = run_one(staff, world)
    assert codes(line) == ["no_rate"]
    assert line.charge is None


def test_no_federal_authority(staff, world):
    authority = world["authority"]
    authority.effective_to = datetime.date(2026, 9, 30)
    authority.save()
    assert codes(run_one(staff, world)) == ["no_federal_authority"]


def test_code_not_allowed(staff, world):
    from peercert.benefit.tests.factories import RateFactory

    RateFactory(county=world["county"], code="H0050")
    world["authority"].code_rows.create(code="H0050")  # H0050 is DMC-ODS only in the code table
    assert codes(run_one(staff, world, code="H0050")) == ["code_not_allowed"]


def test_duplicate_of_an_earlier_line_in_the_same_batch(staff, world):
    batch = services.batch_create(actor=staff, county=world["county"])
    first = services.line_add(actor=staff, batch=batch, data=line_data(world))
    second = services.line_add(actor=staff, batch=batch, data=line_data(world, reference="again"))
    services.batch_check(actor=staff, batch=batch)
    assert codes(first) == [] and codes(second) == ["duplicate"]


def test_duplicate_of_a_line_billable_in_another_batch(staff, world):
    run_one(staff, world)
    assert codes(run_one(staff, world)) == ["duplicate"]


def test_not_a_duplicate_of_a_held_line_elsewhere_or_with_other_units(staff, world):
    held = run_one(staff, world, minutes=5)
    assert codes(held) == ["zero_units"]
    assert codes(run_one(staff, world)) == []
    assert codes(run_one(staff, world, minutes=30)) == []


def test_zero_units(staff, world):
    line = run_one(staff, world, minutes=7)
    assert codes(line) == ["zero_units"] and line.units == 0


def test_unknown_beneficiary(staff, world):
    line = run_one(staff, world, cin="12345678Z")
    assert line.beneficiary_id is None
    assert codes(line) == ["unknown_beneficiary"]


def test_past_timely_filing(staff, world):
    from peercert.billing.tests.factories import EligibilityMonthFactory

    EligibilityMonthFactory(beneficiary=world["beneficiary"], month=datetime.date(2025, 10, 1))
    assert gate.timely_filing_cutoff() == datetime.date(2025, 11, 1)
    assert codes(run_one(staff, world, service_date=datetime.date(2025, 10, 31))) == ["past_timely_filing"]
    assert codes(run_one(staff, world, service_date=datetime.date(2025, 11, 3))) == ["not_eligible"]


def test_utilization_hook(staff, world):
    from django.db.models import Value

    from peercert.billing import hooks

    def over_limit(lines):
        return [("utilization_test_limit", lines.filter(units__gt=3), Value("Test limit, version 2"))]

    hooks.register_utilization_check(over_limit)
    hooks.register_utilization_reason("utilization_test_limit", "Over the test limit.")
    try:
        line = run_one(staff, world)
        assert codes(line) == ["utilization_test_limit"]
        assert line.holds.get().detail == "Test limit, version 2"
        assert gate.reason_label("utilization_test_limit") == "Over the test limit."
    finally:
        hooks.UTILIZATION_CHECKS.remove(over_limit)
        hooks.UTILIZATION_REASONS.pop("utilization_test_limit")


def test_unknown_rendering_npi_and_everything_at_once(staff, world):
    from peercert.billing.tests.factories import ServiceBatchFactory

    batch = ServiceBatchFactory(county=world["county"])
    # As an 837P line whose NPI no employment holds: no employment, unknown CIN, too short, too old, a
    # code that is neither allowed, priced nor covered for DMC.
    ServiceLine.objects.create(
        batch=batch,
        county=world["county"],
        employment=None,
        rendering_npi="1999999999",
        cin="00000001A",
        service_date=datetime.date(2024, 1, 10),
        minutes=5,
        units=0,
        code="H0050",
        delivery_system="dmc",
        place_of_service="11",
    )
    batch.line_count = 1
    batch.save()
    services.batch_check(actor=staff, batch=batch)
    line = batch.lines.get()
    assert codes(line) == sorted(
        [
            "unknown_rendering_npi",
            "unknown_beneficiary",
            "zero_units",
            "no_rate",
            "no_federal_authority",
            "code_not_allowed",
            "past_timely_filing",
        ]
    )
    assert line.status == LineStatus.HELD


def test_every_peer_rule_at_once(staff, world):
    cert = world["certification"]
    cert.expires_on = datetime.date(2026, 10, 1)
    cert.save()
    employment = world["employment"]
    employment.hired_on = datetime.date(2026, 10, 20)
    employment.save()
    world["assignment"].delete()
    world["direction"].delete()
    world["eligibility"].delete()
    world["rate"].delete()
    world["authority"].code_rows.all().delete()
    batch = services.batch_create(actor=staff, county=world["county"])
    services.line_add(actor=staff, batch=batch, data=line_data(world))
    services.line_add(actor=staff, batch=batch, data=line_data(world, minutes=3))
    services.batch_check(actor=staff, batch=batch)
    first, second = batch.lines.order_by("pk")
    expected = [
        "certification_not_active",
        "no_directing_professional",
        "no_federal_authority",
        "no_rate",
        "no_trained_supervisor",
        "not_eligible",
        "not_hired",
    ]
    assert codes(first) == expected
    assert codes(second) == sorted([*expected, "zero_units"])
    batch.refresh_from_db()
    assert batch.counts["by_reason"]["not_hired"] == 2
    assert batch.counts["by_status"] == {"held": 2}
    assert batch.counts["by_peer"][0]["held"] == 2


def _batch_of(staff, world, n):
    batch = services.batch_create(actor=staff, county=world["county"])
    for i in range(n):
        services.line_add(actor=staff, batch=batch, data=line_data(world, minutes=10 + i))
    return batch


def test_the_gate_takes_the_same_statements_at_two_sizes(staff, world):
    small, large = _batch_of(staff, world, 2), _batch_of(staff, world, 12)
    counted = []
    for batch in (small, large):
        with CaptureQueriesContext(connection) as queries:
            services.batch_check(actor=staff, batch=batch)
        counted.append(len(queries))
    assert counted[0] == counted[1]
    assert (
        LineHold.objects.filter(line__batch=large, code="duplicate").count() == 12
    )  # all: the small batch billed the first


def test_a_rerun_decides_again_and_keeps_overrides(staff, world):
    supervisor = user_with_role(Role.COUNTY_BILLING_SUPERVISOR)
    line = run_one(staff, world, minutes=7)
    services.line_override(actor=supervisor, line=line, reason="Documented 8 minutes on paper.")
    batch = line.batch
    services.batch_check(actor=staff, batch=batch)
    line.refresh_from_db()
    assert line.status == LineStatus.OVERRIDDEN
    assert codes(line) == ["zero_units"]
