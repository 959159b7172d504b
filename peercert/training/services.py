"""Every change to training records. Each service checks permission, state and rules, then audits."""

import datetime
import hashlib
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

from peercert.accounts.models import Person, RoleAssignment
from peercert.accounts.permissions import county_ids, training_entity_ids
from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many, snapshot
from peercert.core.dates import add_years
from peercert.core.duties import ensure_not_own_matter, refuse_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_person, tell_user, tell_users
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.core.vocabulary import CECategory
from peercert.training import fees
from peercert.training import permissions as perms
from peercert.training.audit import TrainingAuditAction
from peercert.training.models import (
    ACCOMMODATION_TRANSITIONS,
    CE_ACTIVITY_TRANSITIONS,
    ENROLLMENT_TRANSITIONS,
    OFFERING_TRANSITIONS,
    PROVIDER_TRANSITIONS,
    VERSION_TRANSITIONS,
    AccommodationRequest,
    AccommodationStatus,
    Attendance,
    CEActivity,
    CEActivityStatus,
    Competency,
    Completion,
    CompletionSource,
    Curriculum,
    CurriculumKind,
    CurriculumReview,
    CurriculumVersion,
    Enrollment,
    EnrollmentStatus,
    Modality,
    Offering,
    OfferingStatus,
    ProviderApplication,
    ProviderStatus,
    RosterUpload,
    VersionDecision,
    VersionStatus,
)

PROVIDER_FIELDS = ("status", "approved_from", "approved_until", "decision_comments", "rules_version")
VERSION_FIELDS = ("status", "hours", "summary")


def _deny(message: str = gettext_noop("You do not have permission to do this."),
          params: dict | None = None) -> ApplicationError:
    return ApplicationError(message, code="forbidden", params=params)


# What a refused status change calls the record ("This enrollment is cancelled, so it cannot become enrolled.").
APPLICATION = gettext_noop("application")
VERSION = gettext_noop("curriculum version")
COURSE = gettext_noop("course")
ENROLLMENT = gettext_noop("enrollment")
REQUEST = gettext_noop("accommodation request")
ACTIVITY = gettext_noop("continuing education activity")


def _entity_users(training_entity_id: int):
    """The entity's active staff, each told in their own language."""
    return [a.user for a in RoleAssignment.objects.filter(role=Role.TRAINING_STAFF, training_entity_id=training_entity_id,
                                                         user__is_active=True).select_related("user__person")]


# Notifications: subject and body are gettext_noop literals with %(name)s placeholders filled from
# params in the recipient's language. Pass records and lazy choice labels, not str() of them, so
# they are written in that language too.
AS_WRITTEN = gettext_noop("%(text)s")  # a body that is only what a person typed


def _label(obj, field: str = "status"):
    """The lazy label of a choice field's value: written in the language active when it is filled."""
    return dict(type(obj)._meta.get_field(field).flatchoices).get(getattr(obj, field), getattr(obj, field))


_lower = lazy(lambda text: str(text).lower(), str)


# =========================================================================================
# Provider applications and approvals
# =========================================================================================


@transaction.atomic
def provider_application_submit(*, actor: Actor, training_entity, training_type: str, language: str,
                                description: str = "", contact_email: str = "") -> ProviderApplication:
    """A training entity applies to teach one training type in one language.

    Preconditions: actor is staff of the entity; no live application (anything but denied or
    withdrawn) for the same type and language. Side effects: the application fee
    (rules.fee_training_entity_application) is invoiced through finance; program reviewers are
    notified; audited.
    """
    if not perms.can_apply_as_provider(actor, training_entity):
        raise _deny("Only staff of this training entity may apply for it.")
    if training_type not in CurriculumKind.values:
        raise ApplicationError("Choose a training type.", field="training_type")
    live = ProviderApplication.objects.filter(training_entity=training_entity, training_type=training_type,
                                              language=language).exclude(status__in=["denied", "withdrawn"])
    if live.exists():
        raise ApplicationError("This entity already has an application or approval for this training type and "
                               "language. Open it instead of applying again.", code="duplicate",
                               field="training_type")
    rules = rules_on()
    try:
        with transaction.atomic():
            application = ProviderApplication.objects.create(
                training_entity=training_entity, training_type=training_type, language=language,
                description=description, contact_email=contact_email, status=ProviderStatus.SUBMITTED,
                submitted_at=clock.now(), submitted_by=actor, rules_version=rules.version,
            )
    except IntegrityError:
        raise ApplicationError("This entity already applied for this training type and language.",
                               code="duplicate") from None
    invoice = fees.charge(actor=actor, application=application, fee_code=fees.FEE_APPLICATION)
    audit_record(actor=actor, action=TrainingAuditAction.PROVIDER_APPLICATION_SUBMIT, obj=application,
                 after={**snapshot(application, PROVIDER_FIELDS), "training_type": training_type, "language": language,
                        "fee": str(rules.fee_training_entity_application),
                        "invoice": invoice.pk})
    return application


def _locked_application(application) -> ProviderApplication:
    return ProviderApplication.objects.select_for_update().get(pk=application.pk)


def _provider_move(*, actor: Actor, application, to: str, action: str, reason: str = "", changes: dict | None = None,
                   notify_subject: str = "", only_from: tuple[str, ...] = ()) -> ProviderApplication:
    app = _locked_application(application)
    if only_from and app.status not in only_from:
        # Several actions lead to "approved"; each starts from its own states.
        raise ApplicationError("This application is “%(status)s”; this action does not apply.",
                               params={"status": app.get_status_display()}, code="state")
    before = snapshot(app, PROVIDER_FIELDS)
    transition(app, to, allowed=PROVIDER_TRANSITIONS, noun=APPLICATION)
    fields = ["status", "updated_at"]
    for name, value in (changes or {}).items():
        setattr(app, name, value)
        fields.append(name)
    app.save(update_fields=fields)
    audit_record(actor=actor, action=action, obj=app, before=before, after=snapshot(app, PROVIDER_FIELDS),
                 reason=reason)
    if notify_subject:
        tell_users(_entity_users(app.training_entity_id), subject=notify_subject,
                     body=gettext_noop("%(application)s: %(status)s. %(reason)s") if reason
                     else gettext_noop("%(application)s: %(status)s."),
                     params={"application": app, "status": _label(app), "reason": reason},
                     link=reverse("training:application_detail", args=[app.pk]))
    return app


