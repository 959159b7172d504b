"""What the audit trail says oversight did (each part adds its actions under its own comment)."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from peercert.core import audit


class AuditAction(audit.AuditAction):
    # --- plan ---
    PLAN_SUBMIT = "plan.submit", _("Implementation plan version submitted")
    PLAN_APPROVE = "plan.approve", _("Implementation plan version approved")
    PLAN_RETURN = "plan.return", _("Implementation plan version returned with comments")
    PLAN_REJECT = "plan.reject", _("Implementation plan version rejected")
    PLAN_SUPERSEDE = "plan.supersede", _("Implementation plan version superseded")
    # --- reports ---
    # --- dashboards ---
    pass
