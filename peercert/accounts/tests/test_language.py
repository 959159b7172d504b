"""One language setting: the header menu, the account's preferred language and sign-in agree."""

import pytest

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "una-frase-larga-2026"


def test_the_menu_sets_a_signed_in_persons_preferred_language(client):
    peer = user_with_role(Role.PEER, with_person=True)
    client.force_login(peer)
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "es"
    peer.person.refresh_from_db()
    assert peer.person.preferred_language == "es"
    change = AuditEvent.objects.get(action="person.update", object_id=str(peer.person.pk))
    assert change.after == {"preferred_language": "es"} and change.reason == "chosen in the language menu"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})  # unknown: nothing changes
    peer.person.refresh_from_db()
    assert peer.person.preferred_language == "es"


def test_anyone_may_switch_without_an_account(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/registry/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "es"
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_signing_in_turns_on_the_accounts_language(client):
    peer = user_with_role(Role.PEER, with_person=True)
    peer.set_password(PASSWORD)
    peer.save()
    peer.person.preferred_language = "es"
    peer.person.save()
    response = client.post("/sign-in/", {"username": peer.email, "password": PASSWORD})
    assert response.status_code == 302 and response.cookies["django_language"].value == "es"
    assert '<html lang="es">' in client.get("/").content.decode()
