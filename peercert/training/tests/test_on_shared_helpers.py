"""Training on core's shared helpers: every status map tried from every state through the real
services, forms drawn by core.forms, one URL per action, audit actions from training.audit,
people told by core.tell."""

import ast
import inspect
import re
import typing
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from peercert.core.audit import registered_actions
from peercert.core.errors import ApplicationError
from peercert.core.transitions import assert_map_covers, every_move, transition
from peercert.core.types import Actor
from peercert.training import services
from peercert.training.audit import TrainingAuditAction
from peercert.training.models import (
    ACCOMMODATION_TRANSITIONS,
    CE_ACTIVITY_TRANSITIONS,
    ENROLLMENT_TRANSITIONS,
    OFFERING_TRANSITIONS,
    PROVIDER_TRANSITIONS,
    VERSION_TRANSITIONS,
    AccommodationRequest,
    AccommodationStatus,
    CEActivityStatus,
    Completion,
    CurriculumKind,
    EnrollmentStatus,
    OfferingStatus,
    ProviderApplication,
    ProviderStatus,
    VersionStatus,
)
from peercert.training.tests import factories as f

pytestmark = pytest.mark.django_db

MAPS = [
    (PROVIDER_TRANSITIONS, ProviderStatus),
    (VERSION_TRANSITIONS, VersionStatus),
    (OFFERING_TRANSITIONS, OfferingStatus),
    (ENROLLMENT_TRANSITIONS, EnrollmentStatus),
    (ACCOMMODATION_TRANSITIONS, AccommodationStatus),
    (CE_ACTIVITY_TRANSITIONS, CEActivityStatus),
]


