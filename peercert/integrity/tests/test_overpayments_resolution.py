"""Report and return: the 60-day clock and the 45-day escalation on time-machine, the void claims (pyx12),
the report signed only by the county's authorized signer, the return date, every move of the map audited;
bad input refused with nothing half-saved."""

import datetime

import pytest
import time_machine

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.billing.models import ClaimFile
from peercert.certification.models import CertificationStatusChange
from peercert.core.errors import ApplicationError
from peercert.core.jobs import run_daily_jobs
from peercert.core.models import AuditEvent, Notification
from peercert.core.transitions import every_move
from peercert.integrity import selectors, services
from peercert.integrity.models import OVERPAYMENT_TRANSITIONS, Overpayment, OverpaymentStatus
from peercert.integrity.tests.factories.overpayments import paid_lines_for, two_county_peer

pytestmark = pytest.mark.django_db
FOUND = datetime.datetime(2026, 11, 20, 8, 5, tzinfo=datetime.UTC)  # 00:05 Pacific on the 20th
FIRST = datetime.date(2026, 10, 1)


def _at(day: datetime.date, hour_utc: int = 20):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour_utc, 0, tzinfo=datetime.UTC), tick=False
    )


@pytest.fixture
def found():
    """An open Los Angeles overpayment of 10 paid lines (and one in Fresno), identified on 2026-11-20."""
    with time_machine.travel(FOUND, tick=False):
        world = two_county_peer(FIRST, 20)
        world["la_lines"] = paid_lines_for(world["la"], FIRST, 20)
        paid_lines_for(world["fresno"], FIRST, 20)
        change = CertificationStatusChange.objects.create(
            certification=world["certification"],
            from_status="active",
            to_status="revoked",
            effective_on=datetime.date(2026, 10, 11),
            reason="Back-dated",
        )
        services.overpayments_find_for_certification_changes(
            changes=CertificationStatusChange.objects.filter(pk=change.pk)
        )
    world["op"] = Overpayment.objects.get(county__name="Los Angeles")
    world["billing"] = user_with_role(Role.COUNTY_BILLING, county_name="Los Angeles")
    world["supervisor"] = user_with_role(Role.COUNTY_BILLING_SUPERVISOR, county_name="Los Angeles")
    world["signer"] = user_with_role(Role.COUNTY_AUTHORIZED_SIGNER, county_name="Los Angeles")
    return world


def test_the_clock_runs_60_days_from_identification_in_pacific_time(found):
    op = found["op"]
    assert op.identified_on == datetime.date(2026, 11, 20)  # the Pacific day, though UTC said the 20th too
    assert op.due_on == datetime.date(2027, 1, 19)
    with _at(datetime.date(2026, 11, 21), hour_utc=7):  # 23:00 Pacific on the 20th
        assert op.days_left == 60
    with _at(datetime.date(2027, 1, 19)):
        assert op.days_left == 0 and not op.is_overdue
    with _at(datetime.date(2027, 1, 20)):
        assert op.is_overdue
        assert list(selectors.overpayment_list(found["billing"], status="overdue")) == [op]


def test_escalation_at_45_days_goes_once_to_the_supervisors_and_the_signer(found):
    op = found["op"]
    with _at(datetime.date(2027, 1, 3)):  # 44 days
        assert services.overpayments_escalate(datetime.date(2027, 1, 3)) == {"escalated": 0}
    with _at(datetime.date(2027, 1, 4)):  # 45 days
        runs = run_daily_jobs(today=datetime.date(2027, 1, 4), only=["integrity.overpayments_escalate"])
        assert runs[0].counts == {"escalated": 2}  # Los Angeles and Fresno
        again = run_daily_jobs(today=datetime.date(2027, 1, 4), only=["integrity.overpayments_escalate"])
        assert again[0].counts == {"escalated": 0}
    op.refresh_from_db()
    assert op.escalated_on == datetime.date(2027, 1, 4)
    told = set(
        Notification.objects.filter(subject__contains=f"Overpayment {op.pk} is due").values_list("user_id", flat=True)
    )
    assert told == {found["supervisor"].pk, found["signer"].pk}
    assert AuditEvent.objects.filter(action="overpayment.escalate", object_id=str(op.pk)).count() == 1


