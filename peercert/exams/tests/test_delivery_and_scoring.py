import datetime

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification
from peercert.exams import selectors, services
from peercert.exams.models import ATTEMPT_TRANSITIONS, Answer, Attempt, AttemptStatus, ExamAuthorization, Result
from peercert.exams.tests.factories import (
    ItemFactory,
    candidate,
    checked_in_attempt,
    conversion_table,
    practical_task,
    published_form,
)

pytestmark = pytest.mark.django_db


def _form(cut=2, tasks=None, **kw):
    items = [
        ItemFactory(content_area="advocacy", key=0),
        ItemFactory(content_area="advocacy", key=1),
        ItemFactory(content_area="crisis_management", key=2),
    ]
    return published_form(items=items, tasks=tasks, cut_score=cut, **kw), items


def test_take_written_part_answers_saved_resume_and_submit_scores_by_area():
    form, items = _form(cut=2)
    attempt = checked_in_attempt(form=form, multiplier="1.50")
    user = attempt.person.user
    attempt = services.attempt_start(actor=user, attempt=attempt)
    assert attempt.deadline_at - attempt.started_at == datetime.timedelta(minutes=225)  # 150 x 1.5
    services.answer_save(actor=user, attempt=attempt, item=items[0], choice=0)  # right
    services.answer_save(actor=user, attempt=attempt, item=items[1], choice=0)  # wrong...
    services.answer_save(actor=user, attempt=attempt, item=items[1], choice=1)  # ...changed to right
    # a disconnect: starting again resumes, same deadline, answers kept
    again = services.attempt_start(actor=user, attempt=attempt)
    assert again.deadline_at == attempt.deadline_at
    assert {q["item"].pk: q["choice"] for q in selectors.attempt_questions(attempt)} == {
        items[0].pk: 0,
        items[1].pk: 1,
        items[2].pk: None,
    }
    attempt = services.attempt_submit(actor=user, attempt=attempt)
    assert (attempt.status, attempt.result, attempt.written_raw, attempt.written_total) == (
        "scored",
        Result.PASSED,
        2,
        3,
    )
    assert selectors.exam_passed_on(attempt.person) == attempt.taken_on
    report = {r["area"]: (r["correct"], r["total"]) for r in selectors.score_report(attempt)}
    assert report == {"advocacy": (2, 2), "crisis_management": (0, 1)}
    assert Notification.objects.filter(user=user, subject__icontains="score report").exists()
    assert AuditEvent.objects.filter(action="attempt.score", object_id=str(attempt.pk)).exists()


def test_answers_after_the_deadline_are_refused_by_the_server():
    form, items = _form()
    attempt = checked_in_attempt(form=form)
    user = attempt.person.user
    attempt = services.attempt_start(actor=user, attempt=attempt)
    services.answer_save(actor=user, attempt=attempt, item=items[0], choice=0)
    with time_machine.travel(attempt.deadline_at + datetime.timedelta(seconds=1), tick=False):
        with pytest.raises(ApplicationError, match="Time ran out") as exc:
            services.answer_save(actor=user, attempt=attempt, item=items[1], choice=1)
        assert exc.value.code == "closed"
        with pytest.raises(ApplicationError, match="Time ran out"):
            services.answer_save(actor=user, attempt=attempt, item=items[0], choice=3)
        attempt = services.attempt_submit(actor=user, attempt=attempt)  # handing in late is allowed
    assert dict(Answer.objects.filter(attempt=attempt).values_list("item_id", "choice")) == {items[0].pk: 0}
    assert attempt.written_raw == 1 and attempt.result == Result.FAILED


def test_start_only_inside_the_session_window_and_only_by_the_candidate():
    form, _items = _form()
    start = clock.now() + datetime.timedelta(hours=2)
    attempt = checked_in_attempt(form=form, starts_at=start)
    user = attempt.person.user
    with pytest.raises(ApplicationError, match="opens at"):
        services.attempt_start(actor=user, attempt=attempt)
    with pytest.raises(ApplicationError, match="Only the candidate"):
        services.attempt_start(actor=candidate(), attempt=attempt)
    with time_machine.travel(start + datetime.timedelta(minutes=151), tick=False):
        with pytest.raises(ApplicationError, match="session is over"):
            services.attempt_start(actor=user, attempt=attempt)


