from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.permissions import rule_required
from peercert.accounts.selectors import person_for_user
from peercert.core.views import run_form
from peercert.finance import fee_schedule as schedules
from peercert.finance import receipts, selectors, services
from peercert.finance.forms import OfflinePaymentForm, ReasonForm, ScholarshipApplyForm, TestCardForm
from peercert.finance.models import InvoiceStatus, PaymentMethod
from peercert.finance.permissions import can_apply_scholarship, can_pay_online, is_finance_staff


@login_required
def my_fees(request):
    person = person_for_user(request.user)
    invoices = selectors.invoice_list(actor=request.user, payer_only=True)
    return render(
        request,
        "finance/my_fees.html",
        {
            "person": person,
            "open_invoices": [i for i in invoices if i.status == InvoiceStatus.OPEN],
            "other_invoices": [i for i in invoices if i.status != InvoiceStatus.OPEN],
            "scholarships": selectors.scholarships_for(person) if person else [],
        },
    )


@rule_required(is_finance_staff)
def staff_invoices(request):
    status = request.GET.get("status", "")
    fee = request.GET.get("fee", "")
    status = status if status in InvoiceStatus.values else ""
    fee = fee if fee in selectors.known_fee_codes() else ""
    page = Paginator(selectors.invoice_list(actor=request.user, status=status, fee_code=fee), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "finance/staff_invoices.html",
        {
            "page": page,
            "status": status,
            "fee": fee,
            "statuses": InvoiceStatus.choices,
            "fees": selectors.fee_choices(),
            "query": query.urlencode(),
        },
    )


def _render_detail(request, invoice, status=200, **forms):
    staff = is_finance_staff(request.user)
    scholarships = selectors.usable_scholarships(invoice) if can_apply_scholarship(request.user, invoice) else []
    context = {
        "invoice": invoice,
        "fee_label": selectors.fee_label(invoice.fee_code),
        "payments": selectors.invoice_payments(invoice),
        "waiver": selectors.invoice_waiver(invoice),
        "is_staff": staff,
        "is_open": invoice.status == InvoiceStatus.OPEN,
        "can_pay": can_pay_online(request.user, invoice) and invoice.status == InvoiceStatus.OPEN,
        "scholarship_form": forms.get("scholarship_form")
        or (ScholarshipApplyForm(scholarships=scholarships, prefix="sch") if scholarships else None),
    }
    if not context["is_open"]:
        # The forms are drawn only on an open invoice; a refusal of a form posted to one that
        # is no longer open (settled in another tab, by another staff member) is shown above
        # the invoice instead of being lost with its form.
        context["refusals"] = [
            error for form in forms.values() if form is not None for errors in form.errors.values() for error in errors
        ]
    if staff:
        context["payment_form"] = forms.get("payment_form") or OfflinePaymentForm(
            prefix="pay", initial={"amount": invoice.balance_due}
        )
        context["waive_form"] = forms.get("waive_form") or ReasonForm(prefix="waive")
        context["cancel_form"] = forms.get("cancel_form") or ReasonForm(prefix="cancel")
    return render(request, "finance/invoice_detail.html", context, status=status)


@login_required
def invoice_detail(request, invoice_id: int):
    invoice = selectors.access_invoice(request.user, invoice_id)
    return _render_detail(request, invoice)


@login_required
def invoice_pay(request, invoice_id: int):
    invoice = selectors.access_invoice(request.user, invoice_id)
    if not can_pay_online(request.user, invoice):
        raise Http404
    if invoice.status != InvoiceStatus.OPEN:
        messages.info(request, _("This fee has nothing left to pay."))
        return redirect("finance:invoice_detail", invoice_id=invoice.pk)
    form = TestCardForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.payment_record(
            actor=request.user,
            invoice=invoice,
            method=PaymentMethod.TEST_CARD,
            amount=invoice.balance_due,
            card_number=data["card_number"],
        ),
        success_url=_detail_url(invoice),
        message=_("Thank you. Your payment is recorded."),
    )
    scholarships = selectors.usable_scholarships(invoice)
    return done or render(
        request,
        "finance/invoice_pay.html",
        {
            "invoice": invoice,
            "form": form,
            "fee_label": selectors.fee_label(invoice.fee_code),
            # Offered first: an award that covers this fee is the person's own money for it.
            "scholarship_form": ScholarshipApplyForm(
                scholarships=scholarships, prefix="sch", initial={"scholarship": scholarships[0].pk}
            )
            if scholarships
            else None,
        },
    )


