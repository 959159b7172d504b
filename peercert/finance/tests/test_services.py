import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.http import Http404

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, ProgramRuleSet
from peercert.core.rules import seeded_rules
from peercert.finance import selectors, services
from peercert.finance.models import (
    INVOICE_TRANSITIONS,
    FeeWaiver,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
)
from peercert.finance.providers import TEST_CARD_NUMBER
from peercert.finance.tests.factories import InvoiceFactory, ScholarshipFactory

pytestmark = pytest.mark.django_db


def audit_actions(invoice) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="finance.invoice", object_id=str(invoice.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- creating invoices ---------------------------------------------------------------


def test_invoice_create_takes_amount_and_version_from_rules_and_audits(peer):
    invoice = services.invoice_create(
        actor=peer,
        payer=peer.person,
        fee_code="fee_application",
        reference_type="certification.application",
        reference_id=42,
    )
    assert invoice.amount == Decimal("100.00")
    assert invoice.rules_version == "2021.1"
    assert invoice.reference_id == "42"
    assert invoice.status == InvoiceStatus.OPEN
    assert invoice.description == "Application fee"
    assert audit_actions(invoice) == ["invoice.create"]
    # the payer is told in their account
    assert peer.notifications.filter(subject__contains="Fee to pay").exists()


def test_invoice_create_uses_the_rules_in_force_that_day(peer):
    ProgramRuleSet.objects.create(
        version="2027.1", effective_from=datetime.date(2027, 1, 1), rules={**seeded_rules(), "fee_exam": "175.00"}
    )
    with time_machine.travel(datetime.datetime(2026, 12, 31, 12, tzinfo=datetime.UTC), tick=False):
        before = services.invoice_create(
            actor=None, payer=peer.person, fee_code="fee_exam", reference_type="exams.authorization", reference_id="a"
        )
    with time_machine.travel(datetime.datetime(2027, 1, 2, 12, tzinfo=datetime.UTC), tick=False):
        after = services.invoice_create(
            actor=None, payer=peer.person, fee_code="fee_exam", reference_type="exams.authorization", reference_id="b"
        )
    assert (before.amount, before.rules_version) == (Decimal("150.00"), "2021.1")
    assert (after.amount, after.rules_version) == (Decimal("175.00"), "2027.1")


def test_unknown_fee_refused(peer):
    with pytest.raises(ApplicationError) as err:
        services.invoice_create(
            actor=None, payer=peer.person, fee_code="minimum_age", reference_type="x", reference_id=1
        )
    assert err.value.field == "fee_code"
    assert not Invoice.objects.exists()


def test_invoice_needs_a_reference(peer):
    with pytest.raises(ApplicationError):
        services.invoice_create(actor=None, payer=peer.person, fee_code="fee_exam", reference_type="", reference_id=1)


def test_duplicate_open_invoice_refused_but_allowed_after_cancel(peer, staff, make_invoice):
    first = make_invoice(reference_id=7)
    with pytest.raises(ApplicationError) as err:
        make_invoice(reference_id=7)
    assert err.value.code == "duplicate"
    assert err.value.http_status == 409
    # another fee for the same thing is a different invoice
    make_invoice(reference_id=7, fee_code="fee_late")
    services.invoice_cancel(actor=staff, invoice=first, reason="Charged twice by mistake")
    again = make_invoice(reference_id=7)
    assert again.pk != first.pk
    assert selectors.invoice_for(reference_type="test.application", reference_id=7, fee_code="fee_application") == again


def test_database_refuses_a_second_open_invoice(peer):
    InvoiceFactory(payer=peer.person, reference_id="9")
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceFactory(payer=peer.person, reference_id="9")


@pytest.mark.parametrize(
    "field,value", [("amount", Decimal("-1")), ("amount_paid", Decimal("-1")), ("amount_paid", Decimal("100.01"))]
)
def test_database_refuses_bad_amounts(peer, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceFactory(payer=peer.person, **{field: value})


def test_database_refuses_negative_scholarship(peer):
    with pytest.raises(IntegrityError), transaction.atomic():
        ScholarshipFactory(person=peer.person, amount=Decimal("10"), remaining=Decimal("-1"))


def test_a_peer_cannot_charge_someone_else(peer, other_peer):
    with pytest.raises(ApplicationError) as err:
        services.invoice_create(
            actor=other_peer, payer=peer.person, fee_code="fee_exam", reference_type="x", reference_id=1
        )
    assert err.value.code == "forbidden"


def test_free_fee_is_created_paid_and_announced(peer, settled_events, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.invoice_create(
            actor=None,
            payer=peer.person,
            fee_code="fee_supervisor_training",
            reference_type="training.enrollment",
            reference_id=3,
        )
    assert invoice.status == InvoiceStatus.PAID
    assert selectors.is_settled(invoice)
    assert settled_events == [invoice.pk]


# --- the transition map, from every state -------------------------------------------


def test_transition_map_covers_every_status_and_only_open_moves():
    assert set(INVOICE_TRANSITIONS) == set(InvoiceStatus.values)
    assert INVOICE_TRANSITIONS[InvoiceStatus.OPEN] == {
        InvoiceStatus.PAID,
        InvoiceStatus.WAIVED,
        InvoiceStatus.CANCELLED,
    }
    for status in (InvoiceStatus.PAID, InvoiceStatus.WAIVED, InvoiceStatus.CANCELLED):
        assert INVOICE_TRANSITIONS[status] == frozenset()


def _in_state(status, make_invoice, staff):
    invoice = make_invoice()
    if status == InvoiceStatus.PAID:
        services.payment_record(
            actor=staff, invoice=invoice, method="check", amount="100.00", external_reference="1001"
        )
    elif status == InvoiceStatus.WAIVED:
        services.invoice_waive(actor=staff, invoice=invoice, reason="Hardship")
    elif status == InvoiceStatus.CANCELLED:
        services.invoice_cancel(actor=staff, invoice=invoice, reason="Application withdrawn")
    invoice.refresh_from_db()
    assert invoice.status == status
    return invoice


ACTIONS = {
    "pay": (
        InvoiceStatus.PAID,
        "payment.record",
        lambda inv, staff, peer: services.payment_record(
            actor=staff, invoice=inv, method="money_order", amount="100.00", external_reference="MO-77"
        ),
    ),
    "waive": (
        InvoiceStatus.WAIVED,
        "invoice.waive",
        lambda inv, staff, peer: services.invoice_waive(actor=staff, invoice=inv, reason="County hardship fund"),
    ),
    "cancel": (
        InvoiceStatus.CANCELLED,
        "invoice.cancel",
        lambda inv, staff, peer: services.invoice_cancel(actor=staff, invoice=inv, reason="Withdrawn"),
    ),
    "scholarship": (
        InvoiceStatus.PAID,
        "scholarship.apply",
        lambda inv, staff, peer: services.scholarship_apply(
            actor=staff, invoice=inv, scholarship=ScholarshipFactory(person=peer.person)
        ),
    ),
}


@pytest.mark.parametrize("from_status", InvoiceStatus.values)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_transition_allowed_or_refused(from_status, action, make_invoice, staff, peer):
    invoice = _in_state(from_status, make_invoice, staff)
    to_status, audit_action, run = ACTIONS[action]
    audits_before = audit_actions(invoice)
    if to_status in INVOICE_TRANSITIONS[from_status]:
        run(invoice, staff, peer)
        invoice.refresh_from_db()
        assert invoice.status == to_status
        assert audit_actions(invoice) == [*audits_before, audit_action]
    else:
        with pytest.raises(ApplicationError) as err:
            run(invoice, staff, peer)
        assert err.value.code == "state"
        assert err.value.http_status == 409
        invoice.refresh_from_db()
        assert invoice.status == from_status
        assert audit_actions(invoice) == audits_before


# --- payments ------------------------------------------------------------------------


def test_partial_payments_then_paid_and_signal_once(
    make_invoice, staff, settled_events, django_capture_on_commit_callbacks
):
    invoice = make_invoice()
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_record(actor=staff, invoice=invoice, method="check", amount="40", external_reference="501")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.balance_due) == ("open", Decimal("40.00"), Decimal("60.00"))
    assert not selectors.is_settled(invoice)
    assert settled_events == []  # a partial payment settles nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_record(
            actor=staff, invoice=invoice, method="money_order", amount="60.00", external_reference="MO-1"
        )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.settled_at is not None
    assert settled_events == [invoice.pk]
    # nothing more can be paid, and the signal is not sent again
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
        services.payment_record(actor=staff, invoice=invoice, method="check", amount="1", external_reference="2")
    assert settled_events == [invoice.pk]
    event = AuditEvent.objects.filter(action="payment.record", object_id=str(invoice.pk)).first()
    assert event.after["status"] == "paid" and event.before["status"] == "open"


def test_signal_not_sent_if_the_transaction_rolls_back(
    make_invoice, staff, settled_events, django_capture_on_commit_callbacks
):
    invoice = make_invoice()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.invoice_waive(actor=staff, invoice=invoice, reason="Hardship")
                raise RuntimeError("something later failed")
        except RuntimeError:
            pass
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert settled_events == []


@pytest.mark.parametrize("amount", ["100.01", "250"])
def test_overpayment_refused(make_invoice, staff, amount):
    invoice = make_invoice()
    with pytest.raises(ApplicationError) as err:
        services.payment_record(actor=staff, invoice=invoice, method="check", amount=amount, external_reference="9")
    assert "more than the $100.00 still owed" in err.value.message
    assert not Payment.objects.exists()


def test_overpayment_refused_after_a_partial_payment(make_invoice, staff):
    invoice = make_invoice()
    services.payment_record(actor=staff, invoice=invoice, method="check", amount="70", external_reference="1")
    with pytest.raises(ApplicationError) as err:
        services.payment_record(actor=staff, invoice=invoice, method="check", amount="31", external_reference="2")
    assert "$30.00" in err.value.message


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "10.001", "NaN"])
def test_bad_amounts_refused(make_invoice, staff, amount):
    invoice = make_invoice()
    with pytest.raises(ApplicationError) as err:
        services.payment_record(actor=staff, invoice=invoice, method="check", amount=amount, external_reference="1")
    assert err.value.field == "amount"


