import pytest

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.council.tests.factories import CouncilMemberFactory


@pytest.fixture
def staff(db):
    return user_with_role(Role.PROGRAM_MANAGER)


@pytest.fixture
def reviewer(db):
    return user_with_role(Role.PROGRAM_REVIEWER)


@pytest.fixture
def auditor(db):
    return user_with_role(Role.AUDITOR)


@pytest.fixture
def peer(db):
    return user_with_role(Role.PEER)


@pytest.fixture
def member_user(db):
    """A peer who holds a seat on the council."""
    user = user_with_role(Role.PEER)
    CouncilMemberFactory(user=user, email=user.email, name="Seated Peer")
    return user
