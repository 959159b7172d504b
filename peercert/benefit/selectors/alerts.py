"""Reads for the benefit's alerts, webhooks and the EHR API, scoped to the actor.

A county user reads only their own county's alerts (DHCS and auditors read every county's); webhooks
and their deliveries are county staff's own. A record outside the actor's reach is a 404.
"""

import datetime

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404

from peercert.accounts.permissions import county_ids
from peercert.benefit.models import (
    OPEN_EMPLOYMENT_STATUSES,
    AlertStatus,
    AssignmentStatus,
    DeliveryStatus,
    DirectingProfessional,
    Employment,
    SupervisorAssignment,
    Webhook,
    WebhookDelivery,
    WebhookStatus,
    WorkforceAlert,
)
from peercert.benefit.permissions import readable_county_ids, writable_county_ids
from peercert.certification.selectors import latest_certification_subquery, status_labels
from peercert.core import clock

__all__ = [
    "access_alert",
    "access_api_employment",
    "access_delivery",
    "access_webhook",
    "alert_deliveries",
    "alert_employments",
    "alert_list",
    "certification_status_labels",
    "api_employments",
    "delivery_attempts",
    "failing_webhooks",
    "open_alerts",
    "webhook_deliveries",
    "webhook_list",
]


# ---- Alerts -------------------------------------------------------------------------------------


def _alerts_for(actor) -> QuerySet[WorkforceAlert]:
    qs = WorkforceAlert.objects.select_related("county", "person", "certification", "acknowledged_by")
    ids = readable_county_ids(actor)
    return qs if ids is None else qs.filter(county_id__in=ids)


def alert_list(*, actor, status: str = "", query: str = "") -> QuerySet[WorkforceAlert]:
    """The actor's counties' alerts: open first, newest first; optionally one status, or a name or number."""
    qs = _alerts_for(actor)
    if status:
        qs = qs.filter(status=status)
    query = (query or "").strip()
    if query:
        qs = qs.filter(
            Q(certification__number__iexact=query)
            | Q(person__legal_last_name__icontains=query)
            | Q(person__legal_first_name__icontains=query)
        )
    # "open" sorts before "acknowledged" the other way round, so order on a flag.
    return qs.annotate(still_open=Q(status=AlertStatus.OPEN)).order_by("-still_open", "-created_at", "-id")


def certification_status_labels() -> dict[str, str]:
    """Certification statuses in words, in the active language (read from the alert's foreign key)."""
    return status_labels()


def open_alerts(actor) -> QuerySet[WorkforceAlert]:
    return alert_list(actor=actor, status=AlertStatus.OPEN)


def access_alert(actor, alert_id: int) -> WorkforceAlert:
    try:
        return _alerts_for(actor).select_related("status_change").get(pk=alert_id)
    except (WorkforceAlert.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def alert_employments(alert: WorkforceAlert) -> QuerySet[Employment]:
    """The alert's county's employments of that person, open ones first."""
    return (
        Employment.objects.filter(county_id=alert.county_id, person_id=alert.person_id)
        .select_related("provider")
        .annotate(still_open=Q(status__in=OPEN_EMPLOYMENT_STATUSES))
        .order_by("-still_open", "-start_on", "-id")
    )


def alert_deliveries(alert: WorkforceAlert) -> QuerySet[WebhookDelivery]:
    return alert.deliveries.select_related("webhook").order_by("webhook__url", "id")


# ---- Webhooks -----------------------------------------------------------------------------------


def _webhooks_for(actor) -> QuerySet[Webhook]:
    return Webhook.objects.select_related("county").filter(county_id__in=writable_county_ids(actor))


def webhook_list(*, actor, include_removed: bool = False) -> QuerySet[Webhook]:
    """The county staff's webhooks with their state: pending and failed deliveries counted."""
    qs = _webhooks_for(actor)
    if not include_removed:
        qs = qs.exclude(status=WebhookStatus.RETIRED)
    return qs.annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    ).order_by("county__name", "url", "id")


