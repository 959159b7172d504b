"""What the audit trail says finance did. Values are the action names already on record."""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class AuditAction(audit.AuditAction):
    INVOICE_CREATE = "invoice.create", _("Fee charged")
    INVOICE_WAIVE = "invoice.waive", _("Fee waived")
    INVOICE_CANCEL = "invoice.cancel", _("Invoice cancelled")
    PAYMENT_RECORD = "payment.record", _("Payment recorded")
    SCHOLARSHIP_AWARD = "scholarship.award", _("Scholarship awarded")
    SCHOLARSHIP_APPLY = "scholarship.apply", _("Scholarship applied")
    SCHOLARSHIP_DRAW = "scholarship.draw", _("Scholarship money paid out")
    SCHOLARSHIP_RELEASE = "scholarship.release", _("Scholarship money released to its fund")
