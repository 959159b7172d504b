"""In the browser, on a phone: the standard pathway from orientation to a verified registry entry."""

import pytest

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.certification.models import Application, Certification
from peercert.certification.tests.factories import PDF, applicant, reviewer
from peercert.core import clock
from peercert.finance import services as finance_services
from peercert.finance.models import Invoice


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def _switch(page, sign_in, user):
    page.context.clear_cookies()
    sign_in(page, user.email, DEMO_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_standard_pathway_applied_reviewed_certified_and_verified(page, axe_check, sign_in):
    peer = applicant(first="Xóchitl", last="Quiñónez")
    staff = reviewer()
    for user in (peer, staff):
        user.set_password(DEMO_PASSWORD)
        user.save()

    # The applicant reads the orientation, chooses the standard pathway and fills each step.
    sign_in(page, peer.email, DEMO_PASSWORD)
    page.goto("/certification/")
    page.get_by_role("link", name="Start an application").click()
    axe_check(page, "orientation")
    page.locator("label[for=id_acknowledged]").click()
    page.get_by_role("button", name="Continue").click()
    page.locator("label", has_text="Standard: core training and exam").click()
    page.get_by_role("button", name="Start my application").click()
    page.get_by_label("Date of birth").fill("1991-08-17")
    axe_check(page, "step: about you")
    page.get_by_role("button", name="Save and continue").click()
    page.locator("label", has_text="My own recovery").click()
    page.locator("label", has_text="Both").click()
    page.locator("label[for=id_willing_to_share]").click()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("What is this document?").select_option("photo_id")
    page.locator("input[type=file]").set_input_files(_pdf("licencia.pdf"))
    page.get_by_label("For a photo ID").fill("XOCHITL QUINONEZ")
    page.get_by_role("button", name="Upload", exact=True).click()
    page.get_by_label("What is this document?").select_option("diploma")
    page.locator("input[type=file]").set_input_files(_pdf("diploma.pdf"))
    page.get_by_role("button", name="Upload", exact=True).click()
    axe_check(page, "step: documents")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Type your full legal name to sign").fill("Xóchitl Quiñónez")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_test_id("submit-application").click()
    assert page.get_by_test_id("application-status").text_content() == "Submitted"
    assert "days in review" in page.get_by_test_id("processing-clock").inner_text()
    axe_check(page, "application status")

    # The fee is paid (a check recorded by staff), and the reviewer asks for one change.
    application = Application.objects.get(person=peer.person)
    invoice = Invoice.objects.get(reference_id=str(application.pk), fee_code="fee_application")
    finance_services.payment_record(
        actor=staff, invoice=invoice, method="check", amount=invoice.amount, external_reference="2231"
    )
    _switch(page, sign_in, staff)
    page.goto("/certification/review/")
    axe_check(page, "review queue")
    page.get_by_role("link", name="Xóchitl Quiñónez").click()
    page.get_by_role("button", name="Start the review").click()
    row = page.locator("tr[data-requirement=diploma]")
    row.get_by_label("Decision").select_option("not_met")
    row.get_by_label("Notes").fill("Only the front is readable. Upload both sides.")
    row.get_by_role("button", name="Save").click()
    axe_check(page, "review page")
    page.get_by_label("Message to the applicant").fill("One small fix, then we can approve.")
    page.get_by_role("button", name="Ask for changes").click()
    assert page.get_by_test_id("application-status").text_content() == "Changes requested"

    # The applicant sees exactly what to fix, fixes it and sends it back.
    _switch(page, sign_in, peer)
    page.goto(f"/certification/applications/{application.pk}/")
    assert page.get_by_text("Only the front is readable. Upload both sides.").is_visible()
    page.get_by_role("link", name="Documents").click()
    page.get_by_label("What is this document?").select_option("diploma")
    page.locator("input[type=file]").set_input_files(_pdf("diploma-both-sides.pdf"))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.goto(f"/certification/applications/{application.pk}/review/")
    page.get_by_test_id("submit-application").click()
    assert page.get_by_test_id("application-status").text_content() == "In review"

    # The reviewer approves; staff record training and exam; the certification is issued.
    _switch(page, sign_in, staff)
    page.goto(f"/certification/review/{application.pk}/")
    row = page.locator("tr[data-requirement=diploma]")
    row.get_by_label("Decision").select_option("met")
    row.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_test_id("application-status").text_content() == "Approved"
    page.get_by_role("link", name="Record training or exam").click()
    for kind in ("training_completed", "exam_passed"):
        page.get_by_label("What happened").select_option(kind)
        page.get_by_label("On", exact=True).fill(clock.today().isoformat())
        page.get_by_role("button", name="Record").click()
    cert = Certification.objects.get(person=peer.person)
    assert page.get_by_text(f"Certification {cert.number} issued.").is_visible()
    axe_check(page, "specialist record")

    # The peer opens the certificate's verification link (the QR code's target) without signing in.
    _switch(page, sign_in, peer)
    page.goto(f"/certification/certifications/{cert.number}/")
    verify = page.get_by_role("link", name=f"/registry/{cert.number}")
    href = verify.get_attribute("href")
    assert href.endswith(f"/registry/{cert.number}")
    page.context.clear_cookies()
    page.goto(href)
    assert page.get_by_test_id("registry-name").inner_text() == "Xóchitl Quiñónez"
    assert "Active" in page.get_by_test_id("registry-status").inner_text()
    axe_check(page, "registry verification")
    body = page.request.get("/api/v1/registry/certifications?name=quinonez").json()
    assert [r["number"] for r in body["results"]] == [cert.number]
