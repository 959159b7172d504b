"""Demo data for fees, loaded by `manage.py seed_demo`. Idempotent."""

from decimal import Decimal

from peercert.accounts.models import Person
from peercert.finance.models import Scholarship
from peercert.finance.selectors import invoice_for
from peercert.finance.services import invoice_create, scholarship_award

DEMO_PEER_EMAIL = "peer@demo.peercert.example"
FUND = "Fondo de Becas Comunitarias del Valle Central"


def seed(out) -> None:
    person = Person.objects.filter(user__email=DEMO_PEER_EMAIL).first()
    if person is None:
        return
    if not Scholarship.objects.filter(person=person, fund_name=FUND).exists():
        scholarship_award(
            actor=None,
            person=person,
            fund_name=FUND,
            amount=Decimal("150.00"),
            fee_codes=[],
            note="Demo award: may pay any fee.",
        )
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
        out.write("finance: demo scholarship and renewal fee ready\n")
