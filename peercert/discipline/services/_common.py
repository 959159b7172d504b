"""What the services of every entity share: the records' audited fields and nouns, the locks, the
checks of who may act on a case, telling the respondent, and carrying a decision into certification,
training and renewal (making an action bite and lifting it, for decisions and appeals alike)."""

import datetime
import uuid

from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from peercert.accounts.models import Person, RoleAssignment, TrainingEntity
from peercert.accounts.permissions import training_entity_ids
from peercert.accounts.roles import Role
from peercert.certification import services as certification_services
from peercert.certification.models import Application, Certification, CertificationStatus
from peercert.core.audit import audit_record, snapshot
from peercert.core.duties import is_party, refuse_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_email, tell_person, tell_users
from peercert.core.text import fill
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.discipline import selectors
from peercert.discipline.audit import DisciplineAuditAction
from peercert.discipline.models import (
    ACTION_TRANSITIONS,
    ActionKind,
    ActionStatus,
    Channel,
    Complaint,
    ComplaintStatus,
    DisciplinaryAction,
)
from peercert.discipline.permissions import can_handle_case, can_handle_cases
from peercert.renewal.models import Renewal
from peercert.renewal.services import renewal_reopen_on_appeal
from peercert.training import services as training_services
from peercert.training.models import ProviderStatus

COMPLAINT_FIELDS = (
    "status",
    "screening_reason",
    "acknowledged_on",
    "investigation_due_on",
    "extension_reason",
    "extended_on",
    "investigation_started_on",
    "investigator",
    "outcome",
    "decided_on",
    "decided_by",
)
ACTION_FIELDS = (
    "kind",
    "status",
    "effective_on",
    "ends_on",
    "until_condition",
    "due_on",
    "executed_on",
    "ended_on",
    "escalated_on",
    "certification_id",
    "prior_status",
)
APPEAL_FIELDS = ("status", "outcome", "decided_on", "decided_by", "original_decider")


# --- helpers ----------------------------------------------------------------------------


def _require_case_staff(actor: Actor, complaint: Complaint | None = None) -> None:
    allowed = can_handle_case(actor, complaint) if complaint is not None else can_handle_cases(actor)
    if not allowed:
        raise ApplicationError("Only program staff who handle complaints may do this.", code="forbidden")
    # Every step on a case is taken by staff who are neither its respondent nor its complainant.
    if complaint is not None and _is_complaint_party(actor, complaint):
        raise refuse_own_matter("complaint")


def _is_complaint_party(user: Actor, complaint: Complaint) -> bool:
    """The respondent (the peer, or staff of the training entity) or the complainant (who filed it
    online or raised it as staff, or whose email the complaint gives)."""
    if user is None:
        return False
    complainant = complaint.entered_by if complaint.channel in (Channel.ONLINE, Channel.STAFF) else None
    if is_party(user, complaint.respondent_person_id, complainant):
        return True
    email = (complaint.complainant_email or "").strip().lower()
    if email and email == (getattr(user, "email", "") or "").strip().lower():
        return True
    return complaint.respondent_entity_id is not None and complaint.respondent_entity_id in training_entity_ids(user)


# What a refused transition and the denial check call a record, in the reader's language.
NOUNS = {
    "case": _("case"),
    "action": _("action"),
    "appeal": _("appeal"),
    "application": _("application"),
    "renewal": _("renewal"),
}
PLURAL_NOUNS = {"application": _("applications"), "renewal": _("renewals")}


def _complaint_label(value: str) -> str:
    return str(ComplaintStatus(value).label).lower()


def _action_label(value: str) -> str:
    return str(ActionStatus(value).label).lower()


def _refuse_if_closed(complaint: Complaint) -> None:
    if complaint.is_closed:
        raise ApplicationError(
            "Case %(number)s is closed (%(status)s); nothing more can be done on it. "
            "Open a new complaint if new facts arrive.",
            code="closed",
            params={"number": complaint.number, "status": _complaint_label(complaint.status)},
        )


def _tell_respondent(
    *,
    person: Person | None = None,
    entity: TrainingEntity | None = None,
    subject: str,
    body: str,
    url: str = "",
    params: dict | None = None,
) -> None:
    """The respondent is a person, or a training entity: its staff in their accounts and its office by email."""
    if person is not None:
        tell_person(person, subject=subject, body=body, params=params, link=url)
    elif entity is not None:
        staff = (
            RoleAssignment.objects.filter(role=Role.TRAINING_STAFF, training_entity=entity)
            .select_related("user__person")
            .order_by("pk")
        )
        tell_users([assignment.user for assignment in staff], subject=subject, body=body, params=params, link=url)
        tell_email(entity.email, language=settings.LANGUAGE_CODE, subject=subject, body=body, params=params)


