"""Who may answer questions and keep the FAQ. Views use these; services check again."""

from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role

# Program staff answer technical-assistance questions (the same people who handle complaints).
ASSISTANCE_STAFF_ROLES = frozenset({Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR})


def can_answer_assistance(user) -> bool:
    return has_role(user, *ASSISTANCE_STAFF_ROLES)
