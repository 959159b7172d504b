"""Public registry API: no sign-in, public fields only."""

import datetime
import zoneinfo
from typing import Annotated

from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import BaseModel, Field

from peercert.core.apitypes import RowId, text
from peercert.registry import bulk, selectors
from peercert.registry.ratelimit import bulk_request_allowed

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
# Before this, "since" means everything; a date this early cannot overflow when converted to UTC.
EARLIEST = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

router = Router(tags=["registry"])


class SpecializationOut(Schema):
    code: str
    label: str


class DisciplinaryActionOut(Schema):
    action: str
    effective_on: datetime.date | None = None
    summary: str = ""


class CertificationOut(Schema):
    number: str
    name: str
    status: str
    status_label: str
    issued_on: datetime.date
    expires_on: datetime.date
    specializations: list[SpecializationOut]
    county: str | None
    program: str


class CertificationDetailOut(CertificationOut):
    disciplinary_actions: list[DisciplinaryActionOut]


class PageOut(Schema):
    results: list[CertificationOut]
    count: int = Field(description="How many certifications match, on every page")
    page: int
    page_size: int
    has_next: bool
    has_previous: bool


class ProblemOut(Schema):
    detail: str


class SearchIn(Schema):
    name: text(100) = ""
    number: text(30) = Field(
        "", description="As people type it: 193, pss000193, PSS-000193 and pss 193 all find PSS-000193"
    )
    status: text(20) = ""
    specialization: text(40) = ""
    county: RowId | None = None
    updated_since: text(40) = Field(
        "",
        description="ISO 8601 date and time (2026-11-30T08:00:00-08:00, or Z for UTC; without an offset "
        "it is Pacific time): only certifications whose public record changed after it",
    )
    page: Annotated[int, Field(ge=1, le=selectors.MAX_PAGE)] = 1
    page_size: Annotated[int, Field(ge=1, le=selectors.MAX_PAGE_SIZE)] = selectors.PAGE_SIZE


def parse_updated_since(value: str) -> datetime.datetime | None:
    """The moment updated_since names, aware; None when empty. HttpError 422 with a plain message otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    # A "+" left unencoded in a query string arrives as a space: 2026-11-30T08:00:00 08:00.
    if "T" in value or "t" in value:
        value = value.replace(" ", "+")
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.year >= 9999:
        raise HttpError(
            422,
            gettext(
                "updated_since must be an ISO 8601 date and time, such as 2026-11-30T08:00:00-08:00 or "
                "2026-11-30T16:00:00Z (without an offset it is read as Pacific time). In a URL, encode the + of an offset, or use Z."
            ),
        )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PACIFIC)
    if moment.year < EARLIEST.year:
        return EARLIEST
    return moment


@router.get(
    "/certifications",
    response={200: PageOut, 422: ProblemOut},
    auth=None,
    summary="Search the public registry of certified peers, or sync the changes since a moment",
)
def certification_search(request, filters: Query[SearchIn]):
    return selectors.registry_search(
        name=filters.name[:100],
        number=filters.number[:30],
        status=filters.status[:20],
        specialization=filters.specialization[:40],
        county_id=filters.county,
        updated_since=parse_updated_since(filters.updated_since),
        page=filters.page,
        page_size=filters.page_size,
        with_count=True,
    )


@router.get(
    "/certifications/{number}",
    response=CertificationDetailOut,
    auth=None,
    summary="Verify one certification by its number",
)
def certification_verify(request, number: text(40)):
    record = selectors.registry_record(number)
    if record is None:
        raise Http404
    return record


class BulkItemIn(BaseModel):
    number: text(200)
    name: text(bulk.MAX_NAME_LENGTH) = ""


class BulkIn(BaseModel):
    items: list[BulkItemIn] = Field(..., min_length=1, max_length=bulk.MAX_ITEMS)


# Plain pydantic models, not ninja Schemas (here and for BulkIn): a Schema reads each of 5,000
# items through Django's attribute getter (made for ORM objects), which took longer than answering them.
class BulkSpecializationOut(BaseModel):
    code: str
    label: str


class BulkActionOut(BaseModel):
    action: str
    effective_on: datetime.date | None = None
    summary: str = ""


class BulkResultOut(BaseModel):
    line: int = Field(description="The item's place in the request, from 1 (the CSV upload: its line)")
    number: str = Field(description="The number as sent")
    found: bool
    current_number: str | None
    name: str | None
    status: str | None
    status_label: str | None
    issued_on: datetime.date | None
    expires_on: datetime.date | None
    specializations: list[BulkSpecializationOut]
    disciplinary_actions: list[BulkActionOut]
    name_given: str | None
    name_matches: bool | None = Field(description="Whether the name sent is the holder's (accents and case ignored)")
    problem: str | None = Field(description="malformed, duplicate or not_found; null when answered")
    message: str | None


class BulkOut(BaseModel):
    count: int
    found: int
    problems: int
    results: list[BulkResultOut]


class RateLimitedOut(Schema):
    detail: str
    retry_after: int


def rate_limited_response(verdict) -> JsonResponse:
    response = JsonResponse(
        {
            "detail": gettext(
                "Too many bulk verifications from your address: the limit is %(limit)s an hour. "
                "Try again in %(minutes)s minutes, or send more numbers in each request (up to 5,000)."
            )
            % {"limit": verdict.limit, "minutes": max(1, round(verdict.retry_after / 60))},
            "retry_after": verdict.retry_after,
        },
        status=429,
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


@router.post(
    "/verify",
    response={200: BulkOut, 422: ProblemOut, 429: RateLimitedOut},
    auth=None,
    summary="Verify up to 5,000 certification numbers at once (optionally with the name each should carry)",
)
def bulk_verify(request, payload: BulkIn):
    verdict = bulk_request_allowed(request)
    if not verdict.allowed:
        return rate_limited_response(verdict)
    items = [bulk.Item(line=i, number=item.number, name=item.name) for i, item in enumerate(payload.items, start=1)]
    return bulk.verify_items(items)
