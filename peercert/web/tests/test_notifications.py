"""Issue 17, point 4: notifications can be put away (one's own only) and those about a settled matter
clear themselves (core.tell.notifications_clear; finance's invoice_settled clears its "Fee to pay")."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.models import Notification
from peercert.core.tell import matter_of, notifications_clear, tell_user
from peercert.finance import services as finance

# 16:05 Pacific on December 1 is 00:05 UTC on December 2: the two dates differ.
START = datetime.datetime(2026, 12, 2, 0, 5, tzinfo=datetime.UTC)


@pytest.fixture
def peer(db):
    return user_with_role(Role.PEER, email="rosa.delgado@test.peercert.example")


def _showing(client) -> str:
    return client.get(reverse("web:home")).content.decode()


@pytest.mark.django_db
def test_a_paid_fee_clears_its_fee_to_pay_message_but_not_the_others(client, peer, django_capture_on_commit_callbacks):
    staff = user_with_role(Role.PROGRAM_MANAGER)
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            invoice = finance.invoice_create(
                actor=None, payer=peer.person, fee_code="fee_application", reference_type="test.application",
                reference_id=1, description="Certification application",
            )  # fmt: skip
            other = tell_user(peer, subject="Your exam is on Friday", body="Bring your photo ID.")
        client.force_login(peer)
        assert "Fee to pay" in _showing(client)
        traveller.shift(datetime.timedelta(minutes=5))
        with django_capture_on_commit_callbacks(execute=True):
            finance.invoice_waive(actor=staff, invoice=invoice, reason="Hardship: Fresno County letter on file")
    fee = Notification.objects.get(user=peer, subject__startswith="Fee to pay")
    assert fee.cleared_at is not None
    other.refresh_from_db()
    assert other.cleared_at is None  # about another matter
    page = _showing(client)
    assert "Fee to pay" not in page
    assert "Fee waived" in page  # the message about the settlement itself stays
    assert "Your exam is on Friday" in page


@pytest.mark.django_db
def test_a_named_matter_clears_in_one_update(peer, django_assert_num_queries):
    with time_machine.travel(START, tick=False):
        notes = [
            tell_user(peer, subject=f"Complaint {n} needs an answer", body=".", matter=f"discipline.case:{n}")
            for n in range(5)
        ]
        with django_assert_num_queries(1):
            assert notifications_clear(matters=["discipline.case:1", "discipline.case:3"]) == 2
    assert [n.pk for n in Notification.objects.filter(cleared_at__isnull=False).order_by("pk")] == [
        notes[1].pk,
        notes[3].pk,
    ]
    assert notifications_clear(matters=["discipline.case:1"]) == 0  # already cleared
    assert notifications_clear() == 0
    assert matter_of(peer) == f"accounts.user:{peer.pk}"


@pytest.mark.django_db
def test_a_person_puts_away_their_own_message_and_nobody_else_can(client, peer):
    with time_machine.travel(START, tick=False):
        note = tell_user(peer, subject="Your renewal is due", body="Renew by January 31.")
        stranger = user_with_role(Role.PEER, email="tomas.nguyen@test.peercert.example")
        client.force_login(stranger)
        assert client.post(reverse("web:notification_dismiss", args=[note.pk])).status_code == 404
        note.refresh_from_db()
        assert note.dismissed_at is None
        client.force_login(peer)
        assert client.get(reverse("web:notification_dismiss", args=[note.pk])).status_code == 405
        assert "Your renewal is due" in _showing(client)
        response = client.post(reverse("web:notification_dismiss", args=[note.pk]))
        assert response.status_code == 302 and response.url == reverse("web:home")
    note.refresh_from_db()
    assert note.dismissed_at == START
    assert "Your renewal is due" not in _showing(client)
    assert client.post(reverse("web:notification_dismiss", args=[999_999])).status_code == 404


@pytest.mark.django_db
def test_the_put_away_button_speaks_spanish(client, peer):
    with time_machine.travel(START, tick=False):
        tell_user(peer, subject="Hello", body=".")
        client.force_login(peer)
        html = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Quitar" in html and "Put away" not in html