@transaction.atomic
def provider_application_start_review(*, actor: Actor, application) -> ProviderApplication:
    """Program staff take a submitted application into review. Audited."""
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers review training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    return _provider_move(actor=actor, application=application, to=ProviderStatus.UNDER_REVIEW,
                          action=TrainingAuditAction.PROVIDER_APPLICATION_START_REVIEW)


@transaction.atomic
def provider_application_approve(*, actor: Actor, application, comments: str = "") -> ProviderApplication:
    """Approve an application under review for a term of rules.training_entity_term_years.

    Preconditions: program staff; under review; application fee settled. Side effects: term
    set from today; rules version stored; entity staff notified; audited.
    """
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers approve training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    application = _locked_application(application)
    if not fees.is_fee_settled(application, fees.FEE_APPLICATION):
        raise ApplicationError("The application fee is not paid yet. Approve it once the fee is paid or waived.",
                               code="state")
    today = clock.today()
    rules = rules_on(today)
    until = add_years(today, rules.training_entity_term_years) - datetime.timedelta(days=1)
    return _provider_move(actor=actor, application=application, to=ProviderStatus.APPROVED,
                          action=TrainingAuditAction.PROVIDER_APPLICATION_APPROVE, reason=comments,
                          changes={"approved_from": today, "approved_until": until, "decided_at": clock.now(),
                                                   "decided_by": actor, "decision_comments": comments, "rules_version": rules.version},
                          notify_subject=gettext_noop("Your training entity application was approved"),
                          only_from=(ProviderStatus.UNDER_REVIEW,))


@transaction.atomic
def provider_application_return(*, actor: Actor, application, comments: str) -> ProviderApplication:
    """Send an application back for changes. Comments are required so the entity knows what to fix."""
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers review training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    if not (comments or "").strip():
        raise ApplicationError("Say what the entity must change.", field="comments")
    return _provider_move(actor=actor, application=application, to=ProviderStatus.RETURNED,
                          action=TrainingAuditAction.PROVIDER_APPLICATION_RETURN, reason=comments,
                          changes={"decided_at": clock.now(), "decided_by": actor, "decision_comments": comments},
                          notify_subject=gettext_noop("Your training entity application needs changes"))


@transaction.atomic
def provider_application_deny(*, actor: Actor, application, comments: str) -> ProviderApplication:
    """Deny an application (appealable through discipline). Reason required."""
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers review training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    if not (comments or "").strip():
        raise ApplicationError("Give the reason for the denial.", field="comments")
    return _provider_move(actor=actor, application=application, to=ProviderStatus.DENIED,
                          action=TrainingAuditAction.PROVIDER_APPLICATION_DENY, reason=comments,
                          changes={"decided_at": clock.now(), "decided_by": actor, "decision_comments": comments},
                          notify_subject=gettext_noop("Your training entity application was denied"))


@transaction.atomic
def provider_application_resubmit(*, actor: Actor, application, description: str | None = None) -> ProviderApplication:
    """The entity sends a returned application back after changing it."""
    if not perms.can_apply_as_provider(actor, application.training_entity):
        raise _deny("Only staff of this training entity may resubmit its application.")
    changes = {"submitted_at": clock.now(), "submitted_by": actor}
    if description is not None:
        changes["description"] = description
    return _provider_move(actor=actor, application=application, to=ProviderStatus.SUBMITTED,
                          action=TrainingAuditAction.PROVIDER_APPLICATION_RESUBMIT, changes=changes)


@transaction.atomic
def provider_application_suspend(*, actor: Actor, application, reason: str) -> ProviderApplication:
    """Suspend an approval: the entity may not schedule offerings while suspended. Reason required."""
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers suspend training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    if not (reason or "").strip():
        raise ApplicationError("Give the reason for the suspension.", field="reason")
    return _provider_move(actor=actor, application=application, to=ProviderStatus.SUSPENDED,
                          action=TrainingAuditAction.PROVIDER_APPLICATION_SUSPEND, reason=reason,
                          notify_subject=gettext_noop("Your training entity approval is suspended"))


@transaction.atomic
def provider_application_lift_suspension(*, actor: Actor, application, reason: str = "") -> ProviderApplication:
    """End a suspension. Refused once the term has ended: the entity renews instead."""
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers lift suspensions.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    if application.approved_until and application.approved_until < clock.today():
        raise ApplicationError("The approval's term has ended. The entity must renew instead.", code="state")
    return _provider_move(actor=actor, application=application, to=ProviderStatus.APPROVED,
                          action=TrainingAuditAction.PROVIDER_APPLICATION_LIFT_SUSPENSION, reason=reason,
                          notify_subject=gettext_noop("Your training entity approval is restored"),
                          only_from=(ProviderStatus.SUSPENDED,))


@transaction.atomic
def provider_application_withdraw(*, actor: Actor, application, reason: str = "") -> ProviderApplication:
    """The entity withdraws (or program staff withdraw) an application or approval. Final.

    Side effects: an unpaid fee invoice for it is cancelled (paid fees are not refunded). Audited.
    """
    if not (perms.can_apply_as_provider(actor, application.training_entity) or perms.can_review_provider(actor)):
        raise _deny("Only the entity's staff or program staff may withdraw this.")
    app = _provider_move(actor=actor, application=application, to=ProviderStatus.WITHDRAWN,
                         action=TrainingAuditAction.PROVIDER_APPLICATION_WITHDRAW, reason=reason)
    fees.cancel_open_fees(app)
    return app


