"""oversight: the dashboards part's API routes: the public open-data dashboard, no sign-in.

Every table is the one the page shows, already suppressed (a count from 1 to 10, or anything it could
be worked out from, is null with "suppressed": true). Cached until a certification changes."""

from typing import Literal

from django.http import HttpResponse
from ninja import Router, Schema

from peercert.oversight import selectors

router = Router()


class CellOut(Schema):
    value: int | str | None
    suppressed: bool


class ColumnOut(Schema):
    key: str
    label: str
    kind: Literal["count", "total", "rate"]


class RowOut(Schema):
    key: str
    label: str
    values: list[CellOut]


class TotalOut(Schema):
    label: str
    values: list[CellOut]


class TableOut(Schema):
    key: str
    title: str
    row_header: str
    columns: list[ColumnOut]
    rows: list[RowOut]
    total: TotalOut | None


class PublicDashboardOut(Schema):
    as_of: str
    threshold: int
    tables: list[TableOut]


@router.get(
    "/dashboard/public",
    response=PublicDashboardOut,
    auth=None,
    summary="The public open-data dashboard: certified peers by county, language and specialization, exam "
    "results, certifications per month; small cells suppressed",
)
def public_dashboard(request):
    # The cached bytes are the schema's JSON already (a test checks them against PublicDashboardOut).
    return HttpResponse(selectors.public_dashboard_json(), content_type="application/json")