def failing_webhooks(actor) -> QuerySet[Webhook]:
    return _webhooks_for(actor).filter(failing_since__isnull=False).exclude(status=WebhookStatus.RETIRED)


def access_webhook(actor, webhook_id: int) -> Webhook:
    try:
        return _webhooks_for(actor).get(pk=webhook_id)
    except (Webhook.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def webhook_deliveries(webhook: Webhook, status: str = "") -> QuerySet[WebhookDelivery]:
    qs = webhook.deliveries.select_related("alert__certification", "alert__person")
    return qs.filter(status=status) if status else qs


def access_delivery(actor, delivery_id: int) -> WebhookDelivery:
    try:
        return (
            WebhookDelivery.objects.select_related("webhook__county", "alert__certification", "alert__person")
            .filter(webhook__county_id__in=writable_county_ids(actor))
            .get(pk=delivery_id)
        )
    except (WebhookDelivery.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def delivery_attempts(delivery: WebhookDelivery):
    return delivery.attempt_rows.order_by("attempted_at", "id")


# ---- The EHR API --------------------------------------------------------------------------------


def _api_county_ids(actor) -> set[int]:
    return county_ids(actor)


def _latest_change_of(model, employment_field: str):
    return Subquery(
        model.objects.filter(**{employment_field: OuterRef("pk")}).order_by("-updated_at").values("updated_at")[:1]
    )


def _api_queryset(actor) -> QuerySet[Employment]:
    today = clock.today()
    person = OuterRef("person_id")
    current_supervisors = (
        SupervisorAssignment.objects.filter(status=AssignmentStatus.ACTIVE)
        .select_related("supervisor")
        .order_by("start_on", "id")
    )
    directing = DirectingProfessional.objects.filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today), start_on__lte=today
    ).order_by("-start_on", "-id")
    return (
        Employment.objects.filter(county_id__in=_api_county_ids(actor))
        .select_related("person", "provider", "county")
        .annotate(
            cert_number=latest_certification_subquery(person, "number"),
            cert_status=latest_certification_subquery(person, "status"),
            cert_expires_on=latest_certification_subquery(person, "expires_on"),
            cert_status_changed_on=latest_certification_subquery(person, "status_changed_on"),
            cert_updated_at=latest_certification_subquery(person, "updated_at"),
            supervision_updated_at=_latest_change_of(SupervisorAssignment, "employment"),
            direction_updated_at=_latest_change_of(DirectingProfessional, "employment"),
        )
        .annotate(
            # The later of the employment's own changes, its supervision's and its direction's, and its
            # certification's (a status change must reach an EHR syncing on updated_since).
            synced_at=Greatest(
                F("updated_at"),
                Coalesce(F("cert_updated_at"), F("updated_at")),
                Coalesce(F("supervision_updated_at"), F("updated_at")),
                Coalesce(F("direction_updated_at"), F("updated_at")),
            )
        )
        .prefetch_related(
            Prefetch("supervisor_assignments", queryset=current_supervisors, to_attr="current_supervisors"),
            Prefetch("directing_professionals", queryset=directing, to_attr="current_directing"),
        )
    )


def api_employments(*, actor, status: str = "", updated_since: datetime.datetime | None = None) -> QuerySet[Employment]:
    """The actor's counties' employments for an EHR, oldest change first (a stable order to page through)."""
    qs = _api_queryset(actor)
    if status:
        qs = qs.filter(status=status)
    if updated_since is not None:
        qs = qs.filter(synced_at__gte=updated_since)
    return qs.order_by("synced_at", "id")


def access_api_employment(actor, employment_id: int) -> Employment:
    try:
        return _api_queryset(actor).get(pk=employment_id)
    except (Employment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def supervisor_training_state(assignment: SupervisorAssignment, trained_ids: set[int], today: datetime.date) -> dict:
    trained = assignment.supervisor_id in trained_ids
    return {
        "trained": trained,
        "training_due_on": assignment.training_due_on,
        "overdue": not trained and assignment.training_due_on < today,
    }