@transaction.atomic
def provider_application_request_renewal(*, actor: Actor, application) -> ProviderApplication:
    """The entity asks to renew its approval and is invoiced the renewal fee.

    Preconditions: approved and within rules.training_entity_renewal_window_days of the end of
    its term, or expired; not already requested. Audited.
    """
    if not perms.can_apply_as_provider(actor, application.training_entity):
        raise _deny("Only staff of this training entity may ask to renew.")
    app = _locked_application(application)
    if app.status not in (ProviderStatus.APPROVED, ProviderStatus.EXPIRED):
        raise ApplicationError("Only an approved or expired approval can be renewed; this one is “%(status)s”.",
                               params={"status": app.get_status_display()}, code="state")
    if app.renewal_requested_at:
        raise ApplicationError("Renewal was already requested.", code="duplicate")
    today = clock.today()
    rules = rules_on(today)
    opens = app.approved_until - datetime.timedelta(days=rules.training_entity_renewal_window_days)
    if app.status == ProviderStatus.APPROVED and today < opens:
        raise ApplicationError("Renewal opens on %(day)s.", params={"day": opens}, code="state")
    app.renewal_requested_at = clock.now()
    app.renewal_fee_settled = False
    app.save(update_fields=["renewal_requested_at", "renewal_fee_settled", "updated_at"])
    invoice = fees.charge(actor=actor, application=app, fee_code=fees.FEE_RENEWAL)
    audit_record(actor=actor, action=TrainingAuditAction.PROVIDER_APPLICATION_REQUEST_RENEWAL, obj=app,
                 after={"renewal_requested_at": app.renewal_requested_at, "invoice": invoice.pk,
                        "fee": str(rules.fee_training_entity_renewal)})
    return app


@transaction.atomic
def provider_application_renew(*, actor: Actor, application, comments: str = "") -> ProviderApplication:
    """Program staff renew an approval for a new term.

    Preconditions: renewal requested; renewal fee settled; approved or expired. The new term
    starts the day after the old one ends (or today, if it lapsed). Audited; entity notified.
    """
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers renew training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    application = _locked_application(application)
    if not application.renewal_requested_at:
        raise ApplicationError("The entity has not asked to renew.", code="state")
    if not fees.is_fee_settled(application, fees.FEE_RENEWAL):
        raise ApplicationError("The renewal fee is not paid yet.", code="state")
    today = clock.today()
    rules = rules_on(today)
    start = max(today, application.approved_until + datetime.timedelta(days=1))
    until = add_years(start, rules.training_entity_term_years) - datetime.timedelta(days=1)
    return _provider_move(actor=actor, application=application, to=ProviderStatus.APPROVED,
                          action=TrainingAuditAction.PROVIDER_APPLICATION_RENEW, reason=comments,
                          changes={"approved_until": until, "renewal_requested_at": None, "decided_at": clock.now(),
                                   "decided_by": actor, "rules_version": rules.version,
                                   "approved_from": application.approved_from if application.status == ProviderStatus.APPROVED else start},
                          notify_subject=gettext_noop("Your training entity approval is renewed"),
                          only_from=(ProviderStatus.APPROVED, ProviderStatus.EXPIRED))


@transaction.atomic
def provider_applications_expire(*, today: datetime.date | None = None) -> int:
    """Daily sweep: approvals whose term has ended become expired. Set-based; one audit row each."""
    today = today or clock.today()
    due = ProviderApplication.objects.select_for_update().filter(status=ProviderStatus.APPROVED,
                                                                  approved_until__lt=today)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    ProviderApplication.objects.filter(pk__in=ids).update(status=ProviderStatus.EXPIRED, updated_at=clock.now())
    audit_record_many(actor=None, action=TrainingAuditAction.PROVIDER_APPLICATION_EXPIRE, object_type="training.providerapplication",
                      rows=[(pk, "", {"status": "approved"}, {"status": "expired"}) for pk in ids],
                      reason=f"term ended before {today:%Y-%m-%d}")
    return len(ids)


# =========================================================================================
# Curricula and DHCS review
# =========================================================================================


@transaction.atomic
def curriculum_create(*, actor: Actor, title: str, kind: str, specialization: str = "", is_refresher: bool = False,
                      ce_category: str = CECategory.GENERAL, owner_county=None, owner_training_entity=None,
                      competencies=()) -> Curriculum:
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
        raise ApplicationError("Only a continuing-education curriculum can be a refresher course.",
                               field="is_refresher")
    if not (title or "").strip():
        raise ApplicationError("Give the curriculum a title.", field="title")
    curriculum = Curriculum(title=title.strip(), kind=kind, specialization=specialization, is_refresher=is_refresher,
                            ce_category=ce_category, owner_county=owner_county,
                            owner_training_entity=owner_training_entity, created_by=actor)
    if not perms.can_edit_curriculum(actor, curriculum):
        raise _deny("You can only submit curricula for your own county or training entity.")
    curriculum.save()
    if kind == CurriculumKind.CORE and not competencies:
        competencies = Competency.objects.filter(is_core=True)
    curriculum.competencies.set(competencies)
    audit_record(actor=actor, action=TrainingAuditAction.CURRICULUM_CREATE, obj=curriculum,
                 after={"title": curriculum.title, "kind": kind, "specialization": specialization,
                        "owner_county": getattr(owner_county, "pk", None),
                        "owner_training_entity": getattr(owner_training_entity, "pk", None),
                        "competencies": sorted(c.pk for c in curriculum.competencies.all())})
    return curriculum


@transaction.atomic
def curriculum_map_competencies(*, actor: Actor, curriculum, competencies) -> Curriculum:
    """Set which competencies a curriculum teaches. Owner only. Audited."""
    if not perms.can_edit_curriculum(actor, curriculum):
        raise _deny("Only the curriculum's owner maps its competencies.")
    before = sorted(curriculum.competencies.values_list("pk", flat=True))
    curriculum.competencies.set(competencies)
    audit_record(actor=actor, action=TrainingAuditAction.CURRICULUM_MAP_COMPETENCIES, obj=curriculum, before={"competencies": before},
                 after={"competencies": sorted(curriculum.competencies.values_list("pk", flat=True))})
    return curriculum


