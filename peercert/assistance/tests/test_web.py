"""The assistance pages over HTTP: the public ask form's spam checks, Spanish, staff pages, and
the old /discipline/ addresses redirecting to the new ones."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from peercert.assistance import services
from peercert.assistance.models import AssistanceMessage, AssistanceStatus
from peercert.assistance.tests.factories import AssistanceRequestFactory, FaqEntryFactory, SavedAnswerFactory
from peercert.core.errors import ApplicationError
from peercert.core.spam import LIMIT_PER_WINDOW

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))


@pytest.fixture(autouse=True)
def _back_to_english():
    """LocaleMiddleware leaves Spanish active on this thread; later tests expect the default language."""
    yield
    translation.deactivate()


@time_machine.travel(NOON, tick=False)
def test_public_ask_form_has_honeypot_and_rate_limit(client):
    data = {
        "name": "Bảo Trần",
        "email": "bao@asker.example",
        "category": "exam",
        "subject": "Retake",
        "question": "How soon can I retake the exam?",
        "website": "",
    }
    assert client.post(reverse("assistance:ask"), {**data, "website": "x"}).status_code == 400
    for _ in range(LIMIT_PER_WINDOW - 1):
        assert client.post(reverse("assistance:ask"), data).status_code == 302
    assert client.post(reverse("assistance:ask"), data).status_code == 429


def test_help_page_in_spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert "Ayuda y preguntas frecuentes" in client.get(reverse("assistance:faq")).content.decode()


def test_refusal_reads_in_spanish():
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        services.assistance_ask(
            actor=None,
            name="Ana López",
            email="ana@example.org",
            category="not-a-topic",
            subject="Mi certificado",
            question="¿Cuándo llega?",
        )
    assert refused.value.message == "Elija un tema."


@time_machine.travel(NOON, tick=False)
def test_staff_pages_render(client, reviewer):
    question = AssistanceRequestFactory()
    answer, entry = SavedAnswerFactory(), FaqEntryFactory()
    client.force_login(reviewer)
    for url in [
        reverse("assistance:queue"),
        reverse("assistance:question", args=[question.pk]),
        reverse("assistance:saved_answer_list"),
        reverse("assistance:saved_answer_edit", args=[answer.pk]),
        reverse("assistance:faq_manage"),
        reverse("assistance:faq_edit", args=[entry.pk]),
        reverse("web:home"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_a_refused_reply_is_shown_on_the_form_and_changes_nothing(client, reviewer):
    question = AssistanceRequestFactory(status=AssistanceStatus.CLOSED)
    client.force_login(reviewer)
    response = client.post(reverse("assistance:question", args=[question.pk]), {"body": "Hello"})
    assert response.status_code == 400  # the closed page shows no reply form; the refusal rolled back
    question.refresh_from_db()
    assert question.status == AssistanceStatus.CLOSED and not AssistanceMessage.objects.exists()


def test_close_button_flashes_the_refusal(client, reviewer):
    question = AssistanceRequestFactory(status=AssistanceStatus.CLOSED)
    client.force_login(reviewer)
    response = client.post(reverse("assistance:question_close", args=[question.pk]), follow=True)
    assert "is closed, so it cannot become closed" in response.content.decode()


def test_assigning_nobody_is_refused(client, reviewer):
    question = AssistanceRequestFactory()
    client.force_login(reviewer)
    response = client.post(reverse("assistance:question_assign", args=[question.pk]), {"assignee": ""}, follow=True)
    assert "Choose a member of program staff." in response.content.decode()
    question.refresh_from_db()
    assert question.assigned_to is None


@pytest.mark.parametrize(
    ("old", "name", "kwargs"),
    [
        ("/discipline/help/", "assistance:faq", {}),
        ("/discipline/help/ask/", "assistance:ask", {}),
        ("/discipline/help/sent/", "assistance:ask_sent", {}),
        ("/discipline/my/questions/", "assistance:my_questions", {}),
        ("/discipline/my/questions/7/", "assistance:my_question", {"request_id": 7}),
        ("/discipline/help/queue/", "assistance:queue", {}),
        ("/discipline/help/queue/7/", "assistance:question", {"request_id": 7}),
        ("/discipline/help/queue/7/assign/", "assistance:question_assign", {"request_id": 7}),
        ("/discipline/help/queue/7/close/", "assistance:question_close", {"request_id": 7}),
        ("/discipline/help/saved-answers/", "assistance:saved_answer_list", {}),
        ("/discipline/help/saved-answers/7/", "assistance:saved_answer_edit", {"answer_id": 7}),
        ("/discipline/help/faq/", "assistance:faq_manage", {}),
        ("/discipline/help/faq/7/", "assistance:faq_edit", {"entry_id": 7}),
    ],
)
def test_old_discipline_addresses_redirect(client, old, name, kwargs):
    new = reverse(name, kwargs=kwargs or None)
    assert new.startswith("/assistance/")
    got = client.get(old + "?status=open")
    assert got.status_code == 301 and got.headers["Location"] == new + "?status=open"
    posted = client.post(old, {"body": "x"})
    assert posted.status_code == 308 and posted.headers["Location"] == new


def test_a_reply_posted_to_the_old_address_lands_once_followed(client, reviewer):
    """308 keeps the method and body: a form cached before the move still sends its reply."""
    question = AssistanceRequestFactory()
    client.force_login(reviewer)
    response = client.post(
        f"/discipline/help/queue/{question.pk}/", {"body": "Answered at the new address."}, follow=True
    )
    assert response.redirect_chain[0][1] == 308
    question.refresh_from_db()
    assert question.status == AssistanceStatus.ANSWERED
    assert question.messages.get().body == "Answered at the new address."


def test_refusal_uses_assistance_services(reviewer):
    with pytest.raises(ApplicationError):
        services.assistance_close(actor=None, request=AssistanceRequestFactory())
