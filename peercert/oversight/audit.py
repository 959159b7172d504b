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
    REPORT_RUN_REQUEST = "report_run.request", _("Report run requested")
    REPORT_RUN_FINISH = "report_run.finish", _("Report run finished")
    REPORT_RUN_FAIL = "report_run.fail", _("Report run failed")
    REPORT_RUN_DOWNLOAD = "report_run.download", _("Report file downloaded")
    COUNTY_MEMBERS_SET = "county_members.set", _("Medi-Cal members per county recorded")
    # --- dashboards ---
    pass
