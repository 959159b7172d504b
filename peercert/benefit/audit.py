"""What the audit trail says benefit did."""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class AuditAction(audit.AuditAction):
    PROVIDER_CREATE = "provider.create", _("Provider added")
    PROVIDER_UPDATE = "provider.update", _("Provider changed")
    EMPLOYMENT_RECORD = "employment.record", _("Employment recorded")
    EMPLOYMENT_UPDATE = "employment.update", _("Employment changed")
    EMPLOYMENT_HIRE = "employment.hire", _("Peer formally hired")
    EMPLOYMENT_HIRE_CORRECT = "employment.hire_correct", _("Formal hire date corrected")
    EMPLOYMENT_END = "employment.end", _("Employment ended")
    DIRECTION_RECORD = "direction.record", _("Directing professional recorded")
    DIRECTION_END = "direction.end", _("Directing professional ended")
    SUPERVISION_POLICY_SET = "supervision_policy.set", _("County supervision policy set")
    SUPERVISION_CEILING_SET = "supervision_ceiling.set", _("Statewide supervision ceiling set")
    ASSIGNMENT_CREATE = "supervisor_assignment.create", _("Supervisor assigned")
    ASSIGNMENT_END = "supervisor_assignment.end", _("Supervisor assignment ended")
    RATE_PROPOSE = "rate.propose", _("Rate proposed")
    RATE_UPDATE = "rate.update", _("Rate changed")
    RATE_SUBMIT = "rate.submit", _("Rate submitted to DHCS")
    RATE_APPROVE = "rate.approve", _("Rate approved")
    RATE_RETURN = "rate.return", _("Rate returned with comments")
    RATE_REJECT = "rate.reject", _("Rate rejected")
    RATE_WITHDRAW = "rate.withdraw", _("Rate withdrawn")
    AUTHORITY_RECORD = "federal_authority.record", _("Federal authority recorded")
    AUTHORITY_END = "federal_authority.end", _("Federal authority end date set")
    ALERTS_RAISE = "workforce_alert.raise", _("Workforce alerts raised")
    ALERT_ACKNOWLEDGE = "workforce_alert.acknowledge", _("Workforce alert acknowledged")
    WEBHOOK_CREATE = "webhook.create", _("Webhook registered")
    WEBHOOK_PAUSE = "webhook.pause", _("Webhook paused")
    WEBHOOK_RESUME = "webhook.resume", _("Webhook resumed")
    WEBHOOK_RETIRE = "webhook.retire", _("Webhook removed")
    WEBHOOK_ROTATE_SECRET = "webhook.rotate_secret", _("Webhook secret replaced")
    DELIVERY_DELIVER = "webhook_delivery.deliver", _("Webhook event delivered")
    DELIVERY_FAIL = "webhook_delivery.fail", _("Webhook event given up")
    DELIVERY_RETRY = "webhook_delivery.retry", _("Webhook event sent again")