@transaction.atomic
def curriculum_version_create(*, actor: Actor, curriculum, hours, summary: str = "") -> CurriculumVersion:
    """Start a new draft version. Refused while another version is still a draft, waiting or returned."""
    if not perms.can_edit_curriculum(actor, curriculum):
        raise _deny("Only the curriculum's owner adds versions.")
    Curriculum.objects.select_for_update().get(pk=curriculum.pk)
    if curriculum.versions.filter(status__in=["draft", "submitted", "returned"]).exists():
        raise ApplicationError("A version of this curriculum is already in progress. Finish it first.",
                               code="state")
    hours = Decimal(str(hours))
    if hours <= 0:
        raise ApplicationError("Hours must be more than zero.", field="hours")
    number = (curriculum.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = CurriculumVersion.objects.create(curriculum=curriculum, number=number, hours=hours, summary=summary)
    audit_record(actor=actor, action=TrainingAuditAction.CURRICULUM_VERSION_CREATE, obj=version,
                 after=snapshot(version, VERSION_FIELDS) | {"number": number})
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
    audit_record(actor=actor, action=TrainingAuditAction.CURRICULUM_VERSION_UPDATE, obj=v, before=before,
                 after=snapshot(v, VERSION_FIELDS))
    return v


def _check_version_content(v: CurriculumVersion, rules) -> None:
    kind = v.curriculum.kind
    if kind == CurriculumKind.CORE:
        if v.hours < rules.core_training_hours:
            raise ApplicationError("A core certification curriculum needs at least %(needed)s hours; "
                                   "this version has %(hours)s.",
                                   params={"needed": rules.core_training_hours, "hours": v.hours}, field="hours")
        mapped = v.curriculum.competencies.filter(is_core=True).count()
        if mapped < rules.core_competencies:
            raise ApplicationError("A core certification curriculum must cover all %(needed)s core competencies; "
                                   "%(mapped)s are mapped.", params={"needed": rules.core_competencies, "mapped": mapped},
                                   field="competencies")
    if kind == CurriculumKind.SPECIALIZATION and v.hours < rules.specialization_training_hours:
        raise ApplicationError("A specialization curriculum needs at least %(needed)s hours; this version has "
                               "%(hours)s.", params={"needed": rules.specialization_training_hours, "hours": v.hours},
                               field="hours")


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
    audit_record(actor=actor, action=TrainingAuditAction.CURRICULUM_VERSION_SUBMIT, obj=v, before=before,
                 after=snapshot(v, VERSION_FIELDS))
    approvers = [a.user for a in RoleAssignment.objects.filter(role=Role.DHCS_APPROVER, user__is_active=True)
                 .select_related("user__person")]
    tell_users(approvers, subject=gettext_noop("A curriculum is waiting for your review"),
               body=gettext_noop("%(version)s"), params={"version": v},
               link=reverse("training:curriculum_detail", args=[v.curriculum_id]))
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
        previous = CurriculumVersion.objects.select_for_update().filter(curriculum=v.curriculum,
                                                                       status=VersionStatus.APPROVED)
        for old in previous:
            transition(old, VersionStatus.SUPERSEDED, allowed=VERSION_TRANSITIONS, noun=VERSION)
            old.save(update_fields=["status", "updated_at"])
            audit_record(actor=actor, action=TrainingAuditAction.CURRICULUM_VERSION_SUPERSEDE, obj=old,
                         before={"status": "approved"}, after={"status": "superseded"}, reason=f"replaced by v{v.number}")
    transition(v, decision, allowed=VERSION_TRANSITIONS, noun=VERSION)
    v.decided_at = now
    v.decided_by = actor
    v.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    CurriculumReview.objects.create(version=v, decision=decision, comments=comments or "", reviewer=actor,
                                    decided_at=now)
    action = {VersionDecision.APPROVED: TrainingAuditAction.CURRICULUM_VERSION_APPROVE,
              VersionDecision.RETURNED: TrainingAuditAction.CURRICULUM_VERSION_RETURN,
              VersionDecision.REJECTED: TrainingAuditAction.CURRICULUM_VERSION_REJECT}[decision]
    audit_record(actor=actor, action=action, obj=v, before=before, after=snapshot(v, VERSION_FIELDS), reason=comments)
    if v.submitted_by_id:
        tell_user(v.submitted_by, subject=gettext_noop("DHCS decision on %(version)s: %(status)s"),
                  body=AS_WRITTEN if comments else gettext_noop("%(status)s"),
                  params={"version": v, "status": _label(v), "text": comments},
                  link=reverse("training:curriculum_detail", args=[v.curriculum_id]))
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


# =========================================================================================
# Offerings and enrollment
# =========================================================================================


def provider_approval_in_force(training_entity_id: int, training_type: str, language: str,
                               day: datetime.date) -> bool:
    return ProviderApplication.objects.filter(
        training_entity_id=training_entity_id, training_type=training_type, language=language,
        status=ProviderStatus.APPROVED, approved_from__lte=day, approved_until__gte=day,
    ).exists()


@transaction.atomic
def offering_create(*, actor: Actor, training_entity, curriculum_version, starts_on: datetime.date, ends_on: datetime.date,
                    hours, language: str, modality: str, capacity: int, accommodation_contact: str,
                    location: str = "", cost=0, title: str = "") -> Offering:
    """Schedule a course.

    Preconditions: staff of the entity; the version is approved by DHCS; the entity holds an
    approval in force today for that training type and language; dates in order and not in the
    past; hours no more than the version's; in-person courses give a location. Audited.
    """
    if not perms.is_entity_staff(actor, training_entity.pk):
        raise _deny("Only staff of this training entity schedule its courses.")
    version = CurriculumVersion.objects.select_related("curriculum").get(pk=curriculum_version.pk)
    if version.status != VersionStatus.APPROVED:
        raise ApplicationError("%(version)s is “%(status)s”. Only a version DHCS approved can be taught.",
                               params={"version": version, "status": version.get_status_display()},
                               code="state", field="curriculum_version")
    today = clock.today()
    if not provider_approval_in_force(training_entity.pk, version.curriculum.kind, language, today):
        raise ApplicationError(
            "%(entity)s is not approved to teach %(kind)s in %(language)s. Apply for that approval first.",
            params={"entity": training_entity, "kind": version.curriculum.get_kind_display(),
                    "language": dict(Offering._meta.get_field("language").choices)[language]},
            code="state", field="language")
    if starts_on < today:
        raise ApplicationError("The first day cannot be in the past.", field="starts_on")
    if ends_on < starts_on:
        raise ApplicationError("The last day must be on or after the first day.", field="ends_on")
    hours = Decimal(str(hours))
    if hours <= 0:
        raise ApplicationError("Hours must be more than zero.", field="hours")
    if hours > version.hours:
        raise ApplicationError("The curriculum version has %(hours)s hours; a course cannot have more.",
                               params={"hours": version.hours}, field="hours")
    if capacity is None or int(capacity) < 1:
        raise ApplicationError("A course needs at least one seat.", field="capacity")
    if Decimal(str(cost)) < 0:
        raise ApplicationError("Cost cannot be negative.", field="cost")
    if modality == Modality.IN_PERSON and not (location or "").strip():
        raise ApplicationError("Give the address for an in-person course.", field="location")
    if not (accommodation_contact or "").strip():
        raise ApplicationError("Say who students ask for an accommodation.", field="accommodation_contact")
    offering = Offering.objects.create(
        training_entity=training_entity, curriculum_version=version, title=title, starts_on=starts_on,
        ends_on=ends_on, hours=hours, language=language, modality=modality, location=location,
        capacity=int(capacity), cost=Decimal(str(cost)), accommodation_contact=accommodation_contact,
        created_by=actor,
    )
    audit_record(actor=actor, action=TrainingAuditAction.OFFERING_CREATE, obj=offering,
                 after={"version": version.pk, "starts_on": starts_on, "ends_on": ends_on, "hours": hours,
                        "language": language, "modality": modality, "capacity": offering.capacity})
    return offering


def _offering_move(*, actor: Actor, offering, to: str, action: str, reason: str = "") -> Offering:
    o = Offering.objects.select_for_update().get(pk=offering.pk)
    if not perms.can_manage_offering(actor, o):
        raise _deny("Only staff of this training entity manage its courses.")
    before = {"status": transition(o, to, allowed=OFFERING_TRANSITIONS, noun=COURSE)}
    o.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=action, obj=o, before=before, after={"status": to}, reason=reason)
    return o


