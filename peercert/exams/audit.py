"""What the audit trail says the exam did. Values are the action names already on record."""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class ExamsAuditAction(audit.AuditAction):
    ITEM_CREATE = "item.create", _("Exam item written")
    ITEM_UPDATE = "item.update", _("Exam item edited")
    ITEM_NEW_VERSION = "item.new_version", _("New version of an exam item started")
    ITEM_SUBMIT = "item.submit", _("Exam item sent to program review")
    ITEM_REVIEW_PASS = "item.review_pass", _("Exam item sent to DHCS")
    ITEM_RETURN = "item.return", _("Exam item returned for changes")
    ITEM_APPROVE = "item.approve", _("Exam item approved")
    ITEM_RETIRE = "item.retire", _("Exam item retired")
    FORM_CREATE = "form.create", _("Exam form created")
    FORM_ASSEMBLE = "form.assemble", _("Exam form assembled")
    FORM_APPROVE = "form.approve", _("Exam form approved")
    FORM_PUBLISH = "form.publish", _("Exam form published")
    FORM_RETIRE = "form.retire", _("Exam form retired")
    FORM_ANALYSE = "form.analyse", _("Item analysis run")
    EXAM_AUTHORIZATION_GRANT = "exam_authorization.grant", _("Candidate authorized to test")
    EXAM_AUTHORIZATION_ATTEMPT_PAID = "exam_authorization.attempt_paid", _("Exam retake paid")
    SESSION_CREATE = "session.create", _("Exam session scheduled")
    SESSION_CANCEL = "session.cancel", _("Exam session cancelled")
    REGISTRATION_CREATE = "registration.create", _("Exam seat taken")
    REGISTRATION_CANCEL = "registration.cancel", _("Exam seat given up")
    REGISTRATION_RESCHEDULE = "registration.reschedule", _("Exam seat moved")
    REGISTRATION_CHECK_IN = "registration.check_in", _("Candidate checked in")
    INCIDENT_REPORT = "incident.report", _("Exam incident recorded")
    ACCOMMODATION_REQUEST = "accommodation.request", _("Accommodation requested")
    ACCOMMODATION_DECIDE = "accommodation.decide", _("Accommodation decided")
    ACCOMMODATION_WITHDRAW = "accommodation.withdraw", _("Accommodation request withdrawn")
    ATTEMPT_START = "attempt.start", _("Written part started")
    ANSWER_SAVE = "answer.save", _("Exam answer saved")
    ATTEMPT_SUBMIT = "attempt.submit", _("Written part handed in")
    ATTEMPT_VENDOR_IMPORT = "attempt.vendor_import", _("Vendor answers imported")
    ATTEMPT_SCORE = "attempt.score", _("Exam scored")
    PRACTICAL_SCORE = "practical.score", _("Practical task scored")
