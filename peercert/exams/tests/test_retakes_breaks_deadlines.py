"""Issue 17, the exam: retakes paid from the score report, open attempts handed in at the deadline,
the break, the per-attempt shuffle, the practical response, and exam times in Pacific time."""

import datetime
import os
import time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core import clock, samples
from peercert.core.errors import ApplicationError
from peercert.core.jobs import run_daily_jobs
from peercert.core.models import AuditEvent, Notification
from peercert.exams import selectors, services
from peercert.exams.models import Answer, Attempt, ExamAuthorization, PracticalResponse, Registration, Result
from peercert.exams.selectors import RetakeState
from peercert.exams.tests.factories import (
    ItemFactory,
    candidate,
    checked_in_attempt,
    pdf_upload,
    practical_task,
    published_form,
    session,
)
from peercert.finance import services as finance_services
from peercert.finance.models import Invoice, PaymentMethod

pytestmark = pytest.mark.django_db

CARD = "4242424242424242"


def _form(n=3, cut=2, tasks=None):
    items = [ItemFactory(content_area="advocacy") for _ in range(n)]
    return published_form(items=items, tasks=tasks, cut_score=cut), items


def _failed_attempt(user=None, form=None):
    form = form or _form()[0]
    attempt = checked_in_attempt(user=user, form=form)
    user = attempt.person.user
    services.attempt_start(actor=user, attempt=attempt)
    attempt = services.attempt_submit(actor=user, attempt=attempt)  # nothing answered: 0 of 3
    assert attempt.result == Result.FAILED
    return attempt


def _pay(invoice, user, capture):
    with capture(execute=True):
        finance_services.payment_record(
            actor=user, invoice=invoice, method=PaymentMethod.TEST_CARD, amount=invoice.balance_due, card_number=CARD
        )


# Retakes ------------------------------------------------------------------------------------------


def test_a_failed_candidate_pays_the_retake_from_the_score_report_and_registers(
    client, django_capture_on_commit_callbacks
):
    attempt = _failed_attempt()
    user = attempt.person.user
    client.force_login(user)
    report = client.get(reverse("exams:score_report", args=[attempt.pk])).content.decode()
    assert "Get the retake invoice" in report and f"Attempt number {attempt.pk}" in report
    later = session(form=attempt.form, starts_at=clock.now() + datetime.timedelta(days=5))
    with pytest.raises(ApplicationError, match="Pay the retake fee"):
        services.registration_create(actor=user, session=later, person=attempt.person)

    first = client.post(reverse("exams:retake_invoice", args=[attempt.pk]))
    second = client.post(reverse("exams:retake_invoice", args=[attempt.pk]))  # a second click
    invoice = Invoice.objects.get(reference_type="exams.retake", reference_id=str(attempt.pk))
    assert first.url == second.url == reverse("finance:invoice_pay", args=[invoice.pk])
    assert invoice.fee_code == "fee_exam_retake" and str(invoice.amount) == "150.00"  # ProgramRules fee_exam_retake
    assert AuditEvent.objects.filter(action="retake.invoice", object_id=str(attempt.pk)).count() == 1
    assert "Pay the retake fee" in client.get(reverse("exams:my_exam")).content.decode()
    with pytest.raises(ApplicationError, match="Pay the retake fee"):
        services.registration_create(actor=user, session=later, person=attempt.person)  # not paid yet

    _pay(invoice, user, django_capture_on_commit_callbacks)
    auth = ExamAuthorization.objects.get(person=attempt.person)
    assert (auth.attempts_paid, auth.attempts_used) == (2, 1)
    assert Notification.objects.filter(user=user, subject="Your exam retake is paid").exists()
    assert selectors.retake_standing(attempt).state == RetakeState.REGISTER
    assert "Choose a session" in client.get(reverse("exams:score_report", args=[attempt.pk])).content.decode()
    registered = client.post(reverse("exams:session_register", args=[later.pk]), follow=True).content.decode()
    assert "Your registration is confirmed" in registered
    assert Registration.objects.filter(person=attempt.person, session=later, status="registered").exists()


def test_no_retake_past_the_third_attempt(client):
    user = candidate(attempts_paid=3, attempts_used=2)
    attempt = _failed_attempt(user=user)  # the third attempt
    assert selectors.retake_standing(attempt).state == RetakeState.LIMIT
    with pytest.raises(ApplicationError, match="taken the exam 3 times, the most allowed"):
        services.retake_invoice_request(actor=user, attempt=attempt)
    assert not Invoice.objects.exists()
    client.force_login(user)
    assert "the most allowed" in client.get(reverse("exams:score_report", args=[attempt.pk])).content.decode()
    refused = client.post(reverse("exams:retake_invoice", args=[attempt.pk]), follow=True).content.decode()
    assert "the most allowed" in refused and not Invoice.objects.exists()


