"""Discipline against the real certification app, end to end."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from peercert.accounts.tests.factories import statewide_program
from peercert.certification.tests.factories import CertificationFactory
from peercert.discipline import selectors, services
from peercert.discipline.models import AppealSubject, Channel, ComplaintStatus, RespondentKind

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
TODAY = datetime.date(2026, 3, 6)
DAY = datetime.timedelta(days=1)


def issue(person, number="CA-TEST-000123", issued_on=datetime.date(2025, 1, 1), expires_on=datetime.date(2027, 1, 1)):
    return CertificationFactory(
        number=number,
        person=person,
        program=statewide_program(),
        status="active",
        issued_on=issued_on,
        expires_on=expires_on,
    )


def status_of(cert):
    cert.refresh_from_db()
    return cert.status


@time_machine.travel(NOON, tick=False)
def test_picker_and_screening_use_certification(peer_user, other_person):
    cert = issue(peer_user.person)
    assert selectors.peer_by_number(cert.number).person_id == peer_user.person.pk
    assert [m.number for m in selectors.find_peers(peer_user.person.legal_last_name)] == [cert.number]
    assert selectors.find_peers(other_person.legal_last_name) == []
    assert selectors.was_certified_on(peer_user.person, TODAY) is True
    assert selectors.was_certified_on(peer_user.person, datetime.date(2024, 6, 1)) is False
    complaint = services.complaint_file(
        actor=None,
        channel=Channel.ONLINE,
        respondent_kind=RespondentKind.PEER,
        respondent_person=peer_user.person,
        complainant_name="Rosalía",
        complainant_email="r@example.com",
        incident_on=datetime.date(2024, 6, 1),
        incident_description="Before certification",
    )
    assert complaint.status == ComplaintStatus.SCREENED_OUT


@time_machine.travel(NOON, tick=False)
def test_suspend_appeal_overturn_against_real_certification(peer_user, reviewer, manager):
    cert = issue(peer_user.person)
    complaint = services.complaint_file(
        actor=None,
        channel=Channel.ONLINE,
        respondent_kind=RespondentKind.PEER,
        respondent_person=peer_user.person,
        complainant_name="Rosalía",
        complainant_email="r@example.com",
        incident_on=TODAY - 10 * DAY,
        incident_description="Shared a story",
    )
    services.complaint_acknowledge(actor=reviewer, complaint=complaint)
    services.complaint_decide(
        actor=reviewer,
        complaint=complaint,
        outcome="suspension",
        findings="Shared it.",
        provisions=["confidentiality"],
        ends_on=TODAY + 30 * DAY,
    )
    assert status_of(cert) == "suspended"
    action = complaint.actions.get()
    assert action.certification_id == cert.pk and action.prior_status == "active"
    appeal = services.appeal_file(actor=peer_user, subject=AppealSubject.SUSPENSION, action=action, grounds="No")
    services.appeal_decide(actor=manager, appeal=appeal, outcome="overturned", reasons="Not proven.")
    assert status_of(cert) == "active"
    history = list(cert.status_changes.values_list("from_status", "to_status", "source"))
    assert history[-2:] == [("active", "suspended", "discipline"), ("suspended", "active", "discipline")]
    assert selectors.public_actions_for(cert) == []


@time_machine.travel(NOON, tick=False)
def test_scheduled_suspension_by_daily_job_and_return_to_active(peer_user, reviewer):
    cert = issue(peer_user.person)
    complaint = services.complaint_file(
        actor=reviewer,
        channel=Channel.MAIL,
        respondent_kind=RespondentKind.PEER,
        respondent_person=peer_user.person,
        complainant_name="Rosalía",
        incident_on=TODAY - 10 * DAY,
        incident_description="Boundaries",
    )
    services.complaint_acknowledge(actor=reviewer, complaint=complaint)
    services.complaint_decide(
        actor=reviewer,
        complaint=complaint,
        outcome="suspension",
        findings="x",
        provisions=["boundaries"],
        effective_on=TODAY + 2 * DAY,
        ends_on=TODAY + 5 * DAY,
    )
    assert status_of(cert) == "active"
    services.discipline_execute_due(TODAY + 2 * DAY)
    assert status_of(cert) == "suspended"
    assert [p.kind for p in selectors.public_actions_for(cert)] == ["suspension"]
    services.discipline_execute_due(TODAY + 6 * DAY)
    assert status_of(cert) == "active"


@time_machine.travel(NOON, tick=False)
def test_revocation_modified_to_suspension_walks_the_certification_map(peer_user, reviewer, manager):
    cert = issue(peer_user.person)
    complaint = services.complaint_file(
        actor=reviewer,
        channel=Channel.MAIL,
        respondent_kind=RespondentKind.PEER,
        respondent_person=peer_user.person,
        complainant_name="Rosalía",
        incident_on=TODAY - 10 * DAY,
        incident_description="Harm",
    )
    services.complaint_acknowledge(actor=reviewer, complaint=complaint)
    services.complaint_decide(
        actor=reviewer, complaint=complaint, outcome="revocation", findings="x", provisions=["no_harm"]
    )
    assert status_of(cert) == "revoked"
    appeal = services.appeal_file(
        actor=peer_user, subject=AppealSubject.REVOCATION, action=complaint.actions.get(), grounds="Too harsh"
    )
    services.appeal_decide(
        actor=manager,
        appeal=appeal,
        outcome="modified",
        reasons="Suspension instead.",
        modification="Six months.",
        new_ends_on=TODAY + 180 * DAY,
    )
    assert status_of(cert) == "suspended"


@time_machine.travel(NOON, tick=False)
def test_done_when_journey_through_the_registry(client, peer_user, reviewer, manager):
    from django.urls import reverse

    from peercert.core.models import AuditEvent
    from peercert.discipline.models import Appeal, Complaint

    cert = issue(peer_user.person, number="CA-DONE-000001")
    verify = reverse("registry:verify", args=[cert.number])
    # a member of the public files a complaint
    response = client.post(
        reverse("discipline:complaint_new"),
        {
            "complainant_name": "Evangelina Zárate",
            "complainant_email": "ez@complainant.example",
            "respondent_kind": "peer",
            "certification_number": cert.number,
            "incident_on": "2026-02-20",
            "incident_description": "Told my family what I said in group.",
            "website": "",
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    # staff acknowledge, investigate and suspend
    client.force_login(reviewer)
    client.post(reverse("discipline:case_acknowledge", args=[complaint.pk]))
    client.post(reverse("discipline:case_assign", args=[complaint.pk]), {"investigator": reviewer.pk})
    client.post(reverse("discipline:case_investigate", args=[complaint.pk]))
    client.post(
        reverse("discipline:case_decide", args=[complaint.pk]),
        {
            "outcome": "suspension",
            "findings": "Shared group content.",
            "provisions": ["confidentiality"],
            "ends_on": "2026-04-30",
        },
    )
    # the registry shows the suspension at once
    client.logout()
    page = client.get(verify).content.decode()
    assert "Suspended" in page and "Suspended from 2026-03-06 until 2026-04-30" in page
    record = client.get(f"/api/v1/registry/certifications/{cert.number}").json()
    assert record["status"] == "suspended" and record["disciplinary_actions"][0]["action"] == "Suspension"
    # the peer appeals; a different staff member overturns it
    client.force_login(peer_user)
    client.post(
        reverse("discipline:appeal_new"),
        {"subject": "suspension", "action": complaint.actions.get().pk, "grounds": "It was already public."},
    )
    appeal = Appeal.objects.get()
    client.force_login(manager)
    client.post(
        reverse("discipline:appeal_detail", args=[appeal.pk]), {"outcome": "overturned", "reasons": "Already public."}
    )
    # the registry shows active again; every step is on the audit trail
    client.logout()
    page = client.get(verify).content.decode()
    assert "Active" in page and "Suspended from" not in page
    trail = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "complaint.file",
        "complaint.acknowledge",
        "complaint.investigate",
        "complaint.decide",
        "action.execute",
        "certification.change_status",
        "appeal.file",
        "action.overturn",
        "appeal.decide",
    } <= trail