@pytest.mark.parametrize("method", ["check", "money_order"])
def test_offline_payment_needs_its_number(make_invoice, staff, method):
    with pytest.raises(ApplicationError) as err:
        services.payment_record(
            actor=staff, invoice=make_invoice(), method=method, amount="100", external_reference=" "
        )
    assert err.value.field == "external_reference"


def test_only_staff_record_offline_payments(make_invoice, peer):
    for role in (Role.PEER, Role.COUNTY_STAFF, Role.EXAM_ADMINISTRATOR):
        actor = peer if role == Role.PEER else user_with_role(role)
        with pytest.raises(ApplicationError) as err:
            services.payment_record(
                actor=actor, invoice=make_invoice(), method="check", amount="100", external_reference="1"
            )
        assert err.value.code == "forbidden"


def test_test_card_pays_for_the_payer(make_invoice, peer, settled_events, django_capture_on_commit_callbacks):
    invoice = make_invoice()
    with django_capture_on_commit_callbacks(execute=True):
        payment = services.payment_record(
            actor=peer, invoice=invoice, method="test_card", amount="100", card_number="4242 4242 4242 4242"
        )
    assert payment.external_reference == "test card ending 4242"
    assert TEST_CARD_NUMBER not in payment.external_reference
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert settled_events == [invoice.pk]


