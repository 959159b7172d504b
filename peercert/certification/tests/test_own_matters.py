"""Separation of duties in certification (issue 11, finding 4)."""

import pytest

from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program
from peercert.certification import services
from peercert.certification.models import Application, ApplicationStatus, CertificationStatus
from peercert.certification.tests.factories import CertificationFactory, applicant, filled_application, reviewer
from peercert.core.duties import OWN_MATTER
from peercert.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def reviewing_applicant():
    user = applicant()
    RoleAssignment.objects.create(user=user, role=Role.PROGRAM_REVIEWER, program=statewide_program())
    return user


@pytest.mark.parametrize(
    "act",
    [
        lambda actor, app: services.application_review_start(actor=actor, application=app),
        lambda actor, app: services.application_assign(actor=actor, application=app, reviewer=reviewer()),
        lambda actor, app: services.application_deny(actor=actor, application=app, reason="no"),
        lambda actor, app: services.application_approve(actor=actor, application=app),
        lambda actor, app: services.requirement_decide(actor=actor, application=app, code="photo_id", outcome="met"),
    ],
    ids=["review_start", "assign", "deny", "approve", "requirement_decide"],
)
def test_a_reviewer_does_not_handle_her_own_application(act):
    user = reviewing_applicant()
    application = services.application_submit(actor=user, application=filled_application(user))
    with pytest.raises(ApplicationError) as err:
        act(user, application)
    assert err.value.code == OWN_MATTER
    fresh = Application.objects.get(pk=application.pk)
    assert fresh.status == ApplicationStatus.SUBMITTED and fresh.assigned_to_id is None and fresh.decided_by_id is None


def test_nobody_assigns_an_application_to_its_applicant_and_a_colleague_takes_it():
    user = reviewing_applicant()
    application = services.application_submit(actor=user, application=filled_application(user))
    colleague = reviewer()
    with pytest.raises(ApplicationError) as err:
        services.application_assign(actor=colleague, application=application, reviewer=user)
    assert err.value.code == OWN_MATTER and err.value.field == "reviewer"
    services.application_assign(actor=colleague, application=application, reviewer=colleague)
    assert Application.objects.get(pk=application.pk).assigned_to == colleague


def test_staff_do_not_change_their_own_certifications_status():
    user = reviewing_applicant()
    RoleAssignment.objects.create(user=user, role=Role.PROGRAM_MANAGER, program=statewide_program())
    cert = CertificationFactory(person=user.person)
    with pytest.raises(ApplicationError) as err:
        services.certification_change_status(
            actor=user, certification=cert, to_status=CertificationStatus.SUSPENDED, reason="Taking a break"
        )
    assert err.value.code == OWN_MATTER
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.ACTIVE
    services.certification_change_status(
        actor=reviewer(Role.PROGRAM_MANAGER),
        certification=cert,
        to_status=CertificationStatus.SUSPENDED,
        reason="Taking a break",
    )
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.SUSPENDED


# ---- More deciding steps, and the review queue (issue 11, finding 4: a test per service) -------------


def _no_audit(action, obj=None):
    from peercert.core.models import AuditEvent

    qs = AuditEvent.objects.filter(action=action)
    if obj is not None:
        qs = qs.filter(object_id=str(obj.pk))
    return not qs.exists()


def _submitted_paid(pay, user):
    application = services.application_submit(actor=user, application=filled_application(user))
    pay(application)
    application.refresh_from_db()
    return application


def _approved_by(colleague, application):
    from peercert.certification.tests.factories import decide_all

    if application.status != ApplicationStatus.IN_REVIEW:
        services.application_review_start(actor=colleague, application=application)
    decide_all(colleague, application)
    services.application_approve(actor=colleague, application=application)
    application.refresh_from_db()
    return application


def test_a_reviewer_does_not_ask_for_changes_to_her_own_application(pay):
    user = reviewing_applicant()
    application = _submitted_paid(pay, user)
    colleague = reviewer()
    services.application_review_start(actor=colleague, application=application)
    with pytest.raises(ApplicationError) as err:
        services.application_request_revision(actor=user, application=application, message="Fix it")
    assert err.value.code == OWN_MATTER
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.IN_REVIEW
    assert _no_audit("application.request_revision", application)
    services.application_request_revision(actor=colleague, application=application, message="A clearer diploma scan")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.REVISION_REQUESTED


def test_a_reviewer_does_not_reopen_her_own_denied_application_on_appeal(pay):
    user = reviewing_applicant()
    application = _submitted_paid(pay, user)
    colleague = reviewer()
    services.application_review_start(actor=colleague, application=application)
    services.application_deny(actor=colleague, application=application, reason="No diploma")
    with pytest.raises(ApplicationError) as err:
        services.application_reopen_on_appeal(actor=user, application=application, reason="Appeal won")
    assert err.value.code == OWN_MATTER
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DENIED
    assert _no_audit("application.reopen", application)
    services.application_reopen_on_appeal(actor=colleague, application=application, reason="Appeal overturned")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


