"""core.types.Actor: a signed-in user or None, resolvable at run time."""

import typing

import pytest
from django.contrib.auth.models import AnonymousUser

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.types import Actor, SignedInUser


@pytest.mark.django_db
def test_a_real_user_is_an_actor_and_an_anonymous_visitor_is_not():
    assert isinstance(user_with_role(Role.PEER), SignedInUser)
    assert not isinstance(AnonymousUser(), SignedInUser)  # services get None for the system, never this


def test_actor_is_a_user_or_none():
    assert set(typing.get_args(Actor)) == {SignedInUser, type(None)}
