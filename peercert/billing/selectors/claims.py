"""Reads for claims out and remittance in, scoped to the actor: county billing users read their own
county, DHCS and the auditor every county. Another county's record by id is a 404."""

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from peercert.billing import permissions
from peercert.billing.models import (
    ClaimFile,
    ClaimFrequency,
    LineStatus,
    PaymentOutcome,
    Remittance,
    RemittanceLine,
    ServiceBatch,
    ServiceLine,
)

__all__ = [
    "access_claim_file",
    "access_claims_batch",
    "access_denial",
    "access_paid_line",
    "access_remittance",
    "batch_claim_files",
    "batch_remittance_summary",
    "claim_file_is_current",
    "current_claim_file",
    "denial_list",
    "paid_lines",
    "remittance_lines",
    "remittance_list",
]


def _scope(qs: QuerySet, actor, field: str = "county_id") -> QuerySet:
    if actor is None or not permissions.can_read_billing(actor):
        return qs.none()
    counties = permissions.readable_county_ids(actor)
    return qs if counties is None else qs.filter(**{f"{field}__in": counties})


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None


def access_claims_batch(actor, batch_id) -> ServiceBatch:
    return _get(_scope(ServiceBatch.objects.all(), actor), batch_id)


def batch_claim_files(batch: ServiceBatch) -> QuerySet[ClaimFile]:
    return ClaimFile.objects.filter(batch=batch).defer("content").select_related("created_by")


def claim_file_is_current(batch: ServiceBatch, claim_file: ClaimFile) -> bool:
    """An original file built from the batch's last gate result (a later gate run makes it stale)."""
    if claim_file.frequency != ClaimFrequency.ORIGINAL:
        return True
    return batch.checked_at is None or claim_file.created_at >= batch.checked_at


def current_claim_file(batch: ServiceBatch) -> ClaimFile | None:
    latest = ClaimFile.objects.filter(batch=batch, frequency=ClaimFrequency.ORIGINAL).order_by("-id").first()
    return latest if latest is not None and claim_file_is_current(batch, latest) else None


def access_claim_file(actor, claim_file_id) -> ClaimFile:
    return _get(_scope(ClaimFile.objects.select_related("batch"), actor, "batch__county_id"), claim_file_id)


def paid_lines(batch: ServiceBatch) -> QuerySet[ServiceLine]:
    """The batch's lines the state paid, which may be replaced or voided."""
    return (
        ServiceLine.objects.filter(
            batch=batch,
            status__in=(LineStatus.BILLABLE, LineStatus.OVERRIDDEN),
            remittance_status__in=(PaymentOutcome.PAID, PaymentOutcome.ADJUSTED),
        )
        .exclude(payer_claim_control_number="")
        .order_by("payer_claim_control_number", "id")
    )


def access_paid_line(actor, line_id) -> ServiceLine:
    return _get(_scope(ServiceLine.objects.select_related("batch"), actor), line_id)


def batch_remittance_summary(batch: ServiceBatch) -> dict:
    rows = (
        ServiceLine.objects.filter(batch=batch)
        .values("remittance_status")
        .annotate(n=Count("id"), paid=Sum("paid_amount"))
    )
    return {row["remittance_status"] or "none": row for row in rows}


def remittance_list(actor) -> QuerySet[Remittance]:
    return (
        _scope(Remittance.objects.all(), actor)
        .annotate(denied=Count("lines", filter=Q(lines__status=PaymentOutcome.DENIED)))
        .order_by("-created_at", "-id")
    )


def access_remittance(actor, remittance_id) -> Remittance:
    return _get(_scope(Remittance.objects.all(), actor), remittance_id)


def remittance_lines(remittance: Remittance, status: str = "") -> QuerySet[RemittanceLine]:
    qs = remittance.lines.select_related("line").order_by("id")
    if status:
        qs = qs.filter(status=status)
    return qs


def denial_list(actor, *, worked: bool = False) -> QuerySet[RemittanceLine]:
    """Denied lines, open ones first in age order (worked=True: the ones already worked)."""
    qs = _scope(RemittanceLine.objects.filter(status=PaymentOutcome.DENIED), actor, "remittance__county_id")
    qs = qs.filter(denial_worked_at__isnull=not worked)
    return qs.select_related("remittance", "line", "denial_worked_by").order_by(
        "-denial_worked_at" if worked else "remittance__created_at", "id"
    )


def access_denial(actor, remittance_line_id) -> RemittanceLine:
    qs = _scope(RemittanceLine.objects.filter(status=PaymentOutcome.DENIED), actor, "remittance__county_id")
    return _get(qs.select_related("remittance", "line"), remittance_line_id)


# --- for oversight dashboards ---
import datetime  # noqa: E402

__all__ += ["billing_totals_by_county"]  # noqa: PLE0605


