"""Reads of service batches and lines, scoped: county billing users see their own county's, DHCS and the
auditor every county's; another county's batch or line by id is a 404."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from peercert.billing import gate, permissions
from peercert.billing.models import BatchStatus, LineHold, LineStatus, ServiceBatch, ServiceLine

__all__ = [
    "access_batch",
    "access_line",
    "batch_lines",
    "batch_list",
    "county_employment_choices",
    "export_rows",
    "line_holds",
]


def _scope(qs: QuerySet, actor) -> QuerySet:
    if not permissions.can_read_billing(actor):
        return qs.none()
    counties = permissions.readable_county_ids(actor)
    return qs if counties is None else qs.filter(county_id__in=counties)


def batch_list(actor, *, status: str = "") -> QuerySet[ServiceBatch]:
    qs = _scope(ServiceBatch.objects.select_related("county"), actor)
    if status in BatchStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def access_batch(actor, batch_id) -> ServiceBatch:
    return _get(_scope(ServiceBatch.objects.select_related("county"), actor), batch_id)


def access_line(actor, line_id) -> ServiceLine:
    qs = ServiceLine.objects.select_related("batch", "county", "employment__person", "employment__provider")
    return _get(_scope(qs, actor), line_id)


def batch_lines(batch: ServiceBatch, *, status: str = "", reason: str = "", provider=None, person=None) -> QuerySet:
    """The batch's lines with their holds, filtered by status, reason code, provider or peer."""
    qs = ServiceLine.objects.filter(batch_id=batch.pk).select_related("employment__person", "employment__provider")
    if status in LineStatus.values:
        qs = qs.filter(status=status)
    if reason in gate.all_reasons():
        qs = qs.filter(Exists(LineHold.objects.filter(line_id=OuterRef("pk"), code=reason)))
    if provider:
        qs = qs.filter(employment__provider_id=provider)
    if person:
        qs = qs.filter(employment__person_id=person)
    return qs.prefetch_related(Prefetch("holds", queryset=LineHold.objects.order_by("code"))).order_by(
        "source_position", "pk"
    )


def line_holds(line: ServiceLine) -> list[dict]:
    return [{"code": h.code, "message": gate.reason_label(h.code)} for h in line.holds.order_by("code")]


def county_employment_choices(county_id: int, day=None) -> list[tuple[int, str]]:
    """The county's employed peers, for a line's form (open employments first)."""
    model = ServiceLine._meta.get_field("employment").related_model
    rows = model.objects.filter(county_id=county_id).exclude(Q(status="ended") & Q(hired_on__isnull=True))
    rows = rows.select_related("person", "provider").order_by(
        "person__legal_last_name", "person__legal_first_name", "pk"
    )
    return [(e.pk, f"{e.person.legal_first_name} {e.person.legal_last_name}: {e.provider.name}") for e in rows[:2000]]


EXPORT_HEADER = (
    "line",
    "position",
    "claim",
    "claim_line",
    "rendering_npi",
    "cin",
    "service_date",
    "minutes",
    "units",
    "code",
    "modifiers",
    "delivery_system",
    "place_of_service",
    "reference",
    "status",
    "charge",
    "reasons",
)


def export_rows(batch: ServiceBatch):
    """The county's own export of the gate's result (beneficiaries by CIN only), streamed."""
    lines = batch_lines(batch)
    for line in lines.iterator(chunk_size=2000):
        yield [
            line.pk,
            line.source_position,
            line.source_claim_id,
            line.source_line_number or "",
            line.rendering_npi,
            line.cin,
            line.service_date.isoformat(),
            line.minutes,
            line.units,
            line.code,
            line.modifiers,
            line.delivery_system,
            line.place_of_service,
            line.county_reference,
            line.status,
            line.charge if line.charge is not None else "",
            " ".join(h.code for h in line.holds.all()),
        ]
