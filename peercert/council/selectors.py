"""Reads of the advisory council, scoped to who is asking.

The public sees seated members, announced meetings, published minutes and published
recommendations. Seated members and program staff also see planned meetings and minutes not yet
published. A record someone may not see is a 404, like one that does not exist.
"""

from django.db.models import Count, Q
from django.http import Http404

from peercert.core import clock
from peercert.council.models import (
    PUBLIC_MEETING_STATUSES,
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
from peercert.council.permissions import can_read_council_records, can_see_member_materials

# --- public ------------------------------------------------------------------------------


def open_call() -> CouncilCall | None:
    """The call taking applications today, if there is one."""
    today = clock.today()
    return (
        CouncilCall.objects.filter(status=CallStatus.OPEN, opens_on__lte=today, closes_on__gte=today)
        .order_by("closes_on")
        .first()
    )


def seated_members():
    return CouncilMember.objects.filter(status=MemberStatus.SEATED).select_related("county")


def membership_by_population() -> list[dict]:
    """Every population with how many seated members represent it, emptiest first, so gaps show."""
    counts = dict(seated_members().values_list("population").annotate(n=Count("id")))
    rows = [{"population": value, "label": label, "count": counts.get(value, 0)} for value, label in Population.choices]
    return sorted(rows, key=lambda r: r["count"])


def public_meetings():
    return CouncilMeeting.objects.filter(status__in=PUBLIC_MEETING_STATUSES)


def upcoming_public_meetings():
    return public_meetings().filter(meets_on__gte=clock.today()).order_by("meets_on", "starts_at")


def past_public_meetings():
    return public_meetings().filter(meets_on__lt=clock.today()).order_by("-meets_on")


def published_recommendations():
    return CouncilRecommendation.objects.filter(status=RecommendationStatus.PUBLISHED).select_related("meeting")


def access_meeting(actor, meeting_id: int) -> CouncilMeeting:
    """A meeting the actor may see: a public one for anyone, a planned one for members and staff."""
    meeting = CouncilMeeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    if meeting.status in PUBLIC_MEETING_STATUSES or can_see_member_materials(actor):
        return meeting
    raise Http404


def minutes_visible(actor, meeting: CouncilMeeting) -> bool:
    """Minutes are public once published; before that only members and staff read the draft."""
    if not meeting.has_minutes:
        return False
    return meeting.status == MeetingStatus.MINUTES_PUBLISHED or can_see_member_materials(actor)


def meeting_recommendations(actor, meeting: CouncilMeeting):
    qs = meeting.recommendations.all()
    if can_see_member_materials(actor):
        return qs.exclude(status=RecommendationStatus.WITHDRAWN)
    return qs.filter(status=RecommendationStatus.PUBLISHED)


# --- members -----------------------------------------------------------------------------


def member_meetings():
    """Everything on the members' page: meetings not cancelled, the next first."""
    return CouncilMeeting.objects.exclude(status=MeetingStatus.CANCELLED).order_by("-meets_on")


def pending_recommendations():
    return CouncilRecommendation.objects.filter(
        status__in=[RecommendationStatus.RECEIVED, RecommendationStatus.RESPONDED]
    ).select_related("meeting")


def seats_of(user):
    return CouncilMember.objects.filter(user_id=user.pk, status=MemberStatus.SEATED)


# --- program staff -------------------------------------------------------------------------


def _require_reader(actor) -> None:
    if not can_read_council_records(actor):
        raise Http404


def calls(actor):
    _require_reader(actor)
    return CouncilCall.objects.annotate(received=Count("applications"))


def applications(actor, *, status: str = "", call_id: int | None = None):
    _require_reader(actor)
    qs = CouncilApplication.objects.select_related("call", "county")
    if status:
        qs = qs.filter(status=status)
    if call_id:
        qs = qs.filter(call_id=call_id)
    return qs


def awaiting_review_count(actor) -> int:
    return applications(actor, status=ApplicationStatus.RECEIVED).count()


def members(actor, *, current: bool = True):
    _require_reader(actor)
    qs = CouncilMember.objects.select_related("county", "user")
    return qs.filter(status=MemberStatus.SEATED) if current else qs.filter(~Q(status=MemberStatus.SEATED))


def meetings(actor):
    _require_reader(actor)
    return CouncilMeeting.objects.annotate(present=Count("attendance", filter=Q(attendance__present=True)))


def recommendations(actor):
    _require_reader(actor)
    return CouncilRecommendation.objects.select_related("meeting")


def access_call(actor, call_id: int) -> CouncilCall:
    _require_reader(actor)
    call = CouncilCall.objects.filter(pk=call_id).first()
    if call is None:
        raise Http404
    return call


def access_application(actor, application_id: int) -> CouncilApplication:
    _require_reader(actor)
    application = CouncilApplication.objects.select_related("call", "county").filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def access_member(actor, member_id: int) -> CouncilMember:
    _require_reader(actor)
    member = CouncilMember.objects.select_related("county", "user", "application").filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member


def access_staff_meeting(actor, meeting_id: int) -> CouncilMeeting:
    _require_reader(actor)
    meeting = CouncilMeeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    return meeting


def access_recommendation(actor, recommendation_id: int) -> CouncilRecommendation:
    _require_reader(actor)
    recommendation = CouncilRecommendation.objects.select_related("meeting").filter(pk=recommendation_id).first()
    if recommendation is None:
        raise Http404
    return recommendation


def attendance_of(meeting: CouncilMeeting):
    return meeting.attendance.select_related("member")
