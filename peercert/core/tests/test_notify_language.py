"""Notifications are written in the recipient's preferred language, whoever sends them."""

import datetime

import pytest
from django.utils import translation

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.notify import notify
from peercert.core.text import fill

pytestmark = pytest.mark.django_db
# A message already in the catalogue, with values.
MESSAGE = "Age %(age)s; the minimum is %(min)s."


def test_a_spanish_reader_gets_spanish_even_from_an_english_request():
    peer = user_with_role(Role.PEER, with_person=True)
    peer.person.preferred_language = "es"
    peer.person.save()
    staff = user_with_role(Role.PROGRAM_REVIEWER)
    with translation.override("en"):
        to_peer = notify(user=peer, subject=MESSAGE, body=MESSAGE, params={"age": 17, "min": 18})
        to_staff = notify(user=staff, subject=MESSAGE, body=MESSAGE, params={"age": 17, "min": 18})
    assert to_staff.subject == "Age 17; the minimum is 18."
    assert to_peer.subject != to_staff.subject and "17" in to_peer.subject and "18" in to_peer.subject
    assert translation.get_language() == "en"  # the sender's language is left as it was


def test_dates_are_written_as_the_reader_writes_them():
    day = datetime.date(2026, 11, 30)
    with translation.override("es"):
        assert fill("%(d)s", {"d": day}) == "30 de noviembre de 2026"
    with translation.override("en"):
        assert fill("%(d)s", {"d": day}) == "November 30, 2026"
