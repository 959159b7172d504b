"""Separation of duties in discipline (issue 11, finding 4): staff do not handle cases they are party to."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import TrainingEntityFactory, statewide_program, user_with_role
from peercert.core.duties import OWN_MATTER
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.discipline import services
from peercert.discipline.models import Appeal, AppealStatus, Channel, Complaint, ComplaintStatus, DisciplinaryAction
from peercert.discipline.tests.factories import ActionFactory, AppealFactory, ComplaintFactory

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
    appeal = AppealFactory(
        action__complaint__respondent_person=peer_reviewer.person, original_decider=user_with_role(Role.PROGRAM_MANAGER)
    )
    assert appeal.person == peer_reviewer.person
    with pytest.raises(ApplicationError) as err:
        services.appeal_decide(actor=peer_reviewer, appeal=appeal, outcome="overturned", reasons="I was right")
    assert err.value.code == OWN_MATTER
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.FILED
    services.appeal_decide(actor=colleague, appeal=appeal, outcome="upheld", reasons="The findings stand.")
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.DECIDED


# ---- Every case step, whoever the party is; and the case and appeal queues --------------------------

NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
TODAY = datetime.date(2026, 3, 6)


def _party(kind, peer_reviewer, colleague):
    """(actor, complaint fields) for each way of being a party to a case."""
    if kind == "respondent":
        return peer_reviewer, {"respondent_person": peer_reviewer.person}
    if kind == "complainant_by_email":
        return colleague, {"complainant_email": colleague.email}
    if kind == "complainant_who_filed":
        return colleague, {"channel": Channel.ONLINE, "entered_by": colleague}
    entity = TrainingEntityFactory(name="Escuela de Pares del Norte")
    RoleAssignment.objects.create(user=colleague, role=Role.TRAINING_STAFF, training_entity=entity)
    return colleague, {"against_entity": True, "respondent_entity": entity}


PARTIES = ["respondent", "complainant_by_email", "complainant_who_filed", "entity_staff"]
STEPS = {
    "start_investigation": (
        ComplaintStatus.ACKNOWLEDGED,
        "complaint.investigate",
        lambda a, c: services.complaint_start_investigation(actor=a, complaint=c),
    ),
    "extend": (
        ComplaintStatus.INVESTIGATING,
        "complaint.extend",
        lambda a, c: services.complaint_extend(actor=a, complaint=c, reason="Waiting for a witness"),
    ),
    "decide": (
        ComplaintStatus.INVESTIGATING,
        "complaint.decide",
        lambda a, c: services.complaint_decide(
            actor=a, complaint=c, outcome="dismissed", findings="Nothing shows a breach.", provisions=[]
        ),
    ),
}


def _fresh(complaint):
    return Complaint.objects.filter(pk=complaint.pk).values().get()


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("party", PARTIES)
@pytest.mark.parametrize("step", list(STEPS))
def test_no_party_takes_a_step_on_the_case(step, party, peer_reviewer, colleague, certs):
    status, audit_action, call = STEPS[step]
    actor, fields = _party(party, peer_reviewer, colleague)
    complaint = ComplaintFactory(status=status, investigator=user_with_role(Role.PROGRAM_REVIEWER), **fields)
    if complaint.respondent_person is not None:
        certs.issue(complaint.respondent_person)
    before, audits = _fresh(complaint), AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as err:
        call(actor, complaint)
    assert err.value.code == OWN_MATTER
    assert _fresh(complaint) == before and AuditEvent.objects.count() == audits
    assert not complaint.actions.exists()
    call(user_with_role(Role.PROGRAM_REVIEWER), complaint)
    assert AuditEvent.objects.filter(action=audit_action, object_id=str(complaint.pk)).exists()


@time_machine.travel(NOON, tick=False)
def test_entity_staff_do_not_sanction_their_own_entity_nor_lift_its_suspension(colleague, certs):
    actor, fields = _party("entity_staff", None, colleague)
    complaint = ComplaintFactory(status=ComplaintStatus.INVESTIGATING, **fields)
    sanction = dict(
        outcome="suspension",
        findings="Issued certificates for hours not taught.",
        provisions=["training_standards"],
        ends_on=TODAY + datetime.timedelta(days=60),
    )
    with pytest.raises(ApplicationError) as err:
        services.complaint_decide(actor=actor, complaint=complaint, **sanction)
    assert err.value.code == OWN_MATTER
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.INVESTIGATING
    assert not DisciplinaryAction.objects.exists()
    services.complaint_decide(actor=user_with_role(Role.PROGRAM_REVIEWER), complaint=complaint, **sanction)
    action = complaint.actions.get()
    assert action.status == "in_effect"
    audits = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as err:
        services.action_lift(actor=actor, action=action, reason="We fixed it")
    assert err.value.code == OWN_MATTER
    assert DisciplinaryAction.objects.get(pk=action.pk).status == "in_effect" and AuditEvent.objects.count() == audits
    services.action_lift(actor=user_with_role(Role.PROGRAM_REVIEWER), action=action, reason="Audit passed")
    assert DisciplinaryAction.objects.get(pk=action.pk).status != "in_effect"


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("party", ["respondent", "complainant_by_email", "complainant_who_filed"])
def test_no_party_lifts_a_suspension(party, peer_reviewer, colleague, certs):
    actor, fields = _party(party, peer_reviewer, colleague)
    complaint = ComplaintFactory(status=ComplaintStatus.DECIDED, outcome="suspension", **fields)
    certs.issue(complaint.respondent_person, status="suspended")
    action = ActionFactory(complaint=complaint, until_condition="Finish a boundaries class", ends_on=None)
    audits = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as err:
        services.action_lift(actor=actor, action=action, reason="Class done")
    assert err.value.code == OWN_MATTER
    assert DisciplinaryAction.objects.get(pk=action.pk).status == "in_effect" and AuditEvent.objects.count() == audits
    services.action_lift(actor=user_with_role(Role.PROGRAM_REVIEWER), action=action, reason="Certificate received")
    assert AuditEvent.objects.filter(action="action.end", object_id=str(action.pk)).exists()


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("party", PARTIES)
def test_the_case_list_does_not_show_staff_the_cases_they_are_party_to(party, client, peer_reviewer, colleague):
    actor, fields = _party(party, peer_reviewer, colleague)
    own, theirs = ComplaintFactory(**fields), ComplaintFactory()
    client.force_login(actor)
    page = client.get(reverse("discipline:case_list")).content.decode()
    assert theirs.number in page and own.number not in page
    client.force_login(user_with_role(Role.PROGRAM_REVIEWER))
    page = client.get(reverse("discipline:case_list")).content.decode()
    assert theirs.number in page and own.number in page


@time_machine.travel(NOON, tick=False)
def test_the_appeal_queue_does_not_show_the_appellant_her_own_appeal(client, peer_reviewer, colleague):
    own = AppealFactory(action__complaint__respondent_person=peer_reviewer.person)
    theirs = AppealFactory()
    client.force_login(peer_reviewer)
    page = client.get(reverse("discipline:appeal_list")).content.decode()
    assert theirs.number in page and own.number not in page
    client.force_login(colleague)
    page = client.get(reverse("discipline:appeal_list")).content.decode()
    assert theirs.number in page and own.number in page
