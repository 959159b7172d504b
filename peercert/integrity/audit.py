"""What the audit trail says integrity did (each part adds its actions under its own comment)."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from peercert.core import audit


class AuditAction(audit.AuditAction):
    # --- utilization ---
    UTILIZATION_RULE_ADD = "utilization_rule.add", _("Utilization rule added")
    UTILIZATION_RULE_END = "utilization_rule.end", _("Utilization rule ended")
    UTILIZATION_RULE_SUPERSEDE = "utilization_rule.supersede", _("Utilization rule superseded by a new version")
    UTILIZATION_REVIEW_OPEN = "utilization_review.open", _("Utilization review opened")
    UTILIZATION_REVIEW_CLOSE = "utilization_review.close", _("Utilization review closed")
    UTILIZATION_FINDING_RECORD = "utilization_finding.record", _("Utilization review finding recorded")
    # --- overpayments ---
    OVERPAYMENT_FIND = "overpayment.find", _("Overpaid lines found after a fact changed")
    OVERPAYMENT_VOID = "overpayment.void", _("Overpayment's void claims built")
    OVERPAYMENT_PREPARE = "overpayment.prepare", _("Overpayment report prepared")
    OVERPAYMENT_SIGN = "overpayment.sign", _("Overpayment report signed by the authorized signer")
    OVERPAYMENT_RETURN = "overpayment.return", _("Overpayment returned to the state")
    OVERPAYMENT_ESCALATE = "overpayment.escalate", _("Overpayment escalated before its due date")
    # --- reviews ---
    REVIEW_OPEN = "monitoring_review.open", _("Monitoring review opened")
    REVIEW_SAMPLE = "monitoring_review.sample", _("Monitoring review records sampled")
    REVIEW_FINDING = "monitoring_review.finding", _("Monitoring review finding recorded")
    REVIEW_ISSUE_PLAN = "monitoring_review.issue_plan", _("Corrective action plan issued")
    REVIEW_CLOSE = "monitoring_review.close", _("Monitoring review closed")
    REVIEW_CANCEL = "monitoring_review.cancel", _("Monitoring review cancelled")
    CAP_ITEM_ADD = "corrective_action.add", _("Corrective action item added")
    CAP_ITEM_OPEN = "corrective_action.open", _("Corrective action item sent to the reviewed party")
    CAP_ITEM_RESPOND = "corrective_action.respond", _("Corrective action response sent")
    CAP_ITEM_ACCEPT = "corrective_action.accept", _("Corrective action response accepted")
    CAP_ITEM_RETURN = "corrective_action.return", _("Corrective action response sent back")
    CAP_ITEM_ESCALATE = "corrective_action.escalate", _("Overdue corrective action escalated")
    REVIEW_EVIDENCE_ADD = "corrective_action_evidence.add", _("Corrective action evidence uploaded")
    pass
