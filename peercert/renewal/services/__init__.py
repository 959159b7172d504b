"""Every change to renewals, CE audits, surrenders and name changes happens here, one module per entity.

Callers keep using `from peercert.renewal import services; services.x` and
`from peercert.renewal.services import x`: every public name is re-exported here. What the entity
modules share (the renewal window and the CE-audit draw, the fees, the checks a renewal must pass,
the records' nouns and locks, approving, denying and withdrawing a renewal) is in _common.
"""

from peercert.renewal.services._common import (
    AS_WRITTEN,
    CE_AUDIT,
    NAME_CHANGE,
    REFERENCE_TYPE,
    RENEWAL,
    ce_audit_draw,
    ce_audit_drawn,
    fee_codes_for,
    fees_settled,
    renewal_checks,
    vacates_on,
    window_opens_on,
)
from peercert.renewal.services.ce_audits import (
    MAX_EVIDENCE_BYTES,
    ce_audit_decide,
    ce_audit_evidence_add,
    ce_audit_submit,
)
from peercert.renewal.services.renewals import (
    on_invoice_settled,
    renewal_approve,
    renewal_deny,
    renewal_fee_received,
    renewal_reopen_on_appeal,
    renewal_sign,
    renewal_start,
    renewal_submit,
    renewal_withdraw,
)
from peercert.renewal.services.surrender_and_names import (
    certification_surrender,
    name_change_decide,
    name_change_request,
    name_change_withdraw,
)

__all__ = [
    "AS_WRITTEN",
    "CE_AUDIT",
    "MAX_EVIDENCE_BYTES",
    "NAME_CHANGE",
    "REFERENCE_TYPE",
    "RENEWAL",
    "ce_audit_decide",
    "ce_audit_draw",
    "ce_audit_drawn",
    "ce_audit_evidence_add",
    "ce_audit_submit",
    "certification_surrender",
    "fee_codes_for",
    "fees_settled",
    "name_change_decide",
    "name_change_request",
    "name_change_withdraw",
    "on_invoice_settled",
    "renewal_approve",
    "renewal_checks",
    "renewal_deny",
    "renewal_fee_received",
    "renewal_reopen_on_appeal",
    "renewal_sign",
    "renewal_start",
    "renewal_submit",
    "renewal_withdraw",
    "vacates_on",
    "window_opens_on",
]