# The complaint records no language for its complainant, so they are written to in the site's.
COMPLAINANT_LANGUAGE = settings.LANGUAGE_CODE


# A message filled when it is written out, in the language active then (under notify, the reader's).
_filled_later = lazy(fill, str)
_lower_later = lazy(lambda text: str(text).lower(), str)


def _paragraphs(*pieces):
    """Optional paragraphs for a notification body, each after a blank line; written in the reader's language."""
    present = [p for p in pieces if p]
    return format_lazy("\n\n{}" * len(present), *present)


def _placeholder_number() -> str:
    # Numbers come from the primary key, known only after the insert; this fills the unique column meanwhile.
    return f"~{uuid.uuid4().hex[:18]}"


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# --- carrying decisions into certification, training, renewal ----------------------------

# Discipline writes this as the source of every certification status change it causes.
CERTIFICATION_SOURCE = "discipline"


def _certification_change(
    *, actor: Actor, certification_id: int, to_status: str, reason: str, effective_on: datetime.date
) -> Certification:
    # Discipline checked its own permissions already. A respondent's act (withdrawing an appeal)
    # can re-apply an action; certification then hears it from discipline itself (actor None).
    certification_actor = actor if can_handle_cases(actor) else None
    certification = Certification.objects.get(pk=certification_id)
    if certification.status == to_status:
        return certification
    if certification.status == CertificationStatus.REVOKED and to_status == CertificationStatus.SUSPENDED:
        # A revocation turned into a suspension on appeal: certification only lets a revocation end
        # by returning to active, so the history shows both steps on the same day.
        certification = certification_services.certification_change_status(
            actor=certification_actor,
            certification=certification,
            to_status=CertificationStatus.ACTIVE,
            reason=reason,
            effective_on=effective_on,
            source=CERTIFICATION_SOURCE,
        )
    return certification_services.certification_change_status(
        actor=certification_actor,
        certification=certification,
        to_status=to_status,
        reason=reason,
        effective_on=effective_on,
        source=CERTIFICATION_SOURCE,
    )


def _certification_apply(
    *, actor: Actor, person: Person, to_status: str, reason: str, effective_on: datetime.date
) -> tuple[int | None, str]:
    """Suspend or revoke the person's current certification. Returns (certification_id, prior_status).

    (None, "") when the person has no certification in PeerCert (nothing to change).
    """
    current = selectors.current_certification(person)
    if current is None:
        return None, ""
    prior = current.status
    _certification_change(
        actor=actor, certification_id=current.pk, to_status=to_status, reason=reason, effective_on=effective_on
    )
    return current.pk, prior


def _certification_restore(
    *, actor: Actor, certification_id: int | None, to_status: str, reason: str, effective_on: datetime.date
) -> None:
    """Put a certification back to a status (after an overturn, a stay or the end of a suspension).

    A certification whose term ran out meanwhile goes to expired instead of active.
    """
    if certification_id is None or not to_status:
        return
    current = selectors.certification_by_id(certification_id)
    if current is None:
        return
    if to_status == CertificationStatus.ACTIVE and current.expires_on is not None and current.expires_on < effective_on:
        to_status = CertificationStatus.EXPIRED
    _certification_change(
        actor=actor, certification_id=certification_id, to_status=to_status, reason=reason, effective_on=effective_on
    )


def _entity_sanction_changed(
    *, actor: Actor, entity: TrainingEntity, kind: str, in_effect: bool, reason: str, effective_on: datetime.date
) -> None:
    """Carry a sanction on a training entity into the training app, which owns approval status.

    A suspension suspends each of the entity's approved approvals (one per training type and
    language) and lifting it restores the ones still suspended; a withdrawal withdraws them.
    Training makes a withdrawal final, so overturning a withdrawal on appeal is recorded here
    and the entity re-applies. Training's services need program staff as the actor: the
    caller passes whoever decided the sanction when a daily job carries it out.
    """
    approvals = selectors.entity_approvals(entity)
    if kind == ActionKind.SUSPENSION and in_effect:
        for application in approvals.filter(status=ProviderStatus.APPROVED):
            training_services.provider_application_suspend(actor=actor, application=application, reason=reason)
    elif kind == ActionKind.SUSPENSION:
        for application in approvals.filter(status=ProviderStatus.SUSPENDED):
            try:
                training_services.provider_application_lift_suspension(
                    actor=actor, application=application, reason=reason
                )
            except ApplicationError as exc:
                if exc.code != "state":  # an approval whose term ended meanwhile renews instead
                    raise
    elif kind == ActionKind.WITHDRAWAL and in_effect:
        for application in approvals.filter(status__in=[ProviderStatus.APPROVED, ProviderStatus.SUSPENDED]):
            training_services.provider_application_withdraw(actor=actor, application=application, reason=reason)


