"""integrity: the reviews part's API. GET /api/v1/integrity/reviews lists the monitoring reviews the caller
may read (DHCS and the auditor every one; a county's or program's staff their own), with their plan items."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema
from pydantic import Field

from peercert.core.apitypes import Offset
from peercert.integrity import permissions, selectors
from peercert.integrity.models.reviews import ReviewStatus

router = Router()

MAX_PAGE = 200


class ItemOut(Schema):
    id: int
    description: str
    owner: str
    due_on: datetime.date
    status: str
    escalated_on: datetime.date | None
    responded_at: datetime.datetime | None


class ReviewOut(Schema):
    id: int
    title: str
    party: str
    county: str | None
    program: str | None
    scope: list[str]
    period_start: datetime.date
    period_end: datetime.date
    status: str
    seed: int
    records: int
    items: list[ItemOut]


class ReviewPage(Schema):
    count: int
    limit: int
    offset: int
    reviews: list[ReviewOut]


class ReviewFilters(Schema):
    status: Literal[tuple(ReviewStatus.values)] | None = None  # type: ignore[valid-type]
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: Offset = 0


@router.get(
    "/integrity/reviews", response=ReviewPage, summary="Monitoring reviews the caller may read, with their plans"
)
def review_list(request, filters: Query[ReviewFilters]):
    if not permissions.can_see_reviews(request.auth):
        raise PermissionDenied
    qs = selectors.review_list(request.auth, status=filters.status)
    count = qs.count()
    page = list(qs[filters.offset : filters.offset + filters.limit].prefetch_related("items__owner", "records"))
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "reviews": [
            {
                "id": r.pk,
                "title": r.title,
                "party": r.party,
                "county": r.county.name if r.county_id else None,
                "program": r.program.name if r.program_id else None,
                "scope": list(r.scope),
                "period_start": r.period_start,
                "period_end": r.period_end,
                "status": r.status,
                "seed": r.seed,
                "records": len(r.records.all()),
                "items": [
                    {
                        "id": i.pk,
                        "description": i.description,
                        "owner": i.owner.email,
                        "due_on": i.due_on,
                        "status": i.status,
                        "escalated_on": i.escalated_on,
                        "responded_at": i.responded_at,
                    }
                    for i in r.items.all()
                ],
            }
            for r in page
        ],
    }