@transaction.atomic
def offering_cancel(*, actor: Actor, offering, reason: str) -> Offering:
    """Cancel a scheduled course: every enrollment is cancelled and each student told. Reason required."""
    if not (reason or "").strip():
        raise ApplicationError("Say why the course is cancelled; students will see it.", field="reason")
    o = _offering_move(actor=actor, offering=offering, to=OfferingStatus.CANCELLED, action=TrainingAuditAction.OFFERING_CANCEL,
                       reason=reason)
    live = Enrollment.objects.filter(offering=o).exclude(status=EnrollmentStatus.CANCELLED)
    people = list(Person.objects.filter(training_enrollments__in=live).select_related("user"))
    live.update(status=EnrollmentStatus.CANCELLED, cancelled_at=clock.now())
    for person in people:
        tell_person(person, subject=gettext_noop("Course cancelled: %(course)s"), body=AS_WRITTEN,
                     params={"course": o.display_title, "text": reason})
    return o


@transaction.atomic
def offering_close(*, actor: Actor, offering) -> Offering:
    """Mark a course finished: no more enrollments. Completions can still be recorded."""
    return _offering_move(actor=actor, offering=offering, to=OfferingStatus.CLOSED, action=TrainingAuditAction.OFFERING_CLOSE)


@transaction.atomic
def enrollment_create(*, actor: Actor, offering, person) -> Enrollment:
    """Enroll a person, or put them on the waitlist when the course is full.

    Preconditions: the person themself, or staff of the entity; the course is scheduled and has
    not ended; no live enrollment already. The offering row is locked so two people cannot take
    the last seat. Audited.
    """
    o = Offering.objects.select_for_update().get(pk=offering.pk)
    if not (perms.is_self(actor, person) or perms.can_manage_offering(actor, o)):
        raise _deny("You can only enroll yourself.")
    if o.status != OfferingStatus.SCHEDULED:
        raise ApplicationError("This course is not open for enrollment.", code="state")
    if o.ends_on < clock.today():
        raise ApplicationError("This course has ended.", code="state")
    if Enrollment.objects.filter(offering=o, person=person).exclude(status=EnrollmentStatus.CANCELLED).exists():
        raise ApplicationError("You are already enrolled in this course or on its waitlist.", code="duplicate")
    taken = Enrollment.objects.filter(offering=o, status=EnrollmentStatus.ENROLLED).count()
    status = EnrollmentStatus.ENROLLED if taken < o.capacity else EnrollmentStatus.WAITLISTED
    enrollment = Enrollment.objects.create(offering=o, person=person, status=status)
    audit_record(actor=actor, action=TrainingAuditAction.ENROLLMENT_CREATE, obj=enrollment, after={"status": status, "offering": o.pk})
    return enrollment


