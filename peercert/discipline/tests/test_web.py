"""Pages and API as people use them, including the journey in the issue's "Done when"."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core import samples
from peercert.core.models import AuditEvent, Notification
from peercert.discipline import selectors, services
from peercert.discipline.models import ActionStatus, Appeal, Complaint, ComplaintStatus
from peercert.discipline.spam import LIMIT_PER_WINDOW

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
TODAY = datetime.date(2026, 3, 6)
SECRET_NAME = "Evangelina Zárate-Whitfield"
SECRET_EMAIL = "evangelina.whistle@complainant.example"
SECRET_PHONE = "(530) 555-0199"


def complaint_post(number="CA-PSS-000777", **overrides):
    data = {
        "complainant_name": SECRET_NAME,
        "complainant_email": SECRET_EMAIL,
        "complainant_phone": SECRET_PHONE,
        "respondent_kind": "peer",
        "certification_number": number,
        "incident_on": "2026-02-20",
        "incident_description": "The peer told my family what I said in group.",
        "website": "",
    }
    data.update(overrides)
    return data


def assert_no_complainant(text: str):
    for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE, "Zárate", "evangelina"):
        assert secret.lower() not in text.lower(), f"complainant detail {secret!r} leaked"


@time_machine.travel(NOON, tick=False)
def test_done_when_journey(client, certified_peer, reviewer, manager, certs):
    # a member of the public files a complaint, no sign-in
    response = client.post(reverse("discipline:complaint_new"), complaint_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.respondent_person == certified_peer and complaint.respondent_reference == "CA-PSS-000777"
    assert complaint.number in client.get(reverse("discipline:complaint_filed")).content.decode()

    # staff acknowledge and investigate
    client.force_login(reviewer)
    page = client.get(reverse("discipline:case_detail", args=[complaint.pk])).content.decode()
    assert SECRET_NAME in page  # staff see who complained
    assert reverse("web:audit") not in page  # the audit trail is for auditors and administrators
    client.post(reverse("discipline:case_acknowledge", args=[complaint.pk]))
    client.post(reverse("discipline:case_assign", args=[complaint.pk]), {"investigator": reviewer.pk})
    client.post(reverse("discipline:case_investigate", args=[complaint.pk]))
    client.post(
        reverse("discipline:case_entry_add", args=[complaint.pk]),
        {
            "kind": "interview",
            "text": "Confirms it.",
            "interviewee": "Group co-facilitator",
            "interviewed_on": "2026-03-05",
        },
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.INVESTIGATING

    # and suspend the peer
    response = client.post(
        reverse("discipline:case_decide", args=[complaint.pk]),
        {
            "outcome": "suspension",
            "findings": "Shared what a member said in group.",
            "provisions": ["confidentiality"],
            "ends_on": "2026-04-30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    action = complaint.actions.get()

    # the registry shows the suspension at once
    assert certs.status_of(certified_peer) == "suspended"
    assert [a.kind for a in selectors.public_actions_for(certified_peer)] == ["suspension"]
    api_public = client.get("/api/v1/discipline/public-actions?number=CA-PSS-000777").json()
    assert api_public[0]["status"] == "in_effect"

    # the peer appeals
    client.force_login(certified_peer.user)
    response = client.post(
        reverse("discipline:appeal_new"),
        {"subject": "suspension", "action": action.pk, "grounds": "The member had shared it publicly already."},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    appeal = Appeal.objects.get()

    # the original decider may not decide; a different staff member overturns it
    client.force_login(reviewer)
    response = client.post(
        reverse("discipline:appeal_detail", args=[appeal.pk]),
        {"outcome": "overturned", "reasons": "Not mine to decide"},
    )
    assert "original decision" in response.content.decode()
    client.force_login(manager)
    response = client.post(
        reverse("discipline:appeal_detail", args=[appeal.pk]),
        {"outcome": "overturned", "reasons": "The information was already public."},
    )
    assert response.status_code == 302

    # the registry shows active again; every step is on the audit trail
    assert certs.status_of(certified_peer) == "active"
    assert selectors.public_actions_for(certified_peer) == []
    action.refresh_from_db()
    assert action.status == ActionStatus.OVERTURNED
    trail = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "complaint.file",
        "complaint.acknowledge",
        "complaint.assign",
        "complaint.investigate",
        "case_entry.add",
        "complaint.decide",
        "action.create",
        "action.execute",
        "appeal.file",
        "action.overturn",
        "appeal.decide",
    } <= trail


@time_machine.travel(NOON, tick=False)
@pytest.mark.django_db(transaction=True)
def test_respondent_never_sees_who_complained(client, certified_peer, reviewer, manager, certs):
    client.post(reverse("discipline:complaint_new"), complaint_post())
    complaint = Complaint.objects.get()
    services.complaint_acknowledge(actor=reviewer, complaint=complaint)
    services.complaint_assign(actor=reviewer, complaint=complaint, investigator=reviewer)
    services.complaint_start_investigation(actor=reviewer, complaint=complaint)
    services.complaint_decide(
        actor=reviewer,
        complaint=complaint,
        outcome="corrective_action",
        findings="Shared group content.",
        provisions=["confidentiality"],
        due_on=TODAY + datetime.timedelta(days=60),
        classes=[{"title": "Confidentiality"}],
    )
    peer = certified_peer.user
    client.force_login(peer)
    pages = [
        reverse("discipline:my_cases"),
        reverse("discipline:my_case", args=[complaint.pk]),
        reverse("discipline:appeal_new"),
        reverse("web:home"),
        "/api/v1/discipline/my/cases",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_complainant(response.content.decode())
    assert "Shared group content." in client.get(reverse("discipline:my_case", args=[complaint.pk])).content.decode()
    for note in Notification.objects.filter(user=peer):
        assert_no_complainant(note.subject + note.body)
    for message in mail.outbox:
        if peer.email in message.to:
            assert_no_complainant(message.subject + message.body)
    # staff-only routes stay closed to the respondent
    assert client.get(reverse("discipline:case_detail", args=[complaint.pk])).status_code == 403
    assert client.get(f"/api/v1/discipline/cases/{complaint.pk}").status_code == 403


@time_machine.travel(NOON, tick=False)
def test_respondent_cannot_open_another_persons_case(client, certified_peer, certs):
    from peercert.discipline.tests.factories import ComplaintFactory

    other = ComplaintFactory(status=ComplaintStatus.ACKNOWLEDGED)
    client.force_login(certified_peer.user)
    assert client.get(reverse("discipline:my_case", args=[other.pk])).status_code == 404


@time_machine.travel(NOON, tick=False)
def test_unknown_certification_number_refused_with_reason(client, certs):
    response = client.post(reverse("discipline:complaint_new"), complaint_post(number="NOPE-1"))
    assert response.status_code == 400
    assert "could not find a certified peer" in response.content.decode()
    assert not Complaint.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_honeypot_refuses_automated_complaint(client, certified_peer):
    response = client.post(reverse("discipline:complaint_new"), complaint_post(website="http://spam.example"))
    assert response.status_code == 400
    assert "filled in automatically" in response.content.decode()
    assert not Complaint.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_rate_limit_per_address_on_public_forms(client, certified_peer):
    for _ in range(LIMIT_PER_WINDOW):
        assert client.post(reverse("discipline:complaint_new"), complaint_post()).status_code == 302
    response = client.post(reverse("discipline:complaint_new"), complaint_post())
    assert response.status_code == 429
    assert "Too many forms" in response.content.decode()
    assert Complaint.objects.count() == LIMIT_PER_WINDOW
    # another address is not affected
    other = client.post(reverse("discipline:complaint_new"), complaint_post(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


@time_machine.travel(NOON, tick=False)
def test_peer_search_lists_only_certified_people(client, certified_peer, other_person):
    page = client.get(reverse("discipline:peer_search"), {"q": certified_peer.legal_last_name}).content.decode()
    assert "CA-PSS-000777" in page
    page = client.get(reverse("discipline:peer_search"), {"q": other_person.legal_last_name}).content.decode()
    assert "No certified peer matches" in page


@time_machine.travel(NOON, tick=False)
def test_staff_enter_a_mail_complaint(client, reviewer, certified_peer):
    client.force_login(reviewer)
    response = client.post(
        reverse("discipline:case_new"),
        {
            "channel": "mail",
            "received_on": "2026-03-02",
            "complainant_name": "Anónimo por correo",
            "respondent_kind": "peer",
            "person_id": certified_peer.pk,
            "incident_on": "2026-01-10",
            "incident_description": "Letter describing a boundary problem.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.channel == "mail" and complaint.received_on == datetime.date(2026, 3, 2)


@time_machine.travel(NOON, tick=False)
def test_records_filter_and_csv_export_without_complainants(client, certified_peer, reviewer, certs):
    client.post(reverse("discipline:complaint_new"), complaint_post())
    complaint = Complaint.objects.get()
    services.complaint_acknowledge(actor=reviewer, complaint=complaint)
    services.complaint_decide(
        actor=reviewer, complaint=complaint, outcome="revocation", findings="Serious harm.", provisions=["no_harm"]
    )
    analyst = user_with_role(Role.DHCS_ANALYST)
    client.force_login(analyst)
    page = client.get(reverse("discipline:records"), {"person": certified_peer.pk}).content.decode()
    assert complaint.number in page
    assert_no_complainant(page)
    response = client.get(reverse("discipline:records_export"), {"date_from": "2026-03-01", "date_to": "2026-03-31"})
    body = b"".join(response.streaming_content).decode()
    assert_no_complainant(body)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == selectors.EXPORT_HEADER
    assert {r[0] for r in rows[1:]} == {"complaint", "action"}
    # period filter: nothing in February
    response = client.get(reverse("discipline:records_export"), {"date_to": "2026-02-28"})
    assert len(list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))) == 1
    # complainant identity is kept out of the export for program staff too
    client.force_login(reviewer)
    body = b"".join(client.get(reverse("discipline:records_export")).streaming_content).decode()
    assert_no_complainant(body)


@time_machine.travel(NOON, tick=False)
def test_staff_pages_render(client, reviewer, certified_peer, certs):
    from peercert.discipline.tests.factories import (
        ActionFactory,
        AppealFactory,
        ComplaintFactory,
        RequiredClassFactory,
    )

    complaint = ComplaintFactory(respondent_person=certified_peer)
    action = ActionFactory(complaint__respondent_person=certified_peer)
    RequiredClassFactory()
    AppealFactory(action=action)
    client.force_login(reviewer)
    for url in [
        reverse("discipline:case_list"),
        reverse("discipline:case_list") + "?overdue=1&mine=1",
        reverse("discipline:case_detail", args=[complaint.pk]),
        reverse("discipline:case_decide", args=[complaint.pk]),
        reverse("discipline:action_detail", args=[action.pk]),
        reverse("discipline:appeal_list"),
        reverse("discipline:records"),
        reverse("discipline:appeal_new"),
        reverse("web:home"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


@time_machine.travel(NOON, tick=False)
def test_staff_download_evidence_respondent_cannot(client, reviewer, certified_peer, certs):
    client.post(
        reverse("discipline:complaint_new"),
        {**complaint_post(), "evidence": SimpleUploadedFile("photo.pdf", samples.PDF)},
    )
    entry = Complaint.objects.get().entries.get()
    client.force_login(reviewer)
    response = client.get(reverse("discipline:case_entry_file", args=[entry.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(certified_peer.user)
    assert client.get(reverse("discipline:case_entry_file", args=[entry.pk])).status_code == 403


def test_picker_answers_htmx_with_a_fragment_and_prefills_the_form(client, certified_peer):
    fragment = client.get(reverse("discipline:peer_search"), {"q": "CA-PSS-000777"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html and "?number=CA-PSS-000777" in html
    form = client.get(reverse("discipline:complaint_new"), {"number": "CA-PSS-000777"}).content.decode()
    assert 'value="CA-PSS-000777"' in form
