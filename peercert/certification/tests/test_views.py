"""The applicant journey and the reviewer's pages, through the browser-facing views."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.roles import Role
from peercert.certification.models import Application, Certification
from peercert.certification.tests.factories import PDF, PNG, applicant, filled_application, reviewer
from peercert.core import clock
from peercert.finance.models import Invoice

pytestmark = pytest.mark.django_db


def test_applicant_applies_on_the_standard_pathway_and_staff_take_it_to_a_certificate(
    client, django_capture_on_commit_callbacks
):
    user = applicant(first="Nguyễn Thị", last="Lan")
    client.force_login(user)
    assert client.get("/certification/").status_code == 200
    assert client.post("/certification/apply/", {}).status_code == 200  # must acknowledge
    assert client.post("/certification/apply/", {"acknowledged": "on"}).status_code == 302
    response = client.post("/certification/apply/pathway/", {"pathway": "standard"})
    application = Application.objects.get(person=user.person)
    assert response.headers["Location"] == f"/certification/applications/{application.pk}/step/about/"
    step = f"/certification/applications/{application.pk}/step/"
    r = client.post(
        step + "about/", {"legal_first_name": "Nguyễn Thị", "legal_last_name": "Lan", "date_of_birth": "1990-04-02"}
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    # Leave and come back: the next step is remembered on the status page.
    status = client.get(f"/certification/applications/{application.pk}/").content.decode()
    assert "Lived experience" in status
    assert (
        client.post(
            step + "experience/",
            {"lived_experience": "self", "experience_area": "substance_use", "willing_to_share": "on"},
        ).status_code
        == 302
    )
    upload = f"/certification/applications/{application.pk}/documents/"
    client.post(
        upload, {"kind": "photo_id", "name_on_document": "NGUYEN THI LAN", "file": SimpleUploadedFile("id.pdf", PDF)}
    )
    bad = client.post(
        upload, {"kind": "diploma", "file": SimpleUploadedFile("diploma.pdf", b"MZ not a pdf")}, follow=True
    )
    assert "contents were checked" in bad.content.decode()
    client.post(upload, {"kind": "diploma", "file": SimpleUploadedFile("diploma.png", PNG)})
    assert client.post(step + "documents/", {}).status_code == 302
    wrong = client.post(step + "ethics/", {"ethics_signed_name": "Someone Else"})
    assert "Type your legal name" in wrong.content.decode()
    assert client.post(step + "ethics/", {"ethics_signed_name": "nguyen thi lan"}).status_code == 302
    assert (
        "Submit my application" in client.get(f"/certification/applications/{application.pk}/review/").content.decode()
    )
    client.post(f"/certification/applications/{application.pk}/submit/")
    application.refresh_from_db()
    assert application.status == "submitted"
    again = client.post(f"/certification/applications/{application.pk}/submit/", follow=True)
    assert "already submitted" in again.content.decode()
    assert "processing-clock" in client.get(f"/certification/applications/{application.pk}/").content.decode()

    staff = reviewer()
    client.force_login(staff)
    queue = client.get("/certification/review/").content.decode()
    assert "awaiting payment" in queue and "Nguyễn Thị Lan" in queue
    refused = client.post(f"/certification/review/{application.pk}/approve/", follow=True)
    assert "not paid" in refused.content.decode()
    invoice = Invoice.objects.get(reference_id=str(application.pk), fee_code="fee_application")
    from peercert.finance import services as finance_services

    with django_capture_on_commit_callbacks(execute=True):
        finance_services.payment_record(
            actor=staff, invoice=invoice, method="check", amount=invoice.amount, external_reference="1042"
        )
    client.post(f"/certification/review/{application.pk}/start/")
    r = client.post(
        f"/certification/review/{application.pk}/decide/",
        {"code": "diploma", "diploma-code": "diploma", "diploma-outcome": "not_met", "diploma-notes": ""},
    )
    assert "Say what is missing" in r.content.decode()
    client.post(
        f"/certification/review/{application.pk}/decide/",
        {
            "code": "diploma",
            "diploma-code": "diploma",
            "diploma-outcome": "not_met",
            "diploma-notes": "Upload the whole diploma, both sides.",
        },
    )
    client.post(f"/certification/review/{application.pk}/revise/", {"message": "Almost there."})

    client.force_login(user)
    status = client.get(f"/certification/applications/{application.pk}/").content.decode()
    assert "Upload the whole diploma, both sides." in status and "Almost there." in status
    client.post(upload, {"kind": "diploma", "file": SimpleUploadedFile("both-sides.pdf", PDF)})
    client.post(f"/certification/applications/{application.pk}/submit/")
    application.refresh_from_db()
    assert application.status == "in_review"

    client.force_login(staff)
    client.post(
        f"/certification/review/{application.pk}/decide/",
        {"code": "diploma", "diploma-code": "diploma", "diploma-outcome": "met", "diploma-notes": "ok"},
    )
    client.post(f"/certification/review/{application.pk}/approve/")
    application.refresh_from_db()
    assert application.status == "approved"
    today = clock.today().isoformat()
    client.post(f"/certification/records/{user.person.pk}/", {"kind": "training_completed", "occurred_on": today})
    client.post(f"/certification/records/{user.person.pk}/", {"kind": "exam_passed", "occurred_on": today})
    cert = Certification.objects.get(person=user.person)
    timeline = client.get(f"/certification/records/{user.person.pk}/").content.decode()
    assert "Application approved" in timeline and cert.number in timeline

    client.force_login(user)
    pdf = client.get(f"/certification/certifications/{cert.number}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    card = client.get(f"/certification/certifications/{cert.number}/wallet-card.pdf")
    assert card.status_code == 200 and card.content.startswith(b"%PDF")
    client.logout()
    assert "Nguyễn Thị Lan" in client.get(f"/registry/{cert.number}").content.decode()


def test_peers_see_only_their_own_applications_and_certificates(client):
    owner = applicant()
    application = filled_application(owner)
    other = applicant(first="Ana", last="Peña")
    client.force_login(other)
    assert client.get(f"/certification/applications/{application.pk}/").status_code == 404
    assert client.get(f"/certification/applications/{application.pk}/step/about/").status_code == 404
    document = application.documents.first()
    assert client.get(f"/certification/documents/{document.pk}/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/certification/documents/{document.pk}/").status_code == 200


def test_grandparenting_closed_message_on_the_pathway_page(client):
    user = applicant()
    client.force_login(user)
    client.post("/certification/apply/", {"acknowledged": "on"})
    page = client.get("/certification/apply/pathway/").content.decode()
    assert "Closed on December 31, 2022" in page
    refused = client.post("/certification/apply/pathway/", {"pathway": "grandparenting"}).content.decode()
    assert "closed on December 31, 2022" in refused and not Application.objects.exists()


def test_staff_enter_a_past_grandparenting_record(client):
    user = applicant()
    staff = reviewer(Role.PROGRAM_MANAGER)
    client.force_login(staff)
    r = client.post(
        "/certification/records/enter/",
        {
            "person_email": user.person.email,
            "pathway": "grandparenting",
            "status": "approved",
            "submitted_on": "2022-04-01",
            "decided_on": "2022-05-15",
            "peer_work_hours": "2100",
            "employed_as_peer_on_cutoff": "on",
            "ce_hours": "20",
            "ce_law_ethics_hours": "6",
        },
    )
    application = Application.objects.get(person=user.person)
    assert r.headers["Location"] == f"/certification/review/{application.pk}/"
    page = client.get(r.headers["Location"]).content.decode()
    assert "entered by staff" in page and "2100" in page


def test_home_page_queues_show_when_something_waits(client):
    from peercert.core.worklists import worklists_for

    user = applicant()
    staff = reviewer()
    # A new account is told its first step (issue 17: no home page without a next step).
    [first] = [w for w in worklists_for(Role.PEER, user, None) if w.title == "Your certification"]
    assert [i.label for i in first.items] == ["Start your application"]
    application = filled_application(user)
    from peercert.certification import services

    services.application_submit(actor=user, application=application)
    [mine] = [w for w in worklists_for(Role.PEER, user, None) if w.title == "Your certification"]
    assert "Submitted" in mine.items[0].label
    [queue] = [
        w for w in worklists_for(Role.PROGRAM_REVIEWER, staff, None) if w.title == "Applications waiting for review"
    ]
    assert queue.count == 1
    client.force_login(staff)
    assert "Applications waiting for review" in client.get("/").content.decode()
