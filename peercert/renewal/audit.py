"""What the audit trail says renewal did. Values are the action names already on record."""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class RenewalAuditAction(audit.AuditAction):
    RENEWAL_START = "renewal.start", _("Renewal started")
    RENEWAL_SIGN = "renewal.sign", _("Code of Ethics signed for renewal")
    RENEWAL_SUBMIT = "renewal.submit", _("Renewal sent")
    RENEWAL_APPROVE = "renewal.approve", _("Renewal approved")
    RENEWAL_DENY = "renewal.deny", _("Renewal denied")
    RENEWAL_WITHDRAW = "renewal.withdraw", _("Renewal withdrawn")
    RENEWAL_REOPEN = "renewal.reopen", _("Renewal reopened on appeal")
    CE_AUDIT_DRAW = "ce_audit.draw", _("Drawn for a CE audit")
    CE_AUDIT_EVIDENCE_ADD = "ce_audit.evidence_add", _("CE audit evidence added")
    CE_AUDIT_SUBMIT = "ce_audit.submit", _("CE audit evidence sent")
    CE_AUDIT_DECIDE = "ce_audit.decide", _("CE audit decided")
    NAME_CHANGE_REQUEST = "name_change.request", _("Name change requested")
    NAME_CHANGE_DECIDE = "name_change.decide", _("Name change decided")
    NAME_CHANGE_WITHDRAW = "name_change.withdraw", _("Name change withdrawn")
