"""Curricula, their versions, and DHCS's review of them."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.accounts.models import RoleAssignment
from peercert.accounts.permissions import county_ids, training_entity_ids
from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.duties import refuse_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_user, tell_users
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.core.vocabulary import CECategory
from peercert.training import permissions as perms
from peercert.training.audit import TrainingAuditAction
from peercert.training.models import (
    VERSION_TRANSITIONS,
    Competency,
    Curriculum,
    CurriculumKind,
    CurriculumReview,
    CurriculumVersion,
    VersionDecision,
    VersionStatus,
)
from peercert.training.services._common import (
    AS_WRITTEN,
    VERSION,
    VERSION_FIELDS,
    _deny,
    _label,
)


@transaction.atomic
def curriculum_create(
    *,
    actor: Actor,
    title: str,
    kind: str,
    specialization: str = "",
    is_refresher: bool = False,
    ce_category: str = CECategory.GENERAL,
    owner_county=None,
    owner_training_entity=None,
    competencies=(),
) -> Curriculum:
    """Program staff, a county or a training entity starts a curriculum it owns.

    Preconditions: the actor may speak for the owner (their county or entity; program staff for
    program-owned). A specialization curriculum names its specialization; only continuing
    education can be a refresher. Audited.
    """
    if not perms.can_submit_curricula(actor):
        raise _deny("Only program staff, county staff and training entity staff submit curricula.")
    if owner_training_entity is None and owner_county is None and not perms.is_training_program_staff(actor):
        # Staff of one entity or county own what they create.
        entity_ids = training_entity_ids(actor)
        counties = county_ids(actor, Role.COUNTY_STAFF)
        if entity_ids:
            from peercert.accounts.models import TrainingEntity

            owner_training_entity = TrainingEntity.objects.get(pk=min(entity_ids))
        elif counties:
            from peercert.accounts.models import County

            owner_county = County.objects.get(pk=min(counties))
    if kind not in CurriculumKind.values:
        raise ApplicationError("Choose the kind of curriculum.", field="kind")
    if kind == CurriculumKind.SPECIALIZATION and not specialization:
        raise ApplicationError("Choose which specialization this curriculum teaches.", field="specialization")
    if kind != CurriculumKind.SPECIALIZATION:
        specialization = ""
    if is_refresher and kind != CurriculumKind.CONTINUING_EDUCATION:
        raise ApplicationError(
            "Only a continuing-education curriculum can be a refresher course.", field="is_refresher"
        )
    if not (title or "").strip():
        raise ApplicationError("Give the curriculum a title.", field="title")
    curriculum = Curriculum(
        title=title.strip(),
        kind=kind,
        specialization=specialization,
        is_refresher=is_refresher,
        ce_category=ce_category,
        owner_county=owner_county,
        owner_training_entity=owner_training_entity,
        created_by=actor,
    )
    if not perms.can_edit_curriculum(actor, curriculum):
        raise _deny("You can only submit curricula for your own county or training entity.")
    curriculum.save()
    if kind == CurriculumKind.CORE and not competencies:
        competencies = Competency.objects.filter(is_core=True)
    curriculum.competencies.set(competencies)
    audit_record(
        actor=actor,
        action=TrainingAuditAction.CURRICULUM_CREATE,
        obj=curriculum,
        after={
            "title": curriculum.title,
            "kind": kind,
            "specialization": specialization,
            "owner_county": getattr(owner_county, "pk", None),
            "owner_training_entity": getattr(owner_training_entity, "pk", None),
            "competencies": sorted(c.pk for c in curriculum.competencies.all()),
        },
    )
    return curriculum


@transaction.atomic
def curriculum_map_competencies(*, actor: Actor, curriculum, competencies) -> Curriculum:
    """Set which competencies a curriculum teaches. Owner only. Audited."""
    if not perms.can_edit_curriculum(actor, curriculum):
        raise _deny("Only the curriculum's owner maps its competencies.")
    before = sorted(curriculum.competencies.values_list("pk", flat=True))
    curriculum.competencies.set(competencies)
    audit_record(
        actor=actor,
        action=TrainingAuditAction.CURRICULUM_MAP_COMPETENCIES,
        obj=curriculum,
        before={"competencies": before},
        after={"competencies": sorted(curriculum.competencies.values_list("pk", flat=True))},
    )
    return curriculum


@transaction.atomic
def curriculum_version_create(*, actor: Actor, curriculum, hours, summary: str = "") -> CurriculumVersion:
    """Start a new draft version. Refused while another version is still a draft, waiting or returned."""
    if not perms.can_edit_curriculum(actor, curriculum):
        raise _deny("Only the curriculum's owner adds versions.")
    Curriculum.objects.select_for_update().get(pk=curriculum.pk)
    if curriculum.versions.filter(status__in=["draft", "submitted", "returned"]).exists():
        raise ApplicationError("A version of this curriculum is already in progress. Finish it first.", code="state")
    hours = Decimal(str(hours))
    if hours <= 0:
        raise ApplicationError("Hours must be more than zero.", field="hours")
    number = (curriculum.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = CurriculumVersion.objects.create(curriculum=curriculum, number=number, hours=hours, summary=summary)
    audit_record(
        actor=actor,
        action=TrainingAuditAction.CURRICULUM_VERSION_CREATE,
        obj=version,
        after=snapshot(version, VERSION_FIELDS) | {"number": number},
    )
    return version


@transaction.atomic
def curriculum_version_update(*, actor: Actor, version, hours=None, summary: str | None = None) -> CurriculumVersion:
    """Change a draft or returned version's hours or summary."""
    v = CurriculumVersion.objects.select_for_update(of=("self",)).select_related("curriculum").get(pk=version.pk)
    if not perms.can_edit_curriculum(actor, v.curriculum):
        raise _deny("Only the curriculum's owner edits its versions.")
    if v.status not in (VersionStatus.DRAFT, VersionStatus.RETURNED):
        raise ApplicationError("Only a draft or returned version can be changed.", code="state")
    before = snapshot(v, VERSION_FIELDS)
    if hours is not None:
        hours = Decimal(str(hours))
        if hours <= 0:
            raise ApplicationError("Hours must be more than zero.", field="hours")
        v.hours = hours
    if summary is not None:
        v.summary = summary
    v.save(update_fields=["hours", "summary", "updated_at"])
    audit_record(
        actor=actor,
        action=TrainingAuditAction.CURRICULUM_VERSION_UPDATE,
        obj=v,
        before=before,
        after=snapshot(v, VERSION_FIELDS),
    )
    return v


