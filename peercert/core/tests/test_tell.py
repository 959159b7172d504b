"""core.tell: one way to tell people, in their language, with every email after commit."""

import logging

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import translation

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.core import tell as tell_module
from peercert.core.models import Notification
from peercert.core.tell import tell_email, tell_person, tell_user, tell_users

pytestmark = pytest.mark.django_db
# Messages already in the catalogue (finance's), so the Spanish is real.
SUBJECT = "Fee waived: %(fee)s"
BODY = "The fee for %(fee)s was waived. You do not need to pay it."
PARAMS = {"fee": "Examen"}


def spanish(person):
    person.preferred_language = "es"
    person.save()
    return person


def test_a_person_with_an_account_is_told_there_and_emailed_after_commit(django_capture_on_commit_callbacks):
    peer = user_with_role(Role.PEER, with_person=True)
    spanish(peer.person)
    with translation.override("en"), django_capture_on_commit_callbacks() as pending:
        note = tell_person(peer.person, subject=SUBJECT, body=BODY, params=PARAMS, link="/finance/invoices/1/")
        assert mail.outbox == []  # nothing leaves before the commit
    assert note.subject == "Cuota eximida: Examen" and note.user == peer and note.url == "/finance/invoices/1/"
    for callback in pending:
        callback()
    assert [m.subject for m in mail.outbox] == ["Cuota eximida: Examen"]
    assert mail.outbox[0].to == [peer.email]


def test_a_person_without_an_account_is_emailed_alone_in_their_language(django_capture_on_commit_callbacks):
    person = spanish(PersonFactory(user=None, email="ana@example.org"))
    with django_capture_on_commit_callbacks() as pending:
        assert tell_person(person, subject=SUBJECT, body=BODY, params=PARAMS, link="/registry/") is None
        assert mail.outbox == []
    assert not Notification.objects.exists()
    for callback in pending:
        callback()
    (sent,) = mail.outbox
    assert sent.to == ["ana@example.org"] and sent.subject == "Cuota eximida: Examen"
    assert (
        sent.body == f"Se eximió la cuota por Examen. No necesita pagarla.\n\n{settings.SITE_URL.rstrip('/')}/registry/"
    )


def test_a_rolled_back_decision_tells_nobody(django_capture_on_commit_callbacks):
    person = PersonFactory(user=None, email="ana@example.org")
    peer = user_with_role(Role.PEER, with_person=True)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                tell_person(person, subject=SUBJECT, body=BODY, params=PARAMS)
                tell_user(peer, subject=SUBJECT, body=BODY, params=PARAMS)
                raise RuntimeError("the decision failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_no_address_means_no_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell_person(PersonFactory(user=None, email=""), subject=SUBJECT, body=BODY, params=PARAMS)
        tell_email("", language="es", subject=SUBJECT, body=BODY, params=PARAMS)
    assert mail.outbox == []


def test_an_unknown_language_falls_back_to_the_sites(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell_email("office@example.org", language="xx", subject=SUBJECT, body=BODY, params=PARAMS)
    assert mail.outbox[0].subject == "Fee waived: Examen"


def test_a_mail_server_failure_after_commit_is_logged_not_raised(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(tell_module, "send_mail", broken)
    with caplog.at_level(logging.ERROR, logger="peercert.core.tell"), django_capture_on_commit_callbacks(execute=True):
        tell_email("office@example.org", language="en", subject=SUBJECT, body=BODY, params=PARAMS)
    assert "office@example.org" in caplog.text


def test_many_users_are_told_in_one_insert_each_in_their_own_language(
    django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    english = user_with_role(Role.PEER, with_person=True)
    spaniard = user_with_role(Role.PEER, with_person=True)
    spanish(spaniard.person)
    staff = user_with_role(Role.PROGRAM_REVIEWER)  # no Person: the site's language
    users = list(type(english).objects.filter(pk__in=[english.pk, spaniard.pk, staff.pk]).select_related("person"))
    with django_capture_on_commit_callbacks() as pending, django_assert_max_num_queries(1):
        notes = tell_users(users, subject=SUBJECT, body=BODY, params=PARAMS, link="/x/")
    assert {n.user_id: n.subject for n in notes} == {
        english.pk: "Fee waived: Examen",
        spaniard.pk: "Cuota eximida: Examen",
        staff.pk: "Fee waived: Examen",
    }
    assert Notification.objects.filter(url="/x/").count() == 3
    for callback in pending:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