@transaction.atomic
def enrollment_cancel(*, actor: Actor, enrollment, reason: str = "") -> Enrollment:
    """Cancel an enrollment. A freed seat goes to the first person on the waitlist, who is told.

    Preconditions: the person themself or the entity's staff; not already cancelled. Audited
    (the promotion too).
    """
    e = Enrollment.objects.select_for_update(of=("self",)).select_related("offering", "person").get(pk=enrollment.pk)
    Offering.objects.select_for_update().get(pk=e.offering_id)
    if not (perms.is_self(actor, e.person) or perms.can_manage_offering(actor, e.offering)):
        raise _deny("You can only cancel your own enrollment.")
    before = {"status": transition(e, EnrollmentStatus.CANCELLED, allowed=ENROLLMENT_TRANSITIONS, noun=ENROLLMENT)}
    freed = before["status"] == EnrollmentStatus.ENROLLED
    e.cancelled_at = clock.now()
    e.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(actor=actor, action=TrainingAuditAction.ENROLLMENT_CANCEL, obj=e, before=before, after={"status": e.status},
                 reason=reason)
    if freed:
        nxt = (Enrollment.objects.select_for_update(of=("self",)).select_related("person__user")
               .filter(offering_id=e.offering_id, status=EnrollmentStatus.WAITLISTED).order_by("created_at", "pk").first())
        if nxt is not None:
            transition(nxt, EnrollmentStatus.ENROLLED, allowed=ENROLLMENT_TRANSITIONS, noun=ENROLLMENT)
            nxt.save(update_fields=["status", "updated_at"])
            audit_record(actor=actor, action=TrainingAuditAction.ENROLLMENT_PROMOTE, obj=nxt, before={"status": "waitlisted"},
                         after={"status": "enrolled"}, reason="a seat opened")
            tell_person(nxt.person, subject=gettext_noop("You have a seat: %(course)s"),
                         body=gettext_noop("A seat opened and you moved off the waitlist."),
                         params={"course": e.offering.display_title}, link=reverse("training:my_training"))
    return e


@transaction.atomic
def enrollment_mark_attendance(*, actor: Actor, enrollment, attendance: str) -> Enrollment:
    """Entity staff mark whether an enrolled student attended. Audited."""
    e = Enrollment.objects.select_for_update(of=("self",)).select_related("offering").get(pk=enrollment.pk)
    if not perms.can_manage_offering(actor, e.offering):
        raise _deny("Only staff of this training entity take attendance.")
    ensure_not_own_matter(actor, e.person_id, what="training_record")
    if e.status != EnrollmentStatus.ENROLLED:
        raise ApplicationError("Attendance is taken only for enrolled students.", code="state")
    if attendance not in Attendance.values:
        raise ApplicationError("Choose attended, attended part, or absent.", field="attendance")
    before = {"attendance": e.attendance}
    e.attendance = attendance
    e.save(update_fields=["attendance", "updated_at"])
    audit_record(actor=actor, action=TrainingAuditAction.ENROLLMENT_MARK_ATTENDANCE, obj=e, before=before,
                 after={"attendance": attendance})
    return e


# =========================================================================================
# Completions
# =========================================================================================


def check_completion_values(offering, *, hours, completed_on: datetime.date, today: datetime.date) -> list[str]:
    """The problems with one completion's values, as plain sentences (used by the roster too)."""
    problems = []
    if hours is None:
        problems.append(gettext("Hours are missing."))
    elif hours <= 0:
        problems.append(gettext("Hours must be more than zero; got %(hours)s.") % {"hours": hours})
    elif hours > offering.hours:
        problems.append(gettext("Hours (%(hours)s) are more than the course's %(limit)s hours.")
                        % {"hours": hours, "limit": offering.hours})
    if completed_on is None:
        problems.append(gettext("The completion date is missing."))
    elif completed_on < offering.starts_on:
        problems.append(gettext("The completion date %(day)s is before the course started (%(start)s).")
                        % {"day": f"{completed_on:%Y-%m-%d}", "start": f"{offering.starts_on:%Y-%m-%d}"})
    elif completed_on > today:
        problems.append(gettext("The completion date %(day)s is in the future.")
                        % {"day": f"{completed_on:%Y-%m-%d}"})
    return problems


def _check_offering_accepts_completions(offering) -> None:
    if offering.status == OfferingStatus.CANCELLED:
        raise ApplicationError("This course was cancelled; it has no completions.", code="state")
    version = offering.curriculum_version
    if version.status not in (VersionStatus.APPROVED, VersionStatus.SUPERSEDED):
        raise ApplicationError("The course teaches %(version)s, which DHCS has not approved (“%(status)s”). "
                               "Completions cannot be recorded.",
                               params={"version": version, "status": version.get_status_display()}, code="state")


@transaction.atomic
def completion_record(*, actor: Actor, offering, person, hours, completed_on: datetime.date | None = None,
                      ce_category: str | None = None) -> Completion:
    """Record one person's completion of a course.

    Preconditions: staff of the entity; the course's version approved; hours above zero and no
    more than the course's; the date within the course and not in the future; not recorded
    before for this person and course. Audited; the person is told.
    """
    o = Offering.objects.select_for_update(of=("self",)).select_related("curriculum_version__curriculum").get(pk=offering.pk)
    if not perms.can_manage_offering(actor, o):
        raise _deny("Only staff of this training entity record its completions.")
    ensure_not_own_matter(actor, person, what="training_record")
    _check_offering_accepts_completions(o)
    completed_on = completed_on or min(o.ends_on, clock.today())
    hours = Decimal(str(hours)) if hours is not None else None
    problems = check_completion_values(o, hours=hours, completed_on=completed_on, today=clock.today())
    if problems:
        # The pieces are translated where they are made; the hours' problem, if any, comes first.
        hours_wrong = hours is None or hours <= 0 or hours > o.hours
        raise ApplicationError("%(problems)s", params={"problems": " ".join(problems)},
                               field="hours" if hours_wrong else "completed_on")
    category = ce_category or o.curriculum_version.curriculum.ce_category
    if category not in CECategory.values:
        raise ApplicationError("Choose a CE category.", field="ce_category")
    key = Completion.key_for(person.pk, o.pk)
    if Completion.objects.filter(idempotency_key=key).exists():
        raise ApplicationError("%(person)s already has a completion for this course.", params={"person": person},
                               code="duplicate")
    completion = Completion.objects.create(person=person, offering=o, completed_on=completed_on, hours=hours,
                                           ce_category=category, idempotency_key=key,
                                           source=CompletionSource.SINGLE, recorded_by=actor)
    audit_record(actor=actor, action=TrainingAuditAction.COMPLETION_RECORD, obj=completion,
                 after={"person": person.pk, "offering": o.pk, "hours": hours, "ce_category": category,
                        "completed_on": completed_on})
    tell_person(person, subject=gettext_noop("Training completed: %(course)s"),
                 body=gettext_noop("%(hours)s hours recorded. Your certificate of completion is ready."),
                 params={"course": o.display_title, "hours": hours},
                 link=reverse("training:my_training"))
    return completion