def _check_version_content(v: CurriculumVersion, rules) -> None:
    kind = v.curriculum.kind
    if kind == CurriculumKind.CORE:
        if v.hours < rules.core_training_hours:
            raise ApplicationError(
                "A core certification curriculum needs at least %(needed)s hours; this version has %(hours)s.",
                params={"needed": rules.core_training_hours, "hours": v.hours},
                field="hours",
            )
        mapped = v.curriculum.competencies.filter(is_core=True).count()
        if mapped < rules.core_competencies:
            raise ApplicationError(
                "A core certification curriculum must cover all %(needed)s core competencies; %(mapped)s are mapped.",
                params={"needed": rules.core_competencies, "mapped": mapped},
                field="competencies",
            )
    if kind == CurriculumKind.SPECIALIZATION and v.hours < rules.specialization_training_hours:
        raise ApplicationError(
            "A specialization curriculum needs at least %(needed)s hours; this version has %(hours)s.",
            params={"needed": rules.specialization_training_hours, "hours": v.hours},
            field="hours",
        )


@transaction.atomic
def curriculum_version_submit(*, actor: Actor, version) -> CurriculumVersion:
    """Send a draft or returned version to DHCS.

    Preconditions: owner; core versions meet rules.core_training_hours and map all core
    competencies; specializations meet rules.specialization_training_hours. Side effects: DHCS
    approvers notified; audited.
    """
    v = CurriculumVersion.objects.select_for_update(of=("self",)).select_related("curriculum").get(pk=version.pk)
    if not perms.can_edit_curriculum(actor, v.curriculum):
        raise _deny("Only the curriculum's owner submits it.")
    check_transition(v, VersionStatus.SUBMITTED, allowed=VERSION_TRANSITIONS, noun=VERSION)
    rules = rules_on()
    _check_version_content(v, rules)
    before = snapshot(v, VERSION_FIELDS)
    transition(v, VersionStatus.SUBMITTED, allowed=VERSION_TRANSITIONS, noun=VERSION)
    v.submitted_at = clock.now()
    v.submitted_by = actor
    v.rules_version = rules.version
    v.save(update_fields=["status", "submitted_at", "submitted_by", "rules_version", "updated_at"])
    audit_record(
        actor=actor,
        action=TrainingAuditAction.CURRICULUM_VERSION_SUBMIT,
        obj=v,
        before=before,
        after=snapshot(v, VERSION_FIELDS),
    )
    approvers = [
        a.user
        for a in RoleAssignment.objects.filter(role=Role.DHCS_APPROVER, user__is_active=True).select_related(
            "user__person"
        )
    ]
    tell_users(
        approvers,
        subject=gettext_noop("A curriculum is waiting for your review"),
        body=gettext_noop("%(version)s"),
        params={"version": v},
        link=reverse("training:curriculum_detail", args=[v.curriculum_id]),
    )
    return v


