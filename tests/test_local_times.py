"""Issue 17, point 3: every date and time a person reads is Pacific (America/Los_Angeles) in their
language, whatever the server's clock says. Each page and message that carries a time is rendered at a
moment when the UTC date and the Pacific date differ (02:30 UTC on December 2 is 6:30 p.m. on
December 1 in California), and must show the Pacific value and never the UTC one.

Reached here: the home page's messages, the audit page, e-mail and account messages written through
core.tell (to a user, to many users, to an address), and CSV exports (core.csvexport). The rules
page shows dates only (the version's first day), which carry no time of day to convert.
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.audit import audit_record
from peercert.core.csvexport import csv_text
from peercert.core.models import Notification
from peercert.core.tell import tell_email, tell_user, tell_users

MOMENT = datetime.datetime(2026, 12, 2, 2, 30, tzinfo=datetime.UTC)  # 6:30 p.m. PST, December 1


@pytest.fixture
def frozen():
    with time_machine.travel(MOMENT, tick=False):
        yield


@pytest.fixture
def peer(db):
    return user_with_role(Role.PEER, email="guadalupe.ramos@test.peercert.example")


def _spanish(user):
    user.person.preferred_language = "es"
    user.person.save(update_fields=["preferred_language"])
    return user


@pytest.mark.django_db
def test_the_home_page_dates_its_messages_in_pacific(client, peer, frozen):
    tell_user(peer, subject="Your exam seat is held", body="See you there.")
    client.force_login(peer)
    html = client.get(reverse("web:home")).content.decode()
    assert "December 1, 2026" in html
    assert "December 2, 2026" not in html and "2026-12-02" not in html
    html = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "1 de diciembre de 2026" in html and "2 de diciembre" not in html


@pytest.mark.django_db
def test_the_audit_page_shows_pacific_times(client, frozen):
    auditor = user_with_role(Role.AUDITOR, email="auditor.lim@test.peercert.example")
    audit_record(actor=None, action="test.local_time", object_type="test.thing", object_id=1)
    client.force_login(auditor)
    html = client.get(reverse("web:audit")).content.decode()
    assert "2026-12-01 18:30" in html
    assert "2026-12-02" not in html and "02:30" not in html


@pytest.mark.django_db
def test_messages_and_emails_write_times_in_pacific_in_the_readers_language(
    peer, frozen, django_capture_on_commit_callbacks
):
    exam = datetime.datetime(2026, 12, 17, 1, 0, tzinfo=datetime.UTC)  # 5:00 p.m. PST on December 16
    spanish = _spanish(user_with_role(Role.PEER, email="maria.lopez@test.peercert.example"))
    with django_capture_on_commit_callbacks(execute=True):
        english = tell_user(peer, subject="Exam booked", body="Your exam starts %(when)s.", params={"when": exam})
        [in_spanish] = tell_users(
            [spanish], subject="Exam booked", body="Your exam starts %(when)s.", params={"when": exam}
        )
        tell_email(
            "office@sacramento-peers.example", language="en", subject="Exam booked",
            body="Your exam starts %(when)s.", params={"when": exam},
        )  # fmt: skip
    assert "December 16, 2026, 5 p.m." in english.body, english.body
    assert "16 de diciembre de 2026" in in_spanish.body and "17:00" in in_spanish.body, in_spanish.body
    for text in (english.body, in_spanish.body):
        assert "01:00" not in text and "December 17" not in text and "17 de diciembre" not in text
    [office] = [m for m in mail.outbox if m.to == ["office@sacramento-peers.example"]]
    assert "December 16, 2026, 5 p.m." in office.body and "01:00" not in office.body
    assert Notification.objects.count() == 2


def test_csv_exports_write_times_in_pacific():
    text = csv_text([["submitted_at"], [MOMENT], [datetime.date(2026, 12, 2)]])
    assert "2026-12-01 18:30:00" in text
    assert "02:30" not in text and "+00:00" not in text
    assert "2026-12-02" in text  # a plain date stays the date it is