def test_the_whole_way_from_open_to_returned_with_every_step_audited(found):
    op = found["op"]
    with _at(datetime.date(2026, 11, 23)):
        files = services.overpayment_voids_build(actor=found["billing"], overpayment=op)
        assert len(files) == 10  # one void per paid claim
        for claim_file in ClaimFile.objects.filter(pk__in=files):
            assert claim_file.frequency == "8"
            assert claim_file.validated_at is not None  # billing stores a file only once pyx12 passed it
            assert f"REF*F8*{claim_file.replaces_claim_control_number}~" in claim_file.content.replace("\n", "")
        op.refresh_from_db()
        assert op.status == OverpaymentStatus.VOIDED
        services.overpayment_report_prepare(
            actor=found["billing"],
            overpayment=op,
            reason_category="other",
            explanation="Certification revoked back to October 11.",
        )
        services.overpayment_report_sign(
            actor=found["signer"], overpayment=op, signer_title="Behavioral Health Director", attest=True
        )
        op.refresh_from_db()
        assert op.status == OverpaymentStatus.REPORTED
        assert op.report_lines == 10 and str(op.report_amount) == "825.00"
        services.overpayment_return_record(
            actor=found["billing"], overpayment=op, returned_on=datetime.date(2026, 11, 23), reference="Warrant 4471"
        )
    op.refresh_from_db()
    assert op.status == OverpaymentStatus.RETURNED
    actions = list(
        AuditEvent.objects.filter(object_id=str(op.pk), object_type="integrity.overpayment").values_list(
            "action", flat=True
        )
    )
    for action in (
        "overpayment.find",
        "overpayment.void",
        "overpayment.prepare",
        "overpayment.sign",
        "overpayment.return",
    ):
        assert action in actions


def test_only_the_countys_authorized_signer_signs(found):
    op = found["op"]
    with _at(datetime.date(2026, 11, 23)):
        services.overpayment_report_prepare(
            actor=found["billing"], overpayment=op, reason_category="waste", explanation="x"
        )
        fresno_signer = user_with_role(Role.COUNTY_AUTHORIZED_SIGNER, county_name="Fresno")
        for someone in (found["billing"], found["supervisor"], fresno_signer, user_with_role(Role.DHCS_APPROVER)):
            with pytest.raises(ApplicationError) as refused:
                services.overpayment_report_sign(actor=someone, overpayment=op, signer_title="Director", attest=True)
            assert "authorized signer" in refused.value.message
        with pytest.raises(ApplicationError):
            services.overpayment_report_sign(
                actor=found["signer"], overpayment=op, signer_title="Director", attest=False
            )
    op.refresh_from_db()
    assert op.signed_by is None and op.status == OverpaymentStatus.OPEN


def test_a_report_is_signed_only_once_it_is_prepared(found):
    with pytest.raises(ApplicationError, match="prepare"):
        services.overpayment_report_sign(
            actor=found["signer"], overpayment=found["op"], signer_title="Director", attest=True
        )


@pytest.mark.parametrize("category", ["", "fraudulent", "FRAUD", "other "])
def test_a_reason_category_not_in_the_list_is_refused(found, category):
    with pytest.raises(ApplicationError) as refused:
        services.overpayment_report_prepare(
            actor=found["billing"], overpayment=found["op"], reason_category=category, explanation="x"
        )
    assert refused.value.field == "reason_category"
    found["op"].refresh_from_db()
    assert found["op"].prepared_at is None


def _reported(found):
    op = found["op"]
    services.overpayment_report_prepare(
        actor=found["billing"], overpayment=op, reason_category="abuse", explanation="x"
    )
    services.overpayment_report_sign(actor=found["signer"], overpayment=op, signer_title="Director", attest=True)
    op.refresh_from_db()
    return op