def test_answer_checks_item_and_choice():
    form, items = _form()
    attempt = checked_in_attempt(form=form)
    user = attempt.person.user
    with pytest.raises(ApplicationError, match="not open"):
        services.answer_save(actor=user, attempt=attempt, item=items[0], choice=0)
    services.attempt_start(actor=user, attempt=attempt)
    with pytest.raises(ApplicationError, match="not on your exam"):
        services.answer_save(actor=user, attempt=attempt, item=ItemFactory(), choice=0)
    with pytest.raises(ApplicationError, match="Choose one"):
        services.answer_save(actor=user, attempt=attempt, item=items[0], choice=7)


@pytest.mark.parametrize("start", list(AttemptStatus.values))
def test_every_attempt_transition(start):
    form, _items = _form()
    attempt = checked_in_attempt(form=form)
    user = attempt.person.user
    deadline = clock.now() + datetime.timedelta(minutes=5)
    Attempt.objects.filter(pk=attempt.pk).update(
        status=start,
        deadline_at=deadline,
        written_raw=0,
        written_total=3,
        written_scaled=0,
        result="failed" if start == "scored" else "",
    )
    for target, call in (
        (AttemptStatus.IN_PROGRESS, services.attempt_start),
        (AttemptStatus.SUBMITTED, services.attempt_submit),
    ):
        attempt.refresh_from_db()
        if attempt.status != start:
            break
        if target in ATTEMPT_TRANSITIONS[start] or (start == target == AttemptStatus.IN_PROGRESS):
            call(actor=user, attempt=attempt)
        else:
            with pytest.raises(ApplicationError) as exc:
                call(actor=user, attempt=attempt)
            assert exc.value.code == "state"


