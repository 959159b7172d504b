"""Who may do what in discipline. Views use these; services check again."""

from peercert.accounts.permissions import has_role, program_ids, roles_of, training_entity_ids
from peercert.accounts.roles import Role

# Complaints, investigations and decisions are program work; exam administrators are not part of it.
CASE_STAFF_ROLES = frozenset({Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR})
# The state and auditors read the record (never the complainants' identities).
RECORDS_ROLES = CASE_STAFF_ROLES | {Role.AUDITOR, Role.DHCS_ANALYST, Role.DHCS_APPROVER}
RESPONDENT_ROLES = frozenset({Role.PEER, Role.TRAINING_STAFF})


def can_handle_cases(user) -> bool:
    return has_role(user, *CASE_STAFF_ROLES)


def can_view_records(user) -> bool:
    return has_role(user, *RECORDS_ROLES)


def is_respondent_user(user) -> bool:
    return has_role(user, *RESPONDENT_ROLES)


def sees_every_program(user) -> bool:
    return has_role(user, Role.SYSTEM_ADMINISTRATOR)


def staff_program_ids(user) -> set[int]:
    return program_ids(user, Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER)


def can_handle_case(user, complaint) -> bool:
    if not can_handle_cases(user):
        return False
    return sees_every_program(user) or complaint.program_id in staff_program_ids(user)


def can_decide_appeal(user, appeal) -> bool:
    """Program staff other than whoever made the decision under appeal."""
    if not can_handle_cases(user):
        return False
    return appeal.original_decider_id is None or appeal.original_decider_id != user.pk


def respondent_scope(user) -> tuple[int | None, set[int]]:
    """(person id, training entity ids) whose cases this user may see as a respondent."""
    if not roles_of(user):
        return None, set()
    from peercert.accounts.selectors import person_for_user

    person = person_for_user(user) if has_role(user, Role.PEER) else None
    return (person.pk if person else None), training_entity_ids(user)
