"""Separation of duties in finance (issue 11, finding 4): staff who also owe a fee do not settle it themselves."""

from decimal import Decimal

import pytest
from django.urls import reverse

from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program, user_with_role
from peercert.core.duties import OWN_MATTER
from peercert.core.errors import ApplicationError
from peercert.finance import services
from peercert.finance.models import FeeWaiver, Invoice, InvoiceStatus, Payment, Scholarship

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer_manager(peer):
    """A certified peer who also manages the program: she owes fees and may waive other people's."""
    RoleAssignment.objects.create(user=peer, role=Role.PROGRAM_MANAGER, program=statewide_program())
    return peer


def test_a_manager_cannot_waive_her_own_fee_through_the_page(as_user, peer_manager, make_invoice):
    invoice = make_invoice()
    response = as_user(peer_manager).post(
        reverse("finance:invoice_waive", args=[invoice.pk]), {"waive-reason": "Hardship"}
    )
    assert response.status_code == 400
    assert "because you are a party to it" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN and not FeeWaiver.objects.exists()


def test_another_manager_waives_it(as_user, peer_manager, staff, make_invoice):
    invoice = make_invoice()
    response = as_user(staff).post(reverse("finance:invoice_waive", args=[invoice.pk]), {"waive-reason": "Hardship"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.WAIVED


@pytest.mark.parametrize(
    "act",
    [
        lambda actor, invoice: services.invoice_waive(actor=actor, invoice=invoice, reason="Hardship"),
        lambda actor, invoice: services.invoice_cancel(actor=actor, invoice=invoice, reason="Charged by mistake"),
        lambda actor, invoice: services.payment_record(
            actor=actor, invoice=invoice, method="check", amount="100", external_reference="2044"
        ),
    ],
    ids=["waive", "cancel", "record_check"],
)
def test_own_invoice_refused_other_staff_allowed(peer_manager, staff, make_invoice, act):
    invoice = make_invoice()
    with pytest.raises(ApplicationError) as err:
        act(peer_manager, invoice)
    assert err.value.code == OWN_MATTER
    fresh = Invoice.objects.get(pk=invoice.pk)
    assert (fresh.status, fresh.amount_paid) == (InvoiceStatus.OPEN, Decimal("0")) and not Payment.objects.exists()
    act(staff, invoice)
    assert Invoice.objects.get(pk=invoice.pk).status != InvoiceStatus.OPEN


def test_the_payer_still_pays_her_own_fee_by_card(peer_manager, make_invoice):
    invoice = make_invoice()
    services.payment_record(
        actor=peer_manager, invoice=invoice, method="test_card", amount="100", card_number="4242 4242 4242 4242"
    )
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.PAID


def test_a_manager_cannot_award_herself_a_scholarship(peer_manager, staff):
    with pytest.raises(ApplicationError) as err:
        services.scholarship_award(actor=peer_manager, person=peer_manager.person, fund_name="Peer Fund", amount="50")
    assert err.value.code == OWN_MATTER and not Scholarship.objects.exists()
    services.scholarship_award(actor=staff, person=peer_manager.person, fund_name="Peer Fund", amount="50")
    assert Scholarship.objects.filter(person=peer_manager.person).exists()
    other = user_with_role(Role.PEER)
    services.scholarship_award(actor=peer_manager, person=other.person, fund_name="Peer Fund", amount="50")


def test_a_manager_does_not_record_a_money_order_for_her_own_fee(peer_manager, staff, make_invoice):
    from peercert.core.models import AuditEvent

    invoice = make_invoice()
    audits = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as err:
        services.payment_record(
            actor=peer_manager, invoice=invoice, method="money_order", amount="100", external_reference="MO-7781"
        )
    assert err.value.code == OWN_MATTER
    assert not Payment.objects.exists() and AuditEvent.objects.count() == audits
    services.payment_record(
        actor=staff, invoice=invoice, method="money_order", amount="100", external_reference="MO-7781"
    )
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.PAID


def test_the_open_invoices_queue_lists_other_peoples_fees_not_hers(peer_manager, make_invoice, other_peer):
    from peercert.finance.worklists import _open_invoices

    own, theirs = make_invoice(), make_invoice(payer=other_peer.person)
    queue = _open_invoices(peer_manager, None)
    urls = [item.url for item in queue.items]
    assert reverse("finance:invoice_detail", args=[theirs.pk]) in urls
    assert reverse("finance:invoice_detail", args=[own.pk]) not in urls and queue.count == 1
