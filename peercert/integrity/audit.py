"""What the audit trail says integrity did (each part adds its actions under its own comment)."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from peercert.core import audit


class AuditAction(audit.AuditAction):
    # --- utilization ---
    # --- overpayments ---
    OVERPAYMENT_FIND = "overpayment.find", _("Overpaid lines found after a fact changed")
    OVERPAYMENT_VOID = "overpayment.void", _("Overpayment's void claims built")
    OVERPAYMENT_PREPARE = "overpayment.prepare", _("Overpayment report prepared")
    OVERPAYMENT_SIGN = "overpayment.sign", _("Overpayment report signed by the authorized signer")
    OVERPAYMENT_RETURN = "overpayment.return", _("Overpayment returned to the state")
    OVERPAYMENT_ESCALATE = "overpayment.escalate", _("Overpayment escalated before its due date")
    # --- reviews ---
    pass
