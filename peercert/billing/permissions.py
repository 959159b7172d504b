"""Who may do what in billing. Views use these; services check them again.

County billing staff (and their supervisor) work their own county's beneficiaries, eligibility, service
batches, claims and remittances; only the billing supervisor overrides a held line. County staff do not
see beneficiaries. DHCS analysts and approvers, and the auditor, read every county. Beneficiary records
are protected health information: every read writes an access event (selectors do it).
"""

from peercert.accounts.permissions import county_ids, has_role
from peercert.accounts.roles import Role

BILLING_ROLES = frozenset({Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR})
STATEWIDE_READER_ROLES = frozenset({Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR})


def billing_county_ids(user) -> set[int]:
    """Counties whose billing the user works."""
    return county_ids(user, *BILLING_ROLES)


def readable_county_ids(user) -> set[int] | None:
    """Counties whose billing records the user may read; None means every county."""
    if has_role(user, *STATEWIDE_READER_ROLES):
        return None
    return billing_county_ids(user)


def is_billing_staff(user) -> bool:
    return has_role(user, *BILLING_ROLES)


def can_read_billing(user) -> bool:
    return has_role(user, *BILLING_ROLES, *STATEWIDE_READER_ROLES)


def can_work_county(user, county_id: int) -> bool:
    return county_id in billing_county_ids(user)


def can_override_hold(user, county_id: int) -> bool:
    return county_id in county_ids(user, Role.COUNTY_BILLING_SUPERVISOR)


# --- eligibility ---
ACCESS_EVENT_READER_ROLES = frozenset({Role.AUDITOR, Role.DHCS_ANALYST})


def can_read_beneficiaries(user) -> bool:
    """County billing staff (their own county) and statewide readers; county staff never."""
    return can_read_billing(user)


def can_read_beneficiary_access(user) -> bool:
    """Who lists the access events on beneficiaries' records: the auditor and DHCS analysts."""
    return has_role(user, *ACCESS_EVENT_READER_ROLES)
