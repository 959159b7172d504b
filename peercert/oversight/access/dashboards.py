"""Access-matrix rows for oversight's dashboards part. Written out by hand, not imported from permissions.py."""

from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC

STATEWIDE = {Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}
QUALITY = STATEWIDE | {Role.PROGRAM_MANAGER, Role.PROGRAM_REVIEWER}
COUNTY = {Role.COUNTY_STAFF, Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR, Role.COUNTY_AUTHORIZED_SIGNER}

ACCESS: dict = {
    "oversight:public_dashboard": {"allow": PUBLIC},
    "oversight:public_dashboard_csv": {"allow": PUBLIC, "kwargs": lambda w: {"table_key": "peers_by_county"}},
    "oversight:statewide_dashboard": {"allow": STATEWIDE},
    "oversight:county_dashboard": {"allow": COUNTY},
    "oversight:quality_dashboard": {"allow": QUALITY},
    "GET /api/v1/dashboard/public": {"allow": PUBLIC},
}


def build_world(w) -> dict:
    return {}
