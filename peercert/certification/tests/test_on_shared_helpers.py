"""Certification on core's shared helpers, seen through HTTP where the applicant and the
reviewer meet them: one URL per reviewer action, refusals shown once where they are made,
the step registry read by every page, audit actions from certification.audit, people told by
core.tell."""

import ast
import inspect
import re
import typing
from pathlib import Path

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse

from peercert.accounts.tests.factories import PersonFactory
from peercert.certification import fees, services, steps
from peercert.certification.audit import AuditAction
from peercert.certification.models import ApplicationStatus, Pathway
from peercert.certification.services.applications import _clean_step
from peercert.certification.tests.factories import (
    CertificationFactory,
    applicant,
    decide_all,
    filled_application,
    reviewer,
    started_application,
)
from peercert.core.audit import registered_actions
from peercert.core.models import AuditEvent
from peercert.core.types import Actor

pytestmark = pytest.mark.django_db

REVIEW_ACTIONS = [
    "review_assign",
    "review_start",
    "review_decide",
    "review_request_revision",
    "review_approve",
    "review_deny",
    "review_issue",
]


def _in_review(pay):
    user = applicant()
    application = filled_application(user)
    services.application_submit(actor=user, application=application)
    pay(application)
    staff = reviewer()
    services.application_review_start(actor=staff, application=application)
    application.refresh_from_db()
    return user, staff, application


# ---- One URL per action -------------------------------------------------------------------


@pytest.mark.parametrize("name", REVIEW_ACTIONS)
def test_each_reviewer_action_has_its_own_named_url(name):
    assert reverse(f"certification:{name}", args=[1]).startswith("/certification/review/1/")


def test_the_action_dispatcher_is_gone(client):
    with pytest.raises(NoReverseMatch):
        reverse("certification:review_action", args=[1, "approve"])
    client.force_login(reviewer())
    assert client.post("/certification/review/1/anything/").status_code == 404


def test_a_denial_without_a_reason_is_shown_on_the_field_and_changes_nothing(client, pay):
    _user, staff, application = _in_review(pay)
    client.force_login(staff)
    response = client.post(reverse("certification:review_deny", args=[application.pk]), {"reason": ""})
    assert response.status_code == 400
    textarea = re.search(r'<textarea[^>]*name="reason"[^>]*>', response.content.decode()).group(0)
    assert "usa-textarea" in textarea and 'aria-invalid="true"' in textarea
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def test_an_approval_refused_by_the_service_is_flashed_once_and_the_application_stays(client, pay):
    _user, staff, application = _in_review(pay)  # requirements not decided yet
    client.force_login(staff)
    response = client.post(reverse("certification:review_approve", args=[application.pk]), follow=True)
    body = response.content.decode()
    assert body.count("Every requirement must be met before approval") == 1
    assert "Done." not in body
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def test_an_approval_by_its_own_url_approves(client, pay):
    _user, staff, application = _in_review(pay)
    decide_all(staff, application)
    client.force_login(staff)
    response = client.post(reverse("certification:review_approve", args=[application.pk]))
    assert response.status_code == 302 and response.headers["Location"] == f"/certification/review/{application.pk}/"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


# ---- The step registry ---------------------------------------------------------------------


def test_the_registry_gives_each_pathway_its_steps():
    assert steps.step_codes(Pathway.STANDARD) == ["about", "experience", "documents", "ethics"]
    assert steps.step_codes(Pathway.GRANDPARENTING) == ["about", "experience", "pathway", "documents", "ethics"]


def test_every_step_the_registry_names_is_one_the_service_checks():
    application = started_application(applicant(), Pathway.STANDARD)
    for pathway in Pathway.values:
        application.pathway = pathway  # not saved: only the checks are asked
        for step in steps.steps_for(pathway):
            try:
                _clean_step(application, step.code, {})
            except services.ApplicationError as exc:
                assert exc.message != "There is no such step.", step.code
    with pytest.raises(services.ApplicationError, match="There is no such step"):
        _clean_step(application, "payment", {})


