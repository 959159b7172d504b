"""Exams on core's shared helpers: every status map checked from every source state (by the map and
by the real services), audit actions from exams.audit, people told by core.tell, forms from core.forms,
one URL per action."""

import datetime
import inspect
import re
import typing
from pathlib import Path

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory
from peercert.core import clock
from peercert.core import forms as core_forms
from peercert.core.audit import registered_actions
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.transitions import assert_map_covers, every_move, transition
from peercert.core.types import Actor
from peercert.exams import forms, services
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import (
    ACCOMMODATION_TRANSITIONS,
    ATTEMPT_TRANSITIONS,
    FORM_TRANSITIONS,
    ITEM_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    SESSION_TRANSITIONS,
    AccommodationRequest,
    AccommodationStatus,
    Attempt,
    AttemptStatus,
    ExamAuthorization,
    ExamForm,
    ExamSession,
    FormStatus,
    Item,
    ItemStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from peercert.exams.tests import factories

MAPS = {
    "item": (ITEM_TRANSITIONS, ItemStatus, Item),
    "form": (FORM_TRANSITIONS, FormStatus, ExamForm),
    "session": (SESSION_TRANSITIONS, SessionStatus, ExamSession),
    "registration": (REGISTRATION_TRANSITIONS, RegistrationStatus, Registration),
    "accommodation": (ACCOMMODATION_TRANSITIONS, AccommodationStatus, AccommodationRequest),
    "attempt": (ATTEMPT_TRANSITIONS, AttemptStatus, Attempt),
}


@pytest.mark.parametrize("name", MAPS)
def test_each_map_covers_every_state(name):
    allowed, choices, _model = MAPS[name]
    assert_map_covers(allowed, choices)


@pytest.mark.parametrize(
    ("name", "source", "target", "allowed"),
    [(name, *move) for name, (allowed, choices, _model) in MAPS.items() for move in every_move(allowed, choices)],
)
def test_every_move_of_every_map(name, source, target, allowed):
    the_map, _choices, model = MAPS[name]
    record = model(status=source)
    if allowed:
        assert transition(record, target, allowed=the_map, noun=name) == source
        assert record.status == target
    else:
        with pytest.raises(ApplicationError) as refused:
            transition(record, target, allowed=the_map, noun=name)
        assert refused.value.code == "state" and record.status == source


# The real services, from every state their target may not be reached from -----------------------


def _item(world):
    return factories.ItemFactory(status=ItemStatus.DRAFT)


def _form(world):
    return factories.published_form()


def _session(world):
    return factories.session(proctor_user=world["admin"])


def _registration(world):
    person = world["candidate"].person
    return Registration.objects.create(
        session=factories.session(proctor_user=world["admin"]),
        person=person,
        authorization=ExamAuthorization.objects.get(person=person),
    )


def _accommodation(world):
    return factories.approved_accommodation(world["candidate"].person)


def _attempt(world):
    return factories.checked_in_attempt(user=world["candidate"])


SERVICES = {
    "item_submit": (
        _item,
        ITEM_TRANSITIONS,
        ItemStatus,
        ItemStatus.IN_REVIEW,
        lambda world, row: services.item_submit(actor=world["admin"], item=row),
    ),
    "item_approve": (
        _item,
        ITEM_TRANSITIONS,
        ItemStatus,
        ItemStatus.APPROVED,
        lambda world, row: services.item_approve(actor=world["approver"], item=row),
    ),
    "form_publish": (
        _form,
        FORM_TRANSITIONS,
        FormStatus,
        FormStatus.PUBLISHED,
        lambda world, row: services.form_publish(actor=world["admin"], form=row),
    ),
    "form_retire": (
        _form,
        FORM_TRANSITIONS,
        FormStatus,
        FormStatus.RETIRED,
        lambda world, row: services.form_retire(actor=world["admin"], form=row),
    ),
    "session_cancel": (
        _session,
        SESSION_TRANSITIONS,
        SessionStatus,
        SessionStatus.CANCELLED,
        lambda world, row: services.session_cancel(actor=world["admin"], session=row, reason="Flood"),
    ),
    "registration_cancel": (
        _registration,
        REGISTRATION_TRANSITIONS,
        RegistrationStatus,
        RegistrationStatus.CANCELLED,
        lambda world, row: services.registration_cancel(actor=world["admin"], registration=row),
    ),
    "accommodation_withdraw": (
        _accommodation,
        ACCOMMODATION_TRANSITIONS,
        AccommodationStatus,
        AccommodationStatus.WITHDRAWN,
        lambda world, row: services.accommodation_withdraw(actor=world["candidate"], request=row),
    ),
    "attempt_submit": (
        _attempt,
        ATTEMPT_TRANSITIONS,
        AttemptStatus,
        AttemptStatus.SUBMITTED,
        lambda world, row: services.attempt_submit(actor=world["candidate"], attempt=row),
    ),
}


# What the database's own checks ask of a row in some states, so a row can be put there directly.
STATE_NEEDS = {
    (Registration, RegistrationStatus.CHECKED_IN): {"photo_id_confirmed": True},
    (Attempt, AttemptStatus.SCORED): {"result": "passed"},
}


def _put_in(row, source):
    type(row).objects.filter(pk=row.pk).update(status=source, **STATE_NEEDS.get((type(row), source), {}))
    row.refresh_from_db()


@pytest.fixture
def world(db):
    return {
        "admin": factories.user_with_role(Role.EXAM_ADMINISTRATOR),
        "approver": factories.user_with_role(Role.DHCS_APPROVER),
        "candidate": factories.candidate(),
    }


@pytest.mark.parametrize(
    ("service", "source"),
    [
        (name, source)
        for name, (_make, allowed, choices, target, _call) in SERVICES.items()
        for source in choices.values
        if target not in allowed.get(source, ())
    ],
)
def test_a_service_refuses_a_move_its_map_forbids_and_leaves_the_row_alone(world, service, source):
    make, _allowed, _choices, _target, call = SERVICES[service]
    row = make(world)
    _put_in(row, source)
    before = (row.status, row.updated_at)
    with pytest.raises(ApplicationError) as refused:
        call(world, row)
    assert refused.value.code == "state"
    row.refresh_from_db()
    assert (row.status, row.updated_at) == before


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_moves_a_row_from_a_state_its_map_allows(world, service):
    """The refusals above are the map's, not a service that refuses everything."""
    make, allowed, _choices, target, call = SERVICES[service]
    row = make(world)
    source = next(s for s, targets in allowed.items() if target in targets and s != target)
    _put_in(row, source)
    call(world, row)
    row.refresh_from_db()
    assert row.status in {target, AttemptStatus.SCORED}  # a submitted attempt with nothing to grade is scored


def _service_source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(Path(services.__file__).parent.glob("*.py")))


