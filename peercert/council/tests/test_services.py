import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.core.errors import ApplicationError
from peercert.core.jobs import run_daily_jobs
from peercert.core.models import AuditEvent
from peercert.core.transitions import assert_map_covers, every_move
from peercert.council import services
from peercert.council.models import (
    APPLICATION_TRANSITIONS,
    CALL_TRANSITIONS,
    MEETING_TRANSITIONS,
    MEMBER_TRANSITIONS,
    RECOMMENDATION_TRANSITIONS,
    ApplicationStatus,
    CallStatus,
    CouncilApplication,
    CouncilCall,
    CouncilMeeting,
    CouncilMember,
    CouncilRecommendation,
    MeetingStatus,
    MemberStatus,
    Population,
    RecommendationStatus,
)
from peercert.council.tests.factories import (
    CouncilApplicationFactory,
    CouncilCallFactory,
    CouncilMeetingFactory,
    CouncilMemberFactory,
    CouncilRecommendationFactory,
    pdf,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC), tick=False):
        yield


def events(obj, action=None):
    qs = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


def _row(model, pk):
    return model.objects.filter(pk=pk).values().get()


def _assert_move(model, obj, target, allowed, move, action):
    """Allowed: the record reaches target with its audit event. Refused: a clear error, nothing saved or audited."""
    if allowed:
        move(obj)
        obj.refresh_from_db()
        assert obj.status == target
        assert events(obj, action).exists()
    else:
        before, audited = _row(model, obj.pk), events(obj).count()
        with pytest.raises(ApplicationError) as refused:
            move(obj)
        assert refused.value.message
        assert _row(model, obj.pk) == before
        assert events(obj).count() == audited


# --- every transition, allowed and refused -------------------------------------------------


@pytest.mark.parametrize(
    ("transitions", "choices"),
    [
        (CALL_TRANSITIONS, CallStatus),
        (APPLICATION_TRANSITIONS, ApplicationStatus),
        (MEMBER_TRANSITIONS, MemberStatus),
        (MEETING_TRANSITIONS, MeetingStatus),
        (RECOMMENDATION_TRANSITIONS, RecommendationStatus),
    ],
)
def test_the_maps_cover_every_state(transitions, choices):
    assert_map_covers(transitions, choices)


CALL_MOVES = {
    CallStatus.OPEN: (services.call_open, "council_call.open"),
    CallStatus.CLOSED: (services.call_close, "council_call.close"),
}


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(CALL_TRANSITIONS, CallStatus))
def test_every_call_move(source, target, allowed, staff):
    if target not in CALL_MOVES:
        assert not allowed  # no service makes a call a draft again
        return
    service, action = CALL_MOVES[target]
    call = CouncilCallFactory(status=source)
    _assert_move(CouncilCall, call, target, allowed, lambda c: service(actor=staff, call=c), action)


APPLICATION_MOVES = {
    ApplicationStatus.SELECTED: (
        lambda staff, a: services.application_select(
            actor=staff,
            application=a,
            seat="Community seat 9",
            population=Population.LATINO,
            term_starts_on=TODAY,
            term_ends_on=TODAY + datetime.timedelta(days=730),
        ),
        "council_application.select",
    ),
    ApplicationStatus.DECLINED: (
        lambda staff, a: services.application_decline(actor=staff, application=a, reason="Seats filled."),
        "council_application.decline",
    ),
}


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(APPLICATION_TRANSITIONS, ApplicationStatus))
def test_every_application_move(source, target, allowed, staff):
    if target not in APPLICATION_MOVES:
        assert not allowed  # an application is received only by being sent
        return
    service, action = APPLICATION_MOVES[target]
    application = CouncilApplicationFactory(status=source)
    _assert_move(CouncilApplication, application, target, allowed, lambda a: service(staff, a), action)


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(MEMBER_TRANSITIONS, MemberStatus))
def test_every_member_move(source, target, allowed, staff):
    if target != MemberStatus.ENDED:
        assert not allowed  # a member is seated only by selection
        return
    member = CouncilMemberFactory(status=source)
    _assert_move(
        CouncilMember,
        member,
        target,
        allowed,
        lambda m: services.member_end(actor=staff, member=m, reason="Moved out of state."),
        "council_member.end",
    )


