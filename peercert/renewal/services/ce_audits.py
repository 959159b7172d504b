"""The CE audit a submitted renewal may be drawn for: the peer sends evidence, staff decide it."""

from django.db import transaction
from django.utils.translation import gettext_noop

from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.renewal import permissions
from peercert.renewal.audit import RenewalAuditAction
from peercert.renewal.models import (
    CE_AUDIT_TRANSITIONS,
    CEAudit,
    CEAuditEvidence,
    CEAuditStatus,
)
from peercert.renewal.services._common import (
    CE_AUDIT,
    _approve,
    _deny,
    _lock_renewal,
    _require_reviewer,
    fees_settled,
)

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


# ---- CE audit ---------------------------------------------------------------------------


def _lock_audit(audit: CEAudit) -> CEAudit:
    return CEAudit.objects.select_for_update().select_related("renewal__certification__person").get(pk=audit.pk)


@transaction.atomic
def ce_audit_evidence_add(*, actor: Actor, audit: CEAudit, upload) -> CEAuditEvidence:
    """The peer uploads proof of CE (PDF, JPEG or PNG, checked by content) while evidence is requested."""
    audit = _lock_audit(audit)
    if not permissions.owns_certification(actor, audit.renewal.certification):
        raise ApplicationError("Only the certified person may send evidence.", code="forbidden")
    if audit.status != CEAuditStatus.REQUESTED:
        raise ApplicationError("The evidence was already sent to staff.", code="state")
    kind = validate_upload(upload, max_bytes=MAX_EVIDENCE_BYTES, field="file")
    row = CEAuditEvidence.objects.create(
        audit=audit,
        file=upload,
        content_type=kind,
        original_name=getattr(upload, "name", "evidence")[:255],
        size=upload.size,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action=RenewalAuditAction.CE_AUDIT_EVIDENCE_ADD,
        obj=audit,
        after={"file": row.original_name, "kind": kind},
    )
    return row


@transaction.atomic
def ce_audit_submit(*, actor: Actor, audit: CEAudit) -> CEAudit:
    """The peer sends the uploaded evidence to staff. Precondition: at least one file."""
    audit = _lock_audit(audit)
    if not permissions.owns_certification(actor, audit.renewal.certification):
        raise ApplicationError("Only the certified person may send evidence.", code="forbidden")
    if not audit.evidence.exists():
        raise ApplicationError("Upload at least one certificate of completion first.", field="file")
    before = transition(audit, CEAuditStatus.SUBMITTED, allowed=CE_AUDIT_TRANSITIONS, noun=CE_AUDIT)
    audit.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=RenewalAuditAction.CE_AUDIT_SUBMIT,
        obj=audit,
        before={"status": before},
        after={"status": audit.status},
    )
    return audit


@transaction.atomic
def ce_audit_decide(*, actor: Actor, audit: CEAudit, accept: bool, notes: str = "") -> CEAudit:
    """Staff accept or reject the evidence. Rejected: the renewal is denied (a failed audit blocks renewal).
    Accepted: the renewal is approved at once when its fee is settled. Audited; the peer is told."""
    audit = _lock_audit(audit)
    renewal = _lock_renewal(audit.renewal)
    _require_reviewer(actor, renewal)
    if audit.status != CEAuditStatus.SUBMITTED:
        raise ApplicationError(
            "This audit is %(status)s; only evidence that was sent can be decided.",
            code="state",
            params={"status": audit.get_status_display().lower()},
        )
    notes = (notes or "").strip()
    if not accept and not notes:
        raise ApplicationError("Say what was missing; the peer will read it.", field="notes")
    before = transition(
        audit, CEAuditStatus.ACCEPTED if accept else CEAuditStatus.REJECTED, allowed=CE_AUDIT_TRANSITIONS, noun=CE_AUDIT
    )
    audit.decided_by, audit.decided_at, audit.notes = actor, clock.now(), notes
    audit.save(update_fields=["status", "decided_by", "decided_at", "notes", "updated_at"])
    audit_record(
        actor=actor,
        action=RenewalAuditAction.CE_AUDIT_DECIDE,
        obj=audit,
        before={"status": before},
        after={"status": audit.status},
        reason=notes,
    )
    if not accept:
        _deny(
            renewal,
            actor=actor,
            reason=f"The continuing-education audit was not passed: {notes}",
            body=gettext_noop("The continuing-education audit was not passed: %(notes)s"),
            params={"notes": notes},
        )
    elif fees_settled(renewal):
        _approve(renewal, actor=actor, reason="CE audit accepted.")
    return audit