def test_a_step_outside_the_pathway_is_not_found(client):
    user = applicant()
    application = started_application(user, Pathway.STANDARD)
    client.force_login(user)
    assert client.get(reverse("certification:application_step", args=[application.pk, "pathway"])).status_code == 404
    assert client.get(reverse("certification:application_step", args=[application.pk, "about"])).status_code == 200


def test_the_progress_indicator_status_page_and_submit_check_read_the_same_steps(client):
    user = applicant()
    application = started_application(user, Pathway.RECIPROCITY_OUT_OF_STATE)
    client.force_login(user)
    page = client.get(steps.BY_CODE["about"].url(application)).content.decode()
    for step in steps.steps_for(Pathway.RECIPROCITY_OUT_OF_STATE):
        assert str(step.label) in page
    segments = page.count('<li class="usa-step-indicator__segment')
    assert segments == len(steps.steps_for(Pathway.RECIPROCITY_OUT_OF_STATE)) + 1
    status = client.get(reverse("certification:application_status", args=[application.pk])).content.decode()
    assert steps.BY_CODE["pathway"].url(application) in status
    refused = client.post(reverse("certification:application_submit", args=[application.pk]), follow=True)
    assert (
        "Finish these steps first: About you, Lived experience, Your pathway, Documents, Code of Ethics."
        in refused.content.decode()
    )


def test_a_saved_step_leads_to_the_next_step_in_the_registry(client):
    user = applicant()
    application = started_application(user, Pathway.STANDARD)
    client.force_login(user)
    response = client.post(
        steps.BY_CODE["experience"].url(application),
        {"lived_experience": "self", "experience_area": "both", "willing_to_share": "on"},
    )
    assert response.headers["Location"] == steps.BY_CODE["documents"].url(application)
    refused = client.post(steps.BY_CODE["about"].url(application), {"legal_first_name": "", "legal_last_name": ""})
    assert refused.status_code == 400


# ---- Audit, actors, telling, seams ---------------------------------------------------------

APP = Path(fees.__file__).parent


@pytest.mark.parametrize(
    "path",
    [*sorted((APP / "services").glob("*.py")), APP / "legacy_import.py", APP / "fees.py"],
    ids=lambda path: path.name,
)
def test_every_certification_audit_action_is_a_registered_member(path):
    source = path.read_text(encoding="utf-8")
    literal_actions = [
        node.value.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.keyword) and node.arg == "action" and isinstance(node.value, ast.Constant)
    ]
    # person.create is accounts' action, written here by the file import.
    assert [a for a in literal_actions if a != "person.create"] == []
    assert set(AuditAction.values) <= set(registered_actions())


def test_an_issue_is_audited_under_its_member(pay):
    _user, staff, application = _in_review(pay)
    decide_all(staff, application)
    services.application_approve(actor=staff, application=application)
    assert AuditEvent.objects.filter(action=AuditAction.APPLICATION_APPROVE, object_id=str(application.pk)).exists()


def test_every_service_names_its_actor_an_actor():
    checked = 0
    for name, function in inspect.getmembers(services, inspect.isfunction):
        if (
            not function.__module__.startswith(services.__name__)
            or "actor" not in inspect.signature(function).parameters
        ):
            continue
        assert typing.get_type_hints(function).get("actor") == Actor, name
        checked += 1
    assert checked >= 20


def test_fees_reach_finance_by_plain_imports():
    source = Path(fees.__file__).read_text(encoding="utf-8")
    assert "import_module" not in source and "_finance" not in source and "hasattr" not in source


def test_a_peer_without_an_account_hears_of_a_status_change_by_email(django_capture_on_commit_callbacks):
    person = PersonFactory(user=None, email="past-record@example.org")
    certification = CertificationFactory(person=person)
    with django_capture_on_commit_callbacks(execute=True):
        services.certification_change_status(
            actor=None, certification=certification, to_status="suspended", reason="order 12", source="discipline"
        )
    assert [m.to for m in mail.outbox] == [["past-record@example.org"]]
    assert certification.number in mail.outbox[0].body
