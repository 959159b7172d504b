"""Fixtures shared by every app's tests."""

import pytest

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role

pytest_plugins = ["peercert.web.tests.browser"]


@pytest.fixture
def role_users(db):
    """One user for every role, each with its scope (county roles in Los Angeles)."""
    return {role: user_with_role(role, email=f"{role}@test.peercert.example") for role in Role.values}


@pytest.fixture
def as_user(client):
    """Sign a test client in as a user: as_user(user) -> client."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
