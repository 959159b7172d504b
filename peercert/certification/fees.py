"""Fees for certification, charged through finance (the only module here that calls it).

Written to the finance contract in the helper brief: finance.services.invoice_create,
finance.selectors.invoice_for / is_settled. Invoices point back at the application with
reference_type APPLICATION_REFERENCE and the application's id.
"""

from peercert.certification.models import Application, Pathway

APPLICATION_REFERENCE = "certification.application"
FEE_APPLICATION = "fee_application"
FEE_EXAM = "fee_exam"


def _finance():
    from peercert.finance import selectors, services

    return services, selectors


def charge_application_fee(*, actor, application: Application):
    """Invoice the application fee (no scholarships for out-of-state reciprocity)."""
    services, _selectors = _finance()
    return services.invoice_create(
        actor=actor, payer=application.person, fee_code=FEE_APPLICATION, reference_type=APPLICATION_REFERENCE,
        reference_id=application.pk, description=f"Certification application {application.pk}",
        scholarship_eligible=application.pathway != Pathway.RECIPROCITY_OUT_OF_STATE,
    )


def charge_exam_fee(*, actor, application: Application):
    services, _selectors = _finance()
    return services.invoice_create(
        actor=actor, payer=application.person, fee_code=FEE_EXAM, reference_type=APPLICATION_REFERENCE,
        reference_id=application.pk, description=f"Certification exam (application {application.pk})",
        scholarship_eligible=application.pathway != Pathway.RECIPROCITY_OUT_OF_STATE,
    )


def application_invoice(application: Application):
    _services, selectors = _finance()
    return selectors.invoice_for(reference_type=APPLICATION_REFERENCE, reference_id=application.pk,
                                 fee_code=FEE_APPLICATION)


def application_fee_settled(application: Application) -> bool:
    """Staff-entered historical records carry no invoice and count as settled."""
    if application.entered_by_staff:
        return True
    _services, selectors = _finance()
    invoice = application_invoice(application)
    return invoice is not None and selectors.is_settled(invoice)
