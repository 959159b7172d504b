"""Discipline on core's shared helpers, seen where people meet them: forms drawn by core.forms,
refusals put on them by core.views, audit actions from discipline.audit, people told by
core.tell, and decisions carried into the real certification app (no stand-in)."""

import ast
import datetime
import importlib
import inspect
import re
import typing
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from peercert.accounts.tests.factories import PersonFactory
from peercert.core.audit import registered_actions
from peercert.core.forms import REASON_MAX_LENGTH
from peercert.core.models import AuditEvent
from peercert.core.types import Actor
from peercert.discipline import services
from peercert.discipline.audit import DisciplineAuditAction
from peercert.discipline.models import ComplaintStatus, DisciplinaryAction
from peercert.discipline.tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
TODAY = datetime.date(2026, 3, 6)
# Technical assistance is moving to peercert.assistance and keeps its own audit actions there.
ASSISTANCE = ("assistance_", "saved_answer_", "faq_", "_require_assistance")


SERVICE_MODULES = sorted(Path(services.__file__).parent.glob("*.py"))


def _discipline_functions():
    # Every module of the services package, so a service in any entity module is held to these rules.
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in SERVICE_MODULES]
    return [
        node
        for tree in trees
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith(ASSISTANCE)
    ]


def test_every_discipline_audit_action_is_a_registered_member():
    literal = [
        (fn.name, node.arg)
        for fn in _discipline_functions()
        for node in ast.walk(fn)
        if isinstance(node, ast.keyword)
        and node.arg in ("action", "audit_action", "action_name")
        and isinstance(node.value, ast.Constant)
    ]
    assert literal == [], "write discipline's audit actions as DisciplineAuditAction members"
    assert set(DisciplineAuditAction.values) <= set(registered_actions())


PUBLIC_SERVICES = [
    fn.name
    for fn in _discipline_functions()
    if not fn.name.startswith("_") and any(a.arg == "actor" for a in fn.args.kwonlyargs)
]


@pytest.mark.parametrize("name", PUBLIC_SERVICES)
def test_every_discipline_service_types_its_actor(name):
    assert typing.get_type_hints(getattr(services, name))["actor"] == Actor


def test_the_services_package_re_exports_every_public_service():
    from peercert.discipline.services import appeal_decide, complaint_file, discipline_execute_due

    assert services.complaint_file is complaint_file and services.appeal_decide is appeal_decide
    assert services.discipline_execute_due is discipline_execute_due
    # The checks above read the package's modules, so they still see every service that takes an actor.
    takes_actor = {
        name
        for name in services.__all__
        if callable(getattr(services, name)) and "actor" in inspect.signature(getattr(services, name)).parameters
    }
    assert set(PUBLIC_SERVICES) == takes_actor and len(takes_actor) > 10
    modules = sorted(path.stem for path in SERVICE_MODULES if not path.stem.startswith("_"))
    public = set()
    for module in modules:
        entity = importlib.import_module(f"peercert.discipline.services.{module}")
        for name, function in inspect.getmembers(entity, inspect.isfunction):
            if function.__module__ == entity.__name__ and not name.startswith("_"):
                assert getattr(services, name) is function, name
                public.add(name)
    assert public <= set(services.__all__)
    assert all(hasattr(services, name) for name in services.__all__)


@time_machine.travel(NOON, tick=False)
def test_an_acknowledgement_through_the_page_is_audited_under_its_member(client, reviewer):
    complaint = ComplaintFactory()
    client.force_login(reviewer)
    response = client.post(reverse("discipline:case_acknowledge", args=[complaint.pk]))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        object_id=str(complaint.pk), action=DisciplineAuditAction.COMPLAINT_ACKNOWLEDGE
    ).exists()


