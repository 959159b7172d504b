"""What the audit trail says technical assistance did. Values are the action names already on
record (written while this lived in discipline), so older events read the same."""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class AssistanceAuditAction(audit.AuditAction):
    ASSISTANCE_ASK = "assistance.ask", _("Question asked")
    ASSISTANCE_ASSIGN = "assistance.assign", _("Question assigned")
    ASSISTANCE_REPLY = "assistance.reply", _("Question answered")
    ASSISTANCE_FOLLOW_UP = "assistance.follow_up", _("Question followed up by the asker")
    ASSISTANCE_CLOSE = "assistance.close", _("Question closed")
    SAVED_ANSWER_SAVE = "saved_answer.save", _("Saved answer saved")
    FAQ_SAVE = "faq.save", _("FAQ entry saved")
