"""Separation of duties in discipline (issue 11, finding 4): staff do not handle cases they are party to."""

import pytest

from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program, user_with_role
from peercert.core.duties import OWN_MATTER
from peercert.core.errors import ApplicationError
from peercert.discipline import services
from peercert.discipline.models import Appeal, AppealStatus, Complaint, ComplaintStatus
from peercert.discipline.tests.factories import AppealFactory, ComplaintFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer_reviewer(db):
    user = user_with_role(Role.PEER)
    RoleAssignment.objects.create(user=user, role=Role.PROGRAM_REVIEWER, program=statewide_program())
    return user


@pytest.fixture
def colleague(db):
    return user_with_role(Role.PROGRAM_REVIEWER)


def test_the_respondent_does_not_handle_the_complaint_about_her(peer_reviewer, colleague):
    complaint = ComplaintFactory(respondent_person=peer_reviewer.person)
    with pytest.raises(ApplicationError) as err:
        services.complaint_acknowledge(actor=peer_reviewer, complaint=complaint)
    assert err.value.code == OWN_MATTER
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.RECEIVED
    with pytest.raises(ApplicationError):
        services.complaint_screen_out(actor=peer_reviewer, complaint=complaint, reason="Nothing in it")
    with pytest.raises(ApplicationError):
        services.case_entry_add(actor=peer_reviewer, complaint=complaint, kind="note", text="All lies")
    assert not complaint.entries.exists()
    services.complaint_acknowledge(actor=colleague, complaint=complaint)
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.ACKNOWLEDGED


def test_nor_is_she_its_investigator(peer_reviewer, colleague):
    complaint = ComplaintFactory(respondent_person=peer_reviewer.person)
    with pytest.raises(ApplicationError) as err:
        services.complaint_assign(actor=colleague, complaint=complaint, investigator=peer_reviewer)
    assert err.value.code == OWN_MATTER and err.value.field == "investigator"
    assert Complaint.objects.get(pk=complaint.pk).investigator_id is None


def test_the_complainant_does_not_handle_her_own_complaint(colleague):
    complaint = ComplaintFactory(complainant_email=colleague.email.upper())
    with pytest.raises(ApplicationError) as err:
        services.complaint_acknowledge(actor=colleague, complaint=complaint)
    assert err.value.code == OWN_MATTER
    services.complaint_acknowledge(actor=user_with_role(Role.PROGRAM_REVIEWER), complaint=complaint)


def test_the_appellant_does_not_decide_her_own_appeal(peer_reviewer, colleague):
    appeal = AppealFactory(action__complaint__respondent_person=peer_reviewer.person,
                           original_decider=user_with_role(Role.PROGRAM_MANAGER))
    assert appeal.person == peer_reviewer.person
    with pytest.raises(ApplicationError) as err:
        services.appeal_decide(actor=peer_reviewer, appeal=appeal, outcome="overturned", reasons="I was right")
    assert err.value.code == OWN_MATTER
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.FILED
    services.appeal_decide(actor=colleague, appeal=appeal, outcome="upheld", reasons="The findings stand.")
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.DECIDED
