"""integrity: the overpayments part's API routes: GET /api/v1/billing/overpayments?status=

County billing staff and the county's authorized signer read their own county's overpayments; DHCS analysts
and approvers and the auditor read every county's. Each comes with its lines (date, code, units, claim
number, amount, reason, the fact that changed; never the beneficiary) and its clock. Paginated; a page of
at most MAX_PAGE overpayments, each listing at most MAX_LINES lines (line_count says how many it has)."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema
from pydantic import Field

from peercert.core.apitypes import Offset
from peercert.integrity import permissions, selectors
from peercert.integrity.models import OverpaymentLine

router = Router()

MAX_PAGE = 100
MAX_LINES = 500
StatusFilter = Literal["", "open", "voided", "reported", "returned", "unresolved", "overdue", "to_sign"]


class OverpaidLineOut(Schema):
    line_id: int
    service_date: datetime.date
    code: str
    delivery_system: str
    amount: str
    payer_claim_control_number: str
    reason_code: str
    fact_kind: str
    fact_reference: str
    fact_effective_on: datetime.date | None
    identified_on: datetime.date
    void_claim_file_id: int | None


class ClockOut(Schema):
    identified_on: datetime.date
    due_on: datetime.date
    days_left: int
    overdue: bool
    escalated_on: datetime.date | None


class OverpaymentOut(Schema):
    id: int
    county: str
    county_id: int
    status: str
    amount: str
    line_count: int
    reason_category: str
    clock: ClockOut
    signed_at: datetime.datetime | None
    returned_on: datetime.date | None
    lines: list[OverpaidLineOut]


class OverpaymentPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[OverpaymentOut]


@router.get(
    "/billing/overpayments",
    response=OverpaymentPage,
    summary="Overpayments (own county, or every county for DHCS), each with its lines and its 60-day clock",
)
def overpayment_list(
    request,
    status: Query[StatusFilter] = "",
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 20,
    offset: Offset = 0,
):
    user = request.auth
    if not permissions.can_read_overpayments(user):
        raise PermissionDenied
    qs = selectors.overpayment_list(user, status=status)
    page = list(qs[offset : offset + limit])
    # One bounded query per overpayment of the page (at most MAX_PAGE), never more than MAX_LINES rows each.
    by_op = {
        op.pk: list(OverpaymentLine.objects.filter(overpayment_id=op.pk).order_by("service_date", "id")[:MAX_LINES])
        for op in page
    }
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "results": [
            {
                "id": op.pk,
                "county": op.county.name,
                "county_id": op.county_id,
                "status": op.status,
                "amount": f"{op.total_amount:.2f}",
                "line_count": op.line_count,
                "reason_category": op.reason_category,
                "clock": {
                    "identified_on": op.identified_on,
                    "due_on": op.due_on,
                    "days_left": op.days_left,
                    "overdue": op.is_overdue,
                    "escalated_on": op.escalated_on,
                },
                "signed_at": op.signed_at,
                "returned_on": op.returned_on,
                "lines": [
                    {
                        "line_id": line.line_id,
                        "service_date": line.service_date,
                        "code": line.code,
                        "delivery_system": line.delivery_system,
                        "amount": str(line.amount),
                        "payer_claim_control_number": line.payer_claim_control_number,
                        "reason_code": line.reason_code,
                        "fact_kind": line.fact_kind,
                        "fact_reference": line.fact_reference,
                        "fact_effective_on": line.fact_effective_on,
                        "identified_on": line.identified_on,
                        "void_claim_file_id": line.void_claim_file_id,
                    }
                    for line in by_op[op.pk]
                ],
            }
            for op in page
        ],
    }