@pytest.mark.parametrize(("allowed", "choices"), MAPS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_map_covers_every_state(allowed, choices):
    assert_map_covers(allowed, choices)


class _Row:
    def __init__(self, status):
        self.status = status


@pytest.mark.parametrize(
    ("allowed", "source", "target", "permitted"),
    [(allowed, *move) for allowed, choices in MAPS for move in every_move(allowed, choices)],
)
def test_transition_permits_exactly_the_maps_moves(allowed, source, target, permitted):
    row = _Row(source)
    if permitted:
        assert transition(row, target, allowed=allowed, noun="record") == source and row.status == target
    else:
        with pytest.raises(ApplicationError) as refused:
            transition(row, target, allowed=allowed, noun="record")
        assert refused.value.code == "state" and row.status == source


# ---- The real services, from every source state ------------------------------------------


def _columns(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def _provider(w, status):
    return f.ProviderApplicationFactory(training_entity=w["entity"], status=status, training_type="supervisor")


def _version(w, status):
    curriculum = f.CurriculumFactory(owner_training_entity=w["entity"], kind=CurriculumKind.CONTINUING_EDUCATION)
    return f.CurriculumVersionFactory(
        curriculum=curriculum, status=status, submitted_by=w["entity_staff"] if status != VersionStatus.DRAFT else None
    )


def _offering(w, status):
    return f.OfferingFactory(training_entity=w["entity"], status=status)


def _enrollment(w, status):
    return f.EnrollmentFactory(offering=f.OfferingFactory(training_entity=w["entity"]), status=status)


def _accommodation(w, status):
    return f.AccommodationRequestFactory(
        offering=f.OfferingFactory(training_entity=w["entity"]), person=w["peer"].person, status=status
    )


def _activity(w, status):
    return f.CEActivityFactory(status=status)


# (name, map, choices, target, make the record, who acts, call the service)
SERVICES = [
    (
        "provider_application_start_review",
        PROVIDER_TRANSITIONS,
        ProviderStatus,
        ProviderStatus.UNDER_REVIEW,
        _provider,
        "reviewer",
        lambda actor, obj: services.provider_application_start_review(actor=actor, application=obj),
    ),
    (
        "provider_application_return",
        PROVIDER_TRANSITIONS,
        ProviderStatus,
        ProviderStatus.RETURNED,
        _provider,
        "reviewer",
        lambda actor, obj: services.provider_application_return(actor=actor, application=obj, comments="Fix"),
    ),
    (
        "provider_application_deny",
        PROVIDER_TRANSITIONS,
        ProviderStatus,
        ProviderStatus.DENIED,
        _provider,
        "reviewer",
        lambda actor, obj: services.provider_application_deny(actor=actor, application=obj, comments="No"),
    ),
    (
        "provider_application_suspend",
        PROVIDER_TRANSITIONS,
        ProviderStatus,
        ProviderStatus.SUSPENDED,
        _provider,
        "reviewer",
        lambda actor, obj: services.provider_application_suspend(actor=actor, application=obj, reason="Audit"),
    ),
    (
        "provider_application_resubmit",
        PROVIDER_TRANSITIONS,
        ProviderStatus,
        ProviderStatus.SUBMITTED,
        _provider,
        "entity_staff",
        lambda actor, obj: services.provider_application_resubmit(actor=actor, application=obj),
    ),
    (
        "provider_application_withdraw",
        PROVIDER_TRANSITIONS,
        ProviderStatus,
        ProviderStatus.WITHDRAWN,
        _provider,
        "entity_staff",
        lambda actor, obj: services.provider_application_withdraw(actor=actor, application=obj),
    ),
    (
        "curriculum_version_submit",
        VERSION_TRANSITIONS,
        VersionStatus,
        VersionStatus.SUBMITTED,
        _version,
        "entity_staff",
        lambda actor, obj: services.curriculum_version_submit(actor=actor, version=obj),
    ),
    (
        "curriculum_version_approve",
        VERSION_TRANSITIONS,
        VersionStatus,
        VersionStatus.APPROVED,
        _version,
        "approver",
        lambda actor, obj: services.curriculum_version_approve(actor=actor, version=obj),
    ),
    (
        "curriculum_version_return",
        VERSION_TRANSITIONS,
        VersionStatus,
        VersionStatus.RETURNED,
        _version,
        "approver",
        lambda actor, obj: services.curriculum_version_return(actor=actor, version=obj, comments="Add"),
    ),
    (
        "curriculum_version_reject",
        VERSION_TRANSITIONS,
        VersionStatus,
        VersionStatus.REJECTED,
        _version,
        "approver",
        lambda actor, obj: services.curriculum_version_reject(actor=actor, version=obj, comments="No"),
    ),
    (
        "offering_cancel",
        OFFERING_TRANSITIONS,
        OfferingStatus,
        OfferingStatus.CANCELLED,
        _offering,
        "entity_staff",
        lambda actor, obj: services.offering_cancel(actor=actor, offering=obj, reason="The trainer is ill"),
    ),
    (
        "offering_close",
        OFFERING_TRANSITIONS,
        OfferingStatus,
        OfferingStatus.CLOSED,
        _offering,
        "entity_staff",
        lambda actor, obj: services.offering_close(actor=actor, offering=obj),
    ),
    (
        "enrollment_cancel",
        ENROLLMENT_TRANSITIONS,
        EnrollmentStatus,
        EnrollmentStatus.CANCELLED,
        _enrollment,
        "entity_staff",
        lambda actor, obj: services.enrollment_cancel(actor=actor, enrollment=obj),
    ),
    *[
        (
            f"accommodation_request_decide_{decision}",
            ACCOMMODATION_TRANSITIONS,
            AccommodationStatus,
            decision,
            _accommodation,
            "entity_staff",
            lambda actor, obj, decision=decision: services.accommodation_request_decide(
                actor=actor, request=obj, status=decision, decision="Large print"
            ),
        )
        for decision in (AccommodationStatus.GRANTED, AccommodationStatus.PARTLY_GRANTED, AccommodationStatus.DENIED)
    ],
    (
        "accommodation_request_withdraw",
        ACCOMMODATION_TRANSITIONS,
        AccommodationStatus,
        AccommodationStatus.WITHDRAWN,
        _accommodation,
        "peer",
        lambda actor, obj: services.accommodation_request_withdraw(actor=actor, request=obj),
    ),
    (
        "ce_activity_accept",
        CE_ACTIVITY_TRANSITIONS,
        CEActivityStatus,
        CEActivityStatus.ACCEPTED,
        _activity,
        "reviewer",
        lambda actor, obj: services.ce_activity_accept(actor=actor, activity=obj),
    ),
    (
        "ce_activity_reject",
        CE_ACTIVITY_TRANSITIONS,
        CEActivityStatus,
        CEActivityStatus.REJECTED,
        _activity,
        "reviewer",
        lambda actor, obj: services.ce_activity_reject(actor=actor, activity=obj, reason="Not CE"),
    ),
]


def _service_moves():
    for name, allowed, choices, target, make, who, call in SERVICES:
        for source, to, permitted in every_move(allowed, choices):
            if to == target:
                yield pytest.param(make, who, call, source, target, permitted, id=f"{name}-from-{source}")


@pytest.mark.parametrize(("make", "who", "call", "source", "target", "permitted"), list(_service_moves()))
def test_each_service_moves_only_where_its_map_allows(
    make, who, call, source, target, permitted, entity, entity_staff, reviewer, approver, peer
):
    w = {"entity": entity, "entity_staff": entity_staff, "reviewer": reviewer, "approver": approver, "peer": peer}
    record = make(w, source)
    before = _columns(record)
    if permitted:
        call(w[who], record)
        record.refresh_from_db()
        assert record.status == target
    else:
        with pytest.raises(ApplicationError) as refused:
            call(w[who], record)
        assert refused.value.code == "state"
        record.refresh_from_db()
        assert _columns(record) == before, "a refused move leaves the row as it was"


def test_a_refused_move_reads_cores_sentence(entity, entity_staff):
    enrollment = _enrollment({"entity": entity}, EnrollmentStatus.CANCELLED)
    with pytest.raises(ApplicationError) as refused:
        services.enrollment_cancel(actor=entity_staff, enrollment=enrollment)
    assert str(refused.value.message) == "This enrollment is cancelled, so it cannot become cancelled."


def test_a_promotion_off_the_waitlist_goes_through_the_map(entity, entity_staff):
    offering = f.OfferingFactory(training_entity=entity, capacity=1)
    seated = f.EnrollmentFactory(offering=offering)
    waiting = f.EnrollmentFactory(offering=offering, status=EnrollmentStatus.WAITLISTED)
    services.enrollment_cancel(actor=entity_staff, enrollment=seated)
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.ENROLLED


# ---- Forms drawn in USWDS ---------------------------------------------------------------


def _tag(body: str, tag: str, name: str) -> str:
    match = re.search(rf'<{tag}\b[^>]*\bname="{name}"[^>]*>', body)
    assert match, f"no <{tag} name={name}>"
    return match.group(0)


def test_the_ce_report_form_is_drawn_in_uswds(as_user, peer):
    body = as_user(peer).get(reverse("training:ce_report")).content.decode()
    assert 'class="usa-input"' in _tag(body, "input", "title")
    completed_on = _tag(body, "input", "completed_on")
    assert 'type="date"' in completed_on and 'class="usa-input"' in completed_on
    assert 'class="usa-select"' in _tag(body, "select", "ce_category")
    assert 'class="usa-file-input"' in _tag(body, "input", "evidence")


def test_the_course_form_is_drawn_in_uswds_and_marks_a_missing_field(as_user, entity_staff):
    client = as_user(entity_staff)
    body = client.get(reverse("training:offerings")).content.decode()
    assert 'class="usa-select"' in _tag(body, "select", "curriculum_version")
    assert 'class="usa-input"' in _tag(body, "input", "capacity")
    response = client.post(reverse("training:offerings"), {"capacity": ""})
    assert response.status_code == 400
    capacity = _tag(response.content.decode(), "input", "capacity")
    assert "usa-input--error" in capacity and 'aria-invalid="true"' in capacity


def test_the_decision_box_on_an_application_is_a_uswds_textarea(as_user, entity, reviewer):
    application = f.ProviderApplicationFactory(training_entity=entity)
    body = as_user(reviewer).get(reverse("training:application_detail", args=[application.pk])).content.decode()
    assert 'class="usa-textarea"' in _tag(body, "textarea", "comments")


# ---- One URL per action -----------------------------------------------------------------


def test_withdrawing_an_accommodation_request_has_its_own_url(as_user, entity, peer):
    request = _accommodation({"entity": entity, "peer": peer}, AccommodationStatus.SUBMITTED)
    client = as_user(peer)
    old_switch = client.post(reverse("training:accommodation_detail", args=[request.pk]), {"action": "withdraw"})
    assert old_switch.status_code == 405
    request.refresh_from_db()
    assert request.status == AccommodationStatus.SUBMITTED
    response = client.post(reverse("training:accommodation_withdraw", args=[request.pk]))
    assert response.status_code == 302
    assert AccommodationRequest.objects.get(pk=request.pk).status == AccommodationStatus.WITHDRAWN


def test_the_page_posts_each_action_to_its_own_url(as_user, entity, peer, reviewer):
    request = _accommodation({"entity": entity, "peer": peer}, AccommodationStatus.SUBMITTED)
    body = as_user(peer).get(reverse("training:accommodation_detail", args=[request.pk])).content.decode()
    assert f'action="{reverse("training:accommodation_withdraw", args=[request.pk])}"' in body
    application = f.ProviderApplicationFactory(training_entity=entity)
    body = as_user(reviewer).get(reverse("training:application_detail", args=[application.pk])).content.decode()
    assert f'formaction="{reverse("training:application_start_review", args=[application.pk])}"' in body
    assert 'name="action"' not in body


def test_a_refused_application_action_is_shown_once_on_its_form(as_user, entity, reviewer):
    application = f.ProviderApplicationFactory(training_entity=entity, status=ProviderStatus.DENIED)
    response = as_user(reviewer).post(
        reverse("training:application_start_review", args=[application.pk]), {"comments": "Looking again"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("This application is denied, so it cannot become under review.") == 1
    assert "Looking again" in body  # the comments are kept
    assert ProviderApplication.objects.get(pk=application.pk).status == ProviderStatus.DENIED


def test_a_course_is_cancelled_through_its_own_url_with_a_reason(as_user, entity, entity_staff):
    offering = f.OfferingFactory(training_entity=entity)
    client = as_user(entity_staff)
    refused = client.post(reverse("training:offering_cancel", args=[offering.pk]), {"reason": ""})
    assert refused.status_code == 400
    assert 'aria-invalid="true"' in _tag(refused.content.decode(), "textarea", "reason")
    assert (
        client.post(
            reverse("training:offering_cancel", args=[offering.pk]), {"reason": "The trainer is ill"}
        ).status_code
        == 302
    )
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.CANCELLED


# ---- Audit, types and telling people ----------------------------------------------------


def test_every_training_audit_action_is_a_registered_member():
    modules = (
        sorted(Path(services.__file__).parent.glob("*.py"))
        if services.__file__.endswith("__init__.py")
        else [Path(services.__file__)]
    )
    literal_actions = [
        (module.name, node.lineno)
        for module in modules
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.keyword)
        and node.arg == "action"
        and isinstance(node.value, ast.Constant | ast.JoinedStr)
    ]
    assert literal_actions == [], "write training's audit actions as TrainingAuditAction members"
    assert set(TrainingAuditAction.values) <= set(registered_actions())


PUBLIC_SERVICES = [
    name
    for name, fn in inspect.getmembers(services, inspect.isfunction)
    if fn.__module__.startswith("peercert.training.services")
    and not name.startswith("_")
    and "actor" in inspect.signature(fn).parameters
]


@pytest.mark.parametrize("name", PUBLIC_SERVICES)
def test_every_training_service_types_its_actor(name):
    assert typing.get_type_hints(getattr(services, name))["actor"] == Actor


def test_a_supervisor_without_an_account_hears_of_the_completion_by_email(
    entity, entity_staff, django_capture_on_commit_callbacks
):
    curriculum = f.CurriculumFactory(kind=CurriculumKind.SUPERVISOR)
    offering = f.OfferingFactory(
        training_entity=entity,
        curriculum_version=f.CurriculumVersionFactory(curriculum=curriculum),
        starts_on="2026-02-02",
        ends_on="2026-02-03",
    )
    with django_capture_on_commit_callbacks(execute=True):
        completion = services.supervisor_completion_record(
            actor=entity_staff,
            offering=offering,
            first_name="Rosa",
            last_name="Mendoza",
            date_of_birth="1980-04-01",
            email="rosa@example.org",
            hours="6",
        )
    assert Completion.objects.filter(pk=completion.pk).exists()
    assert [m.to for m in mail.outbox] == [["rosa@example.org"]]
    assert mail.outbox[0].subject == f"Training completed: {offering.display_title}"