MEETING_MOVES = {
    MeetingStatus.ANNOUNCED: (lambda s, m: services.meeting_announce(actor=s, meeting=m), "council_meeting.announce"),
    MeetingStatus.MINUTES_PUBLISHED: (
        lambda s, m: services.meeting_publish_minutes(actor=s, meeting=m),
        "council_meeting.publish_minutes",
    ),
    MeetingStatus.CANCELLED: (
        lambda s, m: services.meeting_cancel(actor=s, meeting=m, reason="No quorum."),
        "council_meeting.cancel",
    ),
}


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(MEETING_TRANSITIONS, MeetingStatus))
def test_every_meeting_move(source, target, allowed, staff):
    if target not in MEETING_MOVES:
        assert not allowed  # a meeting is planned only by creating it
        return
    service, action = MEETING_MOVES[target]
    # A past meeting with minutes, so only the map decides.
    meeting = CouncilMeetingFactory(status=source, meets_on=TODAY - datetime.timedelta(days=1), minutes="Met.")
    _assert_move(CouncilMeeting, meeting, target, allowed, lambda m: service(staff, m), action)


RECOMMENDATION_MOVES = {
    RecommendationStatus.RESPONDED: (
        lambda s, r: services.recommendation_respond(actor=s, recommendation=r, response="We agree."),
        "council_recommendation.respond",
    ),
    RecommendationStatus.PUBLISHED: (
        lambda s, r: services.recommendation_publish(actor=s, recommendation=r),
        "council_recommendation.publish",
    ),
    RecommendationStatus.WITHDRAWN: (
        lambda s, r: services.recommendation_withdraw(actor=s, recommendation=r, reason="Superseded."),
        "council_recommendation.withdraw",
    ),
}


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(RECOMMENDATION_TRANSITIONS, RecommendationStatus))
def test_every_recommendation_move(source, target, allowed, staff):
    if target not in RECOMMENDATION_MOVES:
        assert not allowed  # a recommendation is received only by recording it
        return
    service, action = RECOMMENDATION_MOVES[target]
    recommendation = CouncilRecommendationFactory(
        status=source, response="A draft answer." if source != RecommendationStatus.RECEIVED else ""
    )
    _assert_move(CouncilRecommendation, recommendation, target, allowed, lambda r: service(staff, r), action)


# --- calls and applications ----------------------------------------------------------------


def test_a_call_is_written_opened_and_closed_with_its_audit(staff):
    call = services.call_create(
        actor=staff, title="2027 seats", description="Two seats.", opens_on=TODAY, closes_on=TODAY, seats=2
    )
    assert call.status == CallStatus.DRAFT and events(call, "council_call.create").exists()
    services.call_open(actor=staff, call=call)
    services.call_close(actor=staff, call=call)
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED


def test_a_call_must_close_after_it_opens_and_cannot_reopen_after_its_dates(staff):
    with pytest.raises(ApplicationError) as bad:
        services.call_create(
            actor=staff, title="x", description="y", opens_on=TODAY, closes_on=TODAY - datetime.timedelta(days=1)
        )
    assert bad.value.field == "closes_on"
    stale = CouncilCallFactory(status=CallStatus.CLOSED, closes_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ApplicationError, match="has passed"):
        services.call_open(actor=staff, call=stale)


def test_only_one_call_is_open_at_a_time(staff):
    CouncilCallFactory(status=CallStatus.OPEN, title="The open one")
    draft = CouncilCallFactory(status=CallStatus.DRAFT)
    with pytest.raises(ApplicationError, match="The open one"):
        services.call_open(actor=staff, call=draft)


