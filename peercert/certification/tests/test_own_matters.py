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


@pytest.mark.parametrize("act", [
    lambda actor, app: services.application_review_start(actor=actor, application=app),
    lambda actor, app: services.application_assign(actor=actor, application=app, reviewer=reviewer()),
    lambda actor, app: services.application_deny(actor=actor, application=app, reason="no"),
    lambda actor, app: services.application_approve(actor=actor, application=app),
    lambda actor, app: services.requirement_decide(actor=actor, application=app, code="photo_id", outcome="met"),
], ids=["review_start", "assign", "deny", "approve", "requirement_decide"])
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
        services.certification_change_status(actor=user, certification=cert, to_status=CertificationStatus.SUSPENDED,
                                             reason="Taking a break")
    assert err.value.code == OWN_MATTER
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.ACTIVE
    services.certification_change_status(actor=reviewer(Role.PROGRAM_MANAGER), certification=cert,
                                         to_status=CertificationStatus.SUSPENDED, reason="Taking a break")
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.SUSPENDED
