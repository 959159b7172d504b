"""In the browser, on a phone, at 00:05 Pacific: an applicant who never reaches a page without a next step.

register → apply → pay → status with its reference → approved → upload the training certificate →
a reviewer accepts it → the next step is the exam fee. axe on each page.
"""

import datetime

import pytest
import time_machine

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.certification import services
from peercert.certification.models import Application, TrainingCertificate
from peercert.certification.tests.factories import PDF, decide_all, reviewer

# 00:05 Pacific on 2 March 2026; the UTC date is already 3 March.
NIGHT = datetime.datetime(2026, 3, 2, 8, 5, tzinfo=datetime.UTC)


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def _next_step(page) -> str:
    page.wait_for_load_state()
    return page.get_by_test_id("next-step").get_attribute("data-next")


def _visible(locator) -> bool:
    locator.wait_for(state="visible", timeout=15000)
    return True


@pytest.mark.django_db(transaction=True)
def test_an_applicant_always_has_a_next_step(page, axe_check, sign_in):
    with time_machine.travel(NIGHT, tick=True):
        staff = reviewer()
        staff.set_password(DEMO_PASSWORD)
        staff.save()

        # Register: a new account's home page says how to start.
        page.goto("/register/")
        page.get_by_label("Legal first name").fill("Yesenia")
        page.get_by_label("Legal last name").fill("Tran")
        page.get_by_label("Date of birth").fill("1990-05-14")
        page.get_by_label("Email").fill("yesenia.tran@applicants.demo.peercert.example")
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        page.get_by_label("Password again").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Create account").click()
        sign_in(page, "yesenia.tran@applicants.demo.peercert.example", DEMO_PASSWORD)
        page.goto("/")
        axe_check(page, "home page of a new account")
        page.get_by_role("link", name="Start your application").click()

        # Apply on the standard pathway.
        axe_check(page, "orientation")
        page.locator("label[for=id_acknowledged]").click()
        page.get_by_role("button", name="Continue").click()
        page.locator("label", has_text="Standard: core training and exam").click()
        page.get_by_role("button", name="Start my application").click()
        page.get_by_role("button", name="Save and continue").click()
        page.locator("label", has_text="My own recovery").click()
        page.locator("label", has_text="Both").click()
        page.locator("label[for=id_willing_to_share]").click()
        page.get_by_role("button", name="Save and continue").click()
        page.get_by_label("What is this document?").select_option("photo_id")
        page.locator("input[type=file]").set_input_files(_pdf("id.pdf"))
        page.get_by_label("For a photo ID").fill("YESENIA TRAN")
        page.get_by_role("button", name="Upload", exact=True).click()
        page.get_by_label("What is this document?").select_option("diploma")
        page.locator("input[type=file]").set_input_files(_pdf("diploma.pdf"))
        page.get_by_role("button", name="Upload", exact=True).click()
        page.get_by_role("button", name="Save and continue").click()
        page.get_by_label("Type your full legal name to sign").fill("Yesenia Tran")
        page.get_by_role("button", name="Save and continue").click()
        page.get_by_test_id("submit-application").click()

        # The status page names the reference and the one thing to do: pay.
        application = Application.objects.get(person__email="yesenia.tran@applicants.demo.peercert.example")
        assert page.get_by_test_id("reference").inner_text().endswith(application.reference_id)
        assert _next_step(page) == "pay_application"
        axe_check(page, "submitted application")
        page.get_by_test_id("next-step-button").click()
        axe_check(page, "pay the application fee")
        page.get_by_label("Card number").fill("4242 4242 4242 4242")
        page.get_by_role("button", name="Pay $100").click()
        assert _visible(page.get_by_role("link", name="Download the receipt (PDF)"))
        axe_check(page, "paid invoice")
        page.goto(f"/certification/applications/{application.pk}/")
        assert _next_step(page) == "wait_review"
        assert _visible(page.get_by_test_id("next-step-button"))
        assert "Pay the application fee" not in page.get_by_test_id("application-fee").inner_text()

        # The program approves it (the reviewer's pages have their own journey).
        services.application_review_start(actor=staff, application=application)
        decide_all(staff, application)
        services.application_approve(actor=staff, application=application)

        # After approval: upload the training certificate, the page's next step.
        page.reload()
        assert _next_step(page) == "upload_training"
        axe_check(page, "approved application")
        page.get_by_test_id("next-step-button").click()
        page.locator("#id_file").set_input_files(_pdf("core-training.pdf"))
        page.get_by_label("Date you completed the training").fill("2026-02-27")
        page.get_by_label("Training entity (as printed on the certificate)").fill("Central Valley Peer Academy")
        page.get_by_role("button", name="Send the certificate").click()
        assert _next_step(page) == "wait_training"
        assert "March 16, 2026" in page.get_by_test_id("next-step").inner_text()
        axe_check(page, "training certificate sent")

        # A reviewer finds it in the queue by the reference and accepts it.
        page.context.clear_cookies()
        sign_in(page, staff.email, DEMO_PASSWORD)
        page.goto("/certification/review/training/")
        page.get_by_label("Name, reference or certification number").fill(application.reference_id)
        page.get_by_role("button", name="Search").click()
        axe_check(page, "training certificate queue")
        page.get_by_role("link", name="Yesenia Tran").click()
        axe_check(page, "training certificate review")
        page.get_by_role("button", name="Accept the certificate").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("certificate-status").text_content() == "Accepted"
        assert TrainingCertificate.objects.get().status == "accepted"

        # Back to the applicant: the next step is the exam fee, with its button.
        page.context.clear_cookies()
        sign_in(page, "yesenia.tran@applicants.demo.peercert.example", DEMO_PASSWORD)
        page.goto(f"/certification/applications/{application.pk}/")
        assert _next_step(page) == "pay_exam"
        assert page.get_by_test_id("next-step-button").inner_text() == "Pay the exam fee"
        axe_check(page, "next step: the exam fee")
        page.get_by_test_id("next-step-button").click()
        assert _visible(page.get_by_role("button", name="Pay $150"))
        axe_check(page, "pay the exam fee")