def test_no_retake_past_the_approval_window(django_capture_on_commit_callbacks):
    attempt = _failed_attempt()
    user = attempt.person.user
    auth = ExamAuthorization.objects.get(person=attempt.person)
    with time_machine.travel(
        datetime.datetime.combine(auth.valid_until, datetime.time(12)).astimezone() + datetime.timedelta(days=1),
        tick=False,
    ):
        with pytest.raises(ApplicationError, match="approval window to test ended on"):
            services.retake_invoice_request(actor=user, attempt=attempt)
        later = session(form=attempt.form, starts_at=clock.now() + datetime.timedelta(days=2))
        with pytest.raises(ApplicationError, match="approval window to test ended on"):
            services.registration_create(actor=user, session=later, person=attempt.person)
    assert not Invoice.objects.exists()


def test_only_the_candidate_asks_for_their_retake_and_a_pass_has_none():
    attempt = _failed_attempt()
    with pytest.raises(ApplicationError, match="Only the candidate"):
        services.retake_invoice_request(actor=user_with_role(Role.EXAM_ADMINISTRATOR), attempt=attempt)
    form, items = _form(cut=1)
    passed = checked_in_attempt(form=form)
    services.attempt_start(actor=passed.person.user, attempt=passed)
    services.answer_save(actor=passed.person.user, attempt=passed, item=items[0], choice=0)
    passed = services.attempt_submit(actor=passed.person.user, attempt=passed)
    assert selectors.retake_standing(passed).state == RetakeState.NONE
    with pytest.raises(ApplicationError):
        services.retake_invoice_request(actor=passed.person.user, attempt=passed)


# Left open at the deadline -------------------------------------------------------------------------


def _started(n_items=3, **kw):
    form, items = _form(n=n_items, **kw)
    attempt = checked_in_attempt(form=form)
    attempt = services.attempt_start(actor=attempt.person.user, attempt=attempt)
    return attempt, items


def test_an_attempt_left_open_is_handed_in_and_scored_by_the_job_once():
    attempt, items = _started(cut=1)
    user = attempt.person.user
    services.answer_save(actor=user, attempt=attempt, item=items[0], choice=0)
    with time_machine.travel(attempt.deadline_at + datetime.timedelta(minutes=5), tick=False):
        assert run_daily_jobs(only=["exams.close_overdue_attempts"])[0].counts == {"closed": 1}
        assert run_daily_jobs(only=["exams.close_overdue_attempts"])[0].counts == {"closed": 0}  # twice: nothing
        attempt.refresh_from_db()
        assert attempt.status == "scored" and attempt.auto_submitted and attempt.result == Result.PASSED
        assert attempt.submitted_at == attempt.deadline_at and attempt.written_raw == 1
        assert AuditEvent.objects.filter(action="attempt.auto_submit", object_id=str(attempt.pk)).exists()
        with pytest.raises(ApplicationError, match="handed in for you") as refused:
            services.answer_save(actor=user, attempt=attempt, item=items[1], choice=0)
        assert refused.value.code == "closed"
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_the_next_request_hands_in_an_overdue_attempt(client):
    attempt, items = _started()
    client.force_login(attempt.person.user)
    with time_machine.travel(attempt.deadline_at + datetime.timedelta(seconds=30), tick=False):
        late = client.post(
            reverse("exams:answer_save", args=[attempt.pk]), {"item": items[0].pk, "choice": 0}, HTTP_HX_REQUEST="true"
        )
        assert late.status_code == 409 and "handed in for you" in late.content.decode()
        page = client.get(reverse("exams:attempt_take", args=[attempt.pk]), follow=True).content.decode()
    assert "Time ran out" in page and "Did not pass" in page
    attempt.refresh_from_db()
    assert attempt.status == "scored" and attempt.auto_submitted


def test_closing_overdue_attempts_takes_the_same_statements_for_few_or_many():
    def overdue(n):
        form, _items = _form()
        ids = []
        for _ in range(n):
            attempt = checked_in_attempt(form=form)
            ids.append(services.attempt_start(actor=attempt.person.user, attempt=attempt).pk)
        return ids

    counts = []
    for n in (2, 6):
        ids = overdue(n)
        later = Attempt.objects.get(pk=ids[0]).deadline_at + datetime.timedelta(minutes=1)
        with CaptureQueriesContext(connection) as ctx:
            assert sorted(services.attempts_close_overdue(now=later, attempt_ids=ids)) == sorted(ids)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# The break -------------------------------------------------------------------------------------------


