"""Issue 17, point 2: after approval the standard applicant sends the core training certificate, a reviewer
accepts or rejects it against training_certificate_review_target_days; and point 4's next steps."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.certification import fees, selectors, services
from peercert.certification.models import (
    TRAINING_CERTIFICATE_TRANSITIONS,
    ApplicationDocument,
    ApplicationStatus,
    TrainingCertificate,
    TrainingCertificateStatus,
)
from peercert.certification.tests.factories import applicant, decide_all, filled_application, pdf, reviewer
from peercert.core import clock
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.transitions import assert_map_covers
from peercert.finance import services as finance_services

pytestmark = pytest.mark.django_db

# 00:05 Pacific on 2 March 2026: the UTC date is already 3 March.
JUST_AFTER_MIDNIGHT = datetime.datetime(2026, 3, 2, 8, 5, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False):
        yield


def approved(pay, user=None):
    user = user or applicant()
    application = filled_application(user)
    services.application_submit(actor=user, application=application)
    pay(application)
    staff = reviewer()
    services.application_review_start(actor=staff, application=application)
    decide_all(staff, application)
    services.application_approve(actor=staff, application=application)
    application.refresh_from_db()
    return user, staff, application


def send(user, application, upload=None, completed_on=datetime.date(2026, 2, 20)):
    return services.training_certificate_submit(
        actor=user,
        application=application,
        upload=upload or pdf("core-training.pdf"),
        completed_on=completed_on,
        provider_name="Sacramento Peer Academy",
    )


def test_the_map_covers_every_state():
    assert_map_covers(TRAINING_CERTIFICATE_TRANSITIONS, TrainingCertificateStatus)


def test_sent_certificate_starts_a_14_day_clock_in_pacific_days(pay):
    user, _staff, application = approved(pay)
    certificate = send(user, application)
    # Submitted on 2 March Pacific (already 3 March in UTC): due 14 days later, on 16 March.
    assert certificate.due_on == datetime.date(2026, 3, 16)
    assert certificate.status == TrainingCertificateStatus.SUBMITTED
    assert certificate.document.kind == "training_certificate"
    c = selectors.certificate_clock(certificate)
    assert (c["left"], c["overdue"], c["target"]) == (14, False, 14)
    assert AuditEvent.objects.filter(action="training_certificate.submit", object_id=str(certificate.pk)).exists()
    with time_machine.travel(datetime.datetime(2026, 3, 18, 8, 5, tzinfo=datetime.UTC), tick=False):
        late = selectors.certificate_clock(certificate)
        assert late["overdue"] is True and late["left"] == 0


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_and_nothing_is_saved(pay):
    user, _staff, application = approved(pay)
    documents_before = ApplicationDocument.objects.count()
    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 this is a program, not a PDF", "application/pdf")
    with pytest.raises(ApplicationError) as refused:
        send(user, application, upload=fake)
    assert refused.value.field == "file"
    assert "PDF" in refused.value.message
    assert ApplicationDocument.objects.count() == documents_before
    assert not TrainingCertificate.objects.exists()


def test_refused_before_approval_in_the_future_or_twice(pay):
    user = applicant()
    draft = filled_application(user)
    with pytest.raises(ApplicationError) as not_yet:
        send(user, draft)
    assert not_yet.value.code == "state"
    user, _staff, application = approved(pay)
    with pytest.raises(ApplicationError) as future:
        send(user, application, completed_on=datetime.date(2026, 3, 3))
    assert future.value.field == "completed_on"
    send(user, application)
    with pytest.raises(ApplicationError) as twice:
        send(user, application)
    assert twice.value.code == "duplicate"
    assert TrainingCertificate.objects.count() == 1


def test_only_the_applicant_sends_and_only_a_reviewer_decides(pay):
    user, staff, application = approved(pay)
    with pytest.raises(ApplicationError):
        send(applicant(), application)
    certificate = send(user, application)
    with pytest.raises(ApplicationError):
        services.training_certificate_accept(actor=user, certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.status == TrainingCertificateStatus.SUBMITTED


def test_accepting_counts_the_training_and_the_next_step_is_the_exam_fee(pay, django_capture_on_commit_callbacks):
    user, staff, application = approved(pay)
    assert selectors.application_next_step(application)["key"] == "upload_training"
    certificate = send(user, application)
    assert selectors.application_next_step(application)["key"] == "wait_training"
    services.training_certificate_accept(actor=staff, certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.status == TrainingCertificateStatus.ACCEPTED and certificate.decided_by == staff
    assert AuditEvent.objects.filter(action="training_certificate.accept", object_id=str(certificate.pk)).exists()
    step = selectors.application_next_step(application)
    invoice = fees.exam_invoice(application)
    assert step["key"] == "pay_exam" and step["url"] == reverse("finance:invoice_pay", args=[invoice.pk])
    # Once the exam fee is paid, the next step is scheduling the exam.
    with django_capture_on_commit_callbacks(execute=True):
        finance_services.payment_record(
            actor=user, invoice=invoice, method="test_card", amount=invoice.amount, card_number="4242 4242 4242 4242"
        )
    assert selectors.application_next_step(application)["key"] == "schedule_exam"
    with pytest.raises(ApplicationError):
        services.training_certificate_reject(actor=staff, certificate=certificate, reason="late change of mind")


def test_rejecting_needs_a_reason_and_lets_the_applicant_send_another(pay):
    user, staff, application = approved(pay)
    certificate = send(user, application)
    with pytest.raises(ApplicationError) as no_reason:
        services.training_certificate_reject(actor=staff, certificate=certificate, reason="  ")
    assert no_reason.value.field == "reason"
    services.training_certificate_reject(actor=staff, certificate=certificate, reason="The name is cut off.")
    certificate.refresh_from_db()
    assert certificate.status == TrainingCertificateStatus.REJECTED
    assert AuditEvent.objects.get(action="training_certificate.reject").reason == "The name is cut off."
    assert selectors.application_next_step(application)["key"] == "upload_training"
    second = send(user, application)
    assert second.status == TrainingCertificateStatus.SUBMITTED


def test_reviewer_queue_lists_waiting_certificates_oldest_due_first_and_searches(pay, client):
    user, staff, application = approved(pay)
    certificate = send(user, application)
    assert list(selectors.training_certificate_queue(actor=staff)) == [certificate]
    assert list(selectors.training_certificate_queue(actor=staff, query=application.reference_id)) == [certificate]
    assert list(selectors.training_certificate_queue(actor=staff, query="nobody by this name")) == []
    # The applicant, were they a reviewer, would not be offered their own.
    client.force_login(staff)
    page = client.get(reverse("certification:training_queue"))
    assert page.status_code == 200 and application.reference_id in page.content.decode()
    detail = client.get(reverse("certification:training_review", args=[certificate.pk]))
    assert detail.status_code == 200
    assert "16 de marzo" not in detail.content.decode()  # English reader: English date
    assert "March 16, 2026" in detail.content.decode()


def test_upload_through_the_page_and_a_refusal_shown_on_it(pay, client):
    user, _staff, application = approved(pay)
    client.force_login(user)
    url = reverse("certification:training_certificate_upload", args=[application.pk])
    bad = client.post(
        url,
        {"file": SimpleUploadedFile("c.png", b"not an image", "image/png"), "completed_on": "2026-02-20"},
    )
    assert bad.status_code == 400
    assert not TrainingCertificate.objects.exists()
    good = client.post(url, {"file": pdf("c.pdf"), "completed_on": "2026-02-20", "provider_name": "Fresno Peers"})
    assert good.status_code == 302
    status = client.get(reverse("certification:application_status", args=[application.pk])).content.decode()
    assert application.reference_id in status and "March 16, 2026" in status


def test_training_certificate_downloads_as_an_attachment(pay, client):
    user, staff, application = approved(pay)
    certificate = send(user, application)
    client.force_login(staff)
    response = client.get(reverse("certification:document_download", args=[certificate.document_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_status_page_states_reference_and_the_pay_link_then_the_receipt(pay, client):
    user = applicant()
    application = filled_application(user)
    services.application_submit(actor=user, application=application)
    application.refresh_from_db()
    client.force_login(user)
    url = reverse("certification:application_status", args=[application.pk])
    invoice = fees.application_invoice(application)
    body = client.get(url).content.decode()
    assert application.reference_id in body and application.reference_id.startswith("APP-")
    assert reverse("finance:invoice_pay", args=[invoice.pk]) in body
    assert selectors.application_next_step(application)["key"] == "pay_application"
    pay(application)
    application.refresh_from_db()
    body = client.get(url).content.decode()
    assert reverse("finance:invoice_pay", args=[invoice.pk]) not in body
    assert reverse("finance:invoice_receipt", args=[invoice.pk]) in body
    assert selectors.application_next_step(application)["key"] == "wait_review"


def test_withdrawing_asks_to_confirm_first(client):
    user = applicant()
    application = filled_application(user)
    client.force_login(user)
    url = reverse("certification:application_withdraw", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Keep my application" in page.content.decode()
    unconfirmed = client.post(url, {"reason": "changed my mind"})
    assert unconfirmed.status_code == 400
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    client.post(url, {"reason": "changed my mind", "confirm": "on"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert selectors.application_next_step(application)["key"] == "start_again"


def test_the_home_page_of_a_new_account_says_start_your_application(client):
    from peercert.certification.worklists import _applicant

    user = applicant()
    worklist = _applicant(user, None)
    assert [i.label for i in worklist.items] == ["Start your application"]
    assert worklist.items[0].url == reverse("certification:start")


def test_today_is_read_from_the_clock(pay):
    # The day the certificate is sent is Pacific: 2 March, though UTC is at 3 March.
    assert clock.today() == datetime.date(2026, 3, 2)