def test_the_app_keeps_no_transition_checker_of_its_own():
    source = _service_source()
    assert "_check_transition" not in source and ".status = " not in source


# One URL per action, and refusals shown where the person looks -----------------------------------


def test_the_action_dispatchers_are_gone():
    for name, kwargs in (("exams:item_action", {"item_id": 1}), ("exams:form_action", {"form_id": 1})):
        with pytest.raises(NoReverseMatch):
            reverse(name, kwargs=kwargs)


def test_each_item_action_is_its_own_url_and_needs_no_action_field(world, client):
    item = factories.ItemFactory(status=ItemStatus.DRAFT)
    client.force_login(world["admin"])
    response = client.post(reverse("exams:item_submit", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REVIEW
    assert client.post(f"/exams/items/{item.pk}/action/", {"action": "retire"}).status_code == 404


def test_an_item_returned_without_a_reason_is_refused_on_the_field_and_stays_in_review(role_users, client):
    item = factories.ItemFactory(status=ItemStatus.IN_REVIEW)
    client.force_login(role_users[Role.PROGRAM_REVIEWER])
    response = client.post(reverse("exams:item_return", args=[item.pk]), {"reason": ""})
    assert response.status_code == 400
    textarea = re.search(r'<textarea[^>]*name="reason"[^>]*>', response.content.decode()).group(0)
    assert "usa-input--error" in textarea and 'aria-invalid="true"' in textarea
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REVIEW


def test_a_refused_form_move_is_flashed_once_in_the_shared_wording(world, client):
    exam_form = factories.published_form()
    ExamForm.objects.filter(pk=exam_form.pk).update(status=FormStatus.DRAFT)
    client.force_login(world["admin"])
    page = client.post(reverse("exams:form_publish", args=[exam_form.pk]), follow=True)
    assert page.content.decode().count("This form is draft, so it cannot become published.") == 1
    exam_form.refresh_from_db()
    assert exam_form.status == FormStatus.DRAFT


def test_item_analysis_has_its_own_url_and_comes_back_to_the_analysis_page(role_users, client):
    exam_form = factories.published_form()
    client.force_login(role_users[Role.PROGRAM_MANAGER])
    response = client.post(reverse("exams:form_analyse", args=[exam_form.pk]))
    assert response.status_code == 302 and response.url == reverse("exams:form_analysis", args=[exam_form.pk])


def test_views_catch_refusals_in_two_places_only():
    """answer_save answers HTMX with a fragment and a 409, vendor_import lists the file's errors:
    every other view runs its service through core.views."""
    source = (Path(inspect.getfile(forms)).parent / "views.py").read_text(encoding="utf-8")
    assert source.count("except ApplicationError") == 2


# Audit actions, actors, forms ---------------------------------------------------------------------


def test_every_exam_audit_action_is_a_registered_member():
    source = _service_source()
    assert not re.search(r'action="[a-z_]+\.[a-z_]+"', source), "write exam audit actions as ExamsAuditAction"
    assert set(ExamsAuditAction.values) <= set(registered_actions())


def test_a_cancelled_session_is_audited_under_its_registered_action(world):
    cancelled = services.session_cancel(actor=world["admin"], session=factories.session(), reason="Flood")
    event = AuditEvent.objects.get(object_id=str(cancelled.pk), action=ExamsAuditAction.SESSION_CANCEL)
    assert event.reason == "Flood"


def _services_with_an_actor():
    return [
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__.startswith(services.__name__)
        and not name.startswith("_")
        and "actor" in inspect.signature(function).parameters
    ]


@pytest.mark.parametrize("name", _services_with_an_actor())
def test_every_exam_service_types_its_actor(name):
    assert typing.get_type_hints(getattr(services, name))["actor"] == Actor


def test_exam_forms_use_the_shared_bases():
    assert not hasattr(forms, "_uswds")
    assert forms.DateInput is core_forms.DateInput and issubclass(forms.ReturnForm, core_forms.ReasonForm)
    for name, form_class in inspect.getmembers(forms, inspect.isclass):
        if form_class.__module__ == forms.__name__ and issubclass(form_class, forms.forms.BaseForm):
            assert issubclass(form_class, core_forms.UswdsForm), name


def test_fields_added_after_the_form_is_made_are_styled_too(db):
    task = factories.practical_task()
    grade = forms.GradeForm(task=task)
    assert all("usa-input" in field.widget.attrs["class"] for field in grade.fields.values())
    blueprint = forms.ExamFormForm()
    assert all(blueprint.fields[name].widget.attrs.get("class") for name in blueprint.fields)


def test_the_check_in_box_is_drawn_as_a_uswds_checkbox():
    assert forms.CheckInForm().fields["photo_id_confirmed"].widget.attrs["class"] == "usa-checkbox__input"


# Telling people --------------------------------------------------------------------------------


def test_a_candidate_without_an_account_hears_of_the_authorization_by_email(db, django_capture_on_commit_callbacks):
    person = PersonFactory(user=None, email="no-account@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.exam_authorization_grant(
            actor=None, person=person, reference="APP-9", valid_until=clock.today() + datetime.timedelta(days=90)
        )
    assert [m.to for m in mail.outbox] == [["no-account@example.org"]]
    assert mail.outbox[0].subject == "You are authorized to take the certification exam"


def test_score_reports_are_told_through_tell_users_with_a_link_to_the_exam_page(world):
    from peercert.core.models import Notification

    exam_form = factories.published_form(cut_score=1)
    attempts = [factories.checked_in_attempt(user=factories.candidate(), form=exam_form) for _ in range(2)]
    for attempt in attempts:
        services.attempt_start(actor=attempt.person.user, attempt=attempt)
        services.attempt_submit(actor=attempt.person.user, attempt=attempt)
    notes = Notification.objects.filter(subject="Your exam score report is ready")
    assert sorted(n.user_id for n in notes) == sorted(a.person.user_id for a in attempts)
    assert {n.url for n in notes} == {reverse("exams:my_exam")}


def test_the_services_package_re_exports_every_public_service():
    from peercert.exams.services import item_submit, vendor_results_import

    assert services.item_submit is item_submit and services.vendor_results_import is vendor_results_import
    modules = sorted(path.stem for path in Path(services.__file__).parent.glob("[!_]*.py"))
    for module in modules:
        entity = __import__(f"peercert.exams.services.{module}", fromlist=["_"])
        for name, function in inspect.getmembers(entity, inspect.isfunction):
            if function.__module__ == entity.__name__ and not name.startswith("_"):
                assert getattr(services, name) is function, name
