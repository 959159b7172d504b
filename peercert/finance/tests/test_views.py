from decimal import Decimal

import pytest
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.worklists import worklists_for
from peercert.finance import demo
from peercert.finance.models import Invoice, InvoiceStatus, Scholarship
from peercert.finance.tests.factories import ScholarshipFactory

pytestmark = pytest.mark.django_db


def detail_url(invoice):
    return reverse("finance:invoice_detail", args=[invoice.pk])


def test_my_fees_lists_own_invoices_only(as_user, peer, other_peer, make_invoice):
    mine = make_invoice(description="Solicitud de certificación")
    make_invoice(payer=other_peer.person, description="Someone else's fee")
    response = as_user(peer).get(reverse("finance:my_fees"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Solicitud de certificación" in body and "Someone else" not in body
    assert reverse("finance:invoice_pay", args=[mine.pk]) in body


def test_peer_pays_with_test_card(as_user, peer, make_invoice):
    invoice = make_invoice()
    client = as_user(peer)
    url = reverse("finance:invoice_pay", args=[invoice.pk])
    assert client.get(url).status_code == 200
    declined = client.post(url, {"card_number": "4111 1111 1111 1111"})
    assert declined.status_code == 200
    assert "The card was declined" in declined.content.decode()
    response = client.post(url, {"card_number": "4242 4242 4242 4242"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_another_peer_gets_404(as_user, other_peer, make_invoice):
    invoice = make_invoice()
    client = as_user(other_peer)
    for name in ("invoice_detail", "invoice_pay", "invoice_scholarship"):
        assert client.get(reverse(f"finance:{name}", args=[invoice.pk])).status_code == 404
    assert (
        client.post(reverse("finance:invoice_pay", args=[invoice.pk]), {"card_number": "4242424242424242"}).status_code
        == 404
    )


def test_staff_records_a_check_and_sees_errors(as_user, staff, make_invoice):
    invoice = make_invoice()
    client = as_user(staff)
    url = reverse("finance:invoice_record_payment", args=[invoice.pk])
    too_much = client.post(url, {"pay-method": "check", "pay-amount": "150", "pay-external_reference": "2044"})
    assert too_much.status_code == 400
    assert "more than the $100.00 still owed" in too_much.content.decode()
    response = client.post(url, {"pay-method": "check", "pay-amount": "100", "pay-external_reference": "2044"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_staff_waive_needs_reason(as_user, staff, make_invoice):
    invoice = make_invoice()
    client = as_user(staff)
    url = reverse("finance:invoice_waive", args=[invoice.pk])
    assert client.post(url, {"waive-reason": ""}).status_code == 400
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert client.post(url, {"waive-reason": "Hardship, approved by manager"}).status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.WAIVED
    assert "Hardship, approved by manager" in client.get(detail_url(invoice)).content.decode()


def test_staff_cancel(as_user, staff, make_invoice):
    invoice = make_invoice()
    response = as_user(staff).post(reverse("finance:invoice_cancel", args=[invoice.pk]), {"cancel-reason": "Duplicate"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED


def test_scholarship_applied_from_the_page(as_user, peer, make_invoice):
    invoice = make_invoice()
    scholarship = ScholarshipFactory(person=peer.person, amount=Decimal("100"))
    client = as_user(peer)
    page = client.get(detail_url(invoice)).content.decode()
    assert "Pay with a scholarship" in page
    response = client.post(
        reverse("finance:invoice_scholarship", args=[invoice.pk]), {"sch-scholarship": scholarship.pk}
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_ineligible_invoice_offers_no_scholarship_and_refuses_one(as_user, staff, peer, make_invoice):
    invoice = make_invoice(scholarship_eligible=False)
    scholarship = ScholarshipFactory(person=peer.person)
    client = as_user(staff)
    assert "Pay with a scholarship" not in client.get(detail_url(invoice)).content.decode()
    response = client.post(
        reverse("finance:invoice_scholarship", args=[invoice.pk]), {"sch-scholarship": scholarship.pk}
    )
    assert response.status_code == 400
    assert "not eligible" in response.content.decode()


def test_staff_list_filters(as_user, staff, make_invoice):
    open_one = make_invoice(description="Open application fee")
    make_invoice(fee_code="fee_exam", description="Exam fee to waive")
    client = as_user(staff)
    body = client.get(reverse("finance:staff_invoices"), {"status": "open", "fee": "fee_application"}).content.decode()
    assert "Open application fee" in body and "Exam fee to waive" not in body
    assert detail_url(open_one) in body
    assert client.get(reverse("finance:staff_invoices"), {"status": "bogus"}).status_code == 200


def test_non_staff_refused_staff_pages(as_user, peer, make_invoice):
    invoice = make_invoice()
    client = as_user(user_with_role(Role.EXAM_ADMINISTRATOR))
    assert client.get(reverse("finance:staff_invoices")).status_code == 403
    assert client.post(reverse("finance:invoice_waive", args=[invoice.pk]), {"waive-reason": "x"}).status_code == 403
    client = as_user(peer)
    assert client.post(reverse("finance:invoice_waive", args=[invoice.pk]), {"waive-reason": "x"}).status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_api_scoping(as_user, peer, other_peer, staff, make_invoice):
    mine = make_invoice()
    theirs = make_invoice(payer=other_peer.person)
    client = as_user(peer)
    rows = client.get("/api/v1/finance/invoices").json()
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["amount"] in ("100.00", 100.0, "100")
    assert client.get(f"/api/v1/finance/invoices/{mine.pk}").status_code == 200
    assert client.get(f"/api/v1/finance/invoices/{theirs.pk}").status_code == 404
    client = as_user(staff)
    assert {r["id"] for r in client.get("/api/v1/finance/invoices").json()} == {mine.pk, theirs.pk}
    assert client.get("/api/v1/finance/invoices?status=paid").json() == []
    detail = client.get(f"/api/v1/finance/invoices/{theirs.pk}").json()
    assert detail["payments"] == [] and detail["status"] == "open"
    county = as_user(user_with_role(Role.COUNTY_STAFF))
    assert county.get("/api/v1/finance/invoices").json() == []


def test_worklists(peer, staff, make_invoice):
    invoice = make_invoice()
    # Certification registers a peer's list too (a new account's first step); pick finance's.
    [peer_list] = [w for w in worklists_for(Role.PEER, peer, None) if w.title == "Fees to pay"]
    assert peer_list.count == 1 and peer_list.items[0].label == invoice.description
    # Other apps register program-manager queues too; pick finance's.
    [staff_list] = [w for w in worklists_for(Role.PROGRAM_MANAGER, staff, None) if w.title == "Open invoices"]
    assert staff_list.count == 1


def test_nav_entries(as_user, peer, staff):
    assert "My fees" in as_user(peer).get(reverse("web:home")).content.decode()
    assert "Fees and payments" in as_user(staff).get(reverse("web:home")).content.decode()


def test_demo_seed_is_idempotent(db):
    from peercert.accounts import demo as accounts_demo

    accounts_demo.seed(None)
    demo.seed(None)
    counts = (Scholarship.objects.count(), Invoice.objects.count())
    demo.seed(None)
    # Scholarships come from a fund (the scholarships demo): finance's own demo awards none.
    assert (Scholarship.objects.count(), Invoice.objects.count()) == counts == (0, 1)
    assert Invoice.objects.get().payer.user.email == "peer@demo.peercert.example"
