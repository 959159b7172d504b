"""Who may do what with applications and certifications. Views use these; services check again."""

from peercert.accounts.permissions import has_role, program_ids
from peercert.accounts.roles import Role

REVIEW_ROLES = (Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER)


def is_applicant(user) -> bool:
    return has_role(user, Role.PEER)


def owns_application(user, application) -> bool:
    person = application.person
    return user is not None and getattr(user, "is_authenticated", False) and person.user_id == user.pk


def can_review_in(user, program_id) -> bool:
    return program_id in program_ids(user, *REVIEW_ROLES)


def can_review_application(user, application) -> bool:
    return can_review_in(user, application.program_id)


def can_see_records(user) -> bool:
    return bool(program_ids(user, *REVIEW_ROLES))


def can_manage_certification(user, certification) -> bool:
    """Program staff of the certifying program record status changes and facts by hand."""
    return certification.program_id in program_ids(user, *REVIEW_ROLES)


def can_download_certificate(user, certification) -> bool:
    if certification.person.user_id is not None and certification.person.user_id == getattr(user, "pk", None):
        return True
    return can_manage_certification(user, certification)
