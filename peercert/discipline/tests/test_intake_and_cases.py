import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import TrainingEntityFactory, user_with_role
from peercert.core import samples
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.discipline import services
from peercert.discipline.clocks import add_business_days
from peercert.discipline.models import CaseEntryKind, Channel, ComplaintStatus, RespondentKind
from peercert.discipline.tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

PDF = samples.PDF
TODAY = datetime.date(2026, 3, 6)  # a Friday
NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))


def audited(action, obj) -> bool:
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).exists()


def file_online(person, **overrides):
    data = dict(
        actor=None,
        channel=Channel.ONLINE,
        respondent_kind=RespondentKind.PEER,
        respondent_person=person,
        complainant_name="Rosalía Quintanilla",
        complainant_email="rosalia@complainant.example",
        complainant_phone="(213) 555-0177",
        incident_on=TODAY - datetime.timedelta(days=10),
        incident_description="Shared my story without asking.",
    )
    data.update(overrides)
    return services.complaint_file(**data)


def test_business_days_skip_weekends():
    assert add_business_days(datetime.date(2026, 3, 6), 5) == datetime.date(2026, 3, 13)
    assert add_business_days(datetime.date(2026, 3, 7), 1) == datetime.date(2026, 3, 9)


@time_machine.travel(NOON, tick=False)
def test_public_complaint_sets_clocks_from_rules_and_keeps_evidence(certified_peer):
    complaint = file_online(certified_peer, evidence=[SimpleUploadedFile("photo.pdf", PDF)])
    assert complaint.status == ComplaintStatus.RECEIVED
    assert complaint.number.startswith("C-2026-")
    assert complaint.ack_due_on == datetime.date(2026, 3, 13)  # 5 business days
    assert complaint.investigation_due_on == TODAY + datetime.timedelta(days=90)
    assert complaint.rules_version
    entry = complaint.entries.get()
    assert entry.kind == CaseEntryKind.EVIDENCE and entry.from_complainant
    assert audited("complaint.file", complaint)


@time_machine.travel(NOON, tick=False)
def test_evidence_is_checked_by_content(certified_peer):
    with pytest.raises(ApplicationError, match="contents were checked"):
        file_online(certified_peer, evidence=[SimpleUploadedFile("photo.pdf", b"MZ\x90 not a pdf")])


@time_machine.travel(NOON, tick=False)
def test_conduct_older_than_lookback_is_screened_out_with_reason(certified_peer):
    complaint = file_online(certified_peer, incident_on=datetime.date(2022, 12, 1))
    assert complaint.status == ComplaintStatus.SCREENED_OUT
    assert "more than 3 years ago" in complaint.screening_reason
    assert audited("complaint.screen_out", complaint)


@time_machine.travel(NOON, tick=False)
def test_conduct_while_not_certified_is_screened_out(certs, other_person):
    certs.issue(other_person, issued_on=datetime.date(2025, 6, 1))
    complaint = file_online(other_person, incident_on=datetime.date(2025, 1, 15))
    assert complaint.status == ComplaintStatus.SCREENED_OUT
    assert "was not certified on 2025-01-15" in complaint.screening_reason


@time_machine.travel(NOON, tick=False)
def test_complaint_against_training_entity_is_not_screened_by_certification(certs):
    entity = TrainingEntityFactory(name="Academia del Valle")
    complaint = file_online(None, respondent_kind=RespondentKind.TRAINING_ENTITY, respondent_entity=entity)
    assert complaint.status == ComplaintStatus.RECEIVED
    assert complaint.respondent == entity


@time_machine.travel(NOON, tick=False)
def test_public_complaint_needs_a_way_to_reach_the_complainant(certified_peer):
    with pytest.raises(ApplicationError, match="email address or a phone"):
        file_online(certified_peer, complainant_email="", complainant_phone="")


@time_machine.travel(NOON, tick=False)
def test_future_incident_refused(certified_peer):
    with pytest.raises(ApplicationError, match="cannot be after"):
        file_online(certified_peer, incident_on=TODAY + datetime.timedelta(days=1))


@time_machine.travel(NOON, tick=False)
def test_only_staff_enter_mail_and_phone_complaints(certified_peer, reviewer, peer_user):
    with pytest.raises(ApplicationError) as refused:
        file_online(certified_peer, actor=peer_user, channel=Channel.MAIL)
    assert refused.value.code == "forbidden"
    complaint = file_online(
        certified_peer,
        actor=reviewer,
        channel=Channel.PHONE,
        complainant_email="",
        received_on=TODAY - datetime.timedelta(days=2),
    )
    assert complaint.received_on == TODAY - datetime.timedelta(days=2)
    assert complaint.entered_by == reviewer


# --- transitions, allowed and refused --------------------------------------------------

ALL = list(ComplaintStatus.values)


def _step(name, actor, complaint, investigator):
    if name == "acknowledge":
        return services.complaint_acknowledge(actor=actor, complaint=complaint)
    if name == "investigate":
        return services.complaint_start_investigation(actor=actor, complaint=complaint)
    if name == "screen_out":
        return services.complaint_screen_out(actor=actor, complaint=complaint, reason="Not about a certified peer.")
    if name == "decide":
        return services.complaint_decide(
            actor=actor,
            complaint=complaint,
            outcome="dismissed",
            findings="Not supported by the evidence.",
            provisions=[],
        )
    raise AssertionError(name)


