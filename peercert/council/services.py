"""Every change to the advisory council's records happens here.

Each service is atomic, reloads its row with select_for_update, checks who is acting and the
move (core.transitions), saves only the fields it changed, writes its audit event and tells
people after commit (core.tell).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many, snapshot
from peercert.core.duties import refuse_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_email, tell_users
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.council.audit import AuditAction
from peercert.council.models import (
    APPLICATION,
    APPLICATION_TRANSITIONS,
    CALL,
    CALL_TRANSITIONS,
    MEETING,
    MEETING_TRANSITIONS,
    MEMBER,
    MEMBER_TRANSITIONS,
    RECOMMENDATION,
    RECOMMENDATION_TRANSITIONS,
    ApplicationStatus,
    CallStatus,
    CouncilApplication,
    CouncilAttendance,
    CouncilCall,
    CouncilMeeting,
    CouncilMember,
    CouncilRecommendation,
    MeetingStatus,
    MemberStatus,
    Population,
    RecommendationStatus,
)
from peercert.council.permissions import can_manage_council

MEETING_FIELDS = ("title", "meets_on", "starts_at", "place", "link", "agenda", "minutes")
MAX_TERM_YEARS = 4


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _require_staff(actor: Actor) -> None:
    if actor is not None and not can_manage_council(actor):
        raise ApplicationError("Only program staff run the advisory council.", code="forbidden")


def _required(value: str, message: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, field=field)
    return value


def _seated_users():
    return (
        get_user_model()
        .objects.filter(council_seats__status=MemberStatus.SEATED, is_active=True)
        .select_related("person")
        .distinct()
    )


# --- calls for members ---------------------------------------------------------------------


@transaction.atomic
def call_create(
    *, actor: Actor, title: str, description: str, opens_on: datetime.date, closes_on: datetime.date, seats: int = 1
) -> CouncilCall:
    """Write a call for members (a draft until it is opened).

    Preconditions: program staff; a title and description; closes on or after it opens; at least one seat.
    Side effects: audit council_call.create.
    """
    _require_staff(actor)
    title = _required(title, gettext_noop("Give the call a title."), "title")
    description = _required(description, gettext_noop("Say what the call is for and who should apply."), "description")
    if closes_on < opens_on:
        raise ApplicationError("The call must close on or after the day it opens.", field="closes_on")
    if not seats or seats < 1:
        raise ApplicationError("A call fills at least one seat.", field="seats")
    call = CouncilCall.objects.create(
        title=title[:200], description=description, opens_on=opens_on, closes_on=closes_on, seats=seats
    )
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_CALL_CREATE,
        obj=call,
        after=snapshot(call, ("title", "opens_on", "closes_on", "seats", "status")),
    )
    return call


@transaction.atomic
def call_open(*, actor: Actor, call: CouncilCall) -> CouncilCall:
    """Open a call so the public form takes applications between its dates.

    Preconditions: program staff; the move is allowed; its closing date has not passed; no other call is open.
    Side effects: audit council_call.open.
    """
    call = _lock(CouncilCall, call.pk)
    _require_staff(actor)
    check_transition(call, CallStatus.OPEN, allowed=CALL_TRANSITIONS, noun=CALL)
    if call.closes_on < clock.today():
        raise ApplicationError(
            "This call closed on %(day)s, which has passed. Write a new call with new dates.",
            params={"day": call.closes_on},
            code="state",
        )
    other = CouncilCall.objects.filter(status=CallStatus.OPEN).exclude(pk=call.pk).first()
    if other is not None:
        raise ApplicationError(
            "The call “%(title)s” is already open. Close it before opening another.",
            params={"title": other.title},
            code="state",
        )
    before = transition(call, CallStatus.OPEN, allowed=CALL_TRANSITIONS, noun=CALL)
    call.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_CALL_OPEN,
        obj=call,
        before={"status": before},
        after={"status": call.status},
    )
    return call


@transaction.atomic
def call_close(*, actor: Actor, call: CouncilCall) -> CouncilCall:
    """Close a call: the public form stops taking applications. Applications already in are still reviewed."""
    call = _lock(CouncilCall, call.pk)
    _require_staff(actor)
    before = transition(call, CallStatus.CLOSED, allowed=CALL_TRANSITIONS, noun=CALL)
    call.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_CALL_CLOSE,
        obj=call,
        before={"status": before},
        after={"status": call.status},
    )
    return call


# --- applications --------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    actor: Actor,
    call: CouncilCall,
    name: str,
    email: str,
    community: str,
    population: str,
    lived_experience: str,
    county,
    language: str,
    phone: str = "",
) -> CouncilApplication:
    """Anyone applies to sit on the council (actor None from the public form).

    Preconditions: the call is open and today is within its dates; a name, an email, the community
    represented, a population, lived experience, a county and a language.
    Side effects: a receipt emailed in the applicant's language; audit council_application.submit.
    """
    call = _lock(CouncilCall, call.pk)
    today = clock.today()
    if call.status != CallStatus.OPEN or not (call.opens_on <= today <= call.closes_on):
        raise ApplicationError(
            "This call for members is not taking applications today. See the council page for the next call.",
            code="closed",
        )
    name = _required(name, gettext_noop("Enter your name."), "name")
    email = _required(email, gettext_noop("Enter an email address so we can reach you."), "email")
    community = _required(
        community, gettext_noop("Say which community or stakeholder group you would represent."), "community"
    )
    experience = _required(lived_experience, gettext_noop("Tell us about your lived experience."), "lived_experience")
    if population not in Population.values:
        raise ApplicationError("Choose the population you would represent.", field="population")
    if county is None:
        raise ApplicationError("Choose your county.", field="county")
    language = _required(language, gettext_noop("Choose the language you prefer."), "language")
    application = CouncilApplication.objects.create(
        call=call,
        name=name[:200],
        email=email,
        phone=(phone or "").strip()[:30],
        community=community[:300],
        population=population,
        lived_experience=experience,
        county=county,
        language=language[:8],
    )
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_APPLICATION_SUBMIT,
        obj=application,
        after={"call": call.pk, "population": population, "county": county.pk},
    )
    tell_email(
        email,
        language=language,
        subject=gettext_noop("We received your application to the Stakeholder Advisory Council"),
        body=gettext_noop(
            "Thank you, %(name)s. Program staff will review your application to “%(call)s” and write to you "
            "after the call closes on %(closes_on)s."
        ),
        params={"name": name, "call": call.title, "closes_on": call.closes_on},
    )
    return application


def _not_own_application(actor: Actor, application: CouncilApplication) -> None:
    if actor is not None and (getattr(actor, "email", "") or "").lower() == application.email.lower():
        raise refuse_own_matter("application")


@transaction.atomic
def application_select(
    *,
    actor: Actor,
    application: CouncilApplication,
    seat: str,
    population: str,
    term_starts_on: datetime.date,
    term_ends_on: datetime.date,
) -> CouncilMember:
    """Select an applicant and seat them for a term.

    Preconditions: program staff, not the applicant; the application is received; a seat; a
    population; the term ends after it starts, within MAX_TERM_YEARS years, and has not already ended.
    Side effects: a CouncilMember, linked to the sign-in with the applicant's email if there is one;
    audit council_application.select and council_member.seat; the applicant is told.
    """
    application = _lock(CouncilApplication, application.pk)
    _require_staff(actor)
    _not_own_application(actor, application)
    check_transition(application, ApplicationStatus.SELECTED, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    seat = _required(seat, gettext_noop("Name the seat this member holds."), "seat")
    if population not in Population.values:
        raise ApplicationError("Choose the population this seat represents.", field="population")
    if term_ends_on <= term_starts_on:
        raise ApplicationError("The term must end after it starts.", field="term_ends_on")
    if term_ends_on < clock.today():
        raise ApplicationError("This term has already ended. Give an end date in the future.", field="term_ends_on")
    if (term_ends_on - term_starts_on).days > MAX_TERM_YEARS * 366:
        raise ApplicationError(
            "A term lasts at most %(years)s years. Choose an earlier end date.",
            params={"years": MAX_TERM_YEARS},
            field="term_ends_on",
        )
    before = transition(application, ApplicationStatus.SELECTED, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    application.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    application.decided_at = clock.now()
    application.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    user = get_user_model().objects.filter(email__iexact=application.email, is_active=True).first()
    member = CouncilMember.objects.create(
        application=application,
        user=user,
        name=application.name,
        email=application.email,
        seat=seat[:200],
        population=population,
        county=application.county,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
    )
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_APPLICATION_SELECT,
        obj=application,
        before={"status": before},
        after={"status": application.status, "member": member.pk},
    )
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_MEMBER_SEAT,
        obj=member,
        after=snapshot(member, ("seat", "population", "county", "term_starts_on", "term_ends_on", "user", "status")),
    )
    tell_email(
        application.email,
        language=application.language,
        subject=gettext_noop("You are selected for the Stakeholder Advisory Council"),
        body=gettext_noop(
            "Welcome, %(name)s. You hold the seat “%(seat)s” from %(start)s to %(end)s. Sign in to PeerCert with "
            "this email address to see meeting materials before they are public."
        ),
        params={"name": member.name, "seat": member.seat, "start": term_starts_on, "end": term_ends_on},
        link=reverse("council:members_area"),
    )
    return member


@transaction.atomic
def application_decline(*, actor: Actor, application: CouncilApplication, reason: str) -> CouncilApplication:
    """Decline an application with the reason the applicant is told.

    Preconditions: program staff, not the applicant; the application is received; a reason.
    Side effects: audit council_application.decline with the reason; the applicant is told.
    """
    application = _lock(CouncilApplication, application.pk)
    _require_staff(actor)
    _not_own_application(actor, application)
    reason = _required(reason, gettext_noop("Give the reason the applicant will read."), "reason")
    before = transition(application, ApplicationStatus.DECLINED, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    application.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    application.decided_at = clock.now()
    application.decision_reason = reason
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_APPLICATION_DECLINE,
        obj=application,
        before={"status": before},
        after={"status": application.status},
        reason=reason,
    )
    tell_email(
        application.email,
        language=application.language,
        subject=gettext_noop("Your application to the Stakeholder Advisory Council"),
        body=gettext_noop("Thank you for applying, %(name)s. You were not selected this time.\n\n%(reason)s"),
        params={"name": application.name, "reason": reason},
    )
    return application


# --- members -------------------------------------------------------------------------------


@transaction.atomic
def member_link_account(*, actor: Actor, member: CouncilMember) -> CouncilMember:
    """Link a seated member to the sign-in that uses their email (made after they were seated).

    Preconditions: program staff; the member is seated; an active sign-in with that email exists.
    Side effects: audit council_member.link_account.
    """
    member = _lock(CouncilMember, member.pk)
    _require_staff(actor)
    if member.status != MemberStatus.SEATED:
        raise ApplicationError("This member's term has ended, so there is no sign-in to link.", code="state")
    user = get_user_model().objects.filter(email__iexact=member.email, is_active=True).first()
    if user is None:
        raise ApplicationError(
            "No one has a PeerCert sign-in with the email %(email)s yet. Ask the member to create an account "
            "with that email, then link it.",
            params={"email": member.email},
        )
    before = {"user": member.user_id}
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.COUNCIL_MEMBER_LINK, obj=member, before=before, after={"user": user.pk}
    )
    return member


@transaction.atomic
def member_end(*, actor: Actor, member: CouncilMember, reason: str) -> CouncilMember:
    """End a member's term early (they resigned, or left the population they represented).

    Preconditions: program staff; the member is seated; a reason.
    Side effects: the seat no longer sees materials; audit council_member.end with the reason.
    """
    member = _lock(CouncilMember, member.pk)
    _require_staff(actor)
    reason = _required(reason, gettext_noop("Give the reason the term is ending."), "reason")
    before = transition(member, MemberStatus.ENDED, allowed=MEMBER_TRANSITIONS, noun=MEMBER)
    member.ended_on = clock.today()
    member.end_reason = reason
    member.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_MEMBER_END,
        obj=member,
        before={"status": before},
        after={"status": member.status, "ended_on": member.ended_on},
        reason=reason,
    )
    return member


def member_terms_end(*, today: datetime.date) -> int:
    """The daily job: end every seat whose last day was before today. Idempotent and set-based."""
    assert MemberStatus.ENDED in MEMBER_TRANSITIONS[MemberStatus.SEATED]
    with transaction.atomic():
        due = list(
            CouncilMember.objects.select_for_update()
            .filter(status=MemberStatus.SEATED, term_ends_on__lt=today)
            .values_list("pk", "name", "term_ends_on")
        )
        if not due:
            return 0
        CouncilMember.objects.filter(pk__in=[pk for pk, _n, _d in due]).update(
            status=MemberStatus.ENDED, ended_on=today, end_reason="Term ended.", updated_at=clock.now()
        )
        audit_record_many(
            actor=None,
            action=AuditAction.COUNCIL_MEMBER_END,
            object_type="council.councilmember",
            rows=[
                (pk, name, {"status": MemberStatus.SEATED}, {"status": MemberStatus.ENDED, "term_ends_on": end})
                for pk, name, end in due
            ],
            reason="Term ended.",
        )
    return len(due)


# --- meetings ------------------------------------------------------------------------------


def _check_meeting_fields(data: dict) -> dict:
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    if not data.get("title"):
        raise ApplicationError("Give the meeting a title.", field="title")
    if not data.get("meets_on"):
        raise ApplicationError("Give the meeting date.", field="meets_on")
    if not data.get("starts_at"):
        raise ApplicationError("Give the time the meeting starts.", field="starts_at")
    if data.get("link") and not str(data["link"]).lower().startswith(("https://", "http://")):
        raise ApplicationError("Give the online link as a web address starting with https://.", field="link")
    if not data.get("place") and not data.get("link"):
        raise ApplicationError("Give a place to meet, a link to join online, or both.", field="place")
    if not data.get("agenda"):
        raise ApplicationError("Write the agenda.", field="agenda")
    return data


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    title: str,
    meets_on: datetime.date,
    starts_at: datetime.time,
    agenda: str,
    place: str = "",
    link: str = "",
) -> CouncilMeeting:
    """Plan a meeting. Members and staff see it at once; the public once it is announced.

    Preconditions: program staff; a title, date, start time, agenda, and a place or a link.
    Side effects: audit council_meeting.create.
    """
    _require_staff(actor)
    data = _check_meeting_fields(
        {"title": title, "meets_on": meets_on, "starts_at": starts_at, "place": place, "link": link, "agenda": agenda}
    )
    meeting = CouncilMeeting.objects.create(**data)
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_MEETING_CREATE,
        obj=meeting,
        after=snapshot(meeting, ("title", "meets_on", "starts_at", "place", "link", "status")),
    )
    return meeting


@transaction.atomic
def meeting_edit(*, actor: Actor, meeting: CouncilMeeting, minutes_upload=None, **fields) -> CouncilMeeting:
    """Change a meeting's details, agenda or minutes (page text, a PDF, or both).

    Preconditions: program staff; the meeting is neither cancelled nor has its minutes published;
    the same fields meeting_create needs; a minutes file is a real PDF (core.uploads.validate_upload).
    An announced meeting may be moved to another date (the public page shows the new one).
    Side effects: audit council_meeting.edit with what changed.
    """
    meeting = _lock(CouncilMeeting, meeting.pk)
    _require_staff(actor)
    if meeting.status in (MeetingStatus.MINUTES_PUBLISHED, MeetingStatus.CANCELLED):
        raise ApplicationError(
            "This meeting is %(status)s, so its record can no longer change.",
            params={"status": meeting.get_status_display().lower()},
            code="state",
        )
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_edit got unknown fields {sorted(unknown)}")
    data = _check_meeting_fields({name: fields.get(name, getattr(meeting, name)) for name in MEETING_FIELDS})
    before = snapshot(meeting, MEETING_FIELDS)
    changed = [name for name in MEETING_FIELDS if data[name] != getattr(meeting, name)]
    for name in changed:
        setattr(meeting, name, data[name])
    if minutes_upload is not None:
        kind = validate_upload(minutes_upload, kinds=("pdf",), field="minutes_file")
        meeting.minutes_file_kind = kind
        meeting.minutes_file_name = (getattr(minutes_upload, "name", "") or "minutes.pdf")[:255]
        meeting.minutes_file.save(meeting.minutes_file_name, minutes_upload, save=False)
        changed += ["minutes_file", "minutes_file_kind", "minutes_file_name"]
    if not changed:
        return meeting
    meeting.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_MEETING_EDIT,
        obj=meeting,
        before={k: v for k, v in before.items() if k in changed},
        after={k: (getattr(meeting, k).name if k == "minutes_file" else getattr(meeting, k)) for k in changed},
    )
    return meeting


@transaction.atomic
def meeting_announce(*, actor: Actor, meeting: CouncilMeeting) -> CouncilMeeting:
    """Put a planned meeting's date, place, link and agenda on the public page.

    Side effects: seated members are told; audit council_meeting.announce.
    """
    meeting = _lock(CouncilMeeting, meeting.pk)
    _require_staff(actor)
    before = transition(meeting, MeetingStatus.ANNOUNCED, allowed=MEETING_TRANSITIONS, noun=MEETING)
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_MEETING_ANNOUNCE,
        obj=meeting,
        before={"status": before},
        after={"status": meeting.status},
    )
    users = list(_seated_users())
    if users:
        tell_users(
            users,
            subject=gettext_noop("Council meeting on %(day)s"),
            body=gettext_noop("The meeting “%(title)s” on %(day)s is announced, with its agenda."),
            params={"title": meeting.title, "day": meeting.meets_on},
            link=reverse("council:meeting", args=[meeting.pk]),
        )
    return meeting


@transaction.atomic
def meeting_publish_minutes(*, actor: Actor, meeting: CouncilMeeting) -> CouncilMeeting:
    """Publish a meeting's minutes on the public page.

    Preconditions: program staff; the meeting is announced; today is on or after the meeting date
    (minutes of a meeting that has not happened are refused); the minutes are written or uploaded.
    Side effects: audit council_meeting.publish_minutes.
    """
    meeting = _lock(CouncilMeeting, meeting.pk)
    _require_staff(actor)
    check_transition(meeting, MeetingStatus.MINUTES_PUBLISHED, allowed=MEETING_TRANSITIONS, noun=MEETING)
    today = clock.today()
    if today < meeting.meets_on:
        raise ApplicationError(
            "This meeting is on %(day)s, so its minutes cannot be published before then. Publish them on or "
            "after the meeting date.",
            params={"day": meeting.meets_on},
            code="state",
        )
    if not meeting.has_minutes:
        raise ApplicationError(
            "This meeting has no minutes yet. Write them on the meeting page or upload a PDF, then publish.",
            code="state",
        )
    before = transition(meeting, MeetingStatus.MINUTES_PUBLISHED, allowed=MEETING_TRANSITIONS, noun=MEETING)
    meeting.minutes_published_on = today
    meeting.save(update_fields=["status", "minutes_published_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_MEETING_PUBLISH_MINUTES,
        obj=meeting,
        before={"status": before},
        after={"status": meeting.status, "minutes_published_on": today},
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Actor, meeting: CouncilMeeting, reason: str) -> CouncilMeeting:
    """Cancel a meeting; an announced one stays on the public page marked cancelled."""
    meeting = _lock(CouncilMeeting, meeting.pk)
    _require_staff(actor)
    reason = _required(reason, gettext_noop("Give the reason the meeting is cancelled."), "reason")
    before = transition(meeting, MeetingStatus.CANCELLED, allowed=MEETING_TRANSITIONS, noun=MEETING)
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_MEETING_CANCEL,
        obj=meeting,
        before={"status": before},
        after={"status": meeting.status},
        reason=reason,
    )
    return meeting


def members_on(day: datetime.date):
    """The members whose term covered a day (for a meeting's attendance)."""
    return CouncilMember.objects.filter(term_starts_on__lte=day, term_ends_on__gte=day).exclude(
        status=MemberStatus.ENDED, ended_on__lt=day
    )


@transaction.atomic
def attendance_record(*, actor: Actor, meeting: CouncilMeeting, present_ids: list[int]) -> int:
    """Record who came: every member seated on the meeting day is marked present or absent.

    Preconditions: program staff; the meeting is not cancelled and its day has come; the members
    named present were seated that day.
    Side effects: the attendance rows replaced; audit council_meeting.attendance. Returns how many were present.
    """
    meeting = _lock(CouncilMeeting, meeting.pk)
    _require_staff(actor)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ApplicationError("This meeting was cancelled, so no one attended it.", code="state")
    if clock.today() < meeting.meets_on:
        raise ApplicationError(
            "This meeting is on %(day)s. Record who attended on or after that day.",
            params={"day": meeting.meets_on},
            code="state",
        )
    seated = {m.pk: m for m in members_on(meeting.meets_on)}
    present = {int(i) for i in present_ids}
    strangers = present - set(seated)
    if strangers:
        raise ApplicationError("Only members seated on the meeting day can be marked present.", field="present")
    before = dict(meeting.attendance.values_list("member_id", "present"))
    meeting.attendance.all().delete()
    CouncilAttendance.objects.bulk_create(
        [CouncilAttendance(meeting=meeting, member_id=pk, present=pk in present) for pk in seated]
    )
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_ATTENDANCE_RECORD,
        obj=meeting,
        before={"present": sorted(k for k, v in before.items() if v)},
        after={"present": sorted(present)},
    )
    return len(present)


