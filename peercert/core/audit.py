"""Writing the audit trail. Services call audit_record inside their transaction."""

from django.db import models

from peercert.core import clock
from peercert.core.models import AuditEvent

SYSTEM_LABEL = "system"


def snapshot(instance: models.Model, fields: list[str] | tuple[str, ...]) -> dict:
    """The named fields of a record, as plain JSON values, for before/after."""
    out = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = value.pk
        out[name] = value
    return out


def _actor_fields(actor) -> dict:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return {"actor": actor if is_user else None, "actor_label": (actor.email if is_user else SYSTEM_LABEL)[:254]}


def audit_record_many(*, actor, action: str, object_type: str, rows, reason: str = "") -> int:
    """Many audit events of one action in one insert, for set-based jobs and imports.

    rows: iterable of (object_id, object_repr, before, after). Same fields as audit_record.
    """
    at = clock.now()
    who = _actor_fields(actor)
    events = [AuditEvent(at=at, action=action, object_type=object_type, object_id=str(pk), object_repr=str(text)[:255],
                         before=before, after=after, reason=reason or "", **who)
              for pk, text, before, after in rows]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    return AuditEvent.objects.create(
        at=clock.now(),
        **_actor_fields(actor),
        action=action,
        object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""),
        object_repr=str(obj)[:255] if obj is not None else "",
        before=before,
        after=after,
        reason=reason or "",
    )