def test_the_break_stops_the_clock_once_and_moves_the_deadline_by_the_break_taken():
    attempt, items = _started()
    user = attempt.person.user
    deadline = attempt.deadline_at
    start = clock.now()
    with time_machine.travel(start + datetime.timedelta(minutes=30), tick=False):
        attempt = services.attempt_break_start(actor=user, attempt=attempt)
        assert attempt.deadline_at == deadline + datetime.timedelta(minutes=10)  # exam_break_minutes
        with pytest.raises(ApplicationError, match="on your break until"):
            services.answer_save(actor=user, attempt=attempt, item=items[0], choice=0)
    with time_machine.travel(start + datetime.timedelta(minutes=34), tick=False):
        attempt = services.attempt_break_end(actor=user, attempt=attempt)
        assert attempt.deadline_at == deadline + datetime.timedelta(minutes=4)  # only what was taken
        services.answer_save(actor=user, attempt=attempt, item=items[0], choice=0)
        with pytest.raises(ApplicationError, match="already taken your break"):
            services.attempt_break_start(actor=user, attempt=attempt)
    assert AuditEvent.objects.filter(action="attempt.break_end", object_id=str(attempt.pk)).exists()


def test_a_break_never_ended_counts_the_whole_allowance_and_no_more():
    attempt, items = _started()
    user = attempt.person.user
    deadline = attempt.deadline_at
    start = clock.now()
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        attempt = services.attempt_break_start(actor=user, attempt=attempt)
    with time_machine.travel(start + datetime.timedelta(minutes=40), tick=False):
        services.answer_save(actor=user, attempt=attempt, item=items[1], choice=2)  # the break ended by itself
        attempt = services.attempt_break_end(actor=user, attempt=attempt)
        assert attempt.deadline_at == deadline + datetime.timedelta(minutes=10)
        with pytest.raises(ApplicationError, match="already taken your break"):
            services.attempt_break_start(actor=user, attempt=attempt)


def test_the_break_page_shows_the_resume_button_and_no_questions(client):
    attempt, _items = _started()
    client.force_login(attempt.person.user)
    client.post(reverse("exams:attempt_break", args=[attempt.pk]))
    page = client.get(reverse("exams:attempt_take", args=[attempt.pk])).content.decode()
    assert "You are on your break" in page and "Resume the exam" in page and "hx-post" not in page
    second = client.post(reverse("exams:attempt_break", args=[attempt.pk]), follow=True).content.decode()
    assert "already taken your break" in second
    client.post(reverse("exams:attempt_resume", args=[attempt.pk]))
    assert "hx-post" in client.get(reverse("exams:attempt_take", args=[attempt.pk])).content.decode()


# The shuffle --------------------------------------------------------------------------------------------


def test_items_and_options_shuffled_per_attempt_reproducibly_and_scored_on_the_item_key():
    form, items = _form(n=8, cut=8)
    orders = set()
    for _ in range(4):
        attempt = checked_in_attempt(form=form)
        services.attempt_start(actor=attempt.person.user, attempt=attempt)
        questions = selectors.attempt_questions(attempt)
        assert questions == selectors.attempt_questions(Attempt.objects.get(pk=attempt.pk))  # the same every time
        assert sorted(q["item"].pk for q in questions) == sorted(i.pk for i in items)
        assert [letter for _index, letter, _text in questions[0]["options"]] == ["A", "B", "C", "D"]
        orders.add(tuple(q["item"].pk for q in questions) + tuple(i for q in questions for i, _l, _t in q["options"]))
        for q in questions:  # the value sent is the item's own option index, whatever letter it shows
            correct = next(i for i, _letter, text in q["options"] if text == q["item"].options[q["item"].key])
            services.answer_save(actor=attempt.person.user, attempt=attempt, item=q["item"], choice=correct)
        assert services.attempt_submit(actor=attempt.person.user, attempt=attempt).written_raw == 8
    assert len(orders) > 1


# The practical response ---------------------------------------------------------------------------------


