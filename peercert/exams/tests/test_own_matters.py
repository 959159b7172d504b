"""Separation of duties in exams (issue 11, finding 4)."""

import pytest

from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program
from peercert.core.duties import OWN_MATTER
from peercert.core.errors import ApplicationError
from peercert.exams import services
from peercert.exams.models import AccommodationRequest, AccommodationStatus
from peercert.exams.tests.factories import candidate, pdf_upload, proctor

pytestmark = pytest.mark.django_db


def test_an_exam_administrator_does_not_decide_her_own_accommodation():
    user = candidate()
    RoleAssignment.objects.create(user=user, role=Role.EXAM_ADMINISTRATOR, program=statewide_program())
    request = AccommodationRequest.objects.create(
        person=user.person,
        kinds=["extra_time"],
        provider_name="Dra. Pilar Núñez",
        provider_license="PSY 12345",
        document=pdf_upload(),
        document_kind="pdf",
    )
    with pytest.raises(ApplicationError) as err:
        services.accommodation_decide(actor=user, request=request, approve=True, time_multiplier="1.50")
    assert err.value.code == OWN_MATTER
    assert AccommodationRequest.objects.get(pk=request.pk).status == AccommodationStatus.SUBMITTED
    services.accommodation_decide(actor=proctor(), request=request, approve=True, time_multiplier="1.50")
    assert AccommodationRequest.objects.get(pk=request.pk).status == AccommodationStatus.APPROVED


def test_an_exam_administrator_does_not_authorize_herself():
    import datetime

    from peercert.core import clock
    from peercert.exams.models import ExamAuthorization

    user = candidate(authorized=False)
    RoleAssignment.objects.create(user=user, role=Role.EXAM_ADMINISTRATOR, program=statewide_program())
    until = clock.today() + datetime.timedelta(days=100)
    with pytest.raises(ApplicationError) as err:
        services.exam_authorization_grant(actor=user, person=user.person, valid_until=until, reference="APP-1")
    assert err.value.code == OWN_MATTER and not ExamAuthorization.objects.exists()
    services.exam_authorization_grant(actor=proctor(), person=user.person, valid_until=until, reference="APP-1")
    assert ExamAuthorization.objects.filter(person=user.person).exists()


# ---- Check-in, scoring, vendor files, paid attempts, and the queues ------------------------------


def _administering_candidate():
    user = candidate()
    RoleAssignment.objects.create(user=user, role=Role.EXAM_ADMINISTRATOR, program=statewide_program())
    return user


def _audited(action, obj=None):
    from peercert.core.models import AuditEvent

    qs = AuditEvent.objects.filter(action=action)
    return (qs.filter(object_id=str(obj.pk)) if obj is not None else qs).exists()


def test_a_proctor_does_not_check_herself_in():
    import datetime

    import time_machine

    from peercert.core import clock
    from peercert.exams.models import Attempt, Registration, RegistrationStatus
    from peercert.exams.tests.factories import session

    user = _administering_candidate()
    start = clock.now() + datetime.timedelta(days=2)
    reg = services.registration_create(actor=user, session=session(starts_at=start), person=user.person)
    with time_machine.travel(start - datetime.timedelta(minutes=20), tick=False):
        with pytest.raises(ApplicationError) as err:
            services.registration_check_in(actor=user, registration=reg, photo_id_confirmed=True)
        assert err.value.code == OWN_MATTER
        fresh = Registration.objects.get(pk=reg.pk)
        assert fresh.status != RegistrationStatus.CHECKED_IN and not fresh.photo_id_confirmed
        assert fresh.authorization.attempts_used == 0 and not Attempt.objects.exists()
        services.registration_check_in(actor=proctor(), registration=reg, photo_id_confirmed=True)
    assert Registration.objects.get(pk=reg.pk).status == RegistrationStatus.CHECKED_IN


