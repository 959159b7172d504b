"""Who may do what with scholarship funds. Views use these; services check them again.

Program staff (reviewers, managers, system administrators) see every fund and application; managers
and system administrators make funds and decide applications (as finance lets only them award money).
DHCS and the auditor read everything. County staff nominate people for their own county's funds (and
for DHCS or grant funds that ask for a county's nomination) and see their county's funds and
nominations. Anyone signed in may apply to an open fund that needs no nomination.
"""

from peercert.accounts.permissions import county_ids, has_role
from peercert.accounts.roles import Role

STAFF_ROLES = frozenset({Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR})
DECIDER_ROLES = frozenset({Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR})
STATEWIDE_READER_ROLES = frozenset({Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR})


def is_program_staff(user) -> bool:
    return has_role(user, *STAFF_ROLES)


def can_decide(user) -> bool:
    return user is None or has_role(user, *DECIDER_ROLES)


def can_manage_funds(user) -> bool:
    return user is None or has_role(user, *DECIDER_ROLES)


def can_disburse(user) -> bool:
    return user is None or is_program_staff(user)


def reads_everything(user) -> bool:
    return is_program_staff(user) or has_role(user, *STATEWIDE_READER_ROLES)


def nominating_county_ids(user) -> set[int]:
    return county_ids(user, Role.COUNTY_STAFF)


def is_county_staff(user) -> bool:
    return bool(nominating_county_ids(user))


def can_read_ledgers(user) -> bool:
    """Some ledger is theirs to read: program staff, DHCS, the auditor, or a county's staff."""
    return reads_everything(user) or is_county_staff(user)


def can_read_fund(user, fund) -> bool:
    """The fund's figures: program staff and statewide readers; a county fund's own county staff."""
    if reads_everything(user):
        return True
    return fund.county_id is not None and fund.county_id in nominating_county_ids(user)


def can_nominate(user, fund) -> bool:
    """County staff, for their own county's fund or a statewide fund that asks counties to nominate."""
    counties = nominating_county_ids(user)
    if not counties or not fund.nomination_required:
        return False
    return fund.county_id is None or fund.county_id in counties


def can_read_nomination(user, nomination) -> bool:
    return reads_everything(user) or nomination.county_id in nominating_county_ids(user)


def can_withdraw_nomination(user, nomination) -> bool:
    return nomination.county_id in nominating_county_ids(user) or can_decide(user)


def may_withdraw_nominations(user) -> bool:
    return is_county_staff(user) or has_role(user, *DECIDER_ROLES)


def is_applicant(user, application) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and application.person.user_id == user.pk


def can_read_application(user, application) -> bool:
    return reads_everything(user) or is_applicant(user, application)


def can_apply(user) -> bool:
    return has_role(user, Role.PEER)
