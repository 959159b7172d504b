"""Fixtures for discipline tests.

`certs` issues real certifications (certification's factory), so every suspension, revocation
and restoration walks certification's own transition map and status history.
"""

import datetime

import pytest
from django.core.cache import cache

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.certification.models import Certification, CertificationStatusChange
from peercert.certification.tests.factories import CertificationFactory


class Certifications:
    """Issues real certifications and reads back what discipline did to them."""

    def issue(
        self,
        person,
        *,
        number=None,
        status="active",
        issued_on=datetime.date(2024, 1, 1),
        expires_on=datetime.date(2099, 1, 1),
    ) -> Certification:
        fields = {"number": number} if number else {}
        return CertificationFactory(person=person, status=status, issued_on=issued_on, expires_on=expires_on, **fields)

    def status_of(self, person) -> str:
        return Certification.objects.filter(person=person).order_by("-issued_on", "-id").first().status

    @property
    def changes(self) -> list[tuple]:
        """(number, from, to, effective_on, reason) for every status change, oldest first."""
        return [
            (c.certification.number, c.from_status, c.to_status, c.effective_on, c.reason)
            for c in CertificationStatusChange.objects.select_related("certification").order_by("pk")
        ]


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certs(db):
    return Certifications()


@pytest.fixture
def reviewer(db):
    return user_with_role(Role.PROGRAM_REVIEWER, email="reviewer.ortiz@test.peercert.example")


@pytest.fixture
def manager(db):
    return user_with_role(Role.PROGRAM_MANAGER, email="manager.nakamura@test.peercert.example")


@pytest.fixture
def peer_user(db):
    return user_with_role(Role.PEER, email="peer.zuniga@test.peercert.example")


@pytest.fixture
def certified_peer(peer_user, certs):
    """A peer with a sign-in and an active certification."""
    certs.issue(peer_user.person, number="CA-PSS-000777")
    return peer_user.person


@pytest.fixture
def other_person(db):
    return PersonFactory(legal_first_name="Itzel", legal_last_name="Cuauhtémoc")
