"""Billing's API: service batches in, the gate's answer and the clean 837P out."""

from ninja import Router

from peercert.core.apitypes import RowId

router = Router(tags=["billing"])


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
