"""The council's public record as data: seated members, public meetings and published recommendations."""

import datetime

from django.urls import reverse
from ninja import Router, Schema

from peercert.council import selectors
from peercert.council.models import MeetingStatus

router = Router(tags=["council"])


class MemberOut(Schema):
    name: str
    seat: str
    population: str
    county: str | None
    term_starts_on: datetime.date
    term_ends_on: datetime.date


class MeetingOut(Schema):
    id: int
    title: str
    meets_on: datetime.date
    starts_at: datetime.time
    place: str
    link: str
    status: str
    agenda: str
    minutes: str | None
    minutes_pdf: str | None
    page: str


class RecommendationOut(Schema):
    title: str
    made_on: datetime.date
    recommendation: str
    response: str
    responded_on: datetime.date | None
    published_on: datetime.date | None


class CouncilOut(Schema):
    members: list[MemberOut]
    meetings: list[MeetingOut]
    recommendations: list[RecommendationOut]


def _meeting(m) -> dict:
    published = m.status == MeetingStatus.MINUTES_PUBLISHED
    return {
        "id": m.pk,
        "title": m.title,
        "meets_on": m.meets_on,
        "starts_at": m.starts_at,
        "place": m.place,
        "link": m.link,
        "status": m.status,
        "agenda": m.agenda,
        "minutes": m.minutes if published else None,
        "minutes_pdf": reverse("council:meeting_minutes_file", args=[m.pk]) if published and m.minutes_file else None,
        "page": reverse("council:meeting", args=[m.pk]),
    }


@router.get("", response=CouncilOut, auth=None, summary="The advisory council's public record")
def council(request):
    return {
        "members": [
            {
                "name": m.name,
                "seat": m.seat,
                "population": m.population,
                "county": m.county.name if m.county_id else None,
                "term_starts_on": m.term_starts_on,
                "term_ends_on": m.term_ends_on,
            }
            for m in selectors.seated_members()
        ],
        "meetings": [_meeting(m) for m in selectors.public_meetings().order_by("-meets_on")[:200]],
        "recommendations": [
            {
                "title": r.title,
                "made_on": r.made_on,
                "recommendation": r.body,
                "response": r.response,
                "responded_on": r.responded_on,
                "published_on": r.published_on,
            }
            for r in selectors.published_recommendations()
        ],
    }
