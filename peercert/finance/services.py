"""Changes to invoices, payments, waivers and scholarships. The only place fees change."""

import logging
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_person, tell_user
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.finance import permissions
from peercert.finance.audit import AuditAction
from peercert.finance.models import (
    INVOICE_TRANSITIONS,
    FeeWaiver,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    Scholarship,
)
from peercert.finance.providers import provider_for
from peercert.finance.selectors import fee_label, known_fee_codes
from peercert.finance.signals import invoice_settled

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")
INVOICE_FIELDS = ("status", "amount", "amount_paid", "settled_at")
# What a refused status change calls the record ("This invoice is paid, so it cannot become waived.").
INVOICE = gettext_noop("invoice")


def _money(value, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value).strip().lstrip("$").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ApplicationError("Enter an amount in dollars and cents, like 100.00.", field=field) from None
    if not amount.is_finite():
        raise ApplicationError("Enter an amount in dollars and cents, like 100.00.", field=field)
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ApplicationError("Enter the amount to the cent, with no more than two decimal places.", field=field)
    return amount.quantize(CENT)


def _lock_invoice(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().select_related("payer").get(pk=invoice.pk)


def _check_transition(invoice: Invoice, to_status: str) -> None:
    """Refuse a move the map does not allow, before anything else is checked or changed."""
    check_transition(invoice, to_status, allowed=INVOICE_TRANSITIONS, noun=INVOICE)


def _settle(invoice: Invoice, to_status: str) -> None:
    """Move an open invoice to a settled state and announce it once the transaction commits.

    The row is locked and the transition map allows leaving OPEN only once, so the signal
    cannot be sent twice for one invoice.
    """
    transition(invoice, to_status, allowed=INVOICE_TRANSITIONS, noun=INVOICE)
    invoice.settled_at = clock.now()
    _clear_fee_notices(invoice)
    transaction.on_commit(lambda settled=invoice: _announce_settled(settled))


def _clear_fee_notices(invoice: Invoice) -> None:
    """A settled fee's "Fee to pay" message clears itself: it points at the invoice, and nothing is due now."""
    from peercert.core.models import Notification

    if invoice.payer.user_id:
        Notification.objects.filter(
            user_id=invoice.payer.user_id, url=_invoice_url(invoice), read_at__isnull=True
        ).update(read_at=invoice.settled_at)


def _announce_settled(invoice: Invoice) -> None:
    # The money is already committed; a subscriber's failure must not turn the payer's
    # confirmation into an error page, so it is logged loudly instead of raised.
    for receiver, result in invoice_settled.send_robust(sender=Invoice, invoice=invoice):
        if isinstance(result, Exception):
            logger.error(
                "invoice_settled receiver %r failed for invoice %s",
                receiver,
                invoice.pk,
                exc_info=(type(result), result, result.__traceback__),
            )


def _invoice_url(invoice: Invoice) -> str:
    return reverse("finance:invoice_detail", args=[invoice.pk])


@transaction.atomic
def invoice_create(
    *,
    actor: Actor,
    payer,
    fee_code: str,
    reference_type: str,
    reference_id: str | int,
    description: str = "",
    scholarship_eligible: bool = True,
) -> Invoice:
    """Charge a person a fee from the program's fee schedule.

    Preconditions: fee_code names a money rule (fee_application, fee_exam, ...); the actor is
    the system (None), a staff member, or the payer; no open invoice exists for the same
    (reference_type, reference_id, fee_code).
    Side effects: the amount and rules version come from the rules in force today; a free
    fee (amount 0) is created already paid and announced as settled on commit; the payer is
    told in their account and by email; audited as invoice.create.
    """
    if fee_code not in known_fee_codes():
        raise ApplicationError(
            "“%(fee)s” is not a fee in the program rules.", params={"fee": fee_code}, field="fee_code"
        )
    if not permissions.can_create_invoice(actor, payer):
        raise ApplicationError("You may not charge a fee to this person.", code="forbidden")
    reference_type = (reference_type or "").strip()
    reference_id = str(reference_id).strip() if reference_id is not None else ""
    if not reference_type or not reference_id:
        raise ApplicationError("An invoice must say what it is for (a reference type and id).")
    rules = rules_on()
    amount = getattr(rules, fee_code)
    duplicate = Invoice.objects.filter(
        reference_type=reference_type, reference_id=reference_id, fee_code=fee_code, status=InvoiceStatus.OPEN
    ).first()
    if duplicate is not None:
        raise ApplicationError(
            "There is already an open invoice (%(invoice)s) for this fee. Pay or cancel that one first.",
            params={"invoice": duplicate.pk},
            code="duplicate",
            extra={"invoice_id": duplicate.pk},
        )
    invoice = Invoice(
        payer=payer,
        fee_code=fee_code,
        amount=amount,
        rules_version=rules.version,
        reference_type=reference_type,
        reference_id=reference_id,
        description=(description or fee_label(fee_code))[:255],
        scholarship_eligible=scholarship_eligible,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            invoice.save()
    except IntegrityError:
        # Another request made the same invoice between our check and our insert.
        raise ApplicationError(
            "There is already an open invoice for this fee. Pay or cancel that one first.", code="duplicate"
        ) from None
    if amount == 0:
        _settle(invoice, InvoiceStatus.PAID)
        invoice.save(update_fields=["status", "settled_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.INVOICE_CREATE,
        obj=invoice,
        after={
            **snapshot(invoice, INVOICE_FIELDS),
            "fee_code": fee_code,
            "rules_version": rules.version,
            "reference_type": reference_type,
            "reference_id": reference_id,
            "scholarship_eligible": scholarship_eligible,
        },
    )
    # Only an account holder is told here: the message sends them to “My fees”, a page
    # someone without a sign-in cannot open (whatever charged them tells them how to pay).
    if amount > 0 and payer.user_id:
        tell_user(
            payer.user,
            subject=gettext_noop("Fee to pay: %(fee)s ($%(amount)s)"),
            body=gettext_noop("A fee of $%(amount)s is due for: %(fee)s. You can pay it from “My fees”."),
            params={"fee": invoice.description, "amount": amount},
            link=_invoice_url(invoice),
        )
    return invoice


@transaction.atomic
def payment_record(
    *, actor: Actor, invoice: Invoice, method: str, amount, external_reference: str = "", card_number: str = ""
) -> Payment:
    """Record money received against an invoice, through the provider for the method.

    Preconditions: the invoice is open; amount is positive and no more than the balance
    due (overpayment is refused); check and money order are recorded by program staff with
    their number (offline provider); a test card is used by the payer (test provider,
    demo only; any number but 4242 4242 4242 4242 is declined). Scholarship money goes
    through scholarship_apply instead.
    Side effects: partial payments keep the invoice open; the payment that reaches the
    amount marks it paid and announces invoice_settled on commit; audited as payment.record.
    """
    invoice = _lock_invoice(invoice)
    provider = provider_for(method)
    if invoice.status != InvoiceStatus.OPEN:
        _check_transition(invoice, InvoiceStatus.PAID)
    amount = _money(amount)
    if amount <= 0:
        raise ApplicationError("Enter an amount greater than zero.", field="amount")
    balance = invoice.balance_due
    if amount > balance:
        raise ApplicationError(
            "This payment of $%(amount)s is more than the $%(balance)s still owed. Record $%(balance)s or less.",
            params={"amount": amount, "balance": balance},
            code="overpayment",
            field="amount",
        )
    reference = provider.authorize(
        actor=actor,
        invoice=invoice,
        method=method,
        amount=amount,
        external_reference=external_reference,
        card_number=card_number,
    )
    if method in (PaymentMethod.CHECK, PaymentMethod.MONEY_ORDER):
        # Staff record checks they hold (the offline provider has just checked they are staff);
        # paying one's own fee by card is the payer's right.
        ensure_not_own_matter(actor, invoice.payer_id, what="invoice")
    before = snapshot(invoice, INVOICE_FIELDS)
    payment = Payment.objects.create(
        invoice=invoice,
        method=method,
        amount=amount,
        external_reference=reference[:100],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    invoice.amount_paid += amount
    if invoice.amount_paid == invoice.amount:
        _settle(invoice, InvoiceStatus.PAID)
    invoice.save(update_fields=["amount_paid", "status", "settled_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.PAYMENT_RECORD,
        obj=invoice,
        before=before,
        after={
            **snapshot(invoice, INVOICE_FIELDS),
            "payment": payment.pk,
            "method": method,
            "payment_amount": amount,
            "reference": payment.external_reference,
            "provider": provider.name,
        },
    )
    return payment


@transaction.atomic
def invoice_waive(*, actor: Actor, invoice: Invoice, reason: str) -> Invoice:
    """Waive what is left of a fee.

    Preconditions: program staff (reviewer, manager, system administrator); a reason; the
    invoice is open.
    Side effects: a FeeWaiver row; the invoice is waived and announced as settled on
    commit; the payer is told; audited as invoice.waive with the reason.
    """
    if not permissions.can_waive(actor):
        raise ApplicationError("Only program staff may waive a fee.", code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Give the reason for waiving this fee.", field="reason")
    invoice = _lock_invoice(invoice)
    ensure_not_own_matter(actor, invoice.payer_id, what="invoice")
    before = snapshot(invoice, INVOICE_FIELDS)
    _settle(invoice, InvoiceStatus.WAIVED)
    invoice.save(update_fields=["status", "settled_at", "updated_at"])
    FeeWaiver.objects.create(
        invoice=invoice, reason=reason, actor=actor if getattr(actor, "is_authenticated", False) else None
    )
    audit_record(
        actor=actor,
        action=AuditAction.INVOICE_WAIVE,
        obj=invoice,
        before=before,
        after=snapshot(invoice, INVOICE_FIELDS),
        reason=reason,
    )
    tell_person(
        invoice.payer,
        subject=gettext_noop("Fee waived: %(fee)s"),
        body=gettext_noop("The fee for %(fee)s was waived. You do not need to pay it."),
        params={"fee": invoice.description},
        link=_invoice_url(invoice),
    )
    return invoice


@transaction.atomic
def invoice_cancel(*, actor: Actor, invoice: Invoice, reason: str) -> Invoice:
    """Cancel a fee that should not have been charged (the thing it was for was withdrawn).

    Preconditions: the system or program staff; a reason; the invoice is open and nothing
    has been paid on it (fees are non-refundable, so a part-paid fee is waived instead).
    Side effects: the invoice is cancelled (not settled: no signal); audited as
    invoice.cancel with the reason.
    """
    if not permissions.can_cancel(actor):
        raise ApplicationError("Only program staff may cancel a fee.", code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Give the reason for cancelling this fee.", field="reason")
    invoice = _lock_invoice(invoice)
    ensure_not_own_matter(actor, invoice.payer_id, what="invoice")
    _check_transition(invoice, InvoiceStatus.CANCELLED)
    if invoice.amount_paid > 0:
        raise ApplicationError(
            "$%(paid)s has already been paid on this invoice and fees are not refunded. Waive the rest instead.",
            params={"paid": invoice.amount_paid},
            code="state",
        )
    before = snapshot(invoice, INVOICE_FIELDS)
    transition(invoice, InvoiceStatus.CANCELLED, allowed=INVOICE_TRANSITIONS, noun=INVOICE)
    invoice.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.INVOICE_CANCEL,
        obj=invoice,
        before=before,
        after=snapshot(invoice, INVOICE_FIELDS),
        reason=reason,
    )
    return invoice


@transaction.atomic
def scholarship_award(
    *,
    actor: Actor,
    person,
    fund_name: str,
    amount,
    fee_codes: list[str] | tuple[str, ...] = (),
    note: str = "",
    expires_on=None,
    tell: bool = True,
) -> Scholarship:
    """Award scholarship money from a fund to one person.

    Preconditions: a program manager or system administrator (or the system); a fund
    name; a positive amount; fee_codes, if given, are fees in the program rules (empty
    means any fee); expires_on, if given, is today or later.
    Side effects: audited as scholarship.award; the person is told (unless tell is False:
    the scholarships program tells them itself, in its own words).
    """
    if not permissions.can_award_scholarship(actor):
        raise ApplicationError("Only a program manager may award a scholarship.", code="forbidden")
    ensure_not_own_matter(actor, person, what="scholarship")
    fund_name = (fund_name or "").strip()
    if not fund_name:
        raise ApplicationError("Name the fund the scholarship comes from.", field="fund_name")
    amount = _money(amount)
    if amount <= 0:
        raise ApplicationError("Enter an amount greater than zero.", field="amount")
    unknown = sorted(set(fee_codes) - set(known_fee_codes()))
    if unknown:
        raise ApplicationError(
            "These are not fees in the program rules: %(fees)s.", params={"fees": ", ".join(unknown)}, field="fee_codes"
        )
    if expires_on is not None and expires_on < clock.today():
        raise ApplicationError("Choose an expiry date that is today or later.", field="expires_on")
    scholarship = Scholarship.objects.create(
        person=person,
        fund_name=fund_name,
        amount=amount,
        remaining=amount,
        fee_codes=sorted(set(fee_codes)),
        note=note.strip(),
        expires_on=expires_on,
        awarded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.SCHOLARSHIP_AWARD,
        obj=scholarship,
        after={
            "person": person.pk,
            "fund_name": fund_name,
            "amount": amount,
            "fee_codes": scholarship.fee_codes,
            "expires_on": expires_on,
        },
    )
    if not tell:
        return scholarship
    tell_person(
        person,
        subject=gettext_noop("Scholarship awarded: $%(amount)s"),
        body=gettext_noop("The %(fund)s awarded you $%(amount)s towards your PeerCert fees."),
        params={"fund": fund_name, "amount": amount},
        link=reverse("finance:my_fees"),
    )
    return scholarship


@transaction.atomic
def scholarship_apply(*, actor: Actor, invoice: Invoice, scholarship: Scholarship) -> Payment:
    """Pay an invoice, in full or in part, from a person's scholarship.

    Preconditions: program staff or the payer; the invoice is open and scholarship-eligible
    (out-of-state reciprocity applicants, for one, are not); the scholarship belongs to the
    payer, may pay this fee and has money left.
    Side effects: a scholarship Payment of the smaller of the balance due and the money
    left; the scholarship's balance goes down; the invoice is paid (and announced as
    settled on commit) when the balance reaches zero; audited as scholarship.apply.
    """
    invoice = _lock_invoice(invoice)
    scholarship = Scholarship.objects.select_for_update().get(pk=scholarship.pk)
    if not permissions.can_apply_scholarship(actor, invoice):
        raise ApplicationError(
            "Only program staff or the person who owes the fee may apply a scholarship.", code="forbidden"
        )
    if invoice.status != InvoiceStatus.OPEN:
        _check_transition(invoice, InvoiceStatus.PAID)
    if not invoice.scholarship_eligible:
        raise ApplicationError(
            "A scholarship cannot pay this fee: it was charged for something scholarships do not cover "
            "(for example, out-of-state reciprocity applicants are not eligible). "
            "Pay it another way, or ask program staff whether a waiver applies.",
            code="ineligible",
        )
    if scholarship.person_id != invoice.payer_id:
        raise ApplicationError("This scholarship was awarded to someone else.", field="scholarship")
    if not scholarship.may_pay(invoice.fee_code):
        raise ApplicationError(
            "The %(fund)s award cannot pay the %(fee)s.",
            params={"fund": scholarship.fund_name, "fee": fee_label(invoice.fee_code)},
            field="scholarship",
        )
    if scholarship.is_expired(clock.today()):
        raise ApplicationError(
            "The %(fund)s award expired on %(day)s. Pay this fee another way.",
            params={"fund": scholarship.fund_name, "day": scholarship.expires_on},
            code="state",
            field="scholarship",
        )
    if scholarship.remaining <= 0:
        raise ApplicationError(
            "The %(fund)s award has no money left.",
            params={"fund": scholarship.fund_name},
            code="state",
            field="scholarship",
        )
    covered = min(scholarship.remaining, invoice.balance_due)
    before = {**snapshot(invoice, INVOICE_FIELDS), "scholarship_remaining": scholarship.remaining}
    payment = Payment.objects.create(
        invoice=invoice,
        method=PaymentMethod.SCHOLARSHIP,
        amount=covered,
        scholarship=scholarship,
        external_reference=f"scholarship {scholarship.pk}",
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    scholarship.remaining -= covered
    scholarship.save(update_fields=["remaining", "updated_at"])
    invoice.amount_paid += covered
    if invoice.amount_paid == invoice.amount:
        _settle(invoice, InvoiceStatus.PAID)
    invoice.save(update_fields=["amount_paid", "status", "settled_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.SCHOLARSHIP_APPLY,
        obj=invoice,
        before=before,
        after={
            **snapshot(invoice, INVOICE_FIELDS),
            "payment": payment.pk,
            "scholarship": scholarship.pk,
            "payment_amount": covered,
            "scholarship_remaining": scholarship.remaining,
        },
    )
    return payment


SCHOLARSHIP_FIELDS = ("amount", "remaining", "released")


@transaction.atomic
def scholarship_draw(*, actor: Actor, scholarship: Scholarship, amount, reference: str) -> Scholarship:
    """Pay money out of an award to someone other than PeerCert (a training entity's tuition).

    Preconditions: finance staff or the system; a positive amount no more than what is left; the
    award has not expired; a reference saying what the money paid for.
    Side effects: the award's remaining goes down (the money is spent, not returned);
    audited as scholarship.draw with the reference.
    """
    if actor is not None and not permissions.is_finance_staff(actor):
        raise ApplicationError("Only program staff may pay out scholarship money.", code="forbidden")
    scholarship = Scholarship.objects.select_for_update().get(pk=scholarship.pk)
    ensure_not_own_matter(actor, scholarship.person_id, what="scholarship")
    amount = _money(amount)
    if amount <= 0:
        raise ApplicationError("Enter an amount greater than zero.", field="amount")
    if scholarship.is_expired(clock.today()):
        raise ApplicationError(
            "The %(fund)s award expired on %(day)s and can no longer pay anything.",
            params={"fund": scholarship.fund_name, "day": scholarship.expires_on},
            code="state",
        )
    if amount > scholarship.remaining:
        raise ApplicationError(
            "The award has only $%(left)s left. Pay $%(left)s or less from it.",
            params={"left": scholarship.remaining},
            code="overspend",
            field="amount",
        )
    reference = (reference or "").strip()[:255]
    if not reference:
        raise ApplicationError("Say what the money pays for.", field="reference")
    before = snapshot(scholarship, SCHOLARSHIP_FIELDS)
    scholarship.remaining -= amount
    scholarship.save(update_fields=["remaining", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.SCHOLARSHIP_DRAW,
        obj=scholarship,
        before=before,
        after={**snapshot(scholarship, SCHOLARSHIP_FIELDS), "drawn": amount, "reference": reference},
        reason=reference,
    )
    return scholarship


@transaction.atomic
def scholarship_release(*, actor: Actor, scholarship: Scholarship, reason: str) -> Decimal:
    """Stop an award paying and give what is left back to its fund (it expired, or was ended).

    Preconditions: a program manager or system administrator, or the system (the daily expiry job);
    a reason.
    Side effects: remaining moves to released (nothing else changes, so the fund's ledger
    still adds up); audited as scholarship.release when anything was left. Returns the amount released.
    """
    if not permissions.can_award_scholarship(actor):
        raise ApplicationError("Only a program manager may end a scholarship.", code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Give the reason for ending this scholarship.", field="reason")
    scholarship = Scholarship.objects.select_for_update().get(pk=scholarship.pk)
    left = scholarship.remaining
    if left == 0:
        return Decimal("0.00")
    before = snapshot(scholarship, SCHOLARSHIP_FIELDS)
    scholarship.released += left
    scholarship.remaining = Decimal("0.00")
    scholarship.save(update_fields=["remaining", "released", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.SCHOLARSHIP_RELEASE,
        obj=scholarship,
        before=before,
        after={**snapshot(scholarship, SCHOLARSHIP_FIELDS), "released_now": left},
        reason=reason,
    )
    return left
