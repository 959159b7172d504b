"""oversight: the reports part's API routes: ask for a report run, and read a run's status and hash.

The same rules as the pages: DHCS any report; county users the billing report for their own county (a
county_id naming another is a 400 with the message); the program manager the certification report. A run
the caller may not see is a 404. The file itself is downloaded from the run's page (audited there)."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from pydantic import Field

from peercert.core.apitypes import RowId
from peercert.core.errors import ApplicationError
from peercert.oversight import permissions, selectors, services

router = Router()


class RunIn(Schema):
    # Optional here so that the permission is checked before the body (a refused caller learns nothing).
    report: Literal["certification", "billing", "annual", "evaluation"] | None = None
    period_kind: Literal["month", "quarter", "fiscal_year", "calendar_year"] | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    part: int | None = Field(default=None, ge=1, le=12)
    county_id: RowId | None = None
    format: Literal["csv", "xlsx", "pdf"] | None = None


class RunOut(Schema):
    id: int
    report: str
    period_kind: str
    period_start: datetime.date
    period_end: datetime.date
    county_id: int | None
    format: str
    status: str
    progress_done: int
    progress_total: int
    sha256: str
    size: int


def _out(run) -> dict:
    return {
        "id": run.pk,
        "report": run.report,
        "period_kind": run.period_kind,
        "period_start": run.period_start,
        "period_end": run.period_end,
        "county_id": run.county_id,
        "format": run.format,
        "status": run.status,
        "progress_done": run.progress_done,
        "progress_total": run.progress_total,
        "sha256": run.sha256,
        "size": run.size,
    }


@router.post(
    "/oversight/reports/runs", response={201: RunOut}, summary="Ask for a report run (built in the background)"
)
def report_run_create(request, payload: RunIn):
    if not permissions.can_use_reports(request.auth):
        raise PermissionDenied
    if None in (payload.report, payload.period_kind, payload.year, payload.format):
        raise ApplicationError("Send the report, period_kind, year and format (and part for a month or quarter).")
    run = services.report_run_request(
        actor=request.auth,
        report=payload.report,
        period_kind=payload.period_kind,
        year=payload.year,
        part=payload.part,
        county_id=payload.county_id,
        format=payload.format,
    )
    run.refresh_from_db()
    return 201, _out(run)


@router.get("/oversight/reports/runs/{run_id}", response=RunOut, summary="A report run's status, progress and hash")
def report_run_detail(request, run_id: RowId):
    if not permissions.can_use_reports(request.auth):
        raise PermissionDenied
    return _out(selectors.access_report_run(request.auth, run_id))