def test_declined_test_card(make_invoice, peer):
    invoice = make_invoice()
    with pytest.raises(ApplicationError) as err:
        services.payment_record(
            actor=peer, invoice=invoice, method="test_card", amount="100", card_number="4000 0000 0000 0002"
        )
    assert err.value.code == "declined"
    assert "4242 4242 4242 4242" in err.value.message
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN and invoice.amount_paid == 0
    assert audit_actions(invoice) == ["invoice.create"]


def test_only_the_payer_pays_by_card(make_invoice, staff, other_peer):
    for actor in (staff, other_peer):
        with pytest.raises(ApplicationError) as err:
            services.payment_record(
                actor=actor, invoice=make_invoice(), method="test_card", amount="100", card_number=TEST_CARD_NUMBER
            )
        assert err.value.code == "forbidden"


@pytest.mark.parametrize("method", ["scholarship", "bitcoin"])
def test_other_methods_refused(make_invoice, staff, method):
    with pytest.raises(ApplicationError) as err:
        services.payment_record(
            actor=staff, invoice=make_invoice(), method=method, amount="100", external_reference="1"
        )
    assert err.value.field == "method"


# --- waivers and cancelling ----------------------------------------------------------


def test_waive_needs_a_reason(make_invoice, staff):
    invoice = make_invoice()
    with pytest.raises(ApplicationError) as err:
        services.invoice_waive(actor=staff, invoice=invoice, reason="   ")
    assert err.value.field == "reason"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_waive_records_who_and_why(make_invoice, staff, peer, settled_events, django_capture_on_commit_callbacks):
    invoice = make_invoice()
    services.payment_record(actor=staff, invoice=invoice, method="check", amount="30", external_reference="1")
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_waive(actor=staff, invoice=invoice, reason="Rest waived: county hardship")
    waiver = FeeWaiver.objects.get(invoice=invoice)
    assert (waiver.actor, waiver.reason) == (staff, "Rest waived: county hardship")
    event = AuditEvent.objects.get(action="invoice.waive", object_id=str(invoice.pk))
    assert event.reason == "Rest waived: county hardship" and event.actor == staff
    assert settled_events == [invoice.pk]
    assert peer.notifications.filter(subject__startswith="Fee waived").exists()


