"""Courses an approved entity schedules, and who enrolls in them."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.accounts.models import Person
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_person
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.training import permissions as perms
from peercert.training.audit import TrainingAuditAction
from peercert.training.models import (
    ENROLLMENT_TRANSITIONS,
    OFFERING_TRANSITIONS,
    Attendance,
    CurriculumVersion,
    Enrollment,
    EnrollmentStatus,
    Modality,
    Offering,
    OfferingStatus,
    ProviderApplication,
    ProviderStatus,
    VersionStatus,
)
from peercert.training.services._common import (
    AS_WRITTEN,
    COURSE,
    ENROLLMENT,
    _deny,
)


def provider_approval_in_force(training_entity_id: int, training_type: str, language: str, day: datetime.date) -> bool:
    return ProviderApplication.objects.filter(
        training_entity_id=training_entity_id,
        training_type=training_type,
        language=language,
        status=ProviderStatus.APPROVED,
        approved_from__lte=day,
        approved_until__gte=day,
    ).exists()


@transaction.atomic
def offering_create(
    *,
    actor: Actor,
    training_entity,
    curriculum_version,
    starts_on: datetime.date,
    ends_on: datetime.date,
    hours,
    language: str,
    modality: str,
    capacity: int,
    accommodation_contact: str,
    location: str = "",
    cost=0,
    title: str = "",
) -> Offering:
    """Schedule a course.

    Preconditions: staff of the entity; the version is approved by DHCS; the entity holds an
    approval in force today for that training type and language; dates in order and not in the
    past; hours no more than the version's; in-person courses give a location. Audited.
    """
    if not perms.is_entity_staff(actor, training_entity.pk):
        raise _deny("Only staff of this training entity schedule its courses.")
    version = CurriculumVersion.objects.select_related("curriculum").get(pk=curriculum_version.pk)
    if version.status != VersionStatus.APPROVED:
        raise ApplicationError(
            "%(version)s is “%(status)s”. Only a version DHCS approved can be taught.",
            params={"version": version, "status": version.get_status_display()},
            code="state",
            field="curriculum_version",
        )
    today = clock.today()
    if not provider_approval_in_force(training_entity.pk, version.curriculum.kind, language, today):
        raise ApplicationError(
            "%(entity)s is not approved to teach %(kind)s in %(language)s. Apply for that approval first.",
            params={
                "entity": training_entity,
                "kind": version.curriculum.get_kind_display(),
                "language": dict(Offering._meta.get_field("language").choices)[language],
            },
            code="state",
            field="language",
        )
    if starts_on < today:
        raise ApplicationError("The first day cannot be in the past.", field="starts_on")
    if ends_on < starts_on:
        raise ApplicationError("The last day must be on or after the first day.", field="ends_on")
    hours = Decimal(str(hours))
    if hours <= 0:
        raise ApplicationError("Hours must be more than zero.", field="hours")
    if hours > version.hours:
        raise ApplicationError(
            "The curriculum version has %(hours)s hours; a course cannot have more.",
            params={"hours": version.hours},
            field="hours",
        )
    if capacity is None or int(capacity) < 1:
        raise ApplicationError("A course needs at least one seat.", field="capacity")
    if Decimal(str(cost)) < 0:
        raise ApplicationError("Cost cannot be negative.", field="cost")
    if modality == Modality.IN_PERSON and not (location or "").strip():
        raise ApplicationError("Give the address for an in-person course.", field="location")
    if not (accommodation_contact or "").strip():
        raise ApplicationError("Say who students ask for an accommodation.", field="accommodation_contact")
    offering = Offering.objects.create(
        training_entity=training_entity,
        curriculum_version=version,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        language=language,
        modality=modality,
        location=location,
        capacity=int(capacity),
        cost=Decimal(str(cost)),
        accommodation_contact=accommodation_contact,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=TrainingAuditAction.OFFERING_CREATE,
        obj=offering,
        after={
            "version": version.pk,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "hours": hours,
            "language": language,
            "modality": modality,
            "capacity": offering.capacity,
        },
    )
    return offering


def _offering_move(*, actor: Actor, offering, to: str, action: str, reason: str = "") -> Offering:
    o = Offering.objects.select_for_update().get(pk=offering.pk)
    if not perms.can_manage_offering(actor, o):
        raise _deny("Only staff of this training entity manage its courses.")
    before = {"status": transition(o, to, allowed=OFFERING_TRANSITIONS, noun=COURSE)}
    o.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=action, obj=o, before=before, after={"status": to}, reason=reason)
    return o


@transaction.atomic
def offering_cancel(*, actor: Actor, offering, reason: str) -> Offering:
    """Cancel a scheduled course: every enrollment is cancelled and each student told. Reason required."""
    if not (reason or "").strip():
        raise ApplicationError("Say why the course is cancelled; students will see it.", field="reason")
    o = _offering_move(
        actor=actor,
        offering=offering,
        to=OfferingStatus.CANCELLED,
        action=TrainingAuditAction.OFFERING_CANCEL,
        reason=reason,
    )
    live = Enrollment.objects.filter(offering=o).exclude(status=EnrollmentStatus.CANCELLED)
    people = list(Person.objects.filter(training_enrollments__in=live).select_related("user"))
    live.update(status=EnrollmentStatus.CANCELLED, cancelled_at=clock.now())
    for person in people:
        tell_person(
            person,
            subject=gettext_noop("Course cancelled: %(course)s"),
            body=AS_WRITTEN,
            params={"course": o.display_title, "text": reason},
        )
    return o


@transaction.atomic
def offering_close(*, actor: Actor, offering) -> Offering:
    """Mark a course finished: no more enrollments. Completions can still be recorded."""
    return _offering_move(
        actor=actor, offering=offering, to=OfferingStatus.CLOSED, action=TrainingAuditAction.OFFERING_CLOSE
    )


@transaction.atomic
def enrollment_create(*, actor: Actor, offering, person) -> Enrollment:
    """Enroll a person, or put them on the waitlist when the course is full.

    Preconditions: the person themself, or staff of the entity; the course is scheduled and has
    not ended; no live enrollment already. The offering row is locked so two people cannot take
    the last seat. Audited.
    """
    o = Offering.objects.select_for_update().get(pk=offering.pk)
    if not (perms.is_self(actor, person) or perms.can_manage_offering(actor, o)):
        raise _deny("You can only enroll yourself.")
    if o.status != OfferingStatus.SCHEDULED:
        raise ApplicationError("This course is not open for enrollment.", code="state")
    if o.ends_on < clock.today():
        raise ApplicationError("This course has ended.", code="state")
    if Enrollment.objects.filter(offering=o, person=person).exclude(status=EnrollmentStatus.CANCELLED).exists():
        raise ApplicationError("You are already enrolled in this course or on its waitlist.", code="duplicate")
    taken = Enrollment.objects.filter(offering=o, status=EnrollmentStatus.ENROLLED).count()
    status = EnrollmentStatus.ENROLLED if taken < o.capacity else EnrollmentStatus.WAITLISTED
    enrollment = Enrollment.objects.create(offering=o, person=person, status=status)
    audit_record(
        actor=actor,
        action=TrainingAuditAction.ENROLLMENT_CREATE,
        obj=enrollment,
        after={"status": status, "offering": o.pk},
    )
    return enrollment


@transaction.atomic
def enrollment_cancel(*, actor: Actor, enrollment, reason: str = "") -> Enrollment:
    """Cancel an enrollment. A freed seat goes to the first person on the waitlist, who is told.

    Preconditions: the person themself or the entity's staff; not already cancelled. Audited
    (the promotion too).
    """
    e = Enrollment.objects.select_for_update(of=("self",)).select_related("offering", "person").get(pk=enrollment.pk)
    Offering.objects.select_for_update().get(pk=e.offering_id)
    if not (perms.is_self(actor, e.person) or perms.can_manage_offering(actor, e.offering)):
        raise _deny("You can only cancel your own enrollment.")
    before = {"status": transition(e, EnrollmentStatus.CANCELLED, allowed=ENROLLMENT_TRANSITIONS, noun=ENROLLMENT)}
    freed = before["status"] == EnrollmentStatus.ENROLLED
    e.cancelled_at = clock.now()
    e.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        actor=actor,
        action=TrainingAuditAction.ENROLLMENT_CANCEL,
        obj=e,
        before=before,
        after={"status": e.status},
        reason=reason,
    )
    if freed:
        nxt = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("person__user")
            .filter(offering_id=e.offering_id, status=EnrollmentStatus.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if nxt is not None:
            transition(nxt, EnrollmentStatus.ENROLLED, allowed=ENROLLMENT_TRANSITIONS, noun=ENROLLMENT)
            nxt.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action=TrainingAuditAction.ENROLLMENT_PROMOTE,
                obj=nxt,
                before={"status": "waitlisted"},
                after={"status": "enrolled"},
                reason="a seat opened",
            )
            tell_person(
                nxt.person,
                subject=gettext_noop("You have a seat: %(course)s"),
                body=gettext_noop("A seat opened and you moved off the waitlist."),
                params={"course": e.offering.display_title},
                link=reverse("training:my_training"),
            )
    return e


@transaction.atomic
def enrollment_mark_attendance(*, actor: Actor, enrollment, attendance: str) -> Enrollment:
    """Entity staff mark whether an enrolled student attended. Audited."""
    e = Enrollment.objects.select_for_update(of=("self",)).select_related("offering").get(pk=enrollment.pk)
    if not perms.can_manage_offering(actor, e.offering):
        raise _deny("Only staff of this training entity take attendance.")
    ensure_not_own_matter(actor, e.person_id, what="training_record")
    if e.status != EnrollmentStatus.ENROLLED:
        raise ApplicationError("Attendance is taken only for enrolled students.", code="state")
    if attendance not in Attendance.values:
        raise ApplicationError("Choose attended, attended part, or absent.", field="attendance")
    before = {"attendance": e.attendance}
    e.attendance = attendance
    e.save(update_fields=["attendance", "updated_at"])
    audit_record(
        actor=actor,
        action=TrainingAuditAction.ENROLLMENT_MARK_ATTENDANCE,
        obj=e,
        before=before,
        after={"attendance": attendance},
    )
    return e
