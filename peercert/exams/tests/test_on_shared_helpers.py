"""Exams on core's shared helpers: every status map checked from every source state (by the map and
by the real services), audit actions from exams.audit, people told by core.tell, forms from core.forms,
one URL per action."""

import ast
import typing
from pathlib import Path

import pytest

from peercert.accounts.roles import Role
from peercert.core.errors import ApplicationError
from peercert.core.transitions import assert_map_covers, every_move, transition
from peercert.exams import services
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


@pytest.mark.parametrize(("name", "source", "target", "allowed"), [
    (name, *move) for name, (allowed, choices, _model) in MAPS.items() for move in every_move(allowed, choices)])
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
    return Registration.objects.create(session=factories.session(proctor_user=world["admin"]), person=person,
                                       authorization=ExamAuthorization.objects.get(person=person))


def _accommodation(world):
    return factories.approved_accommodation(world["candidate"].person)


def _attempt(world):
    return factories.checked_in_attempt(user=world["candidate"])


SERVICES = {
    "item_submit": (_item, ITEM_TRANSITIONS, ItemStatus, ItemStatus.IN_REVIEW,
                    lambda world, row: services.item_submit(actor=world["admin"], item=row)),
    "item_approve": (_item, ITEM_TRANSITIONS, ItemStatus, ItemStatus.APPROVED,
                     lambda world, row: services.item_approve(actor=world["approver"], item=row)),
    "form_publish": (_form, FORM_TRANSITIONS, FormStatus, FormStatus.PUBLISHED,
                     lambda world, row: services.form_publish(actor=world["admin"], form=row)),
    "form_retire": (_form, FORM_TRANSITIONS, FormStatus, FormStatus.RETIRED,
                    lambda world, row: services.form_retire(actor=world["admin"], form=row)),
    "session_cancel": (_session, SESSION_TRANSITIONS, SessionStatus, SessionStatus.CANCELLED,
                       lambda world, row: services.session_cancel(actor=world["admin"], session=row, reason="Flood")),
    "registration_cancel": (_registration, REGISTRATION_TRANSITIONS, RegistrationStatus, RegistrationStatus.CANCELLED,
                            lambda world, row: services.registration_cancel(actor=world["admin"], registration=row)),
    "accommodation_withdraw": (_accommodation, ACCOMMODATION_TRANSITIONS, AccommodationStatus,
                               AccommodationStatus.WITHDRAWN,
                               lambda world, row: services.accommodation_withdraw(actor=world["candidate"],
                                                                                  request=row)),
    "attempt_submit": (_attempt, ATTEMPT_TRANSITIONS, AttemptStatus, AttemptStatus.SUBMITTED,
                       lambda world, row: services.attempt_submit(actor=world["candidate"], attempt=row)),
}


# What the database's own checks ask of a row in some states, so a row can be put there directly.
STATE_NEEDS = {(Registration, RegistrationStatus.CHECKED_IN): {"photo_id_confirmed": True},
               (Attempt, AttemptStatus.SCORED): {"result": "passed"}}


def _put_in(row, source):
    type(row).objects.filter(pk=row.pk).update(status=source, **STATE_NEEDS.get((type(row), source), {}))
    row.refresh_from_db()


@pytest.fixture
def world(db):
    return {"admin": factories.user_with_role(Role.EXAM_ADMINISTRATOR),
            "approver": factories.user_with_role(Role.DHCS_APPROVER),
            "candidate": factories.candidate()}


@pytest.mark.parametrize(("service", "source"), [
    (name, source) for name, (_make, allowed, choices, target, _call) in SERVICES.items()
    for source in choices.values if target not in allowed.get(source, ())])
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


def test_the_app_keeps_no_transition_checker_of_its_own():
    source = Path(services.__file__).read_text(encoding="utf-8")
    assert "_check_transition" not in source and ".status = " not in source