def test_the_practical_response_is_kept_with_its_file_and_graders_read_it_beside_the_rubric(client):
    task = practical_task()
    attempt, _items = _started(tasks=[task])
    user = attempt.person.user
    client.force_login(user)
    bad = samples.PDF.replace(b"%PDF", b"TEXT")
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = client.post(
        reverse("exams:practical_response", args=[attempt.pk, task.pk]),
        {"text": "I listen first.", "document": SimpleUploadedFile("plan.pdf", bad, content_type="application/pdf")},
        follow=True,
    ).content.decode()
    assert "is not a PDF" in refused and not PracticalResponse.objects.exists()  # nothing half-saved
    client.post(
        reverse("exams:practical_response", args=[attempt.pk, task.pk]),
        {"text": "I listen first, then ask what would help tonight.", "document": pdf_upload("plan.pdf")},
    )
    response = PracticalResponse.objects.get(attempt=attempt, task=task)
    assert response.document_kind == "pdf" and response.document_name == "plan.pdf"
    services.attempt_submit(actor=user, attempt=attempt)
    grader = user_with_role(Role.EXAM_ADMINISTRATOR)
    client.force_login(grader)
    page = client.get(reverse("exams:grade", args=[attempt.pk, task.pk])).content.decode()
    assert "I listen first, then ask what would help tonight." in page and "Rubric" in page
    download = client.get(reverse("exams:practical_response_file", args=[response.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    client.force_login(candidate())
    assert client.get(reverse("exams:practical_response_file", args=[response.pk])).status_code == 404


# Times in Pacific ------------------------------------------------------------------------------------------


@pytest.fixture
def utc_server():
    """The server's own clock set to UTC, as on most hosts: pages must still read Pacific time."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_every_exam_time_reads_in_pacific_time_under_a_utc_server(client, utc_server):
    five_pm = datetime.datetime(2026, 12, 17, 1, 0, tzinfo=datetime.UTC)  # 5:00 PM Pacific on December 16
    with time_machine.travel(datetime.datetime(2026, 12, 10, 18, 0, tzinfo=datetime.UTC), tick=False):
        admin = user_with_role(Role.EXAM_ADMINISTRATOR)
        user = candidate(valid_days=3)
        s = session(starts_at=five_pm, proctor_user=admin)
        # the refusal names the session's time
        with pytest.raises(ApplicationError) as refused:
            services.registration_create(actor=user, session=s, person=user.person)
        assert "December 16, 2026, 5:00 PM" in refused.value.message and "01:00" not in refused.value.message
        ExamAuthorization.objects.filter(person=user.person).update(valid_until=datetime.date(2027, 6, 1))
        reg = services.registration_create(actor=user, session=s, person=user.person)
        mail = Notification.objects.get(user=user, subject="Your exam registration is confirmed")
        assert "December 16, 2026, 5:00 PM (Pacific time)" in mail.body
        client.force_login(user)
        pages = ("exams:session_list", "exams:my_exam")
        for url in [reverse(name) for name in pages] + [reverse("exams:registration_cancel", args=[reg.pk])]:
            page = client.get(url).content.decode()
            assert "December 16, 2026, 5:00 PM" in page, url
            assert "2026-12-17" not in page and "01:00" not in page, url
        client.force_login(admin)
        proctor = client.get(reverse("exams:session_detail", args=[s.pk])).content.decode()
        assert "December 16, 2026, 5:00 PM" in proctor and "01:00" not in proctor
        # in Spanish, the Spanish way
        with translation.override("es"):
            assert str(selectors.session_list(actor=admin).get(pk=s.pk)).startswith("16 de diciembre de 2026, 17:00")
        # a Spanish reader gets the Spanish message, gender-neutral, with the Spanish time
        spanish = candidate(valid_days=300)
        spanish.person.preferred_language = "es"
        spanish.person.save()
        other = session(starts_at=five_pm, proctor_user=admin)
        services.registration_create(actor=spanish, session=other, person=spanish.person)
        carta = Notification.objects.get(user=spanish)
        assert carta.subject == "Su inscripción está confirmada"
        assert "16 de diciembre de 2026, 17:00 (hora del Pacífico)" in carta.body


def test_giving_up_a_seat_asks_first(client):
    user = candidate()
    reg = services.registration_create(actor=user, session=session(), person=user.person)
    client.force_login(user)
    ask = client.get(reverse("exams:registration_cancel", args=[reg.pk])).content.decode()
    assert "Give up your seat?" in ask and "cannot be undone" in ask and f"Registration number {reg.pk}" in ask
    client.post(reverse("exams:registration_cancel", args=[reg.pk]))  # no confirmation: asks again
    reg.refresh_from_db()
    assert reg.status == "registered"
    client.post(reverse("exams:registration_cancel", args=[reg.pk]), {"confirm": "yes"})
    reg.refresh_from_db()
    assert reg.status == "cancelled"


def test_the_retake_and_the_break_read_in_spanish(client):
    from django.conf import settings

    attempt = _failed_attempt()
    client.force_login(attempt.person.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    mine = client.get(reverse("exams:my_exam")).content.decode()
    assert "Siguiente paso: tomar el examen otra vez" in mine and "Obtener la factura para repetir el examen" in mine
    opened, _items = _started()
    client.force_login(opened.person.user)
    client.post(reverse("exams:attempt_break", args=[opened.pk]))
    page = client.get(reverse("exams:attempt_take", args=[opened.pk])).content.decode()
    assert "Está en su descanso" in page and "Volver al examen" in page and "hora del Pacífico" in page
    again = client.post(reverse("exams:attempt_break", args=[opened.pk]), follow=True).content.decode()
    assert "Ya tomó su descanso" in again