def _submitted_practical(user):
    from peercert.exams.tests.factories import ItemFactory, checked_in_attempt, practical_task, published_form

    task = practical_task(tolerance=2, points=(4, 3, 3))
    items = [ItemFactory(content_area="advocacy", key=0)]
    form = published_form(items=items, tasks=[task], cut_score=1, practical_cut_percent=70)
    attempt = checked_in_attempt(user=user, form=form)
    services.attempt_start(actor=user, attempt=attempt)
    services.answer_save(actor=user, attempt=attempt, item=items[0], choice=0)
    attempt = services.attempt_submit(actor=user, attempt=attempt)
    return attempt, task, {c.pk: 3 for c in task.criteria.all()}


def test_a_grader_does_not_score_her_own_practical_task_nor_see_it_in_her_queue():
    from peercert.exams import selectors
    from peercert.exams.models import PracticalScore

    user = _administering_candidate()
    attempt, task, points = _submitted_practical(user)
    assert attempt not in selectors.grading_queue(user)
    with pytest.raises(ApplicationError) as err:
        services.practical_score_record(actor=user, attempt=attempt, task=task, points=points)
    assert err.value.code == OWN_MATTER
    assert not PracticalScore.objects.exists()
    colleague = proctor()
    assert attempt in selectors.grading_queue(colleague)
    services.practical_score_record(actor=colleague, attempt=attempt, task=task, points=points)
    assert PracticalScore.objects.filter(attempt=attempt, grader=colleague).exists()


def test_a_vendor_file_holding_the_importers_own_result_is_refused_whole():
    from peercert.exams.models import Answer, Attempt, AttemptStatus
    from peercert.exams.tests.factories import ItemFactory, checked_in_attempt, published_form

    user = _administering_candidate()
    items = [ItemFactory(content_area="advocacy", key=0), ItemFactory(content_area="advocacy", key=1)]
    form = published_form(items=items, cut_score=1, code="ca-2027-v")
    mine, theirs = checked_in_attempt(user=user, form=form), checked_in_attempt(form=form)
    text = (
        "candidate_id,form,item_id,answer\n"
        f"{theirs.person_id},{form.code},{items[0].code},A\n{mine.person_id},{form.code},{items[0].code},A\n"
    )
    with pytest.raises(ApplicationError) as err:
        services.vendor_results_import(actor=user, text=text)
    assert err.value.code == OWN_MATTER
    assert not Answer.objects.exists()  # not even the other candidate's line
    assert {a.status for a in Attempt.objects.all()} == {AttemptStatus.CHECKED_IN}
    assert services.vendor_results_import(actor=proctor(), text=text)["attempts"] == 2


def test_an_exam_administrator_does_not_grant_herself_a_paid_attempt():
    from peercert.exams.models import ExamAuthorization

    user = _administering_candidate()
    with pytest.raises(ApplicationError) as err:
        services.exam_attempt_paid(actor=user, person=user.person, reference="INV-2")
    assert err.value.code == OWN_MATTER
    assert ExamAuthorization.objects.get(person=user.person).attempts_paid == 1
    assert not _audited("exam_authorization.attempt_paid")
    services.exam_attempt_paid(actor=proctor(), person=user.person, reference="INV-2")
    assert ExamAuthorization.objects.get(person=user.person).attempts_paid == 2


def test_the_accommodation_list_does_not_show_the_administrators_own_request(client):
    from django.urls import reverse

    user = _administering_candidate()
    other = candidate()

    def request_of(person):
        return AccommodationRequest.objects.create(
            person=person,
            kinds=["extra_time"],
            provider_name="Dra. Pilar Núñez",
            provider_license="PSY 12345",
            document=pdf_upload(),
            document_kind="pdf",
        )

    own, theirs = request_of(user.person), request_of(other.person)
    own_link, their_link = (reverse("exams:accommodation_detail", args=[r.pk]) for r in (own, theirs))
    client.force_login(user)
    page = client.get(reverse("exams:accommodation_list")).content.decode()
    assert their_link in page and own_link not in page
    assert own_link not in client.get("/").content.decode()