# --- recommendations -----------------------------------------------------------------------


@transaction.atomic
def recommendation_record(
    *, actor: Actor, title: str, body: str, made_on: datetime.date, meeting: CouncilMeeting | None = None
) -> CouncilRecommendation:
    """Record a recommendation the council made, to await the program's response.

    Preconditions: program staff; a title and the recommendation; not made in the future; a meeting, if
    named, was not cancelled.
    Side effects: audit council_recommendation.record.
    """
    _require_staff(actor)
    title = _required(title, gettext_noop("Give the recommendation a short title."), "title")
    body = _required(body, gettext_noop("Write the council's recommendation."), "body")
    if made_on is None or made_on > clock.today():
        raise ApplicationError("Give the day the council made this recommendation (today or earlier).", field="made_on")
    if meeting is not None and meeting.status == MeetingStatus.CANCELLED:
        raise ApplicationError("That meeting was cancelled. Choose the meeting where it was made.", field="meeting")
    recommendation = CouncilRecommendation.objects.create(
        title=title[:200], body=body, made_on=made_on, meeting=meeting
    )
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_RECOMMENDATION_RECORD,
        obj=recommendation,
        after=snapshot(recommendation, ("title", "made_on", "meeting", "status")),
    )
    return recommendation


@transaction.atomic
def recommendation_respond(
    *, actor: Actor, recommendation: CouncilRecommendation, response: str
) -> CouncilRecommendation:
    """Write (or rewrite, until it is published) the program's response to a recommendation.

    Preconditions: program staff who do not sit on the council (the council does not answer itself);
    the recommendation awaits a response or its response is not yet published; a response.
    Side effects: audit council_recommendation.respond.
    """
    recommendation = _lock(CouncilRecommendation, recommendation.pk)
    _require_staff(actor)
    if actor is not None and CouncilMember.objects.filter(user_id=actor.pk, status=MemberStatus.SEATED).exists():
        raise refuse_own_matter("record")
    response = _required(response, gettext_noop("Write the program's response."), "response")
    before = transition(
        recommendation, RecommendationStatus.RESPONDED, allowed=RECOMMENDATION_TRANSITIONS, noun=RECOMMENDATION
    )
    old_response = recommendation.response
    recommendation.response = response
    recommendation.responded_by = actor if getattr(actor, "is_authenticated", False) else None
    recommendation.responded_on = clock.today()
    recommendation.save(update_fields=["status", "response", "responded_by", "responded_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_RECOMMENDATION_RESPOND,
        obj=recommendation,
        before={"status": before, "response": old_response},
        after={"status": recommendation.status, "response": response},
    )
    return recommendation


@transaction.atomic
def recommendation_publish(*, actor: Actor, recommendation: CouncilRecommendation) -> CouncilRecommendation:
    """Publish a recommendation with the program's response on the public council page.

    Preconditions: program staff; a response is written (the map allows publishing only from responded).
    Side effects: seated members are told; audit council_recommendation.publish.
    """
    recommendation = _lock(CouncilRecommendation, recommendation.pk)
    _require_staff(actor)
    if recommendation.status == RecommendationStatus.RECEIVED:
        raise ApplicationError(
            "Write the program's response before publishing this recommendation.", code="state", field="response"
        )
    before = transition(
        recommendation, RecommendationStatus.PUBLISHED, allowed=RECOMMENDATION_TRANSITIONS, noun=RECOMMENDATION
    )
    recommendation.published_on = clock.today()
    recommendation.save(update_fields=["status", "published_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_RECOMMENDATION_PUBLISH,
        obj=recommendation,
        before={"status": before},
        after={"status": recommendation.status, "published_on": recommendation.published_on},
    )
    users = list(_seated_users())
    if users:
        tell_users(
            users,
            subject=gettext_noop("The program answered the council: %(title)s"),
            body=gettext_noop("The program's response to the recommendation “%(title)s” is published."),
            params={"title": recommendation.title},
            link=reverse("council:about"),
        )
    return recommendation


@transaction.atomic
def recommendation_withdraw(
    *, actor: Actor, recommendation: CouncilRecommendation, reason: str
) -> CouncilRecommendation:
    """The council withdrew a recommendation before the program answered it. Staff record it with the reason."""
    recommendation = _lock(CouncilRecommendation, recommendation.pk)
    _require_staff(actor)
    reason = _required(reason, gettext_noop("Give the reason the council withdrew it."), "reason")
    before = transition(
        recommendation, RecommendationStatus.WITHDRAWN, allowed=RECOMMENDATION_TRANSITIONS, noun=RECOMMENDATION
    )
    recommendation.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.COUNCIL_RECOMMENDATION_WITHDRAW,
        obj=recommendation,
        before={"status": before},
        after={"status": recommendation.status},
        reason=reason,
    )
    return recommendation
