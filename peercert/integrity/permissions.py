"""Who may do what in integrity. Views use these; services check them again. Each part adds its own under its comment."""

# --- utilization ---

# --- overpayments ---
# County billing staff (and their supervisor) work their own county's overpayments; the county's authorized
# signer reads them and signs the report to the state (nobody else may); DHCS and the auditor read every county's.
from peercert.accounts.permissions import county_ids, has_role  # noqa: E402
from peercert.accounts.roles import Role  # noqa: E402

OVERPAYMENT_WORKER_ROLES = frozenset({Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR})
OVERPAYMENT_COUNTY_READER_ROLES = OVERPAYMENT_WORKER_ROLES | {Role.COUNTY_AUTHORIZED_SIGNER}
OVERPAYMENT_STATEWIDE_ROLES = frozenset({Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR})


def overpayment_county_ids(user) -> set[int] | None:
    """Counties whose overpayments the user reads; None means every county."""
    if has_role(user, *OVERPAYMENT_STATEWIDE_ROLES):
        return None
    return county_ids(user, *OVERPAYMENT_COUNTY_READER_ROLES)


def can_read_overpayments(user) -> bool:
    return has_role(user, *OVERPAYMENT_COUNTY_READER_ROLES, *OVERPAYMENT_STATEWIDE_ROLES)


def is_overpayment_worker(user) -> bool:
    return has_role(user, *OVERPAYMENT_WORKER_ROLES)


def is_overpayment_signer(user) -> bool:
    return has_role(user, Role.COUNTY_AUTHORIZED_SIGNER)


def can_work_overpayment(user, overpayment) -> bool:
    return user is not None and overpayment.county_id in county_ids(user, *OVERPAYMENT_WORKER_ROLES)


def can_sign_overpayment(user, overpayment) -> bool:
    return user is not None and overpayment.county_id in county_ids(user, Role.COUNTY_AUTHORIZED_SIGNER)


# --- reviews ---
