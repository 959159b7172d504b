"""Reads of fees, scoped to what the asking user may see."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from peercert.accounts.selectors import person_for_user
from peercert.core import clock
from peercert.core.rules import RULE_SPEC
from peercert.finance.models import SETTLED_STATUSES, FeeWaiver, Invoice, InvoiceStatus, Scholarship
from peercert.finance.permissions import can_view_invoice, is_finance_staff


def known_fee_codes() -> list[str]:
    """Every fee the program rules define (money rules named fee_*)."""
    return [name for name, (kind, _v, _l) in RULE_SPEC.items() if kind == "money" and name.startswith("fee_")]


def fee_label(fee_code: str) -> str:
    """The fee's name in the reader's language ("Cuota de renovación"), not the rule's English label."""
    spec = RULE_SPEC.get(fee_code)
    return gettext(spec[2]) if spec else fee_code


def fee_choices() -> list[tuple[str, str]]:
    return [(code, fee_label(code)) for code in known_fee_codes()]


# --- the contract other apps code against -------------------------------------------


def invoice_for(*, reference_type: str, reference_id: str | int, fee_code: str | None = None) -> Invoice | None:
    """The latest invoice made for a thing (and fee), whatever its status."""
    qs = Invoice.objects.filter(reference_type=reference_type, reference_id=str(reference_id))
    if fee_code:
        qs = qs.filter(fee_code=fee_code)
    return qs.order_by("-created_at", "-id").first()


def is_settled(invoice: Invoice | None) -> bool:
    """Paid in full (by any mix of payments and scholarship) or waived."""
    return invoice is not None and invoice.status in SETTLED_STATUSES


def invoices_for_person(person) -> QuerySet[Invoice]:
    return Invoice.objects.filter(payer=person).order_by("-created_at", "-id")


# --- scoped reads for pages and the API ------------------------------------------------


def invoice_list(*, actor, status: str = "", fee_code: str = "", payer_only: bool = False) -> QuerySet[Invoice]:
    """Staff see every invoice; anyone else sees only their own (payer_only forces that)."""
    qs = Invoice.objects.select_related("payer").order_by("-created_at", "-id")
    if payer_only or not is_finance_staff(actor):
        person = person_for_user(actor)
        if person is None:
            return Invoice.objects.none()
        qs = qs.filter(payer=person)
    if status:
        qs = qs.filter(status=status)
    if fee_code:
        qs = qs.filter(fee_code=fee_code)
    return qs


def access_invoice(actor, invoice_id: int) -> Invoice:
    """The invoice if the actor is its payer or program staff; 404 otherwise."""
    try:
        invoice = Invoice.objects.select_related("payer", "payer__user").get(pk=invoice_id)
    except Invoice.DoesNotExist:
        raise Http404 from None
    if not can_view_invoice(actor, invoice):
        raise Http404
    return invoice


def invoice_payments(invoice: Invoice):
    return invoice.payments.select_related("recorded_by", "scholarship").order_by("created_at", "id")


def invoice_waiver(invoice: Invoice):
    return FeeWaiver.objects.filter(invoice=invoice).select_related("actor").first()


def scholarships_for(person) -> QuerySet[Scholarship]:
    return Scholarship.objects.filter(person=person).order_by("-created_at", "-id")


def usable_scholarships(invoice: Invoice) -> list[Scholarship]:
    """The payer's awards with money left that may pay this invoice."""
    if invoice.status != InvoiceStatus.OPEN or not invoice.scholarship_eligible:
        return []
    today = clock.today()
    return [
        s
        for s in scholarships_for(invoice.payer).filter(remaining__gt=0)
        if s.may_pay(invoice.fee_code) and not s.is_expired(today)
    ]


def access_scholarship(actor, invoice: Invoice, scholarship_id) -> Scholarship:
    """One of the invoice payer's awards, for someone allowed to see the invoice."""
    if not can_view_invoice(actor, invoice):
        raise Http404
    try:
        return Scholarship.objects.get(pk=scholarship_id, person_id=invoice.payer_id)
    except (Scholarship.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_invoices() -> QuerySet[Invoice]:
    return Invoice.objects.filter(status=InvoiceStatus.OPEN).select_related("payer").order_by("created_at", "id")
