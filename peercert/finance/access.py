"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC, SIGNED_IN

# Written out by hand, not imported from permissions.py: the matrix checks the permissions, so it
# must not take its expectations from them.
STAFF = {Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR}
STAFF_OR_PAYER = STAFF | {Role.PEER}


def _invoice(w):
    return {"invoice_id": w["finance_invoice"].pk}


ACCESS: dict = {
    "finance:my_fees": {"allow": SIGNED_IN},
    "finance:fee_schedule": {"allow": PUBLIC},
    "finance:staff_invoices": {"allow": STAFF},
    "finance:invoice_detail": {"allow": STAFF_OR_PAYER, "kwargs": _invoice},
    "finance:invoice_receipt": {"allow": STAFF_OR_PAYER, "kwargs": _invoice},
    "finance:invoice_pay": {"allow": {Role.PEER}, "kwargs": _invoice},
    "finance:invoice_record_payment": {"allow": STAFF, "kwargs": _invoice},
    "finance:invoice_waive": {"allow": STAFF, "kwargs": _invoice},
    "finance:invoice_cancel": {"allow": STAFF, "kwargs": _invoice},
    "finance:invoice_scholarship": {"allow": STAFF_OR_PAYER, "kwargs": _invoice},
    "GET /api/v1/finance/invoices": {"allow": SIGNED_IN},
    "GET /api/v1/fees": {"allow": PUBLIC},
    "GET /api/v1/finance/invoices/{invoice_id}": {"allow": STAFF_OR_PAYER, "kwargs": _invoice},
}


def build_world(w) -> dict:
    """An open application-fee invoice owed by the matrix's peer."""
    from peercert.finance.services import invoice_create

    invoice = invoice_create(
        actor=None, payer=w["peer"].person, fee_code="fee_application", reference_type="matrix.sample", reference_id="1"
    )
    return {"finance_invoice": invoice}
