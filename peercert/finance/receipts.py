"""A receipt for an invoice's payments, as PDF: in the payer's language, dates in Pacific time."""

import io

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas

from peercert.finance.models import Invoice
from peercert.finance.selectors import fee_label, invoice_payments, invoice_waiver

__all__ = ["FEE_NAMES", "receipt_filename", "render_receipt_pdf"]

# The fee's name as a payer reads it (RULE_SPEC's description is staff English).
FEE_NAMES = {
    "fee_application": gettext_lazy("Certification application fee"),
    "fee_exam": gettext_lazy("Certification exam fee"),
    "fee_exam_retake": gettext_lazy("Exam retake fee"),
    "fee_renewal": gettext_lazy("Certification renewal fee"),
    "fee_reinstatement": gettext_lazy("Reinstatement fee"),
    "fee_late": gettext_lazy("Late renewal fee"),
    "fee_training_entity_application": gettext_lazy("Training entity application fee"),
    "fee_training_entity_renewal": gettext_lazy("Training entity renewal fee"),
}


def _money(amount) -> str:
    return "$" + number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def _time(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def receipt_filename(invoice: Invoice) -> str:
    return f"receipt-{invoice.pk}.pdf"


def render_receipt_pdf(invoice: Invoice, *, language: str | None = None) -> bytes:
    """The receipt of every payment (and any waiver) on the invoice, in `language` (default the payer's)."""
    language = language or getattr(invoice.payer, "preferred_language", "") or "en"
    with translation.override(language), timezone.override("America/Los_Angeles"):
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=letter)
        pdf.setTitle(_("Receipt for invoice %(n)s") % {"n": invoice.pk})
        pdf.setAuthor("PeerCert")
        pdf.setSubject(_("Receipt"))
        width, height = letter
        y = height - inch
        pdf.setFont("Helvetica-Bold", 18)
        pdf.drawString(inch, y, _("Receipt"))
        y -= 0.4 * inch
        pdf.setFont("Helvetica", 11)
        name = str(FEE_NAMES.get(invoice.fee_code, fee_label(invoice.fee_code)))
        lines = [
            _("Invoice number: %(n)s") % {"n": invoice.pk},
            _("Paid by: %(name)s") % {"name": invoice.payer},
            _("For: %(fee)s") % {"fee": name},
            _("Amount: %(amount)s") % {"amount": _money(invoice.amount)},
            _("Paid: %(amount)s") % {"amount": _money(invoice.amount_paid)},
            _("Still to pay: %(amount)s") % {"amount": _money(invoice.balance_due)},
        ]
        if invoice.settled_at:
            lines.append(_("Settled on %(day)s") % {"day": _day(invoice.settled_at)})
        for line in lines:
            pdf.drawString(inch, y, line)
            y -= 0.25 * inch
        y -= 0.2 * inch
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(inch, y, _("Payments"))
        y -= 0.3 * inch
        pdf.setFont("Helvetica", 11)
        payments = list(invoice_payments(invoice))
        for payment in payments:
            text = _("%(when)s: %(amount)s by %(method)s") % {
                "when": _time(payment.created_at),
                "amount": _money(payment.amount),
                "method": payment.get_method_display(),
            }
            if payment.external_reference:
                text += " · " + _("reference %(r)s") % {"r": payment.external_reference}
            pdf.drawString(inch, y, text[:110])
            y -= 0.25 * inch
            if y < inch:
                pdf.showPage()
                pdf.setFont("Helvetica", 11)
                y = height - inch
        waiver = invoice_waiver(invoice)
        if waiver is not None:
            pdf.drawString(inch, y, _("Waived on %(day)s.") % {"day": _day(waiver.created_at)})
            y -= 0.25 * inch
        if not payments and waiver is None:
            pdf.drawString(inch, y, _("No payment has been received yet."))
            y -= 0.25 * inch
        y -= 0.3 * inch
        pdf.setFont("Helvetica-Oblique", 9)
        pdf.drawString(
            inch, y, _("Fees are not refundable. Times are Pacific time. Keep this receipt for your records.")
        )
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()
