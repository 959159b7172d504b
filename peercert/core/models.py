import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every record knows when it was made and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only and cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only and cannot be deleted.")

    # bulk_update goes through update(); refuse it explicitly for a clearer message.
    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events are append-only and cannot be updated.")


class AuditEvent(models.Model):
    """Who did what to which record, when and why. Written by services; never changed.

    The database refuses UPDATE and DELETE too (a trigger on PostgreSQL), so raw SQL
    cannot rewrite history either.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=254, help_text=_("Who acted, as shown at the time."))
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(blank=True)
    request_id = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events are append-only and cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only and cannot be deleted.")


class ProgramRuleSet(BaseModel):
    """One version of the program's numbers (fees, hours, windows, deadlines).

    A version applies from its effective date until the next version's. Decisions store
    the version they used, so a later change of rules never rewrites an old decision.
    """

    version = models.CharField(max_length=40, unique=True)
    effective_from = models.DateField(unique=True)
    rules = models.JSONField(encoder=DjangoJSONEncoder)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"Program rules {self.version} (from {self.effective_from:%Y-%m-%d})"

    def clean(self):
        from peercert.core.rules import RULE_SPEC

        missing = sorted(set(RULE_SPEC) - set(self.rules or {}))
        if missing:
            raise ValidationError({"rules": _("Missing rules: %(names)s") % {"names": ", ".join(missing)}})


class Notification(BaseModel):
    """A message for a person, shown in their account and sent by email."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The matter it is about ("finance.invoice:12", core.tell.matter_of): when the matter is settled the
    # notification clears itself (core.tell.notifications_clear). Empty: its link names the matter.
    # A database default, because some jobs write notifications with INSERT ... SELECT.
    matter = models.CharField(max_length=100, blank=True, default="", db_default="", db_index=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)  # the person put it away
    cleared_at = models.DateTimeField(null=True, blank=True)  # its matter was settled

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class JobRun(models.Model):
    """One run of one daily job: when, for which day, what it changed, and how it ended."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.CharField(max_length=100, db_index=True)
    for_day = models.DateField(db_index=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.RUNNING)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    triggered_by = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.job} for {self.for_day} ({self.outcome})"


class WorkerHeartbeat(models.Model):
    """A running task worker (manage.py task_worker) and when it last said it was alive.

    A running task whose worker stopped beating (killed, the machine lost) goes back in the queue;
    /readyz reports whether any worker beat recently."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id}"
