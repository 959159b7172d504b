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
    # --- reviews ---
    pass
