"""Public registry API: no sign-in, public fields only."""

import datetime
from typing import Annotated

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from peercert.core.apitypes import RowId, text
from peercert.registry import selectors

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
    page: int
    page_size: int
    has_next: bool
    has_previous: bool


class SearchIn(Schema):
    name: text(100) = ""
    number: text(30) = ""
    status: text(20) = ""
    specialization: text(40) = ""
    county: RowId | None = None
    page: Annotated[int, Field(ge=1, le=selectors.MAX_PAGE)] = 1


@router.get("/certifications", response=PageOut, auth=None, summary="Search the public registry of certified peers")
def certification_search(request, filters: Query[SearchIn]):
    return selectors.registry_search(
        name=filters.name[:100],
        number=filters.number[:30],
        status=filters.status[:20],
        specialization=filters.specialization[:40],
        county_id=filters.county,
        page=filters.page,
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
