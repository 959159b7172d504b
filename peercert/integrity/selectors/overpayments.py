"""integrity: reads of overpayments, scoped to the actor.

County billing staff and the county's authorized signer see their own county's; DHCS analysts and approvers
and the auditor see every county's. Another county's overpayment by id is a 404. Pages and the API name
lines by date, code, peer and claim number, never the beneficiary; the report's CSV and PDF name the
beneficiary by CIN and write an access event for each (billing.selectors.log_beneficiary_reads).
"""

import datetime
from decimal import Decimal

from django.db.models import Count, DateField, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404

from peercert.core import clock
from peercert.integrity import permissions
from peercert.integrity.models import UNRESOLVED, Overpayment, OverpaymentLine, OverpaymentStatus

__all__ = [
    "STATUS_FILTERS",
    "access_overpayment",
    "overpaid_totals",
    "overpayment_lines",
    "overpayment_list",
    "overpayment_totals",
]

# status= filters: each status, plus unresolved (not returned), overdue (due date passed, not returned),
# and to_sign (prepared, waiting for the signer).
STATUS_FILTERS = (*OverpaymentStatus.values, "unresolved", "overdue", "to_sign")


def _with_totals(qs: QuerySet, today: datetime.date) -> QuerySet:
    lines = OverpaymentLine.objects.filter(overpayment_id=OuterRef("pk")).order_by().values("overpayment_id")
    money = DecimalField(max_digits=12, decimal_places=2)
    return qs.annotate(
        total_amount=Coalesce(
            Subquery(lines.annotate(s=Sum("amount")).values("s")[:1], output_field=money),
            Value(Decimal("0")),
            output_field=money,
        ),
        line_count=Coalesce(
            Subquery(lines.annotate(n=Count("id")).values("n")[:1], output_field=IntegerField()), Value(0)
        ),
    )


def overpayment_list(actor, *, status: str = "", county_id=None) -> QuerySet[Overpayment]:
    """The overpayments the actor may see, nearest due date first, with total_amount, line_count and
    days_left (a property set on iteration through annotate of due_on - today)."""
    if actor is None or not permissions.can_read_overpayments(actor):
        return Overpayment.objects.none()
    qs = Overpayment.objects.select_related("county")
    counties = permissions.overpayment_county_ids(actor)
    if counties is not None:
        qs = qs.filter(county_id__in=counties)
    today = clock.today()
    if status in OverpaymentStatus.values:
        qs = qs.filter(status=status)
    elif status == "unresolved":
        qs = qs.filter(status__in=UNRESOLVED)
    elif status == "overdue":
        qs = qs.filter(status__in=UNRESOLVED, due_on__lt=today)
    elif status == "to_sign":
        qs = qs.filter(status__in=[OverpaymentStatus.OPEN, OverpaymentStatus.VOIDED], prepared_at__isnull=False)
    if county_id:
        qs = qs.filter(county_id=county_id)
    return _with_totals(qs, today).order_by("due_on", "id")


def access_overpayment(actor, overpayment_id) -> Overpayment:
    try:
        return overpayment_list(actor).get(pk=int(overpayment_id))
    except (Overpayment.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def overpayment_lines(overpayment: Overpayment) -> QuerySet[OverpaymentLine]:
    """The overpayment's lines with the peer's name (never the beneficiary's)."""
    from django.db.models import F

    return overpayment.lines.annotate(
        peer_first=F("line__employment__person__legal_first_name"),
        peer_last=F("line__employment__person__legal_last_name"),
        units=F("line__units"),
    ).order_by("service_date", "id")


def overpayment_totals(actor) -> dict:
    """What DHCS reads at the top of the statewide list: open and overdue, count and amount (two aggregates)."""
    today = clock.today()
    seen = overpayment_list(actor).values("pk")
    lines = OverpaymentLine.objects.filter(overpayment_id__in=seen)
    sums = lines.aggregate(
        open_amount=Sum("amount", filter=Q(overpayment__status__in=UNRESOLVED)),
        overdue_amount=Sum("amount", filter=Q(overpayment__status__in=UNRESOLVED, overpayment__due_on__lt=today)),
        returned_amount=Sum("amount", filter=Q(overpayment__status=OverpaymentStatus.RETURNED)),
    )
    counts = Overpayment.objects.filter(pk__in=seen).aggregate(
        open=Count("id", filter=Q(status__in=UNRESOLVED)),
        overdue=Count("id", filter=Q(status__in=UNRESOLVED, due_on__lt=today)),
        returned=Count("id", filter=Q(status=OverpaymentStatus.RETURNED)),
    )
    return {**counts, **{k: v or Decimal("0") for k, v in sums.items()}}


def overpaid_totals(*, start: datetime.date, end: datetime.date, county_ids=None) -> QuerySet:
    """For the oversight reports: one aggregate statement over the lines of overpayments identified between
    start and end (inclusive), by county_id, delivery_system, code and month (first day of the service
    month): lines and amount. Not scoped to an actor: the caller scopes (county_ids)."""
    qs = OverpaymentLine.objects.filter(overpayment__identified_on__gte=start, overpayment__identified_on__lte=end)
    if county_ids is not None:
        qs = qs.filter(county_id__in=list(county_ids))
    return (
        qs.annotate(month=TruncMonth("service_date", output_field=DateField()))
        .values("county_id", "delivery_system", "code", "month")
        .annotate(lines=Count("id"), amount=Sum("amount"))
        .order_by("county_id", "delivery_system", "code", "month")
    )
