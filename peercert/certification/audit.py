"""What the audit trail says certification did. Values are the action names already on record."""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class AuditAction(audit.AuditAction):
    APPLICATION_START = "application.start", _("Application started")
    APPLICATION_SAVE_STEP = "application.save_step", _("Application step saved")
    APPLICATION_DOCUMENT_ADD = "application.document_add", _("Document uploaded")
    APPLICATION_DOCUMENT_REMOVE = "application.document_remove", _("Document removed")
    APPLICATION_SUBMIT = "application.submit", _("Application submitted")
    APPLICATION_RESUBMIT = "application.resubmit", _("Application sent again with changes")
    APPLICATION_WITHDRAW = "application.withdraw", _("Application withdrawn")
    APPLICATION_ASSIGN = "application.assign", _("Application assigned")
    APPLICATION_REVIEW_START = "application.review_start", _("Review started")
    APPLICATION_REQUIREMENT_DECIDE = "application.requirement_decide", _("Requirement decided")
    APPLICATION_REQUEST_REVISION = "application.request_revision", _("Changes requested")
    APPLICATION_APPROVE = "application.approve", _("Application approved")
    APPLICATION_DENY = "application.deny", _("Application denied")
    APPLICATION_REOPEN = "application.reopen", _("Application reopened on appeal")
    APPLICATION_EXPIRE = "application.expire", _("Approval window ended")
    APPLICATION_ENTER_HISTORICAL = "application.enter_historical", _("Past application entered by staff")
    MILESTONE_RECORD = "milestone.record", _("Training or exam recorded")
    CERTIFICATION_ISSUE = "certification.issue", _("Certification issued")
    CERTIFICATION_TRANSFER = "certification.transfer", _("Certification transferred")
    CERTIFICATION_CHANGE_STATUS = "certification.change_status", _("Certification status changed")
    CERTIFICATION_SPECIALIZATION_ADD = "certification.specialization_add", _("Specialization added")
    TRAINING_CERTIFICATE_SUBMIT = "training_certificate.submit", _("Training certificate sent for review")
    TRAINING_CERTIFICATE_ACCEPT = "training_certificate.accept", _("Training certificate accepted")
    TRAINING_CERTIFICATE_REJECT = "training_certificate.reject", _("Training certificate not accepted")

    # --- for oversight reports ---
    DEMOGRAPHICS_SAVE = "demographics.save", _("Voluntary demographic answers saved")
