"""Training's fees, charged through finance (one layer down).

Provider applications and renewals are invoiced with finance.services.invoice_create; finance
announces settlement with its invoice_settled signal, which apps.py connects to
on_invoice_settled below.
"""

from peercert.accounts.models import Person
from peercert.finance import selectors as finance_selectors
from peercert.finance import services as finance_services

REFERENCE_PROVIDER_APPLICATION = "training.provider_application"
FEE_APPLICATION = "fee_training_entity_application"
FEE_RENEWAL = "fee_training_entity_renewal"


def payer_for(actor) -> Person:
    """Who is invoiced for an organization's fee: the staff member who applies.

    Finance invoices a Person (so it shows under their "My fees" and they can pay it); an
    entity's staff sign-in may not have one yet, so one is made from the sign-in's name.
    """
    person = Person.objects.filter(user=actor).first()
    if person is not None:
        return person
    first, _, last = (actor.display_name or actor.email.split("@")[0]).partition(" ")
    return Person.objects.create(
        user=actor, legal_first_name=first or actor.email, legal_last_name=last or "-", email=actor.email
    )


def charge(*, actor, application, fee_code: str):
    """Invoice a provider fee (amount and rules version come from finance)."""
    label = "Training entity renewal" if fee_code == FEE_RENEWAL else "Training entity application"
    return finance_services.invoice_create(
        actor=actor,
        payer=payer_for(actor),
        fee_code=fee_code,
        reference_type=REFERENCE_PROVIDER_APPLICATION,
        reference_id=application.pk,
        description=f"{label}: {application}",
        # Scholarships are for peers; organizations pay their own fees (a waiver is still possible).
        scholarship_eligible=False,
    )


def invoice_for(application, fee_code: str):
    return finance_selectors.invoice_for(
        reference_type=REFERENCE_PROVIDER_APPLICATION, reference_id=application.pk, fee_code=fee_code
    )


def is_fee_settled(application, fee_code: str) -> bool:
    """Whether the fee is paid, waived or covered: the flag the signal set, or finance's own word."""
    if application.renewal_fee_settled if fee_code == FEE_RENEWAL else application.fee_settled:
        return True
    return finance_selectors.is_settled(invoice_for(application, fee_code))


def cancel_open_fees(application) -> None:
    """A withdrawn application owes nothing more; fees already paid stay paid (non-refundable)."""
    for fee_code in (FEE_APPLICATION, FEE_RENEWAL):
        invoice = invoice_for(application, fee_code)
        if invoice is not None and invoice.status == "open" and not invoice.amount_paid:
            finance_services.invoice_cancel(actor=None, invoice=invoice, reason="Application withdrawn")


def on_invoice_settled(sender, invoice, **kwargs) -> None:
    """finance.signals.invoice_settled receiver: mark the provider fee paid."""
    from peercert.training.models import ProviderApplication

    if invoice.reference_type != REFERENCE_PROVIDER_APPLICATION:
        return
    field = "renewal_fee_settled" if invoice.fee_code == FEE_RENEWAL else "fee_settled"
    ProviderApplication.objects.filter(pk=int(invoice.reference_id)).update(**{field: True})
