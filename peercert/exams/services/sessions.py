"""Sessions and registrations: scheduling, seats, rescheduling, check-in and incidents."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from peercert.accounts.models import Person
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_person
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.exams import permissions as perms
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import (
    REGISTRATION_TRANSITIONS,
    SESSION_TRANSITIONS,
    AccommodationRequest,
    AccommodationStatus,
    Attempt,
    Delivery,
    ExamAuthorization,
    ExamForm,
    ExamSession,
    FormStatus,
    Incident,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from peercert.exams.selectors import current_authorization
from peercert.exams.services._common import (
    REGISTRATION,
    SESSION,
    _check_can_act_for,
    _lock,
    _system_or,
)
from peercert.exams.times import LocalTime

_ONLINE = gettext_lazy("online with a remote proctor")


@transaction.atomic
def session_create(
    *,
    actor: Actor,
    form: ExamForm,
    delivery: str,
    starts_at: datetime.datetime,
    capacity: int,
    proctor,
    site_name: str = "",
    city: str = "",
    room: str = "",
) -> ExamSession:
    """Schedule a session on a published form. Duration comes from the exam_minutes rule.

    Preconditions: exam administrator; published form; a start in the future; an exam administrator
    as proctor; a site for in-person sessions. Side effects: session row; audit session.create.
    """
    _system_or(actor, perms.can_manage_sessions, "Only an exam administrator may schedule sessions.")
    if form.status != FormStatus.PUBLISHED:
        raise ApplicationError("Sessions use a published form only.", code="state", field="form")
    if starts_at <= clock.now():
        raise ApplicationError("The session must start in the future.", field="starts_at")
    if capacity is None or capacity < 1:
        raise ApplicationError("A session needs at least one seat.", field="capacity")
    if not perms.is_exam_admin(proctor):
        raise ApplicationError("The proctor must be an exam administrator.", field="proctor")
    if delivery == Delivery.IN_PERSON and not site_name.strip():
        raise ApplicationError("Name the test site for an in-person session.", field="site_name")
    if delivery not in Delivery.values:
        raise ApplicationError("Choose online or in person.", field="delivery")
    rules = rules_on(timezone.localdate(starts_at))
    session = ExamSession.objects.create(
        program=form.program,
        form=form,
        delivery=delivery,
        starts_at=starts_at,
        minutes=rules.exam_minutes,
        rules_version=rules.version,
        capacity=capacity,
        proctor=proctor,
        site_name=site_name.strip(),
        city=city.strip(),
        room=room.strip(),
    )
    audit_record(
        actor=actor,
        action=ExamsAuditAction.SESSION_CREATE,
        obj=session,
        after={
            "form": form.pk,
            "delivery": delivery,
            "starts_at": starts_at,
            "capacity": capacity,
            "minutes": session.minutes,
            "rules_version": rules.version,
        },
    )
    return session


@transaction.atomic
def session_cancel(*, actor: Actor, session: ExamSession, reason: str) -> ExamSession:
    """Cancel a session: every open registration is cancelled with it and the candidates told."""
    _system_or(actor, perms.can_manage_sessions, "Only an exam administrator may cancel sessions.")
    session = _lock(ExamSession, session.pk)
    check_transition(session, SessionStatus.CANCELLED, allowed=SESSION_TRANSITIONS, noun=SESSION)
    if not (reason or "").strip():
        raise ApplicationError("Say why the session is cancelled; candidates will read it.", field="reason")
    transition(session, SessionStatus.CANCELLED, allowed=SESSION_TRANSITIONS, noun=SESSION)
    session.save(update_fields=["status", "updated_at"])
    open_regs = list(
        session.registrations.select_for_update(of=("self",))
        .filter(status=RegistrationStatus.REGISTERED)
        .select_related("person__user")
    )
    for reg in open_regs:
        transition(reg, RegistrationStatus.CANCELLED, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    Registration.objects.filter(pk__in=[r.pk for r in open_regs]).update(status=RegistrationStatus.CANCELLED)
    for reg in open_regs:
        tell_person(
            reg.person,
            subject=gettext_noop("Your exam session was cancelled"),
            body=gettext_noop(
                "The session on %(time)s (Pacific time) was cancelled: %(reason)s. Choose another session."
            ),
            params={"time": LocalTime(session.starts_at), "reason": reason},
            link=reverse("exams:my_exam"),
        )
    audit_record(
        actor=actor,
        action=ExamsAuditAction.SESSION_CANCEL,
        obj=session,
        before={"status": SessionStatus.SCHEDULED},
        after={"status": session.status, "registrations_cancelled": len(open_regs)},
        reason=reason,
    )
    return session


def _open_seat(session: ExamSession, person: Person) -> tuple[ExamAuthorization, AccommodationRequest | None]:
    """Checks shared by registering and rescheduling; the caller holds the session row locked."""
    now = clock.now()
    if session.status != SessionStatus.SCHEDULED:
        raise ApplicationError("This session was cancelled. Choose another session.", code="state")
    if session.starts_at <= now:
        raise ApplicationError("This session has already started. Choose a later session.", code="state")
    session_day = timezone.localdate(session.starts_at)
    auth = current_authorization(person, session_day)
    if auth is None:
        latest = ExamAuthorization.objects.filter(person=person).order_by("-valid_until").first()
        if latest is not None and latest.valid_until < clock.today():
            raise ApplicationError(
                "Your approval window to test ended on %(day)s, so you cannot register. To test again, "
                "apply for certification again.",
                params={"day": latest.valid_until},
                code="state",
            )
        if latest is not None:
            raise ApplicationError(
                "This session (%(time)s) is after your approval window ends on %(day)s. Choose an earlier session.",
                params={"time": LocalTime(session.starts_at), "day": latest.valid_until},
                code="state",
            )
        raise ApplicationError(
            "You are not authorized to take the exam on that date. The program authorizes you once your "
            "application is approved, your training is complete and the exam fee is paid.",
            code="state",
        )
    auth = _lock(ExamAuthorization, auth.pk)
    max_attempts = rules_on().exam_max_attempts
    if auth.attempts_used >= max_attempts:
        raise ApplicationError(
            "You have used all %(limit)s attempts allowed in this approval window.",
            params={"limit": max_attempts},
            code="state",
        )
    if auth.attempts_left <= 0:
        raise ApplicationError(
            "Pay the retake fee before registering for another attempt: ask for the retake invoice on your "
            "score report.",
            code="state",
        )
    taken = session.registrations.filter(
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.CHECKED_IN]
    ).count()
    if taken >= session.capacity:
        raise ApplicationError("This session is full. Choose another session.", code="conflict")
    accommodation = (
        AccommodationRequest.objects.filter(person=person, status=AccommodationStatus.APPROVED)
        .order_by("-decided_at")
        .first()
    )
    return auth, accommodation


@transaction.atomic
def registration_create(*, actor: Actor, session: ExamSession, person: Person) -> Registration:
    """Register a candidate for a session.

    Preconditions: the candidate themself or an exam administrator; session scheduled and not
    started; an authorization covering the session date with an unused paid attempt and fewer
    than the maximum attempts used; a free seat; no other open registration. An approved
    accommodation is applied (time multiplier). Side effects: registration; audit registration.create.
    """
    _check_can_act_for(actor, person)
    session = _lock(ExamSession, session.pk)
    auth, accommodation = _open_seat(session, person)
    if Registration.objects.filter(person=person, status=RegistrationStatus.REGISTERED).exists():
        raise ApplicationError("You already hold a seat in another session. Reschedule it instead.", code="duplicate")
    reg = Registration.objects.create(
        session=session,
        person=person,
        authorization=auth,
        accommodation=accommodation,
        time_multiplier=accommodation.time_multiplier if accommodation else Decimal("1.00"),
    )
    audit_record(
        actor=actor,
        action=ExamsAuditAction.REGISTRATION_CREATE,
        obj=reg,
        after={"session": session.pk, "person": person.pk, "time_multiplier": reg.time_multiplier},
    )
    _tell_registered(reg)
    return reg


def _tell_registered(reg: Registration) -> None:
    session = reg.session
    tell_person(
        reg.person,
        subject=gettext_noop("Your exam registration is confirmed"),
        body=gettext_noop(
            "Your registration is confirmed for %(time)s (Pacific time), %(place)s. Registration number "
            "%(number)s. Bring government photo ID."
        ),
        params={"time": LocalTime(session.starts_at), "place": session.site_name or _ONLINE, "number": reg.pk},
        link=reverse("exams:my_exam"),
    )


@transaction.atomic
def registration_cancel(*, actor: Actor, registration: Registration) -> Registration:
    """Give up a seat before check-in. The candidate or an exam administrator. Audited."""
    _check_can_act_for(actor, registration.person)
    reg = _lock(Registration, registration.pk)
    transition(reg, RegistrationStatus.CANCELLED, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    reg.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=ExamsAuditAction.REGISTRATION_CANCEL,
        obj=reg,
        before={"status": RegistrationStatus.REGISTERED},
        after={"status": reg.status},
    )
    return reg


@transaction.atomic
def registration_reschedule(*, actor: Actor, registration: Registration, to_session: ExamSession) -> Registration:
    """Move a candidate to another session: the old seat is released, a new one taken, or nothing changes."""
    _check_can_act_for(actor, registration.person)
    reg = _lock(Registration, registration.pk)
    check_transition(reg, RegistrationStatus.RESCHEDULED, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    if to_session.pk == reg.session_id:
        raise ApplicationError("Choose a different session.", field="session")
    target = _lock(ExamSession, to_session.pk)
    transition(reg, RegistrationStatus.RESCHEDULED, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    reg.save(update_fields=["status", "updated_at"])
    auth, accommodation = _open_seat(target, reg.person)
    new = Registration.objects.create(
        session=target,
        person=reg.person,
        authorization=auth,
        accommodation=accommodation,
        time_multiplier=accommodation.time_multiplier if accommodation else Decimal("1.00"),
    )
    audit_record(
        actor=actor,
        action=ExamsAuditAction.REGISTRATION_RESCHEDULE,
        obj=reg,
        before={"session": reg.session_id},
        after={"session": target.pk, "registration": new.pk},
    )
    _tell_registered(new)
    return new


@transaction.atomic
def registration_check_in(*, actor: Actor, registration: Registration, photo_id_confirmed: bool) -> Attempt:
    """The proctor checks a candidate in, having seen government photo ID. The attempt starts to count.

    Preconditions: the session's proctor or an exam administrator; photo ID confirmed; registered;
    the session's day; the authorization still has an unused paid attempt. Side effects: registration
    checked in; authorization attempts_used + 1; an Attempt; audit registration.check_in.
    """
    _system_or(actor, perms.can_manage_sessions, "Only the proctor may check candidates in.")
    reg = _lock(Registration, registration.pk)
    # The proctor vouches for the candidate's photo ID; nobody vouches for themselves.
    ensure_not_own_matter(actor, reg.person_id, what="exam")
    check_transition(reg, RegistrationStatus.CHECKED_IN, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    if not photo_id_confirmed:
        raise ApplicationError(
            "Confirm that you saw the candidate's government photo ID with a matching name.", field="photo_id_confirmed"
        )
    session = reg.session
    if clock.today() != timezone.localdate(session.starts_at):
        raise ApplicationError("Candidates are checked in on the day of their session.", code="state")
    auth = _lock(ExamAuthorization, reg.authorization_id)
    if auth.attempts_left <= 0 or auth.attempts_used >= rules_on().exam_max_attempts:
        raise ApplicationError("This candidate has no paid attempt left.", code="state")
    auth.attempts_used += 1
    auth.save(update_fields=["attempts_used", "updated_at"])
    transition(reg, RegistrationStatus.CHECKED_IN, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    reg.photo_id_confirmed = True
    reg.checked_in_at, reg.checked_in_by = clock.now(), actor
    reg.save(update_fields=["status", "photo_id_confirmed", "checked_in_at", "checked_in_by", "updated_at"])
    attempt = Attempt.objects.create(
        registration=reg,
        person=reg.person,
        form=session.form,
        taken_on=timezone.localdate(session.starts_at),
        rules_version=rules_on().version,
    )
    audit_record(
        actor=actor,
        action=ExamsAuditAction.REGISTRATION_CHECK_IN,
        obj=reg,
        before={"status": RegistrationStatus.REGISTERED},
        after={
            "status": reg.status,
            "photo_id_confirmed": True,
            "attempt": attempt.pk,
            "attempts_used": auth.attempts_used,
        },
    )
    return attempt


@transaction.atomic
def incident_report(
    *, actor: Actor, session: ExamSession, description: str, registration: Registration | None = None
) -> Incident:
    """Record something that happened during a session. Proctor or exam administrator. Audited."""
    _system_or(actor, perms.can_manage_sessions, "Only the proctor may report incidents.")
    if not (description or "").strip():
        raise ApplicationError("Describe what happened.", field="description")
    if registration is not None and registration.session_id != session.pk:
        raise ApplicationError("That candidate is not in this session.", field="registration")
    incident = Incident.objects.create(
        session=session,
        registration=registration,
        reported_by=actor,
        occurred_at=clock.now(),
        description=description.strip(),
    )
    audit_record(
        actor=actor,
        action=ExamsAuditAction.INCIDENT_REPORT,
        obj=incident,
        after={"session": session.pk, "registration": registration.pk if registration else None},
    )
    return incident
