from django.db.models import QuerySet

from peercert.core import selectors as core_selectors
from peercert.core.models import AuditEvent


def audit_events(filters: dict) -> QuerySet[AuditEvent]:
    """The audit trail narrowed by the filter form's valid fields. The action is matched
    exactly: it comes from the registered list, and "user.register" must not also bring
    "user.register_existing_email"."""
    events = core_selectors.audit_event_list(
        actor_email=filters.get("actor") or "",
        object_type=filters.get("object_type") or "",
        object_id=filters.get("object_id") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    return events