def test_a_reviewer_does_not_record_her_own_milestones_or_issue_her_own_certification(pay):
    from peercert.certification.models import Certification, RecordedMilestone
    from peercert.core import clock

    user = reviewing_applicant()
    colleague = reviewer()
    application = _approved_by(colleague, _submitted_paid(pay, user))
    services.milestone_record(actor=colleague, person=user.person, kind="training_completed", occurred_on=clock.today())
    with pytest.raises(ApplicationError) as err:
        services.milestone_record(actor=user, person=user.person, kind="exam_passed", occurred_on=clock.today())
    assert err.value.code == OWN_MATTER
    assert not RecordedMilestone.objects.filter(person=user.person, kind="exam_passed").exists()
    # Issuing directly is refused before anything is checked or drawn.
    with pytest.raises(ApplicationError) as err:
        services.certification_issue(actor=user, application=application)
    assert err.value.code == OWN_MATTER
    assert not Certification.objects.filter(person=user.person).exists() and _no_audit("certification.issue")
    cert = services.milestone_record(actor=colleague, person=user.person, kind="exam_passed", occurred_on=clock.today())
    assert cert is not None and cert.person == user.person


def test_a_reviewer_does_not_enter_a_past_record_about_herself():
    import datetime
    from decimal import Decimal

    from peercert.certification.models import Pathway

    user = reviewing_applicant()
    record = dict(
        program=statewide_program(),
        pathway=Pathway.GRANDPARENTING,
        status="approved",
        submitted_on=datetime.date(2022, 5, 2),
        decided_on=datetime.date(2022, 6, 20),
        peer_work_hours=2400,
        employed_as_peer_on_cutoff=True,
        ce_hours=Decimal("22"),
        ce_law_ethics_hours=Decimal("6"),
    )
    with pytest.raises(ApplicationError) as err:
        services.application_enter_historical(actor=user, person=user.person, **record)
    assert err.value.code == OWN_MATTER
    assert not Application.objects.filter(person=user.person).exists() and _no_audit("application.enter_historical")
    entered = services.application_enter_historical(actor=reviewer(), person=user.person, **record)
    assert entered.person == user.person and entered.entered_by_staff


def test_a_past_records_file_with_a_line_about_the_uploader_is_refused_whole():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from peercert.accounts.models import Person
    from peercert.certification.legacy_import import COLUMNS, legacy_records_import

    user = reviewing_applicant()
    person = user.person
    mine = (
        f"{person.legal_first_name},,{person.legal_last_name},{person.date_of_birth:%Y-%m-%d},{person.email},"
        "standard,approved,2023-02-01,2023-03-01,,,,,,"
    )
    other = "Tomás,,Peña,1969-11-30,tomas.pena@example.org,standard,approved,2023-02-01,2023-03-01,,,,,,"

    def upload():
        return SimpleUploadedFile(
            "past.csv", "\n".join([",".join(COLUMNS), other, mine]).encode(), content_type="text/csv"
        )

    people = Person.objects.count()
    with pytest.raises(ApplicationError) as err:
        legacy_records_import(actor=user, program=statewide_program(), upload=upload())
    assert err.value.code == OWN_MATTER
    assert not Application.objects.exists() and Person.objects.count() == people  # not even the other line
    assert _no_audit("application.enter_historical")
    result = legacy_records_import(actor=reviewer(), program=statewide_program(), upload=upload())
    assert len(result.lines) == 2 and Application.objects.filter(person=person).exists()


def test_a_manager_does_not_add_a_specialization_to_her_own_certification():
    from decimal import Decimal

    from peercert.certification.models import CertificationSpecialization
    from peercert.training.models import CurriculumKind
    from peercert.training.tests.factories import (
        CompletionFactory,
        CurriculumFactory,
        CurriculumVersionFactory,
        OfferingFactory,
    )

    user = reviewing_applicant()
    RoleAssignment.objects.create(user=user, role=Role.PROGRAM_MANAGER, program=statewide_program())
    cert = CertificationFactory(person=user.person)
    version = CurriculumVersionFactory(
        hours=Decimal("40"), curriculum=CurriculumFactory(kind=CurriculumKind.SPECIALIZATION, specialization="crisis")
    )
    CompletionFactory(person=user.person, offering=OfferingFactory(curriculum_version=version, hours=Decimal("40")))
    with pytest.raises(ApplicationError) as err:
        services.certification_specialization_add(actor=user, certification=cert, specialization="crisis")
    assert err.value.code == OWN_MATTER
    assert not CertificationSpecialization.objects.exists() and _no_audit("certification.specialization_add")
    services.certification_specialization_add(
        actor=reviewer(Role.PROGRAM_MANAGER), certification=cert, specialization="crisis"
    )
    assert cert.specialization_values == ["crisis"]


def test_the_review_queue_page_does_not_list_the_reviewers_own_application(client):
    from django.urls import reverse

    user = reviewing_applicant()
    own = services.application_submit(actor=user, application=filled_application(user))
    someone = applicant(first="Lucía", last="Ramírez")
    theirs = services.application_submit(actor=someone, application=filled_application(someone))
    own_link, their_link = (reverse("certification:review", args=[a.pk]) for a in (own, theirs))

    client.force_login(user)
    page = client.get(reverse("certification:queue")).content.decode()
    assert their_link in page and own_link not in page
    home = client.get("/").content.decode()
    assert own_link not in home
    client.force_login(reviewer())
    page = client.get(reverse("certification:queue")).content.decode()
    assert their_link in page and own_link in page
