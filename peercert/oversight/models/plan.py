"""oversight: the plan part's records: the program's implementation plan, its versions, sections,
DHCS's comments per section and decisions.

The certification program (its program manager) submits a version; a DHCS approver approves it,
returns it with comments per section, or rejects it. Only one version awaits a decision at a time, and
only one is in force: approving a version supersedes the one in force before. Nothing is deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel
from peercert.core.uploads import RandomName

__all__ = [
    "PLAN_SECTIONS",
    "PLAN_TRANSITIONS",
    "PlanComment",
    "PlanSection",
    "PlanStatus",
    "PlanVersion",
]

# The sections every version of the plan answers, in order (the chart's program responsibilities).
PLAN_SECTIONS: tuple[tuple[str, object], ...] = (
    ("governance", _("Governance and staffing")),
    ("certification", _("Certification, review and the exam")),
    ("training", _("Training entities and curricula")),
    ("renewal", _("Renewal and continuing education")),
    ("discipline", _("Complaints, discipline and appeals")),
    ("data", _("Data, reporting and quality assurance")),
)


class PlanStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting DHCS decision")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved, in force")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded by a later version")


PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.SUBMITTED: frozenset({PlanStatus.APPROVED, PlanStatus.RETURNED, PlanStatus.REJECTED}),
    # A returned version stays as DHCS saw it: the program answers with a new version.
    PlanStatus.RETURNED: frozenset(),
    PlanStatus.REJECTED: frozenset(),
    # The version in force gives way when DHCS approves a later one.
    PlanStatus.APPROVED: frozenset({PlanStatus.SUPERSEDED}),
    PlanStatus.SUPERSEDED: frozenset(),
}


class PlanVersion(BaseModel):
    number = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.SUBMITTED)
    summary = models.TextField(_("what this version changes"), blank=True)
    responds_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="answered_by")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    in_force_from = models.DateField(null=True, blank=True)
    in_force_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            # One version waits for DHCS at a time, and one is in force.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="submitted"), name="oversight_plan_one_awaiting"
            ),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="approved"), name="oversight_plan_one_in_force"
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(decided_at__isnull=False), name="oversight_plan_decided_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Implementation plan v{self.number}"


class PlanSection(BaseModel):
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="sections")
    code = models.CharField(max_length=30)
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    body = models.TextField()
    attachment = models.FileField(
        upload_to=RandomName("oversight/plan", kind_field="attachment_kind"), blank=True, max_length=200
    )
    attachment_kind = models.CharField(max_length=10, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="oversight_plan_section_once"),
        ]

    def __str__(self) -> str:
        return self.heading


class PlanComment(BaseModel):
    """DHCS's comment on one section of a version it decided (kept with the version)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="comments")
    section = models.ForeignKey(PlanSection, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["section__position", "created_at"]
