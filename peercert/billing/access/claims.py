"""Access-matrix rows for claims out and remittance in (see peercert/core/access.py).

Written out by hand, not imported from permissions.py: the matrix checks the permissions, so it
must not take its expectations from them. County roles in the matrix are Los Angeles's; the sample
batch, claim file and remittance are Los Angeles's.
"""

from peercert.accounts.roles import Role

BILLING = {Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR}
READERS = BILLING | {Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}


def _batch(w):
    return {"batch_id": w["claims_batch"].pk}


def _file(w):
    return {"claim_file_id": w["claims_file"].pk}


def _line(w):
    return {"line_id": w["claims_paid_line"].pk}


def _remittance(w):
    return {"remittance_id": w["claims_remittance"].pk}


def _denial(w):
    return {"denial_id": w["claims_denial"].pk}


ACCESS: dict = {
    "billing:claims_batch": {"allow": READERS, "kwargs": _batch},
    "billing:claims_build": {"allow": BILLING, "kwargs": _batch},
    "billing:claims_submit": {"allow": BILLING, "kwargs": _batch},
    "billing:claims_download": {"allow": READERS, "kwargs": _file},
    "billing:claims_correct": {"allow": BILLING, "kwargs": _line},
    "billing:remittances": {"allow": READERS},
    "billing:remittance_upload": {"allow": BILLING},
    "billing:remittance_detail": {"allow": READERS, "kwargs": _remittance},
    "billing:denials": {"allow": READERS},
    "billing:denial_work": {"allow": BILLING, "kwargs": _denial},
    "GET /api/v1/billing/batches/{batch_id}/claims.x12": {"allow": READERS, "kwargs": _batch},
}


def build_world(w) -> dict:
    """A checked Los Angeles batch with two billable lines and a stored claim file; an 835 that paid
    one line and denied the other (CO-16, N290)."""
    import datetime
    import hashlib
    from decimal import Decimal

    from django.utils import timezone

    from peercert.billing import x12_837_out
    from peercert.billing.models import ClaimFile, PaymentOutcome, Remittance, RemittanceLine
    from peercert.billing.tests.factories import billed_batch

    batch = billed_batch(lines=2, held=0)
    now = timezone.now()
    built = x12_837_out.build_from_lines(batch, icn=900000001, now=now, county_name="Los Angeles", county_code="19")
    claim_file = ClaimFile.objects.create(
        batch=batch,
        interchange_control_number=900000001,
        content=built.content,
        sha256=hashlib.sha256(built.content.encode()).hexdigest(),
        line_count=built.line_count,
        total_charge=built.total_charge,
        validated_at=now,
    )
    paid, denied = list(batch.lines.order_by("id"))
    remittance = Remittance.objects.create(
        county_id=batch.county_id,
        original_name="matrix.835",
        sha256="0" * 64,
        payer_name="SHORT-DOYLE MEDI-CAL",
        trace_number="MATRIX1",
        payment_amount=Decimal("165.00"),
        paid_on=datetime.date(2026, 11, 1),
        line_count=2,
    )
    RemittanceLine.objects.create(
        remittance=remittance, line=paid, payer_claim_control_number="MX1", procedure="H0038",
        charge=Decimal("165"), paid=Decimal("165"), status=PaymentOutcome.PAID,
    )  # fmt: skip
    denial = RemittanceLine.objects.create(
        remittance=remittance, line=denied, payer_claim_control_number="MX2", procedure="H0038",
        charge=Decimal("165"), paid=Decimal("0"), status=PaymentOutcome.DENIED, adjustment_codes="CO-16",
        remark_codes="N290",
    )  # fmt: skip
    paid.remittance_status, paid.paid_amount, paid.payer_claim_control_number = (
        PaymentOutcome.PAID,
        Decimal("165"),
        "MX1",
    )
    paid.save(update_fields=["remittance_status", "paid_amount", "payer_claim_control_number"])
    return {
        "claims_batch": batch,
        "claims_file": claim_file,
        "claims_paid_line": paid,
        "claims_remittance": remittance,
        "claims_denial": denial,
    }
