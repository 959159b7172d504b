"""The journey of the issue's "done when", through the pages, as each role would use them."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.vocabulary import ExamContentArea
from peercert.exams import selectors
from peercert.exams.models import (
    AccommodationRequest,
    Attempt,
    ExamAuthorization,
    ExamForm,
    ExamSession,
    Item,
    ItemStatus,
    Registration,
)
from peercert.exams.tests.factories import approved_bank, exam_items_rule, pdf_upload

pytestmark = pytest.mark.django_db


def test_item_written_reviewed_and_approved_through_the_pages(role_users, client):
    client.force_login(role_users[Role.EXAM_ADMINISTRATOR])
    response = client.post(
        reverse("exams:item_create"),
        {
            "code": "ad-0001",
            "kind": "multiple_choice",
            "content_area": "advocacy",
            "competency": "Self-advocacy",
            "stem": "A member wants to speak up at a care meeting. What do you do first?",
            "options": "Help them plan what to say\nSpeak for them\nTell them to stay quiet",
            "key": "0",
        },
    )
    item = Item.objects.get(code="AD-0001")
    assert response.status_code == 302 and item.options[0] == "Help them plan what to say"
    client.post(reverse("exams:item_submit", args=[item.pk]))
    client.force_login(role_users[Role.PROGRAM_REVIEWER])
    assert b"Send to DHCS" in client.get(reverse("exams:item_detail", args=[item.pk])).content
    client.post(reverse("exams:item_review_pass", args=[item.pk]))
    client.force_login(role_users[Role.DHCS_APPROVER])
    client.post(reverse("exams:item_approve", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    # a practical task with its rubric
    client.force_login(role_users[Role.EXAM_ADMINISTRATOR])
    client.post(
        reverse("exams:item_create"),
        {
            "code": "pr-0001",
            "kind": "practical",
            "content_area": "crisis_management",
            "stem": "Role-play a crisis call.",
            "tolerance": "2",
            "criteria": "4 | Keeps the member safe\n3 | Warm hand-off",
        },
    )
    assert Item.objects.get(code="PR-0001").max_points == 7
    assert client.get(reverse("exams:item_list")).status_code == 200


def test_form_built_assembled_approved_published_through_the_pages(role_users, client):
    approved_bank(per_area=2, practical=1)
    client.force_login(role_users[Role.EXAM_ADMINISTRATOR])
    data = {
        "code": "ca-2027-b",
        "name": "California 2027 B",
        "practical_task_count": 1,
        "pass_rule": "raw",
        "cut_score": 10,
        "scale_max": 100,
        "practical_cut_percent": 70,
        **{f"area_{a}": 2 for a in ExamContentArea.values},
    }
    assert client.post(reverse("exams:form_create"), data).status_code == 302
    form = ExamForm.objects.get(code="ca-2027-b")
    client.post(reverse("exams:form_assemble", args=[form.pk]))
    client.force_login(role_users[Role.PROGRAM_MANAGER])
    page = client.get(reverse("exams:form_detail", args=[form.pk]))
    assert b"Conversion table" in page.content and b"16, 100" in page.content  # a starting table to edit
    exam_items_rule(16)
    refused = client.post(reverse("exams:form_approve", args=[form.pk]), {"conversion": "0, 0\n1, x"})
    assert refused.status_code == 400 and b"Line 2" in refused.content
    table = "\n".join(f"{raw}, {min(100, raw * 7)}" for raw in range(17))
    assert client.post(reverse("exams:form_approve", args=[form.pk]), {"conversion": table}).status_code == 302
    client.force_login(role_users[Role.EXAM_ADMINISTRATOR])
    client.post(reverse("exams:form_publish", args=[form.pk]))
    form.refresh_from_db()
    assert form.status == "published" and form.form_items.count() == 17
    page = client.get(reverse("exams:form_detail", args=[form.pk]))
    assert page.status_code == 200 and b"Blueprint" in page.content


def test_short_bank_message_shown_on_the_page(role_users, client):
    client.force_login(role_users[Role.EXAM_ADMINISTRATOR])
    data = {
        "code": "ca-short",
        "name": "Short",
        "practical_task_count": 0,
        "pass_rule": "raw",
        "cut_score": 1,
        "scale_max": 100,
        "practical_cut_percent": 70,
        **{f"area_{a}": 1 for a in ExamContentArea.values},
    }
    client.post(reverse("exams:form_create"), data)
    form = ExamForm.objects.get(code="ca-short")
    page = client.post(reverse("exams:form_assemble", args=[form.pk]), follow=True)
    assert b"short of approved items" in page.content


def test_candidate_with_accommodation_scheduled_checked_in_takes_exam_and_sees_report(role_users, client):
    admin, peer = role_users[Role.EXAM_ADMINISTRATOR], role_users[Role.PEER]
    items = approved_bank(per_area=1)
    from peercert.exams.tests.factories import published_form

    form = published_form(items=list(Item.objects.filter(pk__in=[i.pk for i in items])), cut_score=1)
    start = timezone.now() + datetime.timedelta(days=3)
    # the exam administrator authorizes the peer by hand and schedules a session
    client.force_login(admin)
    client.post(
        reverse("exams:authorization_list"),
        {
            "person": peer.person.pk,
            "valid_until": (clock.today() + datetime.timedelta(days=300)).isoformat(),
            "reference": "APP-2027-0042",
        },
    )
    assert ExamAuthorization.objects.filter(person=peer.person).exists()
    client.post(
        reverse("exams:session_create"),
        {
            "form": form.pk,
            "delivery": "in_person",
            "starts_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
            "capacity": 10,
            "proctor": admin.pk,
            "site_name": "Centro Cívico",
            "city": "Oakland",
            "room": "3B",
        },
    )
    session = ExamSession.objects.get()
    # the peer asks for extra time, and registers
    client.force_login(peer)
    client.post(
        reverse("exams:accommodation_request"),
        {
            "kinds": ["extra_time"],
            "provider_name": "Dr. Ana Ruiz",
            "provider_license": "PSY 5555",
            "document": pdf_upload(),
        },
    )
    req = AccommodationRequest.objects.get()
    assert client.post(reverse("exams:session_register", args=[session.pk])).status_code == 302
    # staff approve 1.5x; the seat now shows 225 minutes
    client.force_login(admin)
    client.post(
        reverse("exams:accommodation_detail", args=[req.pk]),
        {"decision": "approve", "time_multiplier": "1.50", "notes": "Approved"},
    )
    registration = Registration.objects.get()
    assert registration.allowed_minutes == 225
    with time_machine.travel(start + datetime.timedelta(minutes=1), tick=False):
        roster = client.get(reverse("exams:session_detail", args=[session.pk]))
        assert b"225 min" in roster.content
        # check-in without the ID box is refused, then done properly
        client.post(reverse("exams:registration_check_in", args=[registration.pk]), {})
        assert not Attempt.objects.exists()
        client.post(reverse("exams:registration_check_in", args=[registration.pk]), {"photo_id_confirmed": "on"})
        attempt = Attempt.objects.get()
        client.force_login(peer)
        mine = client.get(reverse("exams:my_exam"))
        assert b"Take the written part" in mine.content
        client.post(reverse("exams:attempt_take", args=[attempt.pk]))
        page = client.get(reverse("exams:attempt_take", args=[attempt.pk]))
        assert b"extra time" in page.content
        for q in selectors.attempt_questions(attempt):
            client.post(
                reverse("exams:answer_save", args=[attempt.pk]), {"item": q["item"].pk, "choice": q["item"].key}
            )
        client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    report = client.get(reverse("exams:score_report", args=[attempt.pk]))
    assert b"Passed" in report.content and b"Recovery support" in report.content
    assert selectors.exam_passed_on(peer.person) is not None
    api = client.get(f"/api/v1/exams/attempts/{attempt.pk}/report").json()
    assert api["result"] == "passed" and len(api["areas"]) == 8
    me = client.get("/api/v1/exams/me").json()
    assert me["passed_on"] is not None


def test_staff_pages_render(role_users, client):
    for role, names in {
        Role.EXAM_ADMINISTRATOR: [
            "exams:home",
            "exams:item_list",
            "exams:item_create",
            "exams:form_list",
            "exams:form_create",
            "exams:authorization_list",
            "exams:session_list",
            "exams:session_create",
            "exams:accommodation_list",
            "exams:grading_queue",
            "exams:vendor_import",
        ],
        Role.DHCS_ANALYST: ["exams:home", "exams:form_list"],
        Role.PEER: ["exams:my_exam", "exams:session_list", "exams:accommodation_request"],
    }.items():
        client.force_login(role_users[role])
        for name in names:
            assert client.get(reverse(name)).status_code == 200, (role, name)
    client.force_login(role_users[Role.PEER])
    assert client.get(reverse("exams:home")).status_code == 302


def test_graders_score_through_the_page_and_a_third_is_asked_for(client):
    from peercert.accounts.tests.factories import user_with_role
    from peercert.exams import services
    from peercert.exams.tests.factories import checked_in_attempt, practical_task, published_form

    task = practical_task(tolerance=1, points=(4, 3, 3))
    item = Item.objects.create(
        program=task.program,
        code="G-1",
        content_area="advocacy",
        stem="Q",
        options=["a", "b"],
        key=0,
        status="approved",
    )
    attempt = checked_in_attempt(form=published_form(items=[item], tasks=[task], cut_score=1))
    user = attempt.person.user
    services.attempt_start(actor=user, attempt=attempt)
    services.answer_save(actor=user, attempt=attempt, item=item, choice=0)
    services.attempt_submit(actor=user, attempt=attempt)
    crit = list(task.criteria.order_by("position"))
    url = reverse("exams:grade", args=[attempt.pk, task.pk])
    for points in ([4, 3, 3], [1, 1, 1]):
        client.force_login(user_with_role(Role.EXAM_ADMINISTRATOR))
        assert client.get(reverse("exams:grading_queue")).status_code == 200
        client.post(url, {f"c{c.pk}": p for c, p in zip(crit, points, strict=True)})
    attempt.refresh_from_db()
    assert attempt.status == "submitted"  # 10 vs 3: more than the tolerance of 1
    page = client.get(url)
    assert b"A third grader is needed" in page.content
    client.force_login(user_with_role(Role.EXAM_ADMINISTRATOR))
    client.post(url, {f"c{c.pk}": p for c, p in zip(crit, [4, 2, 3], strict=True)})
    attempt.refresh_from_db()
    assert attempt.status == "scored" and attempt.result == "passed"  # (9 + 10) / 2 = 9.5 of 10


def test_home_page_queues(role_users, client):
    from peercert.exams.tests.factories import ItemFactory, candidate, session

    ItemFactory(status="awaiting_dhcs")
    client.force_login(role_users[Role.DHCS_APPROVER])
    assert b"Exam items waiting for you" in client.get("/").content
    user = candidate()
    client.force_login(user)
    assert b"Choose an exam session" in client.get("/").content
    from peercert.exams import services

    services.registration_create(actor=user, session=session(), person=user.person)
    assert b"Your exam session" in client.get("/").content