def test_only_program_staff_run_the_council(peer, auditor):
    call = CouncilCallFactory(status=CallStatus.DRAFT)
    for who in (peer, auditor):
        with pytest.raises(ApplicationError) as refused:
            services.call_open(actor=who, call=call)
        assert refused.value.code == "forbidden"


def _apply(call, **overrides):
    from peercert.accounts.models import County

    data = {
        "name": "Rosa Chávez",
        "email": "rosa@example.org",
        "community": "Farmworker families",
        "population": Population.RURAL,
        "lived_experience": "I raised a son through a mental health crisis.",
        "county": County.objects.get(name="Fresno"),
        "language": "es",
        **overrides,
    }
    return services.application_submit(actor=None, call=call, **data)


def test_anyone_applies_to_an_open_call_and_gets_a_receipt_in_their_language(django_capture_on_commit_callbacks):
    call = CouncilCallFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application = _apply(call)
    assert application.status == ApplicationStatus.RECEIVED
    assert events(application, "council_application.submit").exists()
    assert mail.outbox[-1].to == ["rosa@example.org"]
    assert "Consejo" in mail.outbox[-1].subject  # written in Spanish, the language she chose


@pytest.mark.parametrize(
    "call_kwargs",
    [
        {"status": CallStatus.CLOSED},
        {"status": CallStatus.DRAFT},
        {"opens_on": TODAY + datetime.timedelta(days=1)},
        {"opens_on": TODAY - datetime.timedelta(days=9), "closes_on": TODAY - datetime.timedelta(days=1)},
    ],
)
def test_an_application_outside_an_open_call_is_refused(call_kwargs):
    call = CouncilCallFactory(**call_kwargs)
    with pytest.raises(ApplicationError, match="not taking applications"):
        _apply(call)
    assert not CouncilApplication.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("name", " "), ("community", ""), ("lived_experience", ""), ("population", "martians")]
)
def test_an_incomplete_application_names_the_missing_field(field, value):
    with pytest.raises(ApplicationError) as refused:
        _apply(CouncilCallFactory(), **{field: value})
    assert refused.value.field == field
    assert not CouncilApplication.objects.exists()


def test_selecting_seats_a_member_linked_to_their_sign_in(staff, peer, django_capture_on_commit_callbacks):
    application = CouncilApplicationFactory(email=peer.email.upper())
    with django_capture_on_commit_callbacks(execute=True):
        member = services.application_select(
            actor=staff,
            application=application,
            seat="Community seat 1",
            population=Population.LATINO,
            term_starts_on=TODAY,
            term_ends_on=TODAY + datetime.timedelta(days=730),
        )
    assert member.user == peer and member.status == MemberStatus.SEATED
    assert events(member, "council_member.seat").exists()
    assert events(application, "council_application.select").exists()
    assert mail.outbox[-1].to == [application.email]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (TODAY, TODAY, "term_ends_on"),
        (TODAY - datetime.timedelta(days=800), TODAY - datetime.timedelta(days=1), "term_ends_on"),
        (TODAY, TODAY + datetime.timedelta(days=5 * 366), "term_ends_on"),
    ],
)
def test_a_bad_term_is_refused_and_nothing_is_saved(staff, start, end, field):
    application = CouncilApplicationFactory()
    with pytest.raises(ApplicationError) as refused:
        services.application_select(
            actor=staff,
            application=application,
            seat="Seat",
            population=Population.YOUTH,
            term_starts_on=start,
            term_ends_on=end,
        )
    assert refused.value.field == field
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED and not CouncilMember.objects.exists()


def test_staff_do_not_decide_their_own_application(staff):
    application = CouncilApplicationFactory(email=staff.email)
    with pytest.raises(ApplicationError) as refused:
        services.application_decline(actor=staff, application=application, reason="No.")
    assert refused.value.code == "own_matter"