@transaction.atomic
def roster_commit(*, actor: Actor, offering, content: bytes, filename: str) -> tuple:
    """Write every new completion in a roster file, all or nothing.

    Preconditions: staff of the entity; the file validates with no errors (the same checks
    the preview showed, run again now). Rows already recorded are skipped, so the same file
    twice adds nothing. Side effects: one bulk insert; a RosterUpload row when anything was
    added; one audit event for the upload. Returns (RosterUpload | None, RosterResult).
    """
    from peercert.training.roster import RosterError, validate_roster

    o = Offering.objects.select_for_update(of=("self",)).select_related("curriculum_version__curriculum").get(pk=offering.pk)
    if not perms.can_manage_offering(actor, o):
        raise _deny("Only staff of this training entity upload its rosters.")
    result = validate_roster(o, content=content, filename=filename, today=clock.today())
    if result.errors:
        raise RosterError(result)
    new_rows = [r for r in result.rows if r.is_new]
    # A trainer on her own course's roster has her completion recorded by a colleague.
    ensure_not_own_matter(actor, *(r.person_id for r in new_rows), what="training_record")
    if not new_rows:
        return None, result
    upload = RosterUpload.objects.create(offering=o, uploaded_by=actor, filename=filename[:255],
                                         sha256=hashlib.sha256(content).hexdigest(), row_count=len(result.rows),
                                         created_count=len(new_rows))
    try:
        with transaction.atomic():
            Completion.objects.bulk_create([
                Completion(person_id=r.person_id, offering=o, completed_on=r.completed_on, hours=r.hours,
                           ce_category=r.ce_category, idempotency_key=Completion.key_for(r.person_id, o.pk),
                           source=CompletionSource.ROSTER, roster_upload=upload, recorded_by=actor)
                for r in new_rows
            ], batch_size=500)
    except IntegrityError:
        raise ApplicationError("Someone recorded completions for this course at the same time. Upload the roster "
                               "again: rows already recorded will be skipped.", code="conflict") from None
    audit_record(actor=actor, action=TrainingAuditAction.ROSTER_COMMIT, obj=upload,
                 after={"offering": o.pk, "filename": filename, "sha256": upload.sha256, "rows": len(result.rows),
                        "created": len(new_rows)})
    return upload, result


@transaction.atomic
def supervisor_completion_record(*, actor: Actor, offering, first_name: str, last_name: str,
                                 date_of_birth: datetime.date, email: str = "", hours,
                                 completed_on: datetime.date | None = None) -> Completion:
    """Record supervisor training for anyone who supervises peers, peer or not.

    Preconditions: the course teaches a supervisor curriculum; the other checks of
    completion_record. The person is found by name and date of birth (accents and case
    ignored); someone not yet on file gets a person record (no sign-in). Refused when two
    people match. Audited.
    """
    from peercert.core.text import fold

    o = Offering.objects.select_related("curriculum_version__curriculum").get(pk=offering.pk)
    if o.curriculum_version.curriculum.kind != CurriculumKind.SUPERVISOR:
        raise ApplicationError("This form is for supervisor training courses only.", code="state")
    if not perms.can_manage_offering(actor, o):
        raise _deny("Only staff of this training entity record its completions.")
    if not ((first_name or "").strip() and (last_name or "").strip() and date_of_birth):
        raise ApplicationError("Give the supervisor's first name, last name and date of birth.", field="first_name")
    key = (fold(first_name), fold(last_name))
    matches = [p for p in Person.objects.filter(date_of_birth=date_of_birth)
               if (fold(p.legal_first_name), fold(p.legal_last_name)) == key]
    if len(matches) > 1:
        raise ApplicationError("More than one person on file has this name and date of birth. Ask the program to "
                               "record this completion.", code="conflict")
    if matches:
        person = matches[0]
    else:
        person = Person.objects.create(legal_first_name=first_name.strip(), legal_last_name=last_name.strip(),
                                       date_of_birth=date_of_birth, email=(email or "").strip())
        audit_record(actor=actor, action=TrainingAuditAction.PERSON_CREATE, obj=person, reason="supervisor training completion",
                     after={"legal_first_name": person.legal_first_name, "legal_last_name": person.legal_last_name})
    return completion_record(actor=actor, offering=o, person=person, hours=hours, completed_on=completed_on)


# =========================================================================================
# Reasonable accommodations
# =========================================================================================


@transaction.atomic
def accommodation_request_create(*, actor: Actor, offering, needs: str, document) -> AccommodationRequest:
    """A peer asks for a reasonable accommodation in a course, with a provider's document.

    Preconditions: the peer has a person record; the course is scheduled; the document is a
    PDF or image (checked by content). Side effects: the entity's staff are told (without
    the document's contents); audited.
    """
    person = perms.person_of(actor)
    if person is None:
        raise _deny("Sign in with your own account to ask for an accommodation.")
    if offering.status != OfferingStatus.SCHEDULED:
        raise ApplicationError("This course is not open.", code="state")
    if not (needs or "").strip():
        raise ApplicationError("Describe what you need.", field="needs")
    kind = validate_upload(document, field="document")
    request = AccommodationRequest.objects.create(person=person, offering=offering, needs=needs.strip(),
                                                  document=document, document_kind=kind,
                                                  document_name=(document.name or "document")[:255])
    audit_record(actor=actor, action=TrainingAuditAction.ACCOMMODATION_REQUEST_CREATE, obj=request,
                 after={"offering": offering.pk, "status": request.status})
    tell_users(_entity_users(offering.training_entity_id), subject=gettext_noop("An accommodation request needs a decision"),
                 body=gettext_noop("For %(course)s."), params={"course": offering.display_title}, link=reverse("training:accommodation_detail", args=[request.pk]))
    return request


