"""Who may do what in training. Views use these; services check them again."""

from peercert.accounts.permissions import county_ids, has_role, training_entity_ids
from peercert.accounts.roles import DHCS_ROLES, Role

# Program staff who decide on training entities, CE evidence and accommodations.
PROGRAM_TRAINING_ROLES = frozenset({Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER})
# Roles that may read every training record (nothing confidential: documents have their own rule).
READ_ALL_ROLES = PROGRAM_TRAINING_ROLES | DHCS_ROLES | {Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR}
CURRICULUM_SUBMITTER_ROLES = PROGRAM_TRAINING_ROLES | {Role.COUNTY_STAFF, Role.TRAINING_STAFF}


def is_training_program_staff(user) -> bool:
    return has_role(user, *PROGRAM_TRAINING_ROLES)


def can_read_all_training(user) -> bool:
    return has_role(user, *READ_ALL_ROLES)


def is_entity_staff(user, training_entity_id: int | None) -> bool:
    return training_entity_id is not None and training_entity_id in training_entity_ids(user)


def is_any_entity_staff(user) -> bool:
    return has_role(user, Role.TRAINING_STAFF)


def person_of(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: a user without a person record
        return None


def is_self(user, person) -> bool:
    own = person_of(user)
    return own is not None and person is not None and own.pk == person.pk


# Provider approval -------------------------------------------------------------------------


def can_apply_as_provider(user, training_entity) -> bool:
    return is_entity_staff(user, getattr(training_entity, "pk", None))


def can_review_provider(user) -> bool:
    return is_training_program_staff(user)


def can_see_provider_application(user, application) -> bool:
    return can_read_all_training(user) or is_entity_staff(user, application.training_entity_id)


# Curricula ---------------------------------------------------------------------------------


def can_submit_curricula(user) -> bool:
    return has_role(user, *CURRICULUM_SUBMITTER_ROLES)


def can_edit_curriculum(user, curriculum) -> bool:
    """The owner edits and submits: its entity's staff, its county's staff, or program staff for program-owned."""
    if curriculum.owner_training_entity_id:
        return is_entity_staff(user, curriculum.owner_training_entity_id)
    if curriculum.owner_county_id:
        return curriculum.owner_county_id in county_ids(user, Role.COUNTY_STAFF)
    return is_training_program_staff(user)


def can_decide_curriculum(user) -> bool:
    return has_role(user, Role.DHCS_APPROVER)


# Offerings, completions --------------------------------------------------------------------


def can_manage_offering(user, offering) -> bool:
    return is_entity_staff(user, offering.training_entity_id)


def can_see_completion(user, completion) -> bool:
    return (
        is_self(user, completion.person)
        or can_read_all_training(user)
        or is_entity_staff(user, completion.offering.training_entity_id)
    )


# Accommodations ----------------------------------------------------------------------------


def can_decide_accommodation(user, request) -> bool:
    return is_training_program_staff(user) or is_entity_staff(user, request.offering.training_entity_id)


def can_open_accommodation(user, request) -> bool:
    """Confidential: the requester, the staff who decide, and nobody else (not auditors, not DHCS)."""
    return is_self(user, request.person) or can_decide_accommodation(user, request)


# Continuing education ----------------------------------------------------------------------


def can_review_ce_activity(user) -> bool:
    return is_training_program_staff(user)


def can_open_ce_activity(user, activity) -> bool:
    return is_self(user, activity.person) or can_review_ce_activity(user)
