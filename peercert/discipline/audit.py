"""What the audit trail says discipline did. Values are the action names already on record.

Technical assistance's actions (assistance.*, saved_answer.save, faq.save) are not here: they
move with technical assistance to peercert.assistance, which lists them itself.
"""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class DisciplineAuditAction(audit.AuditAction):
    COMPLAINT_FILE = "complaint.file", _("Complaint received")
    COMPLAINT_SCREEN_OUT = "complaint.screen_out", _("Complaint screened out")
    COMPLAINT_ACKNOWLEDGE = "complaint.acknowledge", _("Complaint acknowledged")
    COMPLAINT_ASSIGN = "complaint.assign", _("Investigator assigned")
    COMPLAINT_INVESTIGATE = "complaint.investigate", _("Investigation opened")
    COMPLAINT_EXTEND = "complaint.extend", _("Investigation deadline extended")
    COMPLAINT_DECIDE = "complaint.decide", _("Complaint decided")
    CASE_ENTRY_ADD = "case_entry.add", _("Added to the case file")
    ACTION_CREATE = "action.create", _("Disciplinary action ordered")
    ACTION_EXECUTE = "action.execute", _("Disciplinary action took effect")
    ACTION_COMPLETE = "action.complete", _("Corrective action completed")
    ACTION_ESCALATE = "action.escalate", _("Corrective action overdue, escalated")
    ACTION_END = "action.end", _("Suspension ended")
    ACTION_STAY = "action.stay", _("Disciplinary action paused by an appeal")
    ACTION_RESUME = "action.resume", _("Disciplinary action resumed after an appeal")
    ACTION_MODIFY = "action.modify", _("Disciplinary action modified on appeal")
    ACTION_OVERTURN = "action.overturn", _("Disciplinary action overturned on appeal")
    REQUIRED_CLASS_COMPLETE = "required_class.complete", _("Required class finished")
    APPEAL_FILE = "appeal.file", _("Appeal filed")
    APPEAL_DECIDE = "appeal.decide", _("Appeal decided")
    APPEAL_WITHDRAW = "appeal.withdraw", _("Appeal withdrawn")
