"""Sign-up and password reset answer the same whether an email has an account (issue 11, finding 12).

Registration used to say "An account with this email already exists", so anyone could test
which emails are PeerCert users (peers in recovery among them).
"""

import re

import pytest
from django.core import mail

from peercert.accounts.models import Person, User
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def _sign_up(client, email, **extra):
    return client.post(
        "/register/",
        {
            "legal_first_name": "Ana",
            "legal_last_name": "Peña",
            "date_of_birth": "1990-02-03",
            "email": email,
            "preferred_language": "en",
            "password": "una-frase-larga-2026",
            "password_again": "una-frase-larga-2026",
            **extra,
        },
    )


def _page(content: bytes) -> bytes:
    """A page without its per-request CSRF token (masked afresh on every response)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def _shape(response):
    return response.status_code, response.get("Location"), sorted(response.cookies), _page(response.content)


def test_registration_with_a_taken_email_answers_like_a_new_one(client, django_capture_on_commit_callbacks):
    owner = user_with_role(Role.PEER, email="taken@test.peercert.example")
    with django_capture_on_commit_callbacks(execute=True):
        new = _sign_up(client, "new@test.peercert.example")
        taken = _sign_up(client, "TAKEN@test.peercert.example")
    assert _shape(new) == _shape(taken)
    assert _page(client.get(new["Location"]).content) == _page(client.get(taken["Location"]).content)
    assert b"already exists" not in taken.content and "_auth_user_id" not in client.session

    # no second account, nothing changed on the first; its owner hears of the attempt
    assert User.objects.filter(email="taken@test.peercert.example").count() == 1
    owner.refresh_from_db()
    assert owner.check_password("correct-horse-battery") and Person.objects.filter(user=owner).count() == 1
    notice = Notification.objects.get(user=owner)
    assert "Someone tried to create a PeerCert account" in notice.subject
    assert "Forgot your password?" in notice.body
    assert AuditEvent.objects.filter(action="user.register_existing_email", object_id=str(owner.pk)).exists()
    # both addresses got an email, each saying what applies to it
    sent = {m.to[0]: m.subject for m in mail.outbox}
    assert sent == {
        "new@test.peercert.example": "Your PeerCert account is ready",
        "taken@test.peercert.example": "Someone tried to create a PeerCert account with your email",
    }


def test_a_weak_password_is_refused_alike_for_a_taken_email(client):
    user_with_role(Role.PEER, email="taken@test.peercert.example")
    weak = {"password": "1234567890", "password_again": "1234567890"}
    new, taken = (
        _sign_up(client, "new@test.peercert.example", **weak),
        _sign_up(client, "taken@test.peercert.example", **weak),
    )
    assert new.status_code == taken.status_code == 400
    assert _page(new.content).replace(b"new@", b"X@") == _page(taken.content).replace(b"taken@", b"X@")


def test_password_reset_answers_the_same_for_an_unknown_email(client):
    user_with_role(Role.PEER, email="maria@test.peercert.example")
    known = client.post("/password-reset/", {"email": "maria@test.peercert.example"})
    unknown = client.post("/password-reset/", {"email": "nobody@test.peercert.example"})
    assert _shape(known) == _shape(unknown)
    assert _page(client.get(known["Location"]).content) == _page(client.get(unknown["Location"]).content)
    assert [m.to for m in mail.outbox] == [["maria@test.peercert.example"]]