@transaction.atomic
def accommodation_request_decide(*, actor: Actor, request, status: str, decision: str) -> AccommodationRequest:
    """The entity's staff or program staff grant, partly grant or deny a request.

    The decision text says what will be provided; required. The peer and the entity's staff
    are told. Audited.
    """
    r = AccommodationRequest.objects.select_for_update(of=("self",)).select_related("offering", "person").get(pk=request.pk)
    if not perms.can_decide_accommodation(actor, r):
        raise _deny("Only the training entity's staff or program staff decide accommodation requests.")
    ensure_not_own_matter(actor, r.person_id, what="accommodation")
    if status not in (AccommodationStatus.GRANTED, AccommodationStatus.PARTLY_GRANTED, AccommodationStatus.DENIED):
        raise ApplicationError("Choose granted, partly granted or denied.", field="status")
    check_transition(r, status, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)
    if not (decision or "").strip():
        raise ApplicationError("Write the decision and what will be provided.", field="decision")
    before = {"status": transition(r, status, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)}
    r.decision = decision.strip()
    r.decided_at = clock.now()
    r.decided_by = actor
    r.save(update_fields=["status", "decision", "decided_at", "decided_by", "updated_at"])
    audit_record(actor=actor, action=TrainingAuditAction.ACCOMMODATION_REQUEST_DECIDE, obj=r, before=before,
                 after={"status": status}, reason=decision)
    url = reverse("training:accommodation_detail", args=[r.pk])
    tell_person(r.person, subject=gettext_noop("Accommodation decision: %(status)s"), body=AS_WRITTEN,
                 params={"status": _label(r), "text": r.decision}, link=url)
    tell_users(_entity_users(r.offering.training_entity_id), subject=gettext_noop("Accommodation to provide: %(course)s"),
                 body=gettext_noop("%(status)s: %(text)s"),
                 params={"course": r.offering.display_title, "status": _label(r), "text": r.decision}, link=url)
    return r


@transaction.atomic
def accommodation_request_withdraw(*, actor: Actor, request) -> AccommodationRequest:
    """The peer withdraws a request still waiting for a decision. Audited."""
    r = AccommodationRequest.objects.select_for_update().get(pk=request.pk)
    if not perms.is_self(actor, r.person):
        raise _deny("Only the person who asked can withdraw the request.")
    before = transition(r, AccommodationStatus.WITHDRAWN, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)
    r.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=TrainingAuditAction.ACCOMMODATION_REQUEST_WITHDRAW, obj=r,
                 before={"status": before},
                 after={"status": r.status})
    return r


# =========================================================================================
# Self-reported continuing education
# =========================================================================================


@transaction.atomic
def ce_activity_report(*, actor: Actor, title: str, provider_name: str, completed_on: datetime.date, hours,
                       ce_category: str, evidence) -> CEActivity:
    """A peer reports CE taken elsewhere, with evidence (PDF or image, checked by content).

    Hours above zero; the date not in the future. Waits for program staff to accept it. Audited.
    """
    person = perms.person_of(actor)
    if person is None:
        raise _deny("Sign in with your own account to report continuing education.")
    hours = Decimal(str(hours))
    if hours <= 0:
        raise ApplicationError("Hours must be more than zero.", field="hours")
    if completed_on > clock.today():
        raise ApplicationError("The date cannot be in the future.", field="completed_on")
    if ce_category not in CECategory.values:
        raise ApplicationError("Choose a category.", field="ce_category")
    kind = validate_upload(evidence, field="evidence")
    activity = CEActivity.objects.create(person=person, title=title.strip(), provider_name=provider_name.strip(),
                                         completed_on=completed_on, hours=hours, ce_category=ce_category,
                                         evidence=evidence, evidence_kind=kind,
                                         evidence_name=(evidence.name or "evidence")[:255])
    audit_record(actor=actor, action=TrainingAuditAction.CE_ACTIVITY_REPORT, obj=activity,
                 after={"hours": hours, "ce_category": ce_category, "completed_on": completed_on})
    return activity


def _ce_decide(*, actor: Actor, activity, to: str, reason: str, action: str) -> CEActivity:
    if not perms.can_review_ce_activity(actor):
        raise _deny("Only program reviewers and managers review continuing education.")
    a = CEActivity.objects.select_for_update(of=("self",)).select_related("person").get(pk=activity.pk)
    ensure_not_own_matter(actor, a.person_id, what="ce_activity")
    before = {"status": transition(a, to, allowed=CE_ACTIVITY_TRANSITIONS, noun=ACTIVITY)}
    a.decision_reason = reason or ""
    a.decided_at = clock.now()
    a.decided_by = actor
    a.save(update_fields=["status", "decision_reason", "decided_at", "decided_by", "updated_at"])
    audit_record(actor=actor, action=action, obj=a, before=before, after={"status": to}, reason=reason)
    tell_person(a.person, subject=gettext_noop("Continuing education %(status)s: %(title)s"),
                 body=AS_WRITTEN if reason else gettext_noop("%(status_label)s"),
                 params={"status": _lower(_label(a)), "title": a.title, "status_label": _label(a), "text": reason},
                 link=reverse("training:my_training"))
    return a


@transaction.atomic
def ce_activity_accept(*, actor: Actor, activity, reason: str = "") -> CEActivity:
    """Program staff accept reported CE: it then counts in the ledger. Audited; peer told."""
    return _ce_decide(actor=actor, activity=activity, to=CEActivityStatus.ACCEPTED, reason=reason,
                      action=TrainingAuditAction.CE_ACTIVITY_ACCEPT)


@transaction.atomic
def ce_activity_reject(*, actor: Actor, activity, reason: str) -> CEActivity:
    """Program staff reject reported CE, saying why (required). Audited; peer told."""
    if not (reason or "").strip():
        raise ApplicationError("Say why, so the peer can fix it.", field="reason")
    return _ce_decide(actor=actor, activity=activity, to=CEActivityStatus.REJECTED, reason=reason,
                      action=TrainingAuditAction.CE_ACTIVITY_REJECT)