def _denial_reopen(*, actor: Actor, kind: str, denial_id: int, reason: str) -> None:
    """An appeal overturned the denial: the owning app sends the application or renewal back for review."""
    if kind == selectors.APPLICATION:
        certification_services.application_reopen_on_appeal(
            actor=actor, application=Application.objects.get(pk=denial_id), reason=reason
        )
    elif kind == selectors.RENEWAL:
        renewal_reopen_on_appeal(actor=actor, renewal=Renewal.objects.get(pk=denial_id), reason=reason)
    else:
        raise ValueError(kind)


# --- making an action bite, and lifting it (case decisions, the daily job and appeals) ---------------


def _execute(action: DisciplinaryAction, *, actor: Actor, today: datetime.date, reason: str) -> None:
    """Make an action bite: change the certification (or entity approval) and mark it in effect."""
    # Refused before anything changes in certification or training.
    check_transition(action, ActionStatus.IN_EFFECT, allowed=ACTION_TRANSITIONS, noun=NOUNS["action"])
    before = snapshot(action, ACTION_FIELDS)
    if action.person_id and action.kind in (ActionKind.SUSPENSION, ActionKind.REVOCATION):
        to_status = (
            CertificationStatus.SUSPENDED if action.kind == ActionKind.SUSPENSION else CertificationStatus.REVOKED
        )
        cert_id, prior = _certification_apply(
            actor=actor, person=action.person, to_status=to_status, reason=reason, effective_on=today
        )
        action.certification_id = cert_id
        action.prior_status = prior
    elif action.entity_id and action.kind in (ActionKind.SUSPENSION, ActionKind.WITHDRAWAL):
        _entity_sanction_changed(
            actor=actor if can_handle_cases(actor) else action.decided_by,
            entity=action.entity,
            kind=action.kind,
            in_effect=True,
            reason=reason,
            effective_on=today,
        )
    transition(action, ActionStatus.IN_EFFECT, allowed=ACTION_TRANSITIONS, noun=NOUNS["action"])
    action.executed_on = today
    action.save(update_fields=["status", "executed_on", "certification_id", "prior_status", "updated_at"])
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.ACTION_EXECUTE,
        obj=action,
        before=before,
        after=snapshot(action, ACTION_FIELDS),
        reason=reason,
    )


def _undo(action: DisciplinaryAction, *, actor: Actor, today: datetime.date, reason: str) -> None:
    """Lift what an executed action did (overturn, stay, end of a suspension)."""
    if action.person_id and action.certification_id:
        target = action.prior_status or CertificationStatus.ACTIVE
        if action.kind == ActionKind.SUSPENSION and target == CertificationStatus.SUSPENDED:
            target = CertificationStatus.ACTIVE
        _certification_restore(
            actor=actor, certification_id=action.certification_id, to_status=target, reason=reason, effective_on=today
        )
    elif action.entity_id and action.kind in (ActionKind.SUSPENSION, ActionKind.WITHDRAWAL):
        _entity_sanction_changed(
            actor=actor if can_handle_cases(actor) else action.decided_by,
            entity=action.entity,
            kind=action.kind,
            in_effect=False,
            reason=reason,
            effective_on=today,
        )


def _set_action_status(
    action: DisciplinaryAction,
    to_status: str,
    *,
    actor: Actor,
    audit_action: DisciplineAuditAction,
    reason: str = "",
    **fields,
) -> None:
    before = snapshot(action, ACTION_FIELDS)
    transition(action, to_status, allowed=ACTION_TRANSITIONS, noun=NOUNS["action"])
    for name, value in fields.items():
        setattr(action, name, value)
    action.save(update_fields=["status", *fields, "updated_at"])
    audit_record(
        actor=actor,
        action=audit_action,
        obj=action,
        before=before,
        after=snapshot(action, ACTION_FIELDS),
        reason=reason,
    )
