"""What the audit trail says training did. Values are the action names already on record."""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class TrainingAuditAction(audit.AuditAction):
    PROVIDER_APPLICATION_SUBMIT = "provider_application.submit", _("Training entity applied")
    PROVIDER_APPLICATION_START_REVIEW = "provider_application.start_review", _("Training entity review started")
    PROVIDER_APPLICATION_APPROVE = "provider_application.approve", _("Training entity approved")
    PROVIDER_APPLICATION_RETURN = "provider_application.return", _("Training entity application returned")
    PROVIDER_APPLICATION_DENY = "provider_application.deny", _("Training entity denied")
    PROVIDER_APPLICATION_RESUBMIT = "provider_application.resubmit", _("Training entity application sent again")
    PROVIDER_APPLICATION_SUSPEND = "provider_application.suspend", _("Training entity suspended")
    PROVIDER_APPLICATION_LIFT_SUSPENSION = (
        "provider_application.lift_suspension",
        _("Training entity suspension lifted"),
    )
    PROVIDER_APPLICATION_WITHDRAW = "provider_application.withdraw", _("Training entity application withdrawn")
    PROVIDER_APPLICATION_REQUEST_RENEWAL = "provider_application.request_renewal", _("Training entity asked to renew")
    PROVIDER_APPLICATION_RENEW = "provider_application.renew", _("Training entity renewed")
    PROVIDER_APPLICATION_EXPIRE = "provider_application.expire", _("Training entity approval expired")
    CURRICULUM_CREATE = "curriculum.create", _("Curriculum created")
    CURRICULUM_MAP_COMPETENCIES = "curriculum.map_competencies", _("Curriculum competencies mapped")
    CURRICULUM_VERSION_CREATE = "curriculum_version.create", _("Curriculum version drafted")
    CURRICULUM_VERSION_UPDATE = "curriculum_version.update", _("Curriculum version changed")
    CURRICULUM_VERSION_SUBMIT = "curriculum_version.submit", _("Curriculum version sent to DHCS")
    CURRICULUM_VERSION_APPROVE = "curriculum_version.approve", _("Curriculum version approved")
    CURRICULUM_VERSION_RETURN = "curriculum_version.return", _("Curriculum version returned")
    CURRICULUM_VERSION_REJECT = "curriculum_version.reject", _("Curriculum version rejected")
    CURRICULUM_VERSION_SUPERSEDE = "curriculum_version.supersede", _("Curriculum version replaced")
    OFFERING_CREATE = "offering.create", _("Course scheduled")
    OFFERING_CANCEL = "offering.cancel", _("Course cancelled")
    OFFERING_CLOSE = "offering.close", _("Course finished")
    ENROLLMENT_CREATE = "enrollment.create", _("Enrolled in a course")
    ENROLLMENT_CANCEL = "enrollment.cancel", _("Enrollment cancelled")
    ENROLLMENT_PROMOTE = "enrollment.promote", _("Moved off the waitlist")
    ENROLLMENT_MARK_ATTENDANCE = "enrollment.mark_attendance", _("Attendance marked")
    COMPLETION_RECORD = "completion.record", _("Training completion recorded")
    ROSTER_COMMIT = "roster.commit", _("Roster saved")
    ACCOMMODATION_REQUEST_CREATE = "accommodation_request.create", _("Accommodation requested")
    ACCOMMODATION_REQUEST_DECIDE = "accommodation_request.decide", _("Accommodation decided")
    ACCOMMODATION_REQUEST_WITHDRAW = "accommodation_request.withdraw", _("Accommodation request withdrawn")
    CE_ACTIVITY_REPORT = "ce_activity.report", _("Continuing education reported")
    CE_ACTIVITY_ACCEPT = "ce_activity.accept", _("Continuing education accepted")
    CE_ACTIVITY_REJECT = "ce_activity.reject", _("Continuing education not accepted")