def _decide_version(*, actor: Actor, version, decision: str, comments: str) -> CurriculumVersion:
    if not perms.can_decide_curriculum(actor):
        raise _deny("Only a DHCS approver decides on curricula.")
    v = CurriculumVersion.objects.select_for_update(of=("self",)).select_related("curriculum").get(pk=version.pk)
    if v.curriculum.owner_training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("curriculum")  # the entity that wrote it does not approve it
    check_transition(v, decision, allowed=VERSION_TRANSITIONS, noun=VERSION)
    if decision != VersionDecision.APPROVED and not (comments or "").strip():
        raise ApplicationError("Write comments so the submitter knows what to change or why.", field="comments")
    before = snapshot(v, VERSION_FIELDS)
    now = clock.now()
    if decision == VersionDecision.APPROVED:
        # One approved version at a time: the one before it is superseded, and stays valid for
        # the courses already taught from it.
        previous = CurriculumVersion.objects.select_for_update().filter(
            curriculum=v.curriculum, status=VersionStatus.APPROVED
        )
        for old in previous:
            transition(old, VersionStatus.SUPERSEDED, allowed=VERSION_TRANSITIONS, noun=VERSION)
            old.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action=TrainingAuditAction.CURRICULUM_VERSION_SUPERSEDE,
                obj=old,
                before={"status": "approved"},
                after={"status": "superseded"},
                reason=f"replaced by v{v.number}",
            )
    transition(v, decision, allowed=VERSION_TRANSITIONS, noun=VERSION)
    v.decided_at = now
    v.decided_by = actor
    v.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    CurriculumReview.objects.create(
        version=v, decision=decision, comments=comments or "", reviewer=actor, decided_at=now
    )
    action = {
        VersionDecision.APPROVED: TrainingAuditAction.CURRICULUM_VERSION_APPROVE,
        VersionDecision.RETURNED: TrainingAuditAction.CURRICULUM_VERSION_RETURN,
        VersionDecision.REJECTED: TrainingAuditAction.CURRICULUM_VERSION_REJECT,
    }[decision]
    audit_record(actor=actor, action=action, obj=v, before=before, after=snapshot(v, VERSION_FIELDS), reason=comments)
    if v.submitted_by_id:
        tell_user(
            v.submitted_by,
            subject=gettext_noop("DHCS decision on %(version)s: %(status)s"),
            body=AS_WRITTEN if comments else gettext_noop("%(status)s"),
            params={"version": v, "status": _label(v), "text": comments},
            link=reverse("training:curriculum_detail", args=[v.curriculum_id]),
        )
    return v


@transaction.atomic
def curriculum_version_approve(*, actor: Actor, version, comments: str = "") -> CurriculumVersion:
    """A DHCS approver approves a submitted version; the previous approved one is superseded. Audited; submitter notified."""
    return _decide_version(actor=actor, version=version, decision=VersionDecision.APPROVED, comments=comments)


@transaction.atomic
def curriculum_version_return(*, actor: Actor, version, comments: str) -> CurriculumVersion:
    """A DHCS approver returns a submitted version with comments (required). Audited; submitter notified."""
    return _decide_version(actor=actor, version=version, decision=VersionDecision.RETURNED, comments=comments)


@transaction.atomic
def curriculum_version_reject(*, actor: Actor, version, comments: str) -> CurriculumVersion:
    """A DHCS approver rejects a submitted version (final), with reasons. Audited; submitter notified."""
    return _decide_version(actor=actor, version=version, decision=VersionDecision.REJECTED, comments=comments)
