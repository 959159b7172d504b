"""Who may do what on the county side of the benefit. Views use these; services check them again.

County staff keep their own county's records: providers, employments, hires, supervision, rates they
propose, webhooks. County billing staff read them (billing builds on them). DHCS analysts read every
county and record federal authorities and interim rates; DHCS approvers decide rates and set the
statewide supervision ceiling. Nobody decides a matter they proposed.
"""

from peercert.accounts.permissions import county_ids, has_role
from peercert.accounts.roles import Role

COUNTY_WRITER_ROLES = frozenset({Role.COUNTY_STAFF})
COUNTY_READER_ROLES = frozenset({Role.COUNTY_STAFF, Role.COUNTY_BILLING})
DHCS_ROLES = frozenset({Role.DHCS_ANALYST, Role.DHCS_APPROVER})
STATEWIDE_READER_ROLES = DHCS_ROLES | {Role.AUDITOR}


def writable_county_ids(user) -> set[int]:
    """Counties whose providers, employments and supervision the user may change."""
    return county_ids(user, Role.COUNTY_STAFF)


def readable_county_ids(user) -> set[int] | None:
    """Counties whose benefit records the user may read; None means every county."""
    if has_role(user, *STATEWIDE_READER_ROLES):
        return None
    return county_ids(user, *COUNTY_READER_ROLES)


def is_county_user(user) -> bool:
    return has_role(user, *COUNTY_READER_ROLES)


def is_county_staff(user) -> bool:
    return has_role(user, *COUNTY_WRITER_ROLES)


def is_dhcs(user) -> bool:
    return has_role(user, *DHCS_ROLES)


def is_dhcs_approver(user) -> bool:
    return has_role(user, Role.DHCS_APPROVER)


def can_read_benefit(user) -> bool:
    return has_role(user, *COUNTY_READER_ROLES, *STATEWIDE_READER_ROLES)


def can_read_county(user, county_id: int) -> bool:
    ids = readable_county_ids(user)
    return ids is None or county_id in ids


def can_manage_county(user, county_id: int) -> bool:
    """Change a county's providers, employments, supervision, webhooks, and propose its rates."""
    return county_id in writable_county_ids(user)


def can_propose_interim_rate(user) -> bool:
    return is_dhcs(user)


def can_decide_rate(user) -> bool:
    return is_dhcs_approver(user)


def can_record_federal_authority(user) -> bool:
    return is_dhcs(user)


def can_set_supervision_ceiling(user) -> bool:
    return is_dhcs_approver(user)


# --- rates ---


def is_statewide_reader(user) -> bool:
    """DHCS and the auditor: they read every county's rates and every interim rate."""
    return has_role(user, *STATEWIDE_READER_ROLES)


def can_propose_county_rate(user) -> bool:
    return bool(writable_county_ids(user))


def can_change_rate(user, rate) -> bool:
    """Edit, submit or withdraw a rate: its county's staff for a county rate, DHCS for an interim one."""
    if rate.kind == "interim":
        return can_propose_interim_rate(user)
    return rate.county_id is not None and can_manage_county(user, rate.county_id)


# --- alerts ---


def can_read_alerts(user) -> bool:
    """Workforce alerts: county staff and billing for their county; DHCS and auditors statewide."""
    return can_read_benefit(user)


def can_manage_webhooks(user) -> bool:
    """Webhooks are county staff's: they register, pause, remove them and send failed events again."""
    return is_county_staff(user)


def can_use_employment_api(user) -> bool:
    """The EHR API answers county staff and county billing (their county's employments only)."""
    return user is not None and getattr(user, "is_authenticated", False) and is_county_user(user)


def can_acknowledge_alerts(user) -> bool:
    """County staff acknowledge their county's alerts (billing and DHCS read them)."""
    return is_county_staff(user)