def billing_totals_by_county(start: datetime.date, end: datetime.date) -> dict[int, dict]:
    """Per county, service lines dated from start to end, in one aggregate query: services (lines),
    units, unique beneficiaries, amount billed (billable and overridden lines), paid, and denied (lines
    and their charges). Amounts are Decimals (0 when none)."""
    from decimal import Decimal

    from django.db.models import DecimalField, Value
    from django.db.models.functions import Coalesce

    money = DecimalField(max_digits=14, decimal_places=2)
    zero = Value(Decimal("0.00"), output_field=money)
    billable = Q(status__in=(LineStatus.BILLABLE, LineStatus.OVERRIDDEN))
    denied = Q(remittance_status=PaymentOutcome.DENIED)
    rows = (
        ServiceLine.objects.filter(service_date__gte=start, service_date__lte=end)
        .order_by()
        .values("county_id")
        .annotate(
            services=Count("id"),
            units=Coalesce(Sum("units"), 0),
            beneficiaries=Count("beneficiary_id", distinct=True),
            billed=Coalesce(Sum("charge", filter=billable), zero, output_field=money),
            paid=Coalesce(Sum("paid_amount"), zero, output_field=money),
            denied_lines=Count("id", filter=denied),
            denied=Coalesce(Sum("charge", filter=denied), zero, output_field=money),
        )
    )
    return {row.pop("county_id"): row for row in rows}


# --- for integrity reviews ---
def paid_lines_for_review(*, county_id: int, start, end) -> QuerySet[ServiceLine]:
    """A county's service lines of a period that the state paid (the population a DHCS review samples).

    No actor: integrity scopes the review; this only says which records the period holds."""
    return ServiceLine.objects.filter(
        county_id=county_id, service_date__gte=start, service_date__lte=end, remittance_status=PaymentOutcome.PAID
    )


__all__ += ["paid_lines_for_review"]

# --- for oversight reports ---
__all__ += ["billing_beneficiaries_for_report", "billing_totals_for_report"]  # noqa: PLE0605


def _report_lines(start, end, county_ids):
    lines = ServiceLine.objects.filter(service_date__gte=start, service_date__lte=end)
    if county_ids is not None:
        lines = lines.filter(county_id__in=list(county_ids))
    return lines


def billing_totals_for_report(*, start, end, county_ids=None):
    """Services of a period by county, delivery system, code and month, in one GROUP BY: services (lines),
    units, unique beneficiaries, and the amounts billed (lines in batches sent to the state), paid (from the
    835s) and denied. A values() queryset sorted by its keys; month is the month's first day."""
    from django.db.models.functions import TruncMonth

    from peercert.billing.models import BatchStatus, PaymentOutcome

    sent = Q(batch__status=BatchStatus.SUBMITTED)
    denied = Q(remittance_status=PaymentOutcome.DENIED)
    return (
        _report_lines(start, end, county_ids)
        .annotate(month=TruncMonth("service_date"))
        .values("county_id", "delivery_system", "code", "month")
        .annotate(
            services=Count("id"),
            units=Sum("units"),
            beneficiaries=Count("beneficiary_id", distinct=True),
            billed_lines=Count("id", filter=sent),
            billed=Sum("charge", filter=sent),
            paid=Sum("paid_amount"),
            denied_lines=Count("id", filter=denied),
            denied=Sum("charge", filter=denied),
        )
        .order_by("county_id", "delivery_system", "code", "month")
    )


def billing_beneficiaries_for_report(*, start, end, county_ids=None) -> dict:
    """Unique beneficiaries served in a period (beneficiaries do not add up across months or codes):
    {"by_county": [{county_id, beneficiaries, services}], "total": n}.

    Per county it counts the (county, beneficiary) groups of a hashed GROUP BY rather than COUNT(DISTINCT)
    per county, which PostgreSQL plans as an index walk over the county index: at a million lines the
    first is a second, the second fifteen."""
    from django.db import connection

    table = ServiceLine._meta.db_table
    where = ["service_date >= %s", "service_date <= %s"]
    params: list = [start, end]
    if county_ids is not None:
        ids = [int(pk) for pk in county_ids]
        where.append("county_id IN (" + ", ".join(["%s"] * len(ids)) + ")" if ids else "1 = 0")
        params += ids
    sql = (
        "SELECT county_id, COUNT(beneficiary_id), SUM(n) FROM ("
        f"SELECT county_id, beneficiary_id, COUNT(*) AS n FROM {table} WHERE {' AND '.join(where)} "
        "GROUP BY county_id, beneficiary_id) AS per_beneficiary GROUP BY county_id ORDER BY county_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        by_county = [{"county_id": c, "beneficiaries": b, "services": int(n or 0)} for c, b, n in cursor.fetchall()]
    total = _report_lines(start, end, county_ids).aggregate(n=Count("beneficiary_id", distinct=True))["n"] or 0
    return {"by_county": by_county, "total": total}
