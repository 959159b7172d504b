"""What the audit trail says the advisory council's records did."""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class AuditAction(audit.AuditAction):
    COUNCIL_CALL_CREATE = "council_call.create", _("Council call for members written")
    COUNCIL_CALL_OPEN = "council_call.open", _("Council call for members opened")
    COUNCIL_CALL_CLOSE = "council_call.close", _("Council call for members closed")
    COUNCIL_APPLICATION_SUBMIT = "council_application.submit", _("Council application received")
    COUNCIL_APPLICATION_SELECT = "council_application.select", _("Council applicant selected")
    COUNCIL_APPLICATION_DECLINE = "council_application.decline", _("Council applicant not selected")
    COUNCIL_MEMBER_SEAT = "council_member.seat", _("Council member seated")
    COUNCIL_MEMBER_LINK = "council_member.link_account", _("Council member's sign-in linked")
    COUNCIL_MEMBER_END = "council_member.end", _("Council member's term ended")
    COUNCIL_MEETING_CREATE = "council_meeting.create", _("Council meeting planned")
    COUNCIL_MEETING_EDIT = "council_meeting.edit", _("Council meeting materials changed")
    COUNCIL_MEETING_ANNOUNCE = "council_meeting.announce", _("Council meeting announced")
    COUNCIL_MEETING_PUBLISH_MINUTES = "council_meeting.publish_minutes", _("Council meeting minutes published")
    COUNCIL_MEETING_CANCEL = "council_meeting.cancel", _("Council meeting cancelled")
    COUNCIL_ATTENDANCE_RECORD = "council_meeting.attendance", _("Council meeting attendance recorded")
    COUNCIL_RECOMMENDATION_RECORD = "council_recommendation.record", _("Council recommendation recorded")
    COUNCIL_RECOMMENDATION_RESPOND = "council_recommendation.respond", _("Program response to a recommendation written")
    COUNCIL_RECOMMENDATION_PUBLISH = "council_recommendation.publish", _("Recommendation and response published")
    COUNCIL_RECOMMENDATION_WITHDRAW = "council_recommendation.withdraw", _("Recommendation withdrawn")
