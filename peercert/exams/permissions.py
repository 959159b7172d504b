"""Who may do what with the exam. Views use these; services check them again."""

from peercert.accounts.permissions import has_role, program_ids
from peercert.accounts.roles import Role

EXAM_STAFF = (Role.EXAM_ADMINISTRATOR, Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER)


def is_exam_admin(user) -> bool:
    return has_role(user, Role.EXAM_ADMINISTRATOR)


def can_write_items(user) -> bool:
    return has_role(user, Role.EXAM_ADMINISTRATOR)


def can_review_items(user) -> bool:
    return has_role(user, Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER)


def can_approve_items(user) -> bool:
    return has_role(user, Role.DHCS_APPROVER)


def can_view_bank(user) -> bool:
    """Exam content is secure: the people who write, review and approve it, and no one else."""
    return has_role(user, *EXAM_STAFF, Role.DHCS_APPROVER)


def can_manage_forms(user) -> bool:
    return has_role(user, Role.EXAM_ADMINISTRATOR)


def can_approve_forms(user) -> bool:
    return has_role(user, Role.PROGRAM_MANAGER)


def can_manage_sessions(user) -> bool:
    return has_role(user, Role.EXAM_ADMINISTRATOR)


def can_grant_authorization(user) -> bool:
    return has_role(user, Role.EXAM_ADMINISTRATOR)


def can_see_accommodations(user) -> bool:
    """Accommodation requests hold health information: exam and program staff only (and the candidate)."""
    return has_role(user, *EXAM_STAFF)


def can_decide_accommodations(user) -> bool:
    return has_role(user, Role.EXAM_ADMINISTRATOR, Role.PROGRAM_MANAGER)


def can_grade(user) -> bool:
    return has_role(user, Role.EXAM_ADMINISTRATOR)


def can_view_analysis(user) -> bool:
    return has_role(user, *EXAM_STAFF, Role.DHCS_APPROVER, Role.DHCS_ANALYST)


def can_view_sessions(user) -> bool:
    return has_role(user, *EXAM_STAFF, Role.PEER)


def staff_program_ids(user) -> set[int]:
    return program_ids(user, *EXAM_STAFF)


def is_candidate(user) -> bool:
    return has_role(user, Role.PEER)
