"""Issue 17, point 4: a PDF receipt for every payment, in the payer's language, dated in Pacific time;
a settled fee's "Fee to pay" message clears itself."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from peercert.core.models import Notification
from peercert.finance import receipts, services

pytestmark = pytest.mark.django_db

# 23:55 Pacific on 30 November 2026: the UTC date is already 1 December.
LATE = datetime.datetime(2026, 12, 1, 7, 55, tzinfo=datetime.UTC)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pay(invoice, user):
    return services.payment_record(
        actor=user, invoice=invoice, method="test_card", amount=invoice.amount, card_number="4242 4242 4242 4242"
    )


@time_machine.travel(LATE, tick=False)
def test_receipt_is_in_the_payers_language_and_dated_in_pacific_time(peer, make_invoice):
    invoice = make_invoice()
    pay(invoice, peer)
    invoice.refresh_from_db()
    english = text_of(receipts.render_receipt_pdf(invoice, language="en"))
    assert "Receipt" in english and f"Invoice number: {invoice.pk}" in english
    assert "Certification application fee" in english
    assert "November 30, 2026" in english and "December 1" not in english
    peer.person.preferred_language = "es"
    peer.person.save(update_fields=["preferred_language"])
    invoice.refresh_from_db()
    spanish = text_of(receipts.render_receipt_pdf(invoice))
    assert "Recibo" in spanish and "Cuota de solicitud de certificación" in spanish
    assert "30 de noviembre de 2026" in spanish


@time_machine.travel(LATE, tick=False)
def test_receipt_download_for_the_payer_and_staff_not_others(as_user, peer, other_peer, staff, make_invoice):
    invoice = make_invoice()
    url = reverse("finance:invoice_receipt", args=[invoice.pk])
    # Nothing paid yet: no receipt, and the page says so instead of a dead end.
    early = as_user(peer).get(url)
    assert early.status_code == 302 and early["Location"] == reverse("finance:invoice_detail", args=[invoice.pk])
    pay(invoice, peer)
    response = as_user(peer).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert as_user(staff).get(url).status_code == 200
    assert as_user(other_peer).get(url).status_code == 404


@time_machine.travel(LATE, tick=False)
def test_the_fee_to_pay_message_clears_when_the_fee_is_paid(peer, make_invoice):
    invoice = make_invoice()
    notice = Notification.objects.get(user=peer, url=reverse("finance:invoice_detail", args=[invoice.pk]))
    assert notice.read_at is None
    pay(invoice, peer)
    notice.refresh_from_db()
    assert notice.read_at is not None
