"""What the audit trail says the scholarship program did. Finance records the money moving itself
(scholarship.award, scholarship.apply, scholarship.draw, scholarship.release)."""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class AuditAction(audit.AuditAction):
    FUND_CREATE = "scholarship_fund.create", _("Scholarship fund created")
    NOMINATION_CREATE = "scholarship_nomination.create", _("Person nominated for a scholarship")
    NOMINATION_APPLY = "scholarship_nomination.apply", _("Nominee applied for the scholarship")
    NOMINATION_WITHDRAW = "scholarship_nomination.withdraw", _("Scholarship nomination withdrawn")
    APPLICATION_SUBMIT = "scholarship_application.submit", _("Scholarship application submitted")
    APPLICATION_AWARD = "scholarship_application.award", _("Scholarship application awarded")
    APPLICATION_DECLINE = "scholarship_application.decline", _("Scholarship application declined")
    APPLICATION_WITHDRAW = "scholarship_application.withdraw", _("Scholarship application withdrawn")
    AWARD_EXPIRE = "scholarship_award.expire", _("Scholarship award expired")
    AWARD_END = "scholarship_award.end", _("Scholarship award ended early")
    DISBURSEMENT_RECORD = "scholarship_disbursement.record", _("Scholarship tuition paid to a training entity")
