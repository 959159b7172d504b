"""Reactions to events published by the apps below certification."""

from peercert.certification import fees


def on_invoice_settled(sender, invoice, **kwargs):
    if invoice.reference_type != fees.APPLICATION_REFERENCE:
        return
    from peercert.certification import services
    from peercert.certification.models import Application

    application = Application.objects.filter(pk=invoice.reference_id).first()
    if application is None:
        return
    if invoice.fee_code == fees.FEE_APPLICATION:
        services.application_fee_received(application=application)
    elif invoice.fee_code == fees.FEE_EXAM:
        services.exam_authorization_request(application=application)


def on_person_saved(sender, instance, **kwargs):
    """Keep the registry's name order in step when a person's name changes."""
    from peercert.certification.models import Certification
    from peercert.core import clock

    # The public record shows the name, so its change is a change of the record (registry and FHIR syncs).
    Certification.objects.filter(person=instance).exclude(sort_name=instance.search_name).update(
        sort_name=instance.search_name, updated_at=clock.now()
    )


def certification_numbers_to_people(numbers: set[str]) -> dict[str, int]:
    """For training rosters: {number: person_id} in one query (training.hooks)."""
    from peercert.certification.models import Certification

    return dict(Certification.objects.filter(number__in=numbers).values_list("number", "person_id"))


def certification_cycles(person) -> list[tuple]:
    """For the CE ledger: each certification's term, newest first (training.hooks)."""
    from peercert.certification.models import Certification

    return list(
        Certification.objects.filter(person=person).order_by("-issued_on").values_list("issued_on", "expires_on")
    )
