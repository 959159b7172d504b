"""Training's fees, charged through finance (one layer down).

Provider applications and renewals are charged with finance.services.invoice_create; finance
tells us when an invoice is settled through its invoice_settled signal (see apps.py).
"""

from peercert.accounts.models import Person

REFERENCE_PROVIDER_APPLICATION = "training.provider_application"
FEE_APPLICATION = "fee_training_entity_application"
FEE_RENEWAL = "fee_training_entity_renewal"


def _finance():
    """finance's services and selectors, or None while finance is not installed in this build."""
    try:
        from peercert.finance import selectors, services
    except ImportError:
        return None
    if not hasattr(services, "invoice_create") or not hasattr(selectors, "invoice_for"):
        return None
    return services, selectors


def finance_available() -> bool:
    return _finance() is not None


def payer_for(actor) -> Person:
    """The person who pays for an organization's fee: the staff member who applies.

    Finance invoices a Person; an entity's staff sign-in may not have one yet, so one is made
    from the sign-in's name.
    """
    person = Person.objects.filter(user=actor).first()
    if person is not None:
        return person
    first, _, last = (actor.display_name or actor.email.split("@")[0]).partition(" ")
    return Person.objects.create(user=actor, legal_first_name=first or actor.email, legal_last_name=last or "-",
                                 email=actor.email)


def charge(*, actor, application, fee_code: str):
    """Invoice a provider fee. Returns the invoice, or None where finance is not installed."""
    fin = _finance()
    if fin is None:
        return None
    services, _selectors = fin
    label = "Training entity renewal" if fee_code == FEE_RENEWAL else "Training entity application"
    return services.invoice_create(
        actor=actor, payer=payer_for(actor), fee_code=fee_code, reference_type=REFERENCE_PROVIDER_APPLICATION,
        reference_id=str(application.pk), description=f"{label}: {application}", scholarship_eligible=False,
    )


def is_fee_settled(application, fee_code: str) -> bool:
    """Whether the fee for this application is paid, waived or covered.

    Without finance installed nothing can be charged, so nothing is owed.
    """
    flag = application.renewal_fee_settled if fee_code == FEE_RENEWAL else application.fee_settled
    if flag:
        return True
    fin = _finance()
    if fin is None:
        return True
    _services, selectors = fin
    invoice = selectors.invoice_for(reference_type=REFERENCE_PROVIDER_APPLICATION, reference_id=str(application.pk),
                                    fee_code=fee_code)
    return invoice is not None and selectors.is_settled(invoice)


def on_invoice_settled(sender, invoice, **kwargs) -> None:
    """finance.signals.invoice_settled receiver: mark the provider fee paid."""
    from peercert.training.models import ProviderApplication

    if getattr(invoice, "reference_type", "") != REFERENCE_PROVIDER_APPLICATION:
        return
    field = "renewal_fee_settled" if getattr(invoice, "fee_code", "") == FEE_RENEWAL else "fee_settled"
    ProviderApplication.objects.filter(pk=int(invoice.reference_id)).update(**{field: True})