def test_browser_pages_timer_autosave_and_refusal(as_user):
    form, items = _form()
    attempt = checked_in_attempt(form=form, multiplier="1.50")
    client = as_user(attempt.person.user)
    page = client.get(reverse("exams:attempt_take", args=[attempt.pk]))
    assert b"225 minutes" in page.content
    client.post(reverse("exams:attempt_take", args=[attempt.pk]))
    page = client.get(reverse("exams:attempt_take", args=[attempt.pk]))
    assert b'id="exam-timer"' in page.content and b"hx-post" in page.content
    saved = client.post(
        reverse("exams:answer_save", args=[attempt.pk]), {"item": items[0].pk, "choice": 0}, HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 200 and b"Saved" in saved.content
    attempt.refresh_from_db()
    with time_machine.travel(attempt.deadline_at + datetime.timedelta(minutes=1), tick=False):
        late = client.post(
            reverse("exams:answer_save", args=[attempt.pk]), {"item": items[1].pk, "choice": 1}, HTTP_HX_REQUEST="true"
        )
        assert late.status_code == 409 and b"Time ran out" in late.content
        api = client.post(
            f"/api/v1/exams/attempts/{attempt.pk}/answers",
            {"item": items[1].pk, "choice": 1},
            content_type="application/json",
        )
        assert api.status_code == 409
    assert Answer.objects.filter(attempt=attempt).count() == 1
    done = client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    assert done.status_code == 302
    report = client.get(reverse("exams:score_report", args=[attempt.pk]))
    assert b"Advocacy" in report.content


# Practical grading -----------------------------------------------------------------------------


def _graders():
    from peercert.accounts.tests.factories import user_with_role

    return [user_with_role(Role.EXAM_ADMINISTRATOR) for _ in range(4)]


def _submitted_with_task(tolerance=2):
    task = practical_task(tolerance=tolerance, points=(4, 3, 3))  # 10 points
    form, items = _form(cut=1, tasks=[task], practical_cut_percent=70)
    attempt = checked_in_attempt(form=form)
    user = attempt.person.user
    services.attempt_start(actor=user, attempt=attempt)
    services.answer_save(actor=user, attempt=attempt, item=items[0], choice=0)
    attempt = services.attempt_submit(actor=user, attempt=attempt)
    return attempt, task, list(task.criteria.order_by("position"))


def _points(criteria, values):
    return {c.pk: v for c, v in zip(criteria, values, strict=True)}


def test_two_graders_within_tolerance_give_the_result():
    attempt, task, crit = _submitted_with_task()
    assert attempt.status == AttemptStatus.SUBMITTED  # waiting for the practical part
    g1, g2, g3, _ = _graders()
    services.practical_score_record(actor=g1, attempt=attempt, task=task, points=_points(crit, [4, 3, 2]))  # 9
    with pytest.raises(ApplicationError, match="already scored"):
        services.practical_score_record(actor=g1, attempt=attempt, task=task, points=_points(crit, [4, 3, 2]))
    services.practical_score_record(actor=g2, attempt=attempt, task=task, points=_points(crit, [3, 2, 2]))  # 7
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SCORED and attempt.practical_points == 8 and attempt.result == Result.PASSED
    with pytest.raises(ApplicationError):
        services.practical_score_record(actor=g3, attempt=attempt, task=task, points=_points(crit, [0, 0, 0]))


def test_graders_too_far_apart_need_an_adjudicator_before_a_result():
    attempt, task, crit = _submitted_with_task(tolerance=2)
    g1, g2, g3, g4 = _graders()
    services.practical_score_record(actor=g1, attempt=attempt, task=task, points=_points(crit, [4, 3, 3]))  # 10
    services.practical_score_record(actor=g2, attempt=attempt, task=task, points=_points(crit, [2, 1, 1]))  # 4
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.result == ""
    score = services.practical_score_record(actor=g3, attempt=attempt, task=task, points=_points(crit, [2, 2, 1]))  # 5
    assert score.sequence == 3
    attempt.refresh_from_db()
    # adjudicator 5 with the nearer first score (4): (5 + 4) / 2 = 4.5 of 10 < 70%
    assert attempt.practical_points == pytest.approx(4.5) and attempt.result == Result.FAILED
    with pytest.raises(ApplicationError):
        services.practical_score_record(actor=g4, attempt=attempt, task=task, points=_points(crit, [1, 1, 1]))


def test_rubric_points_checked():
    attempt, task, crit = _submitted_with_task()
    g1 = _graders()[0]
    with pytest.raises(ApplicationError, match="0 to 4 points"):
        services.practical_score_record(actor=g1, attempt=attempt, task=task, points=_points(crit, [5, 0, 0]))
    with pytest.raises(ApplicationError, match="every rubric criterion"):
        services.practical_score_record(actor=g1, attempt=attempt, task=task, points={crit[0].pk: 1})
    with pytest.raises(ApplicationError, match="grader"):
        services.practical_score_record(
            actor=attempt.person.user, attempt=attempt, task=task, points=_points(crit, [1, 1, 1])
        )


def test_task_final_points_rule():
    assert services.task_final_points([7], 2) is None
    assert services.task_final_points([7, 9], 2) == 8
    assert services.task_final_points([7, 10], 2) is None
    assert services.task_final_points([7, 10, 9], 2) == pytest.approx(9.5)


def test_scaled_rule():
    form, items = _form(cut=60, pass_rule="scaled")
    conversion_table(form, {0: 0, 1: 35, 2: 62, 3: 100})  # the form's own table: 2 correct -> 62 -> pass
    attempt = checked_in_attempt(form=form)
    user = attempt.person.user
    services.attempt_start(actor=user, attempt=attempt)
    services.answer_save(actor=user, attempt=attempt, item=items[0], choice=0)
    services.answer_save(actor=user, attempt=attempt, item=items[1], choice=1)
    attempt = services.attempt_submit(actor=user, attempt=attempt)
    assert attempt.written_scaled == 62 and attempt.result == Result.PASSED


# Vendor result files ------------------------------------------------------------------------------


def _vendor_setup():
    form, items = _form(code="ca-2027-v")
    a1, a2 = checked_in_attempt(form=form), checked_in_attempt(form=form)
    return form, items, a1, a2


def _csv(rows):
    return "candidate_id,form,item_id,answer\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n"


def test_vendor_file_imports_all_scores_and_reimport_changes_nothing(role_users):
    admin = role_users[Role.EXAM_ADMINISTRATOR]
    form, items, a1, a2 = _vendor_setup()
    text = _csv(
        [
            (a1.person_id, form.code, items[0].code, "A"),
            (a1.person_id, form.code, items[1].code, "B"),
            (a2.person_id, form.code, items[0].code, "C"),
        ]
    )
    summary = services.vendor_results_import(actor=admin, text=text)
    assert summary == {"attempts": 2, "answers": 3, "unchanged": 0}
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert (a1.status, a1.written_raw, a1.result, a1.source) == ("scored", 2, "passed", "vendor")
    assert (a2.written_raw, a2.result) == (0, "failed")
    before = (Answer.objects.count(), AuditEvent.objects.count())
    assert services.vendor_results_import(actor=admin, text=text) == {"attempts": 0, "answers": 0, "unchanged": 2}
    assert (Answer.objects.count(), AuditEvent.objects.count()) == before


def test_vendor_file_with_unknown_candidate_or_malformed_rows_is_refused_whole(role_users):
    admin = role_users[Role.EXAM_ADMINISTRATOR]
    form, items, a1, _a2 = _vendor_setup()
    text = (
        _csv(
            [
                (a1.person_id, form.code, items[0].code, "A"),
                (999999, form.code, items[0].code, "A"),
                ("x12", form.code, items[0].code, "A"),
                (a1.person_id, form.code, items[1].code, "Z"),
                (a1.person_id, form.code, "NOPE", "A"),
            ]
        )
        + "1,2,3\n"
    )
    with pytest.raises(ApplicationError) as exc:
        services.vendor_results_import(actor=admin, text=text)
    errors = exc.value.extra["errors"]
    assert errors == [
        f"Line 3: candidate 999999 is not checked in for form {form.code}.",
        "Line 4: candidate id “x12” is not a number.",
        "Line 5: answer “Z” is not a letter A to F.",
        f"Line 6: item NOPE is not on form {form.code}.",
        "Line 7: expected 4 values, found 3.",
    ]
    assert not Answer.objects.exists()
    a1.refresh_from_db()
    assert a1.status == AttemptStatus.CHECKED_IN
    # with the format fixed, the unknown candidate and item are still named by line
    text = _csv(
        [
            (a1.person_id, form.code, items[0].code, "A"),
            (999999, form.code, items[0].code, "A"),
            (a1.person_id, form.code, "NOPE", "A"),
        ]
    )
    with pytest.raises(ApplicationError) as exc:
        services.vendor_results_import(actor=admin, text=text)
    assert exc.value.extra["errors"] == [
        f"Line 3: candidate 999999 is not checked in for form {form.code}.",
        f"Line 4: item NOPE is not on form {form.code}.",
    ]
    assert not Answer.objects.exists()


def test_vendor_header_and_conflicting_reimport(role_users):
    admin = role_users[Role.EXAM_ADMINISTRATOR]
    form, items, a1, _a2 = _vendor_setup()
    with pytest.raises(ApplicationError, match="Line 1: the header"):
        services.vendor_results_import(actor=admin, text="who,what\n1,2\n")
    services.vendor_results_import(actor=admin, text=_csv([(a1.person_id, form.code, items[0].code, "A")]))
    with pytest.raises(ApplicationError, match="already imported with different answers"):
        services.vendor_results_import(actor=admin, text=_csv([(a1.person_id, form.code, items[0].code, "B")]))


def test_vendor_upload_page_lists_line_errors(role_users, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form, items, a1, _a2 = _vendor_setup()
    client = as_user(role_users[Role.EXAM_ADMINISTRATOR])
    upload = SimpleUploadedFile("results.csv", _csv([(424242, form.code, items[0].code, "A")]).encode())
    response = client.post(reverse("exams:vendor_import"), {"file": upload})
    assert b"Line 2: candidate 424242" in response.content


def test_retake_after_a_fail_needs_the_paid_attempt():
    form, items = _form(cut=3)
    attempt = checked_in_attempt(form=form)
    user = attempt.person.user
    services.attempt_start(actor=user, attempt=attempt)
    attempt = services.attempt_submit(actor=user, attempt=attempt)
    assert attempt.result == Result.FAILED
    auth = ExamAuthorization.objects.get(person=attempt.person)
    assert auth.attempts_left == 0
    services.exam_attempt_paid(actor=None, person=attempt.person, reference="INV-retake")
    auth.refresh_from_db()
    assert auth.attempts_left == 1
