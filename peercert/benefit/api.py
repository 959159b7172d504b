"""The benefit's API: credential status of employed peers, for county EHRs.

County staff and county billing users (a personal token or the browser session) read their own
county's employments, each with the peer's current certification status, expiry, hire and
supervision facts, so an EHR syncing nightly (`updated_since`) sees every status change. Another
county's employment is a 404; other roles are refused (403).
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Router, Schema
from pydantic import AfterValidator, Field, StringConstraints

from peercert.benefit import selectors
from peercert.benefit.permissions import can_use_employment_api
from peercert.core import clock
from peercert.core.apitypes import NO_NUL, Offset, RowId
from peercert.training.selectors import supervisor_trained_person_ids

router = Router(tags=["benefit"])

MAX_PAGE = 200


def _moment(value: str) -> datetime.datetime | None:
    """An ISO 8601 date and time (a naive one is UTC); a date alone is its midnight UTC."""
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError("updated_since must be an ISO 8601 date and time, such as 2026-03-01T00:00:00Z")
        moment = datetime.datetime.combine(day, datetime.time())
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)


# A string in the schema (bounded, as every parameter is), a timezone-aware datetime in the view.
Moment = Annotated[str, StringConstraints(max_length=40, pattern=NO_NUL), AfterValidator(_moment)]


class ProviderOut(Schema):
    id: int
    name: str
    npi: str


class SupervisorOut(Schema):
    name: str
    since: datetime.date
    trained: bool
    training_due_on: datetime.date
    training_overdue: bool


class DirectingProfessionalOut(Schema):
    name: str
    credential_kind: str
    license_type: str
    license_number: str
    issuing_board: str
    since: datetime.date


class CertificationOut(Schema):
    number: str | None
    status: str | None
    expires_on: datetime.date | None
    status_changed_on: datetime.date | None


class EmploymentOut(Schema):
    id: int
    person_name: str
    certification: CertificationOut
    provider: ProviderOut
    county_code: str
    position_title: str
    delivery_systems: list[str]
    fte: Decimal
    start_on: datetime.date
    end_on: datetime.date | None
    status: str
    hired_on: datetime.date | None
    individual_npi: str
    supervisors: list[SupervisorOut]
    directing_professional: DirectingProfessionalOut | None
    updated_at: datetime.datetime


class EmploymentPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[EmploymentOut]


def _out(e, trained_ids: set[int], today: datetime.date) -> dict:
    directing = e.current_directing[0] if e.current_directing else None
    return {
        "id": e.pk,
        "person_name": e.person.full_name,
        "certification": {
            "number": e.cert_number,
            "status": e.cert_status,
            "expires_on": e.cert_expires_on,
            "status_changed_on": e.cert_status_changed_on,
        },
        "provider": {"id": e.provider_id, "name": e.provider.name, "npi": e.provider.npi},
        "county_code": e.county.code,
        "position_title": e.position_title,
        "delivery_systems": list(e.delivery_systems),
        "fte": e.fte,
        "start_on": e.start_on,
        "end_on": e.end_on,
        "status": e.status,
        "hired_on": e.hired_on,
        "individual_npi": e.individual_npi,
        "supervisors": [
            {
                "name": a.supervisor.full_name,
                "since": a.start_on,
                "trained": a.supervisor_id in trained_ids,
                "training_due_on": a.training_due_on,
                "training_overdue": a.supervisor_id not in trained_ids and a.training_due_on < today,
            }
            for a in e.current_supervisors
        ],
        "directing_professional": {
            "name": directing.name,
            "credential_kind": directing.credential_kind,
            "license_type": directing.license_type,
            "license_number": directing.license_number,
            "issuing_board": directing.issuing_board,
            "since": directing.start_on,
        }
        if directing
        else None,
        "updated_at": e.synced_at,
    }


def _rows(employments) -> list[dict]:
    today = clock.today()
    employments = list(employments)
    supervisor_ids = {a.supervisor_id for e in employments for a in e.current_supervisors}
    trained = supervisor_trained_person_ids(supervisor_ids, today) if supervisor_ids else set()
    return [_out(e, trained, today) for e in employments]


def _ensure_allowed(request) -> None:
    if not can_use_employment_api(request.auth):
        raise PermissionDenied


@router.get(
    "/employments",
    response=EmploymentPage,
    summary="Your county's employments of peers with their credential status; filter by status and updated_since",
)
def employment_list(
    request,
    status: Literal["", "recorded", "hired", "ended"] = "",
    updated_since: Moment = "",
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 100,
    offset: Offset = 0,
):
    _ensure_allowed(request)
    qs = selectors.api_employments(actor=request.auth, status=status, updated_since=updated_since or None)
    return {"count": qs.count(), "limit": limit, "offset": offset, "results": _rows(qs[offset : offset + limit])}


@router.get("/employments/{employment_id}", response=EmploymentOut, summary="One of your county's employments")
def employment_detail(request, employment_id: RowId):
    _ensure_allowed(request)
    return _rows([selectors.access_api_employment(request.auth, employment_id)])[0]
