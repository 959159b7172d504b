"""Billing's API: service batches in, the gate's answer and the clean 837P out.

County billing users (a personal token or the browser session) send a service file (the EHR's 837P,
a CSV or an XLSX) and read their own county's batches; another county's batch is a 404.
"""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from peercert.billing import permissions, selectors, services
from peercert.core.apitypes import Offset, RowId
from peercert.core.errors import ApplicationError

router = Router(tags=["billing"])

MAX_PAGE = 500


class BatchCreated(Schema):
    id: int
    status: str
    line_count: int


class LineOut(Schema):
    id: int
    position: int
    claim: str
    claim_line: int | None
    service_date: datetime.date
    code: str
    units: int
    status: str
    charge: str | None
    reasons: list[str]


class BatchOut(Schema):
    id: int
    status: str
    source: str
    line_count: int
    progress_done: int
    progress_total: int
    counts: dict
    limit: int
    offset: int
    lines: list[LineOut]


def _ensure_billing(request) -> int:
    counties = sorted(permissions.billing_county_ids(request.auth))
    if not counties:
        raise PermissionDenied
    return counties[0]


@router.post("/batches", response={201: BatchCreated}, summary="Send a service file (837P, CSV or XLSX); the gate runs")
def batch_create(
    request,
    file: File[UploadedFile] = None,
    delivery_system: Form[Literal["smhs", "dmc", "dmc_ods"]] = "smhs",
):
    county_id = _ensure_billing(request)
    if file is None:
        raise ApplicationError("Send the service file as the multipart field “file”.", field="file")
    if file.size is None or file.size > services.MAX_FILE_BYTES:
        raise ApplicationError(
            "The file is larger than %(limit)s MB. Split it into smaller files.",
            params={"limit": services.MAX_FILE_BYTES // 2**20},
            field="file",
        )
    batch = services.batch_import(
        actor=request.auth,
        county=county_id,
        content=file.read(services.MAX_FILE_BYTES + 1),
        filename=(file.name or "upload")[:255],
        delivery_system=delivery_system,
    )
    return 201, {"id": batch.pk, "status": batch.status, "line_count": batch.line_count}


@router.get("/batches/{batch_id}", response=BatchOut, summary="A batch's counts and each line's status and reasons")
def batch_detail(
    request,
    batch_id: RowId,
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 100,
    offset: Offset = 0,
):
    _ensure_billing(request)
    batch = selectors.access_batch(request.auth, batch_id)
    lines = selectors.batch_lines(batch)[offset : offset + limit]
    counts = batch.counts or {}
    return {
        "id": batch.pk,
        "status": batch.status,
        "source": batch.source,
        "line_count": batch.line_count,
        "progress_done": batch.progress_done,
        "progress_total": batch.progress_total,
        "counts": {"by_status": counts.get("by_status", {}), "by_reason": counts.get("by_reason", {})},
        "limit": limit,
        "offset": offset,
        "lines": [
            {
                "id": line.pk,
                "position": line.source_position,
                "claim": line.source_claim_id,
                "claim_line": line.source_line_number,
                "service_date": line.service_date,
                "code": line.code,
                "units": line.units,
                "status": line.status,
                "charge": str(line.charge) if line.charge is not None else None,
                "reasons": [hold.code for hold in line.holds.all()],
            }
            for line in lines
        ],
    }


# --- claims ---


@router.get(
    "/batches/{batch_id}/claims.x12",
    summary="The batch's 837P of its billable lines, validated by pyx12 (an attachment, application/edi-x12)",
    response={200: None},
)
def batch_claims_x12(request, batch_id: RowId):
    """The current original claim file of the batch: built now (by the county's billing staff) if the
    batch is checked and has none since its last gate run. Every download is audited."""
    from django.core.exceptions import PermissionDenied

    from peercert.billing import permissions, selectors, services
    from peercert.billing.models import BatchStatus
    from peercert.billing.views.claims import claim_file_response
    from peercert.core.errors import ApplicationError

    user = request.auth
    if not permissions.can_read_billing(user):
        raise PermissionDenied
    batch = selectors.access_claims_batch(user, batch_id)
    claim_file = selectors.current_claim_file(batch)
    if claim_file is None and batch.status == BatchStatus.SUBMITTED:
        claim_file = selectors.batch_claim_files(batch).filter(frequency="1").defer(None).first()
    if claim_file is None:
        if batch.status != BatchStatus.CHECKED or not permissions.can_work_county(user, batch.county_id):
            raise ApplicationError(
                "No claim file is built for this batch yet. Run the gate, then build its claims.", code="state"
            )
        try:
            claim_file = services.claim_file_build(actor=user, batch=batch)
        except services.ClaimFileInvalid as error:
            return router.api.create_response(
                request,
                {
                    "detail": "PeerCert built an 837P that pyx12 refused; nothing was stored.",
                    "code": "invalid_file",
                    "messages": error.messages,
                },  # fmt: skip
                status=422,
            )
    services.claim_file_download(actor=user, claim_file=claim_file)
    return claim_file_response(claim_file)