STEP_TARGET = {
    "acknowledge": ComplaintStatus.ACKNOWLEDGED,
    "investigate": ComplaintStatus.INVESTIGATING,
    "screen_out": ComplaintStatus.SCREENED_OUT,
    "decide": ComplaintStatus.DECIDED,
}
AUDIT_NAME = {
    "acknowledge": "complaint.acknowledge",
    "investigate": "complaint.investigate",
    "screen_out": "complaint.screen_out",
    "decide": "complaint.decide",
}


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("step", list(STEP_TARGET))
def test_every_case_transition_allowed_or_refused(source, step, reviewer, certs):
    from peercert.discipline.models import COMPLAINT_TRANSITIONS

    complaint = ComplaintFactory(
        status=source, investigator=reviewer, outcome="dismissed" if source == ComplaintStatus.DECIDED else ""
    )
    allowed = STEP_TARGET[step] in COMPLAINT_TRANSITIONS[source]
    if allowed:
        result = _step(step, reviewer, complaint, reviewer)
        assert result.status == STEP_TARGET[step]
        assert audited(AUDIT_NAME[step], complaint)
    else:
        with pytest.raises(ApplicationError) as refused:
            _step(step, reviewer, complaint, reviewer)
        assert refused.value.code in ("state", "closed")
        assert not audited(AUDIT_NAME[step], complaint)


def test_action_on_a_closed_case_is_refused(reviewer, certs):
    for status in (ComplaintStatus.DECIDED, ComplaintStatus.SCREENED_OUT):
        complaint = ComplaintFactory(status=status, outcome="dismissed" if status == "decided" else "")
        with pytest.raises(ApplicationError, match="is closed") as refused:
            services.case_entry_add(actor=reviewer, complaint=complaint, kind="note", text="More facts")
        assert refused.value.http_status == 409
        with pytest.raises(ApplicationError, match="is closed"):
            services.complaint_extend(actor=reviewer, complaint=complaint, reason="Need more time")
        with pytest.raises(ApplicationError, match="is closed"):
            services.complaint_assign(actor=reviewer, complaint=complaint, investigator=reviewer)


def test_investigation_needs_an_investigator(reviewer):
    complaint = ComplaintFactory(status=ComplaintStatus.ACKNOWLEDGED)
    with pytest.raises(ApplicationError, match="Assign an investigator"):
        services.complaint_start_investigation(actor=reviewer, complaint=complaint)


def test_assign_only_case_staff(reviewer, db):
    complaint = ComplaintFactory()
    examiner = user_with_role(Role.EXAM_ADMINISTRATOR)
    with pytest.raises(ApplicationError, match="program staff"):
        services.complaint_assign(actor=reviewer, complaint=complaint, investigator=examiner)
    services.complaint_assign(actor=reviewer, complaint=complaint, investigator=reviewer)
    assert audited("complaint.assign", complaint)


def test_non_staff_cannot_work_cases(peer_user):
    complaint = ComplaintFactory()
    with pytest.raises(ApplicationError) as refused:
        services.complaint_acknowledge(actor=peer_user, complaint=complaint)
    assert refused.value.code == "forbidden"


@time_machine.travel(NOON, tick=False)
def test_extension_once_with_reason(reviewer):
    complaint = ComplaintFactory(status=ComplaintStatus.INVESTIGATING, investigation_due_on=TODAY)
    with pytest.raises(ApplicationError, match="reason"):
        services.complaint_extend(actor=reviewer, complaint=complaint, reason=" ")
    complaint = services.complaint_extend(actor=reviewer, complaint=complaint, reason="Waiting for a witness.")
    assert complaint.investigation_due_on == TODAY + datetime.timedelta(days=30)
    assert audited("complaint.extend", complaint)
    with pytest.raises(ApplicationError, match="only once"):
        services.complaint_extend(actor=reviewer, complaint=complaint, reason="Again")


def test_case_entries_notes_interviews_evidence(reviewer):
    complaint = ComplaintFactory(status=ComplaintStatus.INVESTIGATING)
    services.case_entry_add(actor=reviewer, complaint=complaint, kind="note", text="Called the employer.")
    with pytest.raises(ApplicationError, match="who was interviewed"):
        services.case_entry_add(actor=reviewer, complaint=complaint, kind="interview", text="Notes")
    services.case_entry_add(
        actor=reviewer,
        complaint=complaint,
        kind="interview",
        text="Denies it.",
        interviewee="The respondent",
        interviewed_on=datetime.date(2026, 1, 5),
    )
    with pytest.raises(ApplicationError, match="Attach"):
        services.case_entry_add(actor=reviewer, complaint=complaint, kind="evidence")
    services.case_entry_add(
        actor=reviewer, complaint=complaint, kind="evidence", document=SimpleUploadedFile("letter.pdf", PDF)
    )
    assert complaint.entries.count() == 3
    assert AuditEvent.objects.filter(action="case_entry.add").count() == 3


@pytest.mark.django_db(transaction=True)
def test_acknowledgement_emails_the_complainant(reviewer, certs):
    complaint = ComplaintFactory()
    services.complaint_acknowledge(actor=reviewer, complaint=complaint)
    assert any(m.to == [complaint.complainant_email] for m in mail.outbox)
