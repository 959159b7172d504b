"""Who may run the advisory council and who sees its materials early. Views use these; services check again."""

from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role

# Program staff run the council: calls, selection, meetings, responses.
COUNCIL_STAFF_ROLES = frozenset({Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR})
# The auditor reads everything the staff see, and changes nothing.
COUNCIL_READ_ROLES = COUNCIL_STAFF_ROLES | {Role.AUDITOR}


def can_manage_council(user) -> bool:
    return has_role(user, *COUNCIL_STAFF_ROLES)


def can_read_council_records(user) -> bool:
    return has_role(user, *COUNCIL_READ_ROLES)


def is_seated_member(user) -> bool:
    """A sign-in linked to a seat whose term is running. No role grants this: the seat does."""
    if not getattr(user, "is_authenticated", False):
        return False
    from peercert.council.models import CouncilMember, MemberStatus

    return CouncilMember.objects.filter(user_id=user.pk, status=MemberStatus.SEATED).exists()


def can_see_member_materials(user) -> bool:
    """Meeting materials before they are public: seated members and the staff who run the council."""
    return can_read_council_records(user) or is_seated_member(user)
