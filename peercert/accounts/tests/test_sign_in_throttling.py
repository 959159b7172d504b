"""Sign-in throttling and the audit trail of signing in (issue 11, finding 5).

Fifty wrong passwords used to be followed by a successful sign-in with the right one, and
failed sign-ins, sign-ins and password resets left nothing in the audit trail.
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("throttling")]
PASSWORD = "correct-horse-battery"
# 10:00 in California, in winter (PST)
START = datetime.datetime(2026, 1, 15, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture
def throttling():
    with override_settings(AXES_ENABLED=True):
        yield


@pytest.fixture
def peer():
    return user_with_role(Role.PEER, email="maria@test.peercert.example")


def _sign_in(client, email, password, address="203.0.113.7"):
    return client.post("/sign-in/", {"username": email, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, peer):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            assert _sign_in(client, peer.email, "wrong-guess").status_code == 200
        fifth = _sign_in(client, peer.email, "wrong-guess")
        assert fifth.status_code == 429
        right = _sign_in(client, peer.email, PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    body = right.content.decode()
    assert "You can try again after 10:15 a.m. Pacific time on January 15, 2026." in body
    assert 'href="/password-reset/"' in body and "contact your certification program" in body
    assert 'class="usa-alert usa-alert--warning"' in body  # the site's own layout, not a bare message


def test_the_lock_is_per_account_from_any_address(client, peer):
    with time_machine.travel(START, tick=False):
        for n in range(5):
            _sign_in(client, peer.email.upper(), "wrong-guess", address=f"198.51.100.{n}")
        assert _sign_in(client, peer.email, PASSWORD, address="192.0.2.1").status_code == 429


def test_the_lock_ends_after_fifteen_minutes(client, peer):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            _sign_in(client, peer.email, "wrong-guess")
        traveller.shift(datetime.timedelta(minutes=14))
        assert _sign_in(client, peer.email, PASSWORD).status_code == 429
        traveller.shift(datetime.timedelta(minutes=1, seconds=1))
        assert _sign_in(client, peer.email, PASSWORD).status_code == 302


def test_one_address_guessing_many_accounts_is_locked(client, peer):
    with time_machine.travel(START, tick=False):
        for n in range(20):
            _sign_in(client, f"guess{n}@test.peercert.example", "wrong-guess")
        assert _sign_in(client, peer.email, PASSWORD).status_code == 429
        # the same account from elsewhere is not locked: the address was
        assert _sign_in(client, peer.email, PASSWORD, address="192.0.2.1").status_code == 302


def test_a_few_typos_from_a_shared_address_lock_nobody_else(client, peer):
    colleague = user_with_role(Role.COUNTY_STAFF)
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            _sign_in(client, colleague.email, "typo")
        assert _sign_in(client, peer.email, PASSWORD).status_code == 302


def test_lockout_page_in_spanish(client, peer):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _sign_in(client, peer.email, "wrong-guess")
        client.cookies["django_language"] = "es"
        body = _sign_in(client, peer.email, PASSWORD).content.decode()
    assert "Puede intentarlo de nuevo después de las 10:15 (hora del Pacífico) del 15 de enero de 2026." in body


def test_a_password_reset_lifts_the_lock_and_is_audited(client, peer):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _sign_in(client, peer.email, "wrong-guess")
        client.post("/password-reset/", {"email": peer.email})
        link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
        form = client.get(link.split("testserver", 1)[1], follow=True)
        client.post(
            form.redirect_chain[-1][0],
            {"new_password1": "new-passphrase-2026!", "new_password2": "new-passphrase-2026!"},
        )
        assert _sign_in(client, peer.email, "new-passphrase-2026!").status_code == 302
    actions = list(AuditEvent.objects.filter(object_id=str(peer.pk)).values_list("action", flat=True))
    assert "auth.password_reset_requested" in actions and "auth.password_reset_completed" in actions


def test_every_sign_in_event_is_audited_without_a_password(client, peer):
    with time_machine.travel(START, tick=False):
        _sign_in(client, peer.email, "wrong-guess-1")
        _sign_in(client, "Nobody@Test.PeerCert.example ", "wrong-guess-2")
        assert _sign_in(client, peer.email, PASSWORD).status_code == 302
        client.post("/sign-out/")
        for _ in range(5):
            _sign_in(client, peer.email, "wrong-guess-3")
        client.post("/password-reset/", {"email": "nobody@test.peercert.example"})

    failed = AuditEvent.objects.filter(action="auth.sign_in_failed").order_by("id")
    known, unknown = failed[0], failed[1]
    assert known.actor is None and known.object_id == str(peer.pk)
    assert known.after == {
        "email": peer.email,
        "ip_address": "203.0.113.7",
        "known_account": True,
        "while_locked_out": False,
    }
    assert unknown.actor is None and unknown.object_type == "accounts.sign_in"
    assert unknown.object_id == "nobody@test.peercert.example" and unknown.after["known_account"] is False
    signed_in = AuditEvent.objects.get(action="auth.sign_in")
    assert signed_in.actor == peer and signed_in.after == {"ip_address": "203.0.113.7"}
    assert AuditEvent.objects.get(action="auth.sign_out").actor == peer
    locked = AuditEvent.objects.get(action="auth.locked_out")
    assert locked.object_id == str(peer.pk) and locked.after["email"] == peer.email
    assert locked.after["until"].startswith("2026-01-15T18:15")
    reset = AuditEvent.objects.get(action="auth.password_reset_requested")
    assert reset.object_id == "nobody@test.peercert.example" and reset.after["known_account"] is False
    recorded = " ".join(str(e.after) + e.reason + e.object_repr for e in AuditEvent.objects.all())
    assert "wrong-guess" not in recorded and PASSWORD not in recorded