@pytest.mark.parametrize(
    "returned_on", [datetime.date(2026, 11, 19), datetime.date(2026, 11, 24)], ids=["before_identified", "future"]
)
def test_a_return_date_before_identification_or_in_the_future_is_refused(found, returned_on):
    with _at(datetime.date(2026, 11, 23)):
        op = _reported(found)
        with pytest.raises(ApplicationError) as refused:
            services.overpayment_return_record(actor=found["billing"], overpayment=op, returned_on=returned_on)
    assert refused.value.field == "returned_on"
    op.refresh_from_db()
    assert op.status == OverpaymentStatus.REPORTED and op.returned_on is None


def test_a_void_for_a_line_never_paid_is_refused(found):
    from peercert.billing.models import ServiceLine

    op = found["op"]
    line = op.lines.first()
    # The state took the payment back (a later 835 reversed it): the line is no longer paid.
    ServiceLine.objects.filter(pk=line.line_id).update(remittance_status="denied", paid_amount=0)
    with pytest.raises(ApplicationError, match="never paid"):
        services.overpayment_voids_build(actor=found["billing"], overpayment=op, line_ids=[line.pk])
    assert not ClaimFile.objects.filter(frequency="8").exists()
    op.refresh_from_db()
    assert op.status == OverpaymentStatus.OPEN


def test_a_void_for_a_line_outside_the_overpayment_is_refused(found):
    with pytest.raises(ApplicationError, match="not a line of this overpayment"):
        services.overpayment_voids_build(actor=found["billing"], overpayment=found["op"], line_ids=[10**9])


def test_another_countys_staff_cannot_act(found):
    fresno = user_with_role(Role.COUNTY_BILLING, county_name="Fresno")
    with pytest.raises(ApplicationError):
        services.overpayment_voids_build(actor=fresno, overpayment=found["op"])
    with pytest.raises(ApplicationError):
        services.overpayment_report_prepare(
            actor=fresno, overpayment=found["op"], reason_category="other", explanation="x"
        )


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(OVERPAYMENT_TRANSITIONS, OverpaymentStatus))
def test_every_move_of_the_map(found, source, target, allowed):
    from peercert.core.transitions import check_transition

    op = found["op"]
    op.status = source
    if allowed:
        check_transition(op, target, allowed=OVERPAYMENT_TRANSITIONS, noun="overpayment")
    else:
        with pytest.raises(ApplicationError):
            check_transition(op, target, allowed=OVERPAYMENT_TRANSITIONS, noun="overpayment")


def test_a_returned_overpayment_refuses_every_further_step(found):
    with _at(datetime.date(2026, 11, 23)):
        op = _reported(found)
        services.overpayment_return_record(
            actor=found["billing"], overpayment=op, returned_on=datetime.date(2026, 11, 23)
        )
        with pytest.raises(ApplicationError):
            services.overpayment_return_record(
                actor=found["billing"], overpayment=op, returned_on=datetime.date(2026, 11, 23)
            )
        with pytest.raises(ApplicationError):
            services.overpayment_report_prepare(
                actor=found["billing"], overpayment=op, reason_category="other", explanation="x"
            )


def test_a_new_fact_after_the_voids_opens_a_new_overpayment(found):
    with _at(datetime.date(2026, 11, 23)):
        services.overpayment_voids_build(actor=found["billing"], overpayment=found["op"])
        change = CertificationStatusChange.objects.create(
            certification=found["certification"],
            from_status="revoked",
            to_status="revoked",
            effective_on=datetime.date(2026, 10, 1),
            reason="Earlier still",
        )
        services.overpayments_find_for_certification_changes(
            changes=CertificationStatusChange.objects.filter(pk=change.pk)
        )
    new = Overpayment.objects.filter(county__name="Los Angeles", status=OverpaymentStatus.OPEN).get()
    assert new.pk != found["op"].pk and new.lines.count() == 10
