"""Access-matrix rows for billing's gate (see peercert/core/access.py).

Written out by hand, not imported from permissions.py. The world's batch is in Los Angeles, the county
of the matrix's county users.
"""

from peercert.accounts.roles import Role

READERS = {Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR, Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}
BILLING = {Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR}
SUPERVISOR = {Role.COUNTY_BILLING_SUPERVISOR}


def _batch(w):
    return {"batch_id": w["gate_batch"].pk}


def _line(w):
    return {"line_id": w["gate_line"].pk}


ACCESS: dict = {
    "billing:batch_list": {"allow": READERS},
    "billing:batch_new": {"allow": BILLING},
    "billing:batch_detail": {"allow": READERS, "kwargs": _batch},
    "billing:batch_progress": {"allow": READERS, "kwargs": _batch},
    "billing:batch_check": {"allow": BILLING, "kwargs": _batch},
    "billing:batch_export": {"allow": BILLING, "kwargs": _batch},
    "billing:line_detail": {"allow": READERS, "kwargs": _line},
    "billing:line_correct": {"allow": BILLING, "kwargs": _line},
    "billing:line_override": {"allow": SUPERVISOR, "kwargs": _line},
    "POST /api/v1/billing/batches": {"allow": BILLING},
    "GET /api/v1/billing/batches/{batch_id}": {"allow": BILLING, "kwargs": _batch},
}


def build_world(w) -> dict:
    """A checked Los Angeles batch with one held line."""
    from peercert.billing.models import BatchStatus, LineHold, LineStatus
    from peercert.billing.tests.factories import ServiceLineFactory

    line = ServiceLineFactory(status=LineStatus.HELD, minutes=5, units=0)
    LineHold.objects.create(line=line, code="zero_units")
    batch = line.batch
    batch.status, batch.line_count = BatchStatus.CHECKED, 1
    batch.counts = {"by_status": {"held": 1}, "by_reason": {"zero_units": 1}}
    batch.save()
    return {"gate_batch": batch, "gate_line": line}
