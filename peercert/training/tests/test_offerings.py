import datetime
from decimal import Decimal

import pytest

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification
from peercert.training import services
from peercert.training.models import Enrollment, EnrollmentStatus, OfferingStatus, VersionStatus
from peercert.training.tests.factories import (
    ApprovedProviderFactory,
    CurriculumVersionFactory,
    EnrollmentFactory,
    OfferingFactory,
)


@pytest.fixture
def approved_version():
    return CurriculumVersionFactory(hours=Decimal("6"))


def _create(actor, entity, version, **kw):
    base = dict(
        training_entity=entity,
        curriculum_version=version,
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 3),
        hours=6,
        language="es",
        modality="virtual",
        capacity=2,
        accommodation_contact="Tomás Ortega, 916-555-0142",
        location="",
    )
    base.update(kw)
    return services.offering_create(actor=actor, **base)


def test_offering_needs_approval_for_type_and_language(entity, entity_staff, approved_version):
    with pytest.raises(ApplicationError, match="not approved"):
        _create(entity_staff, entity, approved_version)
    ApprovedProviderFactory(training_entity=entity, training_type="continuing_education", language="es")
    offering = _create(entity_staff, entity, approved_version)
    assert offering.status == OfferingStatus.SCHEDULED
    assert AuditEvent.objects.filter(action="offering.create").exists()


@pytest.mark.parametrize("status", [s for s in VersionStatus.values if s != "approved"])
def test_only_an_approved_version_can_be_taught(status, entity, entity_staff):
    ApprovedProviderFactory(training_entity=entity, training_type="continuing_education", language="es")
    with pytest.raises(ApplicationError, match="approved"):
        _create(entity_staff, entity, CurriculumVersionFactory(status=status))


@pytest.mark.parametrize(
    "bad",
    [
        {"starts_on": datetime.date(2026, 1, 2)},
        {"ends_on": datetime.date(2026, 3, 1)},
        {"hours": 7},
        {"hours": 0},
        {"modality": "in_person", "location": ""},
        {"accommodation_contact": ""},
    ],
)
def test_offering_refuses_bad_values(bad, entity, entity_staff, approved_version):
    ApprovedProviderFactory(training_entity=entity, training_type="continuing_education", language="es")
    with pytest.raises(ApplicationError):
        _create(entity_staff, entity, approved_version, **bad)


def test_suspended_entity_cannot_schedule(entity, entity_staff, approved_version):
    ApprovedProviderFactory(
        training_entity=entity, training_type="continuing_education", language="es", status="suspended"
    )
    with pytest.raises(ApplicationError):
        _create(entity_staff, entity, approved_version)


def test_other_entity_staff_cannot_schedule(entity, approved_version):
    ApprovedProviderFactory(training_entity=entity, training_type="continuing_education", language="es")
    with pytest.raises(ApplicationError):
        _create(user_with_role(Role.TRAINING_STAFF), entity, approved_version)


def test_waitlist_and_promotion_on_cancel(entity, entity_staff):
    offering = OfferingFactory(training_entity=entity, capacity=1)
    a, b, c = (user_with_role(Role.PEER) for _ in range(3))
    ea = services.enrollment_create(actor=a, offering=offering, person=a.person)
    eb = services.enrollment_create(actor=b, offering=offering, person=b.person)
    ec = services.enrollment_create(actor=c, offering=offering, person=c.person)
    assert (ea.status, eb.status, ec.status) == ("enrolled", "waitlisted", "waitlisted")
    with pytest.raises(ApplicationError) as err:
        services.enrollment_create(actor=a, offering=offering, person=a.person)
    assert err.value.code == "duplicate"
    with pytest.raises(ApplicationError):
        services.enrollment_create(actor=a, offering=offering, person=b.person)  # not yourself
    services.enrollment_cancel(actor=a, enrollment=ea)
    assert Enrollment.objects.get(pk=eb.pk).status == EnrollmentStatus.ENROLLED
    assert Enrollment.objects.get(pk=ec.pk).status == EnrollmentStatus.WAITLISTED
    assert Notification.objects.filter(user=b, subject__startswith="You have a seat").exists()
    assert AuditEvent.objects.filter(action="enrollment.promote", object_id=str(eb.pk)).exists()
    # Cancelling a waitlisted place frees no seat.
    services.enrollment_cancel(actor=c, enrollment=ec)
    with pytest.raises(ApplicationError) as err:
        services.enrollment_cancel(actor=c, enrollment=ec)
    assert err.value.code == "state"


def test_attendance_by_entity_staff_only(entity, entity_staff):
    e = EnrollmentFactory(offering=OfferingFactory(training_entity=entity))
    services.enrollment_mark_attendance(actor=entity_staff, enrollment=e, attendance="attended")
    with pytest.raises(ApplicationError):
        services.enrollment_mark_attendance(
            actor=user_with_role(Role.TRAINING_STAFF), enrollment=e, attendance="absent"
        )
    waitlisted = EnrollmentFactory(offering=e.offering, status="waitlisted")
    with pytest.raises(ApplicationError):
        services.enrollment_mark_attendance(actor=entity_staff, enrollment=waitlisted, attendance="attended")


@pytest.mark.parametrize("status", list(OfferingStatus.values))
@pytest.mark.parametrize("action", ["cancel", "close"])
def test_offering_transitions(status, action, entity, entity_staff):
    offering = OfferingFactory(training_entity=entity, status=status)
    EnrollmentFactory(offering=offering)
    call = (
        (lambda: services.offering_cancel(actor=entity_staff, offering=offering, reason="Trainer ill"))
        if action == "cancel"
        else (lambda: services.offering_close(actor=entity_staff, offering=offering))
    )
    if status == OfferingStatus.SCHEDULED:
        result = call()
        assert result.status == ("cancelled" if action == "cancel" else "closed")
        if action == "cancel":
            assert not offering.enrollments.exclude(status="cancelled").exists()
    else:
        with pytest.raises(ApplicationError):
            call()


def test_completion_record_rules(entity, entity_staff, fixed_today):
    offering = OfferingFactory(
        training_entity=entity,
        starts_on=datetime.date(2026, 2, 2),
        ends_on=datetime.date(2026, 2, 3),
        hours=Decimal("6"),
    )
    person = PersonFactory()
    for hours in (-1, 0, 7):
        with pytest.raises(ApplicationError):
            services.completion_record(actor=entity_staff, offering=offering, person=person, hours=hours)
    with pytest.raises(ApplicationError):
        services.completion_record(
            actor=entity_staff, offering=offering, person=person, hours=6, completed_on=datetime.date(2026, 3, 1)
        )
    c = services.completion_record(actor=entity_staff, offering=offering, person=person, hours=6)
    assert c.completed_on == datetime.date(2026, 2, 3)
    assert c.ce_category == "general"
    with pytest.raises(ApplicationError) as err:
        services.completion_record(actor=entity_staff, offering=offering, person=person, hours=6)
    assert err.value.code == "duplicate"