def test_declining_needs_a_reason_the_applicant_reads(staff, django_capture_on_commit_callbacks):
    application = CouncilApplicationFactory(language="en")
    with pytest.raises(ApplicationError):
        services.application_decline(actor=staff, application=application, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decline(
            actor=staff, application=application, reason="All seats for your region are filled."
        )
    assert "All seats for your region are filled." in mail.outbox[-1].body
    assert events(application, "council_application.decline").get().reason == "All seats for your region are filled."


# --- members and terms ---------------------------------------------------------------------


def test_the_daily_job_ends_terms_whose_last_day_has_passed():
    ending = CouncilMemberFactory(term_ends_on=TODAY - datetime.timedelta(days=1))
    last_day = CouncilMemberFactory(term_ends_on=TODAY)
    assert services.member_terms_end(today=TODAY) == 1
    assert services.member_terms_end(today=TODAY) == 0  # idempotent
    ending.refresh_from_db()
    last_day.refresh_from_db()
    assert ending.status == MemberStatus.ENDED and ending.ended_on == TODAY
    assert last_day.status == MemberStatus.SEATED
    assert events(ending, "council_member.end").count() == 1


def test_the_term_job_is_registered_with_the_daily_jobs():
    CouncilMemberFactory(term_ends_on=TODAY - datetime.timedelta(days=1))
    [run] = run_daily_jobs(today=TODAY, only=["council_terms_end"])
    assert run.counts == {"ended": 1}


def test_linking_a_sign_in_made_after_seating(staff, peer):
    member = CouncilMemberFactory(email="later@example.org")
    with pytest.raises(ApplicationError, match="later@example.org"):
        services.member_link_account(actor=staff, member=member)
    peer.email = "later@example.org"
    peer.save()
    services.member_link_account(actor=staff, member=member)
    member.refresh_from_db()
    assert member.user == peer and events(member, "council_member.link_account").exists()


# --- meetings ------------------------------------------------------------------------------


def test_minutes_cannot_be_published_before_the_meeting_date(staff):
    meeting = CouncilMeetingFactory(
        status=MeetingStatus.ANNOUNCED, meets_on=TODAY + datetime.timedelta(days=1), minutes="Drafted early."
    )
    with pytest.raises(ApplicationError) as refused:
        services.meeting_publish_minutes(actor=staff, meeting=meeting)
    assert "cannot be published before then" in refused.value.message
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ANNOUNCED and not events(meeting, "council_meeting.publish_minutes").exists()
    with time_machine.travel(datetime.datetime(2026, 12, 2, 18, 0, tzinfo=datetime.UTC), tick=False):
        services.meeting_publish_minutes(actor=staff, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_PUBLISHED and meeting.minutes_published_on == datetime.date(
        2026, 12, 2
    )


def test_minutes_must_exist_to_be_published(staff):
    meeting = CouncilMeetingFactory(status=MeetingStatus.ANNOUNCED, meets_on=TODAY, minutes="")
    with pytest.raises(ApplicationError, match="no minutes yet"):
        services.meeting_publish_minutes(actor=staff, meeting=meeting)


def test_a_meeting_needs_a_place_or_a_link(staff):
    with pytest.raises(ApplicationError) as refused:
        services.meeting_create(
            actor=staff,
            title="Meeting",
            meets_on=TODAY,
            starts_at=datetime.time(10),
            agenda="1. Hello",
            place="",
            link="",
        )
    assert refused.value.field == "place"
    assert not CouncilMeeting.objects.exists()


def test_a_meeting_link_must_be_a_web_address(staff):
    with pytest.raises(ApplicationError) as refused:
        services.meeting_create(
            actor=staff,
            title="Meeting",
            meets_on=TODAY,
            starts_at=datetime.time(10),
            agenda="1. Hello",
            link="javascript:alert(1)",
        )
    assert refused.value.field == "link"


def test_minutes_are_uploaded_as_a_real_pdf_only(staff):
    meeting = CouncilMeetingFactory()
    fake = SimpleUploadedFile("minutes.pdf", b"<html><body>not a pdf</body></html>", content_type="application/pdf")
    with pytest.raises(ApplicationError) as refused:
        services.meeting_edit(actor=staff, meeting=meeting, minutes_upload=fake)
    assert refused.value.field == "minutes_file"
    meeting.refresh_from_db()
    assert not meeting.minutes_file
    services.meeting_edit(actor=staff, meeting=meeting, minutes_upload=pdf(), minutes="Notes too.")
    meeting.refresh_from_db()
    assert meeting.minutes_file and meeting.minutes_file_kind == "pdf" and meeting.minutes == "Notes too."
    assert events(meeting, "council_meeting.edit").exists()


def test_a_published_meeting_record_no_longer_changes(staff):
    meeting = CouncilMeetingFactory(status=MeetingStatus.MINUTES_PUBLISHED, minutes="Final.")
    with pytest.raises(ApplicationError, match="can no longer change"):
        services.meeting_edit(actor=staff, meeting=meeting, minutes="Rewritten.")


def test_attendance_lists_every_member_seated_that_day(staff):
    meeting = CouncilMeetingFactory(meets_on=TODAY - datetime.timedelta(days=1), status=MeetingStatus.ANNOUNCED)
    came, stayed_home = CouncilMemberFactory(), CouncilMemberFactory()
    later = CouncilMemberFactory(term_starts_on=TODAY)
    with pytest.raises(ApplicationError, match="seated on the meeting day"):
        services.attendance_record(actor=staff, meeting=meeting, present_ids=[later.pk])
    assert services.attendance_record(actor=staff, meeting=meeting, present_ids=[came.pk]) == 1
    assert dict(meeting.attendance.values_list("member_id", "present")) == {came.pk: True, stayed_home.pk: False}
    assert events(meeting, "council_meeting.attendance").exists()


def test_attendance_waits_for_the_meeting_day(staff):
    meeting = CouncilMeetingFactory(meets_on=TODAY + datetime.timedelta(days=3))
    with pytest.raises(ApplicationError, match="on or after that day"):
        services.attendance_record(actor=staff, meeting=meeting, present_ids=[])


# --- recommendations -----------------------------------------------------------------------


def test_a_recommendation_is_answered_then_published(staff, member_user, django_capture_on_commit_callbacks):
    recommendation = services.recommendation_record(
        actor=staff, title="Exam languages", body="Translate the exam.", made_on=TODAY
    )
    with pytest.raises(ApplicationError, match="Write the program's response"):
        services.recommendation_publish(actor=staff, recommendation=recommendation)
    services.recommendation_respond(actor=staff, recommendation=recommendation, response="First draft.")
    services.recommendation_respond(actor=staff, recommendation=recommendation, response="We agree; Spanish first.")
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_publish(actor=staff, recommendation=recommendation)
    recommendation.refresh_from_db()
    assert (
        recommendation.status == RecommendationStatus.PUBLISHED
        and recommendation.response == "We agree; Spanish first."
    )
    assert recommendation.published_on == TODAY
    assert events(recommendation, "council_recommendation.respond").count() == 2
    assert member_user.notifications.filter(subject__contains="Exam languages").exists()


def test_a_recommendation_is_not_made_in_the_future(staff):
    with pytest.raises(ApplicationError) as refused:
        services.recommendation_record(actor=staff, title="t", body="b", made_on=TODAY + datetime.timedelta(days=1))
    assert refused.value.field == "made_on"


def test_a_staff_member_on_the_council_does_not_answer_it(staff):
    CouncilMemberFactory(user=staff, email=staff.email)
    recommendation = CouncilRecommendationFactory()
    with pytest.raises(ApplicationError) as refused:
        services.recommendation_respond(actor=staff, recommendation=recommendation, response="We agree.")
    assert refused.value.code == "own_matter"
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.RECEIVED
