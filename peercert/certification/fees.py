"""Fees for certification, charged through finance (the only module here that calls it).

Invoices point back at the application with reference_type APPLICATION_REFERENCE and the
application's id.
"""

from peercert.certification.models import Application, Pathway
from peercert.core.types import Actor
from peercert.finance import selectors as finance_selectors
from peercert.finance import services as finance_services

APPLICATION_REFERENCE = "certification.application"
FEE_APPLICATION = "fee_application"
FEE_EXAM = "fee_exam"


def charge_application_fee(*, actor: Actor, application: Application):
    """Invoice the application fee (no scholarships for out-of-state reciprocity)."""
    return finance_services.invoice_create(
        actor=actor,
        payer=application.person,
        fee_code=FEE_APPLICATION,
        reference_type=APPLICATION_REFERENCE,
        reference_id=application.pk,
        description=f"Certification application {application.pk}",
        scholarship_eligible=application.pathway != Pathway.RECIPROCITY_OUT_OF_STATE,
    )


def charge_exam_fee(*, actor: Actor, application: Application):
    return finance_services.invoice_create(
        actor=actor,
        payer=application.person,
        fee_code=FEE_EXAM,
        reference_type=APPLICATION_REFERENCE,
        reference_id=application.pk,
        description=f"Certification exam (application {application.pk})",
        scholarship_eligible=application.pathway != Pathway.RECIPROCITY_OUT_OF_STATE,
    )


def application_invoice(application: Application):
    return finance_selectors.invoice_for(
        reference_type=APPLICATION_REFERENCE, reference_id=application.pk, fee_code=FEE_APPLICATION
    )


def application_fee_settled(application: Application) -> bool:
    """Staff-entered historical records carry no invoice and count as settled."""
    if application.entered_by_staff:
        return True
    invoice = application_invoice(application)
    return invoice is not None and finance_selectors.is_settled(invoice)


def cancel_open_application_fee(application: Application) -> None:
    """A withdrawn application's unpaid fee should not stand (paid fees are non-refundable and stay)."""
    invoice = application_invoice(application)
    if invoice is not None and invoice.status == "open" and invoice.amount_paid == 0:
        finance_services.invoice_cancel(actor=None, invoice=invoice, reason="Application withdrawn")


def exam_invoice(application: Application):
    return finance_selectors.invoice_for(
        reference_type=APPLICATION_REFERENCE, reference_id=application.pk, fee_code=FEE_EXAM
    )


def exam_fee_settled(application: Application) -> bool:
    invoice = exam_invoice(application)
    return invoice is not None and finance_selectors.is_settled(invoice)
