"""oversight: the plan part's selectors."""

from django.db.models import QuerySet
from django.http import Http404

from peercert.core.models import AuditEvent
from peercert.oversight import permissions
from peercert.oversight.models.plan import PlanSection, PlanStatus, PlanVersion

__all__ = [
    "access_plan_section",
    "access_plan_version",
    "plan_awaiting_decision",
    "plan_history",
    "plan_in_force",
    "plan_versions",
]


def plan_in_force() -> PlanVersion | None:
    """The approved version in force, with its sections (anyone signed in may read it)."""
    return PlanVersion.objects.filter(status=PlanStatus.APPROVED).prefetch_related("sections").first()


def plan_awaiting_decision() -> PlanVersion | None:
    return PlanVersion.objects.filter(status=PlanStatus.SUBMITTED).first()


def plan_versions(actor) -> QuerySet[PlanVersion]:
    if not permissions.can_read_plan_versions(actor):
        return PlanVersion.objects.none()
    return PlanVersion.objects.select_related("submitted_by", "decided_by").order_by("-number")


def access_plan_version(actor, version_id: int) -> PlanVersion:
    """A version the actor may read: every version for plan readers, the one in force for anyone signed in."""
    qs = PlanVersion.objects.select_related("submitted_by", "decided_by", "responds_to")
    if not permissions.can_read_plan_versions(actor):
        if not permissions.can_read_plan_in_force(actor):
            raise Http404
        qs = qs.filter(status=PlanStatus.APPROVED)
    try:
        return qs.get(pk=version_id)
    except PlanVersion.DoesNotExist:
        raise Http404 from None


def access_plan_section(actor, section_id: int) -> PlanSection:
    try:
        section = PlanSection.objects.select_related("version").get(pk=section_id)
    except PlanSection.DoesNotExist:
        raise Http404 from None
    access_plan_version(actor, section.version_id)
    return section


def plan_history(version: PlanVersion) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type="oversight.planversion", object_id=str(version.pk)).order_by("at")
