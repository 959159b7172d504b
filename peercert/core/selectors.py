import datetime

from django.db.models import QuerySet

from peercert.core.models import AuditEvent, ProgramRuleSet


def audit_event_list(
    *,
    actor_email: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events filtered for the viewer. The caller has already checked the role."""
    qs = AuditEvent.objects.all()
    if actor_email:
        qs = qs.filter(actor_label__icontains=actor_email.strip())
    if object_type:
        qs = qs.filter(object_type=object_type.strip().lower())
    if object_id:
        qs = qs.filter(object_id=object_id.strip())
    if action:
        qs = qs.filter(action__icontains=action.strip())
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


def audit_object_types() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct())


def rule_set_list() -> QuerySet[ProgramRuleSet]:
    return ProgramRuleSet.objects.order_by("-effective_from")
