"""Reactions to events published by the apps below certification."""

from peercert.certification import fees


def on_invoice_settled(sender, invoice, **kwargs):
    if invoice.reference_type != fees.APPLICATION_REFERENCE or invoice.fee_code != fees.FEE_APPLICATION:
        return
    from peercert.certification import services
    from peercert.certification.models import Application

    application = Application.objects.filter(pk=invoice.reference_id).first()
    if application is not None:
        services.application_fee_received(application=application)
