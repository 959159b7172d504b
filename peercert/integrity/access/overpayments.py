"""Access-matrix rows for integrity's overpayments part. Written out by hand, not imported from permissions.py.

County roles in the matrix are Los Angeles's; the sample overpayment is Los Angeles's, so a Fresno user
would get a 404 (tested in test_overpayments_pages.py)."""

from peercert.accounts.roles import Role

BILLING = {Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR}
SIGNER = {Role.COUNTY_AUTHORIZED_SIGNER}
READERS = BILLING | SIGNER | {Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}


def _op(w):
    return {"overpayment_id": w["overpayment"].pk}


ACCESS: dict = {
    "integrity:overpayments": {"allow": READERS},
    "integrity:overpayment_detail": {"allow": READERS, "kwargs": _op},
    "integrity:overpayment_voids": {"allow": BILLING, "kwargs": _op},
    "integrity:overpayment_prepare": {"allow": BILLING, "kwargs": _op},
    "integrity:overpayment_sign": {"allow": SIGNER, "kwargs": _op},
    "integrity:overpayment_return": {"allow": BILLING, "kwargs": _op},
    "integrity:overpayment_report_csv": {"allow": READERS, "kwargs": _op},
    "integrity:overpayment_report_pdf": {"allow": READERS, "kwargs": _op},
    "GET /api/v1/billing/overpayments": {"allow": READERS},
}


def build_world(w) -> dict:
    """An open Los Angeles overpayment of one paid line, identified today."""
    import datetime
    from decimal import Decimal

    from peercert.billing.tests.factories import billed_batch
    from peercert.core import clock
    from peercert.integrity.models import FactKind, Overpayment, OverpaymentLine

    batch = billed_batch(lines=1, held=0)
    line = batch.lines.get()
    line.remittance_status, line.paid_amount, line.payer_claim_control_number = "paid", Decimal("41.25"), "MATRIXOP1"
    line.save(update_fields=["remittance_status", "paid_amount", "payer_claim_control_number"])
    today = clock.today()
    overpayment = Overpayment.objects.create(
        county_id=batch.county_id, identified_on=today, due_on=today + datetime.timedelta(days=60)
    )
    OverpaymentLine.objects.create(
        overpayment=overpayment,
        line=line,
        county_id=line.county_id,
        service_date=line.service_date,
        code=line.code,
        delivery_system=line.delivery_system,
        amount=line.paid_amount,
        payer_claim_control_number=line.payer_claim_control_number,
        reason_code="certification_not_active",
        fact_kind=FactKind.CERTIFICATION_STATUS,
        fact_reference="certification status change 1",
        fact_effective_on=today - datetime.timedelta(days=30),
        identified_on=today,
    )
    return {"overpayment": overpayment}
