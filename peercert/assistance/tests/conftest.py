import pytest
from django.core.cache import cache

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reviewer(db):
    return user_with_role(Role.PROGRAM_REVIEWER, email="reviewer.ortiz@test.peercert.example")


@pytest.fixture
def manager(db):
    return user_with_role(Role.PROGRAM_MANAGER, email="manager.nakamura@test.peercert.example")


@pytest.fixture
def peer_user(db):
    return user_with_role(Role.PEER, email="peer.zuniga@test.peercert.example")