def _detail_url(invoice) -> str:
    return reverse("finance:invoice_detail", args=[invoice.pk])


def _post_only(request, invoice):
    """These actions are forms on the invoice page; a plain visit goes back there."""
    if request.method != "POST":
        return redirect("finance:invoice_detail", invoice_id=invoice.pk)
    return None


@rule_required(is_finance_staff)
def invoice_record_payment(request, invoice_id: int):
    invoice = selectors.access_invoice(request.user, invoice_id)
    if (response := _post_only(request, invoice)) is not None:
        return response
    form = OfflinePaymentForm(request.POST, prefix="pay")
    done = run_form(
        request,
        form,
        lambda data: services.payment_record(
            actor=request.user,
            invoice=invoice,
            method=data["method"],
            amount=data["amount"],
            external_reference=data["external_reference"],
        ),
        success_url=_detail_url(invoice),
        message=_("Payment recorded."),
    )
    return done or _render_detail(request, invoice, status=400, payment_form=form)


def _reason_action(request, invoice_id: int, *, service, prefix: str, done: str):
    """Waive or cancel: both take a reason from program staff and return to the invoice."""
    invoice = selectors.access_invoice(request.user, invoice_id)
    if (response := _post_only(request, invoice)) is not None:
        return response
    form = ReasonForm(request.POST, prefix=prefix)
    response = run_form(
        request,
        form,
        lambda data: service(actor=request.user, invoice=invoice, reason=data["reason"]),
        success_url=_detail_url(invoice),
        message=done,
    )
    return response or _render_detail(request, invoice, status=400, **{f"{prefix}_form": form})


@rule_required(is_finance_staff)
def invoice_waive(request, invoice_id: int):
    return _reason_action(request, invoice_id, service=services.invoice_waive, prefix="waive", done=_("Fee waived."))


@rule_required(is_finance_staff)
def invoice_cancel(request, invoice_id: int):
    return _reason_action(
        request, invoice_id, service=services.invoice_cancel, prefix="cancel", done=_("Invoice cancelled.")
    )


@login_required
def invoice_scholarship(request, invoice_id: int):
    invoice = selectors.access_invoice(request.user, invoice_id)
    if not can_apply_scholarship(request.user, invoice):
        raise Http404
    if (response := _post_only(request, invoice)) is not None:
        return response
    form = ScholarshipApplyForm(request.POST, prefix="sch", scholarships=selectors.scholarships_for(invoice.payer))
    done = run_form(
        request,
        form,
        lambda data: services.scholarship_apply(actor=request.user, invoice=invoice, scholarship=data["scholarship"]),
        success_url=_detail_url(invoice),
        message=_("Scholarship applied."),
    )
    return done or _render_detail(request, invoice, status=400, scholarship_form=form)


def fee_schedule(request):
    """The public fee schedule (no sign-in): today's fees, the next dated schedule, waivers and scholarships."""
    current, upcoming = schedules.fee_schedule()
    rows = [
        {"fee": fee, "next": next_fee}
        for fee, next_fee in zip(current.fees, upcoming.fees if upcoming else [None] * len(current.fees), strict=True)
    ]
    return render(
        request,
        "finance/fee_schedule.html",
        {"current": current, "upcoming": upcoming, "rows": rows, "reciprocity_note": schedules.RECIPROCITY_NOTE},
    )


@login_required
def invoice_receipt(request, invoice_id: int):
    """The receipt as PDF, in the payer's language, once anything is paid or the fee is waived."""
    invoice = selectors.access_invoice(request.user, invoice_id)
    if invoice.amount_paid <= 0 and invoice.status != InvoiceStatus.WAIVED:
        messages.info(request, _("There is no receipt yet: nothing has been paid on this invoice."))
        return redirect("finance:invoice_detail", invoice_id=invoice.pk)
    response = HttpResponse(receipts.render_receipt_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipts.receipt_filename(invoice)}"'
    return response