def test_only_program_staff_waive(make_invoice, peer):
    for actor in (peer, user_with_role(Role.EXAM_ADMINISTRATOR), user_with_role(Role.AUDITOR)):
        with pytest.raises(ApplicationError) as err:
            services.invoice_waive(actor=actor, invoice=make_invoice(), reason="Please")
        assert err.value.code == "forbidden"
    for role in (Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR):
        services.invoice_waive(actor=user_with_role(role), invoice=make_invoice(), reason="Hardship")


def test_cancel_refused_once_money_was_paid(make_invoice, staff):
    invoice = make_invoice()
    services.payment_record(actor=staff, invoice=invoice, method="check", amount="10", external_reference="1")
    with pytest.raises(ApplicationError) as err:
        services.invoice_cancel(actor=staff, invoice=invoice, reason="Withdrawn")
    assert "Waive the rest" in err.value.message


def test_cancel_needs_reason_and_is_not_settling(
    make_invoice, staff, settled_events, django_capture_on_commit_callbacks
):
    invoice = make_invoice()
    with pytest.raises(ApplicationError):
        services.invoice_cancel(actor=staff, invoice=invoice, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_cancel(actor=None, invoice=invoice, reason="Application withdrawn")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    assert not selectors.is_settled(invoice)
    assert settled_events == []


def test_peer_cannot_cancel(make_invoice, peer):
    with pytest.raises(ApplicationError) as err:
        services.invoice_cancel(actor=peer, invoice=make_invoice(), reason="I changed my mind")
    assert err.value.code == "forbidden"


# --- scholarships --------------------------------------------------------------------


def test_scholarship_award_audited_and_validated(staff, peer):
    scholarship = services.scholarship_award(
        actor=staff, person=peer.person, fund_name="Fondo Esperanza", amount="200", fee_codes=["fee_exam"]
    )
    assert scholarship.remaining == Decimal("200.00")
    assert AuditEvent.objects.filter(action="scholarship.award", object_id=str(scholarship.pk)).exists()
    with pytest.raises(ApplicationError):
        services.scholarship_award(actor=staff, person=peer.person, fund_name="X", amount="10", fee_codes=["nope"])
    with pytest.raises(ApplicationError) as err:
        services.scholarship_award(actor=peer, person=peer.person, fund_name="X", amount="10")
    assert err.value.code == "forbidden"


def test_scholarship_covers_in_full_and_settles(make_invoice, peer, settled_events, django_capture_on_commit_callbacks):
    invoice = make_invoice()
    scholarship = ScholarshipFactory(person=peer.person, amount=Decimal("250"))
    with django_capture_on_commit_callbacks(execute=True):
        payment = services.scholarship_apply(actor=peer, invoice=invoice, scholarship=scholarship)
    assert (payment.method, payment.amount, payment.scholarship) == (
        PaymentMethod.SCHOLARSHIP,
        Decimal("100.00"),
        scholarship,
    )
    scholarship.refresh_from_db()
    invoice.refresh_from_db()
    assert scholarship.remaining == Decimal("150.00")
    assert invoice.status == InvoiceStatus.PAID
    assert settled_events == [invoice.pk]
    assert audit_actions(invoice)[-1] == "scholarship.apply"


def test_scholarship_covers_part_and_leaves_invoice_open(
    make_invoice, peer, staff, settled_events, django_capture_on_commit_callbacks
):
    invoice = make_invoice()
    scholarship = ScholarshipFactory(person=peer.person, amount=Decimal("60"))
    with django_capture_on_commit_callbacks(execute=True):
        services.scholarship_apply(actor=staff, invoice=invoice, scholarship=scholarship)
    invoice.refresh_from_db()
    scholarship.refresh_from_db()
    assert (invoice.status, invoice.balance_due, scholarship.remaining) == ("open", Decimal("40.00"), Decimal("0.00"))
    assert settled_events == []
    with pytest.raises(ApplicationError) as err:
        services.scholarship_apply(actor=staff, invoice=invoice, scholarship=scholarship)
    assert "no money left" in err.value.message


def test_scholarship_refused_for_ineligible_invoice(make_invoice, peer):
    invoice = make_invoice(scholarship_eligible=False, description="Application fee (out-of-state reciprocity)")
    scholarship = ScholarshipFactory(person=peer.person)
    with pytest.raises(ApplicationError) as err:
        services.scholarship_apply(actor=peer, invoice=invoice, scholarship=scholarship)
    assert "out-of-state reciprocity applicants are not eligible" in err.value.message
    scholarship.refresh_from_db()
    assert scholarship.remaining == scholarship.amount
    assert selectors.usable_scholarships(invoice) == []


def test_scholarship_of_someone_else_or_for_other_fees_refused(make_invoice, peer, staff):
    invoice = make_invoice()
    with pytest.raises(ApplicationError):
        services.scholarship_apply(actor=staff, invoice=invoice, scholarship=ScholarshipFactory())
    exam_only = ScholarshipFactory(person=peer.person, fee_codes=["fee_exam"])
    with pytest.raises(ApplicationError) as err:
        services.scholarship_apply(actor=staff, invoice=invoice, scholarship=exam_only)
    assert "cannot pay the Application fee" in err.value.message
    assert selectors.usable_scholarships(invoice) == []


def test_another_peer_cannot_apply_a_scholarship(make_invoice, peer, other_peer):
    with pytest.raises(ApplicationError) as err:
        services.scholarship_apply(
            actor=other_peer, invoice=make_invoice(), scholarship=ScholarshipFactory(person=peer.person)
        )
    assert err.value.code == "forbidden"


# --- selectors -----------------------------------------------------------------------


def test_contract_selectors(make_invoice, peer, staff):
    assert selectors.invoice_for(reference_type="test.application", reference_id=1) is None
    assert not selectors.is_settled(None)
    first = make_invoice(reference_id=1)
    services.invoice_cancel(actor=staff, invoice=first, reason="Wrong fee")
    second = make_invoice(reference_id=1)
    late = make_invoice(reference_id=1, fee_code="fee_late")
    assert (
        selectors.invoice_for(reference_type="test.application", reference_id="1", fee_code="fee_application") == second
    )
    assert selectors.invoice_for(reference_type="test.application", reference_id=1) == late
    assert set(selectors.invoices_for_person(peer.person)) == {first, second, late}
    assert list(selectors.invoices_for_person(PersonFactory())) == []


def test_access_invoice_is_scoped(make_invoice, peer, other_peer, staff):
    invoice = make_invoice()
    assert selectors.access_invoice(peer, invoice.pk) == invoice
    assert selectors.access_invoice(staff, invoice.pk) == invoice
    for actor in (other_peer, user_with_role(Role.COUNTY_STAFF), user_with_role(Role.TRAINING_STAFF)):
        with pytest.raises(Http404):
            selectors.access_invoice(actor, invoice.pk)
    with pytest.raises(Http404):
        selectors.access_invoice(staff, 999_999)
    assert list(selectors.invoice_list(actor=other_peer)) == []
    assert list(selectors.invoice_list(actor=peer)) == [invoice]
    assert list(selectors.invoice_list(actor=staff, status="open")) == [invoice]
    assert list(selectors.invoice_list(actor=staff, status="paid")) == []


def test_a_failing_subscriber_does_not_undo_the_payment(
    make_invoice, staff, settled_events, caplog, django_capture_on_commit_callbacks
):
    from peercert.finance.signals import invoice_settled

    def broken(sender, invoice, **kwargs):
        raise RuntimeError("subscriber bug")

    invoice_settled.connect(broken, weak=False)
    try:
        invoice = make_invoice()
        with django_capture_on_commit_callbacks(execute=True):
            services.invoice_waive(actor=staff, invoice=invoice, reason="Hardship")
    finally:
        invoice_settled.disconnect(broken)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.WAIVED
    assert settled_events == [invoice.pk]
    assert "receiver" in caplog.text and "failed" in caplog.text
