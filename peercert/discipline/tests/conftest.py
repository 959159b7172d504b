"""Fixtures for discipline tests.

`certs` stands in for the certification app behind discipline's link module, so these tests
exercise discipline's own rules whatever state the certification app is in. The integration
test in test_certification_contract.py runs against the real certification app.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.discipline import certification_link as link


@dataclass
class FakeCert:
    id: int
    number: str
    person: object
    status: str
    issued_on: datetime.date
    expires_on: datetime.date
    history: list = field(default_factory=list)


class FakeCertifications:
    def __init__(self):
        self.by_id: dict[int, FakeCert] = {}
        self.changes: list[tuple] = []

    def issue(self, person, *, number=None, status="active", issued_on=datetime.date(2024, 1, 1),
              expires_on=datetime.date(2099, 1, 1)) -> FakeCert:
        cert_id = len(self.by_id) + 1
        cert = FakeCert(cert_id, number or f"CA-PSS-{cert_id:06d}", person, status, issued_on, expires_on)
        self.by_id[cert_id] = cert
        return cert

    def for_person(self, person):
        found = [c for c in self.by_id.values() if c.person.pk == person.pk]
        return found[-1] if found else None

    def ref(self, cert):
        return None if cert is None else link.CertificationRef(id=cert.id, number=cert.number, status=cert.status,
                                                               person_id=cert.person.pk, expires_on=cert.expires_on)

    def status_of(self, person) -> str:
        return self.for_person(person).status

    def change(self, *, actor, certification_id, to_status, reason, effective_on):
        cert = self.by_id[certification_id]
        if cert.status != to_status:
            self.changes.append((cert.number, cert.status, to_status, effective_on, reason))
            cert.history.append((cert.status, to_status))
            cert.status = to_status
        return self.ref(cert)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certs(monkeypatch):
    fake = FakeCertifications()

    def find_peers(query, limit=10):
        q = query.lower()
        return [link.PeerMatch(c.person.pk, c.person.display_name, c.number, c.status) for c in fake.by_id.values()
                if q in c.person.full_name.lower() or q == c.number.lower()][:limit]

    def peer_by_number(number):
        for c in fake.by_id.values():
            if c.number == number:
                return link.PeerMatch(c.person.pk, c.person.display_name, c.number, c.status)
        return None

    def was_certified_on(person, day):
        cert = fake.for_person(person)
        return cert is not None and cert.issued_on <= day <= cert.expires_on

    monkeypatch.setattr(link, "certification_available", lambda: True)
    monkeypatch.setattr(link, "find_peers", find_peers)
    monkeypatch.setattr(link, "peer_by_number", peer_by_number)
    monkeypatch.setattr(link, "was_certified_on", was_certified_on)
    monkeypatch.setattr(link, "current_certification", lambda person: fake.ref(fake.for_person(person)))
    monkeypatch.setattr(link, "certification_by_id", lambda cid: fake.ref(fake.by_id.get(cid)))
    monkeypatch.setattr(link, "_change", fake.change)
    return fake


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
