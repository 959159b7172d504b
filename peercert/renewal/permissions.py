"""Who may do what with renewals, CE audits, surrenders and name changes. Views use these; services check again."""

from peercert.accounts.permissions import can_manage_users, has_role, program_ids
from peercert.accounts.roles import Role

REVIEW_ROLES = (Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER)


def owns_certification(user, certification) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and certification.person.user_id is not None
        and certification.person.user_id == user.pk
    )


def can_review_renewals(user) -> bool:
    return bool(program_ids(user, *REVIEW_ROLES))


def can_review_renewal(user, renewal) -> bool:
    return renewal.certification.program_id in program_ids(user, *REVIEW_ROLES)


def can_decide_name_change(user) -> bool:
    """Legal names change only by staff who may edit people (accounts.services.person_update)."""
    return has_role(user, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR) and can_manage_users(user)


def is_peer(user) -> bool:
    return has_role(user, Role.PEER)