@time_machine.travel(NOON, tick=False)
def test_the_decision_form_is_drawn_in_uswds(client, reviewer, certified_peer):
    complaint = ComplaintFactory(
        respondent_person=certified_peer, status=ComplaintStatus.INVESTIGATING, investigator=reviewer
    )
    client.force_login(reviewer)
    body = client.get(reverse("discipline:case_decide", args=[complaint.pk])).content.decode()
    radios = re.findall(r'<input[^>]*name="outcome"[^>]*>', body)
    assert radios and all("usa-radio__input" in tag for tag in radios)
    assert re.search(
        r'<input[^>]*type="date"[^>]*name="effective_on"|<input[^>]*name="effective_on"[^>]*type="date"', body
    )


@time_machine.travel(NOON, tick=False)
def test_a_suspension_certification_refuses_is_shown_once_on_the_form_and_changes_nothing(
    client, reviewer, peer_user, certs
):
    # A surrendered certification can go nowhere in certification's own map, so the suspension
    # must be refused by certification itself, and the whole decision with it.
    certification = certs.issue(peer_user.person, status="surrendered")
    complaint = ComplaintFactory(
        respondent_person=peer_user.person, status=ComplaintStatus.INVESTIGATING, investigator=reviewer
    )
    client.force_login(reviewer)
    response = client.post(
        reverse("discipline:case_decide", args=[complaint.pk]),
        {
            "outcome": "suspension",
            "findings": "Shared group content.",
            "provisions": ["confidentiality"],
            "ends_on": "2026-04-30",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("This certification is surrendered, so it cannot become suspended.") == 1
    assert not list(response.context["messages"])
    complaint.refresh_from_db()
    certification.refresh_from_db()
    assert complaint.status == ComplaintStatus.INVESTIGATING and certification.status == "surrendered"
    assert not DisciplinaryAction.objects.exists() and not certification.status_changes.exists()


@time_machine.travel(NOON, tick=False)
def test_an_overlong_reason_is_refused_and_the_deadline_stays(client, reviewer):
    complaint = ComplaintFactory(status=ComplaintStatus.INVESTIGATING, investigator=reviewer)
    due = complaint.investigation_due_on
    client.force_login(reviewer)
    client.post(reverse("discipline:case_extend", args=[complaint.pk]), {"reason": "x" * (REASON_MAX_LENGTH + 1)})
    complaint.refresh_from_db()
    assert complaint.investigation_due_on == due and complaint.extended_on is None


@time_machine.travel(NOON, tick=False)
def test_a_respondent_without_an_account_is_emailed_the_decision_with_its_link(
    reviewer, certs, django_capture_on_commit_callbacks
):
    person = PersonFactory(user=None, email="sin.cuenta@example.org")
    certs.issue(person)
    complaint = ComplaintFactory(
        respondent_person=person, status=ComplaintStatus.INVESTIGATING, investigator=reviewer, complainant_email=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_decide(
            actor=reviewer, complaint=complaint, outcome="dismissed", findings="Not shown.", provisions=[]
        )
    [sent] = mail.outbox
    assert sent.to == ["sin.cuenta@example.org"]
    assert sent.subject == f"Decision on complaint {complaint.number}: Dismissed"
    assert reverse("discipline:my_case", args=[complaint.pk]) in sent.body


@time_machine.travel(NOON, tick=False)
def test_the_complainant_receipt_is_a_catalogue_message_with_dates_as_people_read_them(
    client, certified_peer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("discipline:complaint_new"),
            {
                "complainant_name": "Evangelina Zárate",
                "complainant_email": "ez@complainant.example",
                "respondent_kind": "peer",
                "certification_number": "CA-PSS-000777",
                "incident_on": "2026-02-20",
                "incident_description": "Told my family what I said in group.",
                "website": "",
            },
        )
    assert response.status_code == 302
    [receipt] = [m for m in mail.outbox if m.to == ["ez@complainant.example"]]
    assert receipt.subject.startswith("We received your complaint C-2026-")
    assert "was received on March 6, 2026" in receipt.body
