import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Router, Schema
from pydantic import Field

from peercert.core.apitypes import Offset, RowId, text
from peercert.finance import fee_schedule as schedules
from peercert.finance import selectors
from peercert.finance.models import InvoiceStatus

router = Router(tags=["finance"])


class PaymentOut(Schema):
    id: int
    method: str
    amount: Decimal
    external_reference: str
    created_at: datetime.datetime


class InvoiceOut(Schema):
    id: int
    payer_id: int
    payer_name: str
    fee_code: str
    description: str
    amount: Decimal
    amount_paid: Decimal
    balance_due: Decimal
    status: str
    rules_version: str
    reference_type: str
    reference_id: str
    scholarship_eligible: bool
    created_at: datetime.datetime
    settled_at: datetime.datetime | None


class InvoiceDetailOut(InvoiceOut):
    payments: list[PaymentOut]


def _out(invoice) -> dict:
    return {
        "id": invoice.pk,
        "payer_id": invoice.payer_id,
        "payer_name": invoice.payer.full_name,
        "fee_code": invoice.fee_code,
        "description": invoice.description,
        "amount": invoice.amount,
        "amount_paid": invoice.amount_paid,
        "balance_due": invoice.balance_due,
        "status": invoice.status,
        "rules_version": invoice.rules_version,
        "reference_type": invoice.reference_type,
        "reference_id": invoice.reference_id,
        "scholarship_eligible": invoice.scholarship_eligible,
        "created_at": invoice.created_at,
        "settled_at": invoice.settled_at,
    }


@router.get(
    "/invoices",
    response=list[InvoiceOut],
    summary="Invoices: your own, or every invoice for program staff; filter by status and fee",
)
def invoice_list(
    request,
    status: text(20) = "",
    fee_code: text(40) = "",
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Offset = 0,
):
    status = status if status in InvoiceStatus.values else ""
    qs = selectors.invoice_list(actor=request.auth, status=status, fee_code=fee_code)
    return [_out(i) for i in qs[offset : offset + limit]]


@router.get("/invoices/{invoice_id}", response=InvoiceDetailOut, summary="One invoice with its payments")
def invoice_detail(request, invoice_id: RowId):
    invoice = selectors.access_invoice(request.auth, invoice_id)
    payments = [
        {
            "id": p.pk,
            "method": p.method,
            "amount": p.amount,
            "external_reference": p.external_reference,
            "created_at": p.created_at,
        }
        for p in selectors.invoice_payments(invoice)
    ]
    return {**_out(invoice), "payments": payments}


# --- the public fee schedule, at /api/v1/fees (mounted in config/api.py) ----------------------

fees_router = Router(tags=["fees"])


class FeeOut(Schema):
    code: str
    name: str
    amount: Decimal
    who_pays: str
    waiver: str
    scholarship_may_pay: bool
    scholarship_note: str


class FeeScheduleOut(Schema):
    version: str
    effective_from: datetime.date
    fees: list[FeeOut]


class FeesOut(Schema):
    in_force: FeeScheduleOut
    next: FeeScheduleOut | None
    reciprocity_note: str


def _schedule_out(schedule) -> dict:
    return {
        "version": schedule.version,
        "effective_from": schedule.effective_from,
        "fees": [
            {
                "code": f.code,
                "name": f.name,
                "amount": f.amount,
                "who_pays": f.who_pays,
                "waiver": f.waiver,
                "scholarship_may_pay": f.scholarship,
                "scholarship_note": f.scholarship_note,
            }
            for f in schedule.fees
        ],
    }


@fees_router.get(
    "",
    response=FeesOut,
    auth=None,
    url_name="fees",
    summary="The public fee schedule: every fee in force today, the next dated schedule, waivers and scholarships",
)
def fees(request):
    current, upcoming = schedules.fee_schedule()
    return {
        "in_force": _schedule_out(current),
        "next": _schedule_out(upcoming) if upcoming else None,
        "reciprocity_note": str(schedules.RECIPROCITY_NOTE),
    }
