"""Who may do what in oversight. Views use these; services check them again. Each part adds its own under its comment."""

from peercert.accounts.permissions import county_ids, has_role
from peercert.accounts.roles import Role

# --- plan ---
# The program's manager submits the plan; a DHCS approver decides it; program staff, DHCS and the
# auditor read every version; anyone signed in reads the plan in force.
PLAN_SUBMITTER_ROLES = frozenset({Role.PROGRAM_MANAGER})
PLAN_DECIDER_ROLES = frozenset({Role.DHCS_APPROVER})
PLAN_READER_ROLES = frozenset(
    {Role.PROGRAM_MANAGER, Role.PROGRAM_REVIEWER, Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}
)


def can_submit_plan(user) -> bool:
    return has_role(user, *PLAN_SUBMITTER_ROLES)


def can_decide_plan(user) -> bool:
    return has_role(user, *PLAN_DECIDER_ROLES)


def can_read_plan_versions(user) -> bool:
    return has_role(user, *PLAN_READER_ROLES)


def can_read_plan_in_force(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


# --- reports ---

# --- dashboards ---
# DHCS and the auditor see every county side by side and the program's quality; program staff see
# the program's quality; a county's staff see their own county beside the state. The public
# dashboard needs no sign-in.
STATEWIDE_DASHBOARD_ROLES = frozenset({Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR})
QUALITY_DASHBOARD_ROLES = STATEWIDE_DASHBOARD_ROLES | {Role.PROGRAM_MANAGER, Role.PROGRAM_REVIEWER}
COUNTY_DASHBOARD_ROLES = frozenset(
    {Role.COUNTY_STAFF, Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR, Role.COUNTY_AUTHORIZED_SIGNER}
)


def can_see_statewide_dashboard(user) -> bool:
    return has_role(user, *STATEWIDE_DASHBOARD_ROLES)


def can_see_quality_dashboard(user) -> bool:
    return has_role(user, *QUALITY_DASHBOARD_ROLES)


def dashboard_county_ids(user) -> set[int]:
    """The counties whose own dashboard the user may open."""
    return county_ids(user, *COUNTY_DASHBOARD_ROLES)


def can_see_county_dashboard(user) -> bool:
    return bool(dashboard_county_ids(user))
