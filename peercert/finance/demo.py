"""Demo data for fees, loaded by `manage.py seed_demo`. Idempotent. Scholarship awards come from a fund
(the scholarships demo), never straight from finance."""

from peercert.accounts.models import Person
from peercert.finance.selectors import invoice_for
from peercert.finance.services import invoice_create

DEMO_PEER_EMAIL = "peer@demo.peercert.example"


def seed(out) -> None:
    person = Person.objects.filter(user__email=DEMO_PEER_EMAIL).first()
    if person is None:
        return
    # One fee the demo peer can pay with the test card, so "My fees" is not empty.
    if invoice_for(reference_type="finance.demo", reference_id="renewal-2026", fee_code="fee_renewal") is None:
        invoice_create(
            actor=None,
            payer=person,
            fee_code="fee_renewal",
            reference_type="finance.demo",
            reference_id="renewal-2026",
            description="Demo: certification renewal fee",
        )
    if out is not None and hasattr(out, "write"):
        out.write("finance: demo renewal fee ready (scholarships come from the funds of the scholarships demo)\n")
