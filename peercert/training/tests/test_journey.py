"""The issue's "done when", through the pages as people would use them."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.finance import services as finance_services
from peercert.training import fees
from peercert.training.models import (
    Completion,
    Curriculum,
    CurriculumVersion,
    Offering,
    ProviderApplication,
)


def test_entity_applies_curriculum_approved_course_roster_and_ledger(
    client, entity, entity_staff, reviewer, approver, peer, django_capture_on_commit_callbacks
):
    # The entity applies to teach continuing education in English.
    client.force_login(entity_staff)
    response = client.post(
        reverse("training:applications"),
        {
            "training_entity": entity.pk,
            "training_type": "continuing_education",
            "language": "en",
            "contact_email": "training@sierra.example",
            "description": "Ten years of peer training.",
        },
    )
    assert response.status_code == 302
    app = ProviderApplication.objects.get()
    page = client.get(reverse("training:application_detail", args=[app.pk])).content.decode()
    assert "$300.00" in page

    # The program reviews it; the fee is paid by check; the application is approved.
    client.force_login(reviewer)
    assert client.post(reverse("training:application_start_review", args=[app.pk])).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        finance_services.payment_record(
            actor=reviewer,
            invoice=fees.invoice_for(app, fees.FEE_APPLICATION),
            method="check",
            amount="300.00",
            external_reference="1042",
        )
    client.post(reverse("training:application_approve", args=[app.pk]), {"comments": "Welcome aboard"})
    app.refresh_from_db()
    assert app.status == "approved"

    # The entity submits a law-and-ethics curriculum; DHCS returns it, then approves the fix.
    client.force_login(entity_staff)
    client.post(
        reverse("training:curricula"),
        {
            "title": "Law and Ethics for Peers",
            "kind": "continuing_education",
            "ce_category": "law_ethics",
            "specialization": "",
        },
    )
    curriculum = Curriculum.objects.get()
    detail = reverse("training:curriculum_detail", args=[curriculum.pk])
    client.post(
        reverse("training:curriculum_version_create", args=[curriculum.pk]),
        {"hours": "6", "summary": "HIPAA, 42 CFR Part 2, boundaries"},
    )
    version = CurriculumVersion.objects.get()
    client.post(reverse("training:version_submit", args=[version.pk]))
    client.force_login(approver)
    assert "Law and Ethics for Peers v1" in client.get(reverse("web:home")).content.decode()
    client.post(
        reverse("training:version_return", args=[version.pk]), {"comments": "Add a module on mandated reporting."}
    )
    version.refresh_from_db()
    assert version.status == "returned"
    client.force_login(entity_staff)
    assert "mandated reporting" in client.get(detail).content.decode()
    client.post(reverse("training:version_submit", args=[version.pk]))
    client.force_login(approver)
    client.post(reverse("training:version_approve", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == "approved"

    # The entity schedules a course; it shows on the public list.
    client.force_login(entity_staff)
    start = datetime.date(2026, 2, 20)
    client.post(
        reverse("training:offerings"),
        {
            "training_entity": entity.pk,
            "curriculum_version": version.pk,
            "title": "",
            "starts_on": start,
            "ends_on": start,
            "hours": "6",
            "language": "en",
            "modality": "virtual",
            "location": "",
            "capacity": "10",
            "cost": "0",
            "accommodation_contact": "Tomás, 916-555-0142",
        },
    )
    offering = Offering.objects.get()
    client.logout()
    assert "Law and Ethics for Peers" in client.get(reverse("training:providers")).content.decode()

    # A peer enrolls.
    client.force_login(peer)
    client.post(reverse("training:enroll", args=[offering.pk]))
    assert offering.enrollments.get().person == peer.person

    # After the course, the entity uploads a roster with one bad line, sees it, fixes it, uploads again.
    other = user_with_role(Role.PEER)
    other.person.date_of_birth = datetime.date(1979, 12, 1)
    other.person.save()
    me = peer.person
    client.force_login(entity_staff)
    roster = reverse("training:roster_upload", args=[offering.pk])
    bad = (
        f"first_name,last_name,date_of_birth,hours\n{me.legal_first_name},{me.legal_last_name},"
        f"{me.date_of_birth:%Y-%m-%d},6\n{other.person.legal_first_name},{other.person.legal_last_name},"
        f"1979-12-01,60\n"
    ).encode()
    with time_travel(datetime.date(2026, 2, 23)):
        page = client.post(roster, {"file": SimpleUploadedFile("roster.csv", bad)}).content.decode()
        assert "1 problem. Nothing was saved." in page and "more than the course" in page
        client.post(reverse("training:roster_confirm", args=[offering.pk]))  # nothing stashed for a bad file
        assert Completion.objects.count() == 0
        good = bad.replace(b",60\n", b",6\n")
        page = client.post(roster, {"file": SimpleUploadedFile("roster.csv", good)}).content.decode()
        assert "2 new completions will be saved" in page
        client.post(reverse("training:roster_confirm", args=[offering.pk]))
        assert Completion.objects.count() == 2
        page = client.post(roster, {"file": SimpleUploadedFile("roster.csv", good)}).content.decode()
        assert "0 new completions will be saved; 2 are already recorded" in page
        client.post(reverse("training:roster_confirm", args=[offering.pk]))
        assert Completion.objects.count() == 2

        # The peer's ledger shows the hours by category, and the certificate opens.
        client.force_login(peer)
        page = client.get(reverse("training:my_training")).content.decode()
        assert "Law and Ethics for Peers" in page and "6.00" in page
        completion = Completion.objects.get(person=me)
        pdf = client.get(reverse("training:certificate", args=[completion.pk]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        api = client.get("/api/v1/training/ce-ledger").json()
        assert api["cycles"][0]["law_ethics"] == "6.00" or float(api["cycles"][0]["law_ethics"]) == 6.0


def time_travel(day):
    import time_machine

    return time_machine.travel(datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=datetime.UTC), tick=False)
