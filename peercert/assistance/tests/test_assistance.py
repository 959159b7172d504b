import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from peercert.assistance import services
from peercert.assistance.models import AssistanceStatus
from peercert.assistance.tests.factories import AssistanceRequestFactory, FaqEntryFactory
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))  # Friday


@time_machine.travel(NOON, tick=False)
def test_question_from_account_gets_a_response_clock_and_an_answer_in_the_account(client, peer_user, reviewer):
    client.force_login(peer_user)
    response = client.post(
        reverse("assistance:my_questions"),
        {
            "name": "Ana Zúñiga",
            "email": peer_user.email,
            "category": "fees",
            "subject": "Scholarship",
            "question": "Can a scholarship pay the exam fee?",
        },
    )
    assert response.status_code == 302
    question = peer_user.assistance_requests.get()
    assert question.respond_by == datetime.date(2026, 3, 11)  # 3 business days
    assert question.status == AssistanceStatus.OPEN
    services.assistance_reply(actor=reviewer, request=question, body="Yes: scholarships may pay any fee.")
    question.refresh_from_db()
    assert question.status == AssistanceStatus.ANSWERED and question.first_response_at is not None
    assert question.assigned_to == reviewer
    assert Notification.objects.filter(user=peer_user, subject__contains=question.number).exists()
    page = client.get(reverse("assistance:my_question", args=[question.pk])).content.decode()
    assert "scholarships may pay any fee" in page
    # a follow-up reopens it for staff
    client.post(reverse("assistance:my_question", args=[question.pk]), {"body": "Thanks! And the retake fee?"})
    question.refresh_from_db()
    assert question.status == AssistanceStatus.OPEN
    assert {"assistance.ask", "assistance.reply", "assistance.follow_up"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


@time_machine.travel(NOON, tick=False)
@pytest.mark.django_db(transaction=True)
def test_public_question_is_answered_by_email(reviewer):
    question = services.assistance_ask(
        actor=None,
        name="Bảo Trần",
        email="bao@asker.example",
        category="exam",
        subject="Retake",
        question="How soon can I retake?",
    )
    services.assistance_reply(actor=reviewer, request=question, body="You can book a retake right away.")
    assert any(m.to == ["bao@asker.example"] and "retake right away" in m.body for m in mail.outbox)


@pytest.mark.parametrize("source", list(AssistanceStatus.values))
def test_assistance_transitions(source, reviewer, peer_user):
    question = AssistanceRequestFactory(status=source, requester=peer_user)
    if source == AssistanceStatus.CLOSED:
        with pytest.raises(ApplicationError, match="closed"):
            services.assistance_reply(actor=reviewer, request=question, body="Hi")
        with pytest.raises(ApplicationError):
            services.assistance_close(actor=reviewer, request=question)
        services.assistance_follow_up(actor=peer_user, request=question, body="Still need help")
        question.refresh_from_db()
        assert question.status == AssistanceStatus.OPEN
    else:
        services.assistance_close(actor=reviewer, request=question)
        assert AuditEvent.objects.filter(action="assistance.close", object_id=str(question.pk)).exists()


def test_only_staff_reply_and_only_the_asker_follows_up(reviewer, peer_user, db):
    question = AssistanceRequestFactory()
    with pytest.raises(ApplicationError) as refused:
        services.assistance_reply(actor=peer_user, request=question, body="I know")
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError, match="your own questions"):
        services.assistance_follow_up(actor=peer_user, request=question, body="Me too")


def test_assign_and_queue_filters(client, reviewer, manager):
    question = AssistanceRequestFactory(category="renewal")
    services.assistance_assign(actor=manager, request=question, assignee=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("assistance:queue"), {"mine": "1", "category": "renewal"}).content.decode()
    assert question.number in page
    page = client.get(reverse("assistance:queue"), {"category": "exam"}).content.decode()
    assert question.number not in page


def test_saved_answer_prefills_a_reply(client, reviewer):
    answer = services.saved_answer_save(
        actor=reviewer,
        data={
            "title": "Exam retakes",
            "category": "exam",
            "body": "You may take the exam up to 3 times.",
            "is_active": True,
        },
    )
    with pytest.raises(ApplicationError, match="already has this title"):
        services.saved_answer_save(actor=reviewer, data={"title": "exam retakes", "body": "x"})
    question = AssistanceRequestFactory()
    client.force_login(reviewer)
    page = client.get(reverse("assistance:question", args=[question.pk]), {"saved": answer.pk}).content.decode()
    assert "You may take the exam up to 3 times." in page


def test_faq_kept_by_staff_and_public(client, reviewer):
    entry = services.faq_save(
        actor=reviewer,
        data={
            "question": "How much does certification cost?",
            "answer": "The application fee is $100.",
            "category": "fees",
            "order": 1,
            "is_published": True,
        },
    )
    FaqEntryFactory(question="Hidden draft?", is_published=False)
    page = client.get(reverse("assistance:faq")).content.decode()
    assert "How much does certification cost?" in page and "Hidden draft?" not in page
    assert client.get("/api/v1/assistance/faq").json()[0]["question"] == entry.question
    # The old API address still answers, for clients written before the move.
    assert client.get("/api/v1/discipline/faq").json()[0]["question"] == entry.question
    client.force_login(reviewer)
    client.post(
        reverse("assistance:faq_edit", args=[entry.pk]),
        {"question": entry.question, "answer": "The application fee is $100.", "category": "fees", "order": 1},
    )
    entry.refresh_from_db()
    assert entry.is_published is False
    assert AuditEvent.objects.filter(action="faq.save", object_id=str(entry.pk)).count() == 2


def test_response_time_figures(client, reviewer):
    with time_machine.travel(NOON, tick=False):
        question = services.assistance_ask(
            actor=None, name="Bảo", email="bao@asker.example", category="exam", subject="Retake", question="When?"
        )
    with time_machine.travel(NOON + datetime.timedelta(hours=5), tick=False):
        services.assistance_reply(actor=reviewer, request=question, body="Now.")
        from peercert.assistance import selectors

        stats = selectors.assistance_response_stats(actor=reviewer)
        assert stats == {"days": 90, "answered": 1, "late": 0, "average_hours": 5.0}
        client.force_login(reviewer)
        assert "on average 5.0 hours" in client.get(reverse("assistance:queue")).content.decode()


def test_home_page_queue_shows_only_when_something_waits(reviewer):
    from peercert.accounts.roles import Role
    from peercert.core.worklists import worklists_for

    assert "Questions waiting for an answer" not in [
        w.title for w in worklists_for(Role.PROGRAM_REVIEWER, reviewer, None)
    ]
    question = AssistanceRequestFactory()
    lists = {w.title: w for w in worklists_for(Role.PROGRAM_REVIEWER, reviewer, None)}
    assert lists["Questions waiting for an answer"].count == 1
    assert lists["Questions waiting for an answer"].items[0].url == reverse("assistance:question", args=[question.pk])
