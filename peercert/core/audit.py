"""Writing the audit trail. Services call audit_record inside their transaction.

Actions are named "<entity>.<verb>" ("invoice.waive"). Each app lists its own in
<app>/audit.py as a subclass of AuditAction, so the names are written once, checked by the
linter and labelled for the auditor:

    class AuditAction(core_audit.AuditAction):          # peercert/finance/audit.py
        INVOICE_WAIVE = "invoice.waive", _("Fee waived")

    audit_record(actor=actor, action=AuditAction.INVOICE_WAIVE, obj=invoice, reason=reason)

registered_actions() gathers every app's list (for the auditor's filter). A plain string is
still accepted while the older apps move over.
"""

import enum
from importlib import import_module

from django.apps import apps
from django.db import models
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from peercert.core import clock
from peercert.core.models import AuditEvent

SYSTEM_LABEL = "system"


class AuditAction(models.TextChoices):
    """The base of each app's list of audit actions. Has no members itself (an enum with
    members cannot be extended); each app's subclass is found by registered_actions()."""


class CoreAuditAction(AuditAction):
    PROGRAM_RULES_PUBLISH = "program_rules.publish", _("Program rules published")


def _subclasses(cls) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def registered_actions() -> dict[str, str]:
    """Every app's audit actions, {value: label}, sorted by value.

    Imports <app>.audit for each installed app that has one (as the admin finds admin.py),
    then gathers every subclass of AuditAction. Two apps claiming one value is a mistake the
    auditor could not untangle, so it raises.
    """
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "audit"):
            import_module(f"{config.name}.audit")
    found: dict[str, tuple[str, str]] = {}
    for choices in _subclasses(AuditAction):
        # Named by where it is written: a module imported twice (a reload) is still one list.
        where = f"{choices.__module__}.{choices.__qualname__}"
        for member in choices:
            claimed = found.get(member.value)
            if claimed is not None and claimed[1] != where:
                raise ValueError(f"audit action {member.value!r} is in both {claimed[1]} and {where}")
            found[member.value] = (member.label, where)
    return {value: label for value, (label, _where) in sorted(found.items())}


def _action_value(action) -> str:
    value = action.value if isinstance(action, enum.Enum) else action
    if not isinstance(value, str) or not value:
        raise ValueError(f"an audit action is a non-empty string or an AuditAction member, not {action!r}")
    return value


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


def audit_record_many(*, actor, action: str | AuditAction, object_type: str, rows, reason: str = "") -> int:
    """Many audit events of one action in one insert, for set-based jobs and imports.

    rows: iterable of (object_id, object_repr, before, after). Same fields as audit_record.
    """
    action = _action_value(action)
    at = clock.now()
    who = _actor_fields(actor)
    events = [
        AuditEvent(
            at=at,
            action=action,
            object_type=object_type,
            object_id=str(pk),
            object_repr=str(text)[:255],
            before=before,
            after=after,
            reason=reason or "",
            **who,
        )
        for pk, text, before, after in rows
    ]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


def audit_record(
    *,
    actor,
    action: str | AuditAction,
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
        action=_action_value(action),
        object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""),
        object_repr=str(obj)[:255] if obj is not None else "",
        before=before,
        after=after,
        reason=reason or "",
    )
