"""Appeals of an action or of a denial decided elsewhere: filing, deciding and withdrawing."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.accounts.models import Person, TrainingEntity
from peercert.accounts.permissions import training_entity_ids
from peercert.accounts.selectors import person_for_user
from peercert.certification.models import CertificationStatus
from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.duties import is_party, refuse_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import appeal_window_ends, rules_on
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.discipline import selectors
from peercert.discipline.audit import DisciplineAuditAction
from peercert.discipline.models import (
    ACTION_SUBJECTS,
    APPEAL_TRANSITIONS,
    DENIAL_SUBJECT_KINDS,
    LIVE_ACTION_STATUSES,
    PEER_SUBJECTS,
    ActionKind,
    ActionStatus,
    Appeal,
    AppealOutcome,
    AppealStatus,
    AppealSubject,
    DisciplinaryAction,
)
from peercert.discipline.permissions import (
    can_decide_appeal,
    can_handle_cases,
    respondent_scope,
)
from peercert.discipline.services._common import (
    ACTION_FIELDS,
    APPEAL_FIELDS,
    NOUNS,
    PLURAL_NOUNS,
    _action_label,
    _certification_restore,
    _denial_reopen,
    _execute,
    _filled_later,
    _is_complaint_party,
    _lock,
    _lower_later,
    _paragraphs,
    _placeholder_number,
    _set_action_status,
    _tell_respondent,
    _undo,
)


@transaction.atomic
def appeal_file(
    *,
    actor: Actor,
    subject: str,
    grounds: str,
    action: DisciplinaryAction | None = None,
    person: Person | None = None,
    entity: TrainingEntity | None = None,
    decision_on: datetime.date | None = None,
    decision_reference: str = "",
    original_decider=None,
    filed_on: datetime.date | None = None,
    denial_id: int | None = None,
) -> Appeal:
    """File an appeal of a suspension, revocation or withdrawal (an action here), or of a denial
    decided elsewhere (certification, renewal, entity approval or renewal).

    A denial of certification or of renewal names the denied application or renewal (denial_id,
    or the person's latest denial of that kind when not given); its decision date and decider
    then come from the record.

    Who: the respondent (the peer, or staff of the training entity) for their own matter, or
    case staff recording an appeal received by mail (staff may give the date it was received).
    Preconditions: grounds given; the subject fits the appellant; filed within
    rules.appeal_window_days of the decision; no other open appeal of the same action.
    Side effects: the review clock is set; when rules.appeal_stays_action is on, the action is
    paused and an executed action is lifted until the appeal is decided; audits appeal.file
    (and action.stay).
    """
    today = clock.today()
    is_staff = can_handle_cases(actor)
    denial = None
    filed_on = filed_on if (is_staff and filed_on) else today
    if filed_on > today:
        raise ApplicationError("The date received cannot be in the future.", field="filed_on")
    if subject not in AppealSubject.values:
        raise ApplicationError("Choose what is being appealed.", field="subject")
    if not (grounds or "").strip():
        raise ApplicationError("Explain why the decision should change.", field="grounds")
    if subject in ACTION_SUBJECTS:
        if action is None:
            raise ApplicationError("Choose the action being appealed.", field="action")
        action = _lock(DisciplinaryAction, action.pk)
        if action.kind != ACTION_SUBJECTS[subject] or (subject in PEER_SUBJECTS) != (action.person_id is not None):
            raise ApplicationError(
                "That action is not a %(subject)s.",
                field="subject",
                params={"subject": str(AppealSubject(subject).label).lower()},
            )
        if action.status not in LIVE_ACTION_STATUSES and action.status != ActionStatus.ENDED:
            raise ApplicationError(
                "This action is %(status)s; there is nothing to appeal.",
                code="state",
                params={"status": _action_label(action.status)},
            )
        person, entity = action.person, action.entity
        decision_on = action.decided_on
        original_decider = action.decided_by
        decision_reference = action.complaint.number
    else:
        action = None
        if subject in PEER_SUBJECTS:
            person = person or person_for_user(actor)
            entity = None
            if person is None:
                raise ApplicationError("Choose the person appealing.", field="person")
        else:
            person = None
            if entity is None:
                raise ApplicationError("Choose the training entity appealing.", field="entity")
        kind = DENIAL_SUBJECT_KINDS.get(subject)
        if kind is not None:
            denials = [d for d in selectors.denials_of(person.pk) if d.kind == kind]
            denial = (
                next((d for d in denials if d.id == denial_id), None)
                if denial_id
                else (denials[0] if denials else None)
            )
            if denial_id and denial is None:
                raise ApplicationError(
                    "That %(kind)s was not denied, or it is not the appellant's. Choose one of their denied %(kinds)s.",
                    field="denial",
                    params={"kind": NOUNS.get(kind, kind), "kinds": PLURAL_NOUNS.get(kind, f"{kind}s")},
                )
            if denial is not None:
                decision_on, decision_reference = denial.decided_on, denial.reference
                original_decider = None  # taken from the record below
        if decision_on is None:
            raise ApplicationError("Give the date of the decision you are appealing.", field="decision_on")
    if decision_on > filed_on:
        raise ApplicationError("The decision date cannot be after the appeal.", field="decision_on")
    if not is_staff:
        own_person, own_entities = respondent_scope(actor)
        if not ((person is not None and person.pk == own_person) or (entity is not None and entity.pk in own_entities)):
            raise ApplicationError(
                "You can appeal only decisions about yourself or your own training entity.", code="forbidden"
            )
    rules = rules_on(filed_on)
    # The window is the one in force when the decision was made, as the decision letter and the
    # status pages state it (core.rules.appeal_window_ends serves all three).
    window_ends_on = appeal_window_ends(decision_on)
    if filed_on > window_ends_on:
        raise ApplicationError(
            "The appeal window closed on %(closed)s: appeals must be filed within %(days)s days of the decision of "
            "%(decided)s. This appeal cannot be accepted.",
            code="state",
            field="decision_on",
            params={"closed": window_ends_on, "days": (window_ends_on - decision_on).days, "decided": decision_on},
        )
    if action is not None and action.appeals.filter(status=AppealStatus.FILED).exists():
        raise ApplicationError("An appeal of this action is already under review.", code="duplicate")
    denied = {f"{denial.kind}_id": denial.id} if denial is not None else {}
    if denied and Appeal.objects.filter(**denied, status=AppealStatus.FILED).exists():
        raise ApplicationError("An appeal of this denial is already under review.", code="duplicate")
    appeal = Appeal(
        number=_placeholder_number(),
        subject=subject,
        person=person,
        entity=entity,
        action=action,
        **denied,
        decision_reference=(decision_reference or "")[:100],
        decision_on=decision_on,
        original_decider=original_decider,
        grounds=grounds.strip(),
        filed_on=filed_on,
        filed_by=actor if getattr(actor, "is_authenticated", False) else None,
        window_ends_on=window_ends_on,
        review_due_on=filed_on + datetime.timedelta(days=rules.appeal_review_days),
        stays_action=bool(rules.appeal_stays_action and action is not None),
        rules_version=rules.version,
    )
    if denial is not None:
        appeal.original_decider_id = denial.decided_by_id
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError as exc:
        raise ApplicationError("An appeal of this decision is already under review.", code="duplicate") from exc
    appeal.number = f"A-{filed_on.year}-{appeal.pk:05d}"
    appeal.save(update_fields=["number"])
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.APPEAL_FILE,
        obj=appeal,
        after={
            "number": appeal.number,
            "subject": subject,
            "action": action.pk if action else None,
            "denial": denial.key if denial is not None else None,
            "decision_on": decision_on,
            "window_ends_on": window_ends_on,
            "stays_action": appeal.stays_action,
            "rules_version": rules.version,
        },
    )
    if appeal.stays_action and action.status in (
        ActionStatus.SCHEDULED,
        ActionStatus.IN_EFFECT,
        ActionStatus.ESCALATED,
    ):
        if action.status in (ActionStatus.IN_EFFECT, ActionStatus.ESCALATED) and action.executed_on:
            _undo(action, actor=actor, today=today, reason=f"Stayed by appeal {appeal.number}")
        _set_action_status(
            action,
            ActionStatus.STAYED,
            actor=actor,
            audit_action=DisciplineAuditAction.ACTION_STAY,
            reason=f"Appeal {appeal.number} filed; the rules pause the action while it is decided.",
        )
    _tell_respondent(
        person=person,
        entity=entity,
        subject=gettext_noop("Appeal %(number)s received"),
        body=gettext_noop(
            "Your appeal was received on %(filed)s. A decision is due by %(due)s. Someone "
            "other than the person who made the original decision will decide it."
        ),
        params={"number": appeal.number, "filed": filed_on, "due": appeal.review_due_on},
    )
    return appeal


def _reapply(action: DisciplinaryAction, *, actor: Actor, today, reason: str) -> None:
    """After a stay: put the action back as it stands by its dates."""
    if action.effective_on > today:
        _set_action_status(
            action, ActionStatus.SCHEDULED, actor=actor, audit_action=DisciplineAuditAction.ACTION_RESUME, reason=reason
        )
    elif action.kind == ActionKind.SUSPENSION and action.ends_on is not None and action.ends_on < today:
        _set_action_status(
            action,
            ActionStatus.ENDED,
            actor=actor,
            audit_action=DisciplineAuditAction.ACTION_END,
            reason=reason,
            ended_on=today,
        )
    elif action.kind == ActionKind.CORRECTIVE_ACTION:
        _set_action_status(
            action, ActionStatus.IN_EFFECT, actor=actor, audit_action=DisciplineAuditAction.ACTION_RESUME, reason=reason
        )
    else:
        _execute(action, actor=actor, today=today, reason=reason)


@transaction.atomic
def appeal_decide(
    *,
    actor: Actor,
    appeal: Appeal,
    outcome: str,
    reasons: str,
    modification: str = "",
    new_ends_on: datetime.date | None = None,
    original_decider=None,
) -> Appeal:
    """Decide an appeal: upheld, modified or overturned.

    Preconditions: case staff who did not make the original decision (for a denial decided
    elsewhere, the original decider must be named first); appeal still open; reasons given;
    a modification is described, and a new last day is given when a suspension's length
    changes or a revocation becomes a suspension.
    Side effects: upheld re-applies a stayed action; modified changes its dates (or turns a
    revocation into a suspension); overturned ends the action and restores the certification's
    (or entity's) prior status, keeping every earlier record and status change; the appellant
    is told; audits appeal.decide and the action's changes.
    """
    appeal = _lock(Appeal, appeal.pk)
    if not can_handle_cases(actor):
        raise ApplicationError("Only program staff may decide appeals.", code="forbidden")
    # Not the appellant (or their entity's staff), nor a party to the case the appeal comes from.
    if (
        is_party(actor, appeal.person_id)
        or (appeal.entity_id is not None and appeal.entity_id in training_entity_ids(actor))
        or (appeal.action_id is not None and _is_complaint_party(actor, appeal.action.complaint))
    ):
        raise refuse_own_matter("appeal")
    check_transition(appeal, AppealStatus.DECIDED, allowed=APPEAL_TRANSITIONS, noun=NOUNS["appeal"])
    if appeal.original_decider_id is None and original_decider is not None:
        appeal.original_decider = original_decider
    if appeal.original_decider_id is None:
        raise ApplicationError(
            "Record who made the original decision before deciding the appeal.", field="original_decider"
        )
    if not can_decide_appeal(actor, appeal):
        raise ApplicationError(
            "You made the original decision, so you cannot decide its appeal. "
            "Another member of program staff must decide it.",
            code="conflict",
        )
    if outcome not in AppealOutcome.values:
        raise ApplicationError("Choose upheld, modified or overturned.", field="outcome")
    if not (reasons or "").strip():
        raise ApplicationError("Write the reasons for the appeal decision.", field="reasons")
    if outcome == AppealOutcome.MODIFIED and not (modification or "").strip():
        raise ApplicationError("Describe how the decision is modified.", field="modification")
    today = clock.today()
    action = _lock(DisciplinaryAction, appeal.action_id) if appeal.action_id else None
    reason = f"Appeal {appeal.number}: {AppealOutcome(outcome).label.lower()}. {reasons.strip()}"

    if action is not None:
        if outcome == AppealOutcome.OVERTURNED:
            if action.executed_on and action.status in (ActionStatus.IN_EFFECT, ActionStatus.ESCALATED):
                _undo(action, actor=actor, today=today, reason=reason)
            _set_action_status(
                action,
                ActionStatus.OVERTURNED,
                actor=actor,
                audit_action=DisciplineAuditAction.ACTION_OVERTURN,
                reason=reason,
                ended_on=today,
            )
        elif outcome == AppealOutcome.MODIFIED:
            if action.kind == ActionKind.REVOCATION:
                if new_ends_on is None:
                    raise ApplicationError(
                        "Give the last day of the suspension that replaces the revocation.", field="new_ends_on"
                    )
            if new_ends_on is not None:
                if action.kind not in (ActionKind.SUSPENSION, ActionKind.REVOCATION):
                    raise ApplicationError(
                        "Only a suspension or revocation has a last day to change.", field="new_ends_on"
                    )
                if new_ends_on < action.effective_on:
                    raise ApplicationError("The new last day cannot be before the action started.", field="new_ends_on")
                before = snapshot(action, ACTION_FIELDS)
                was_revocation = action.kind == ActionKind.REVOCATION
                action.kind = ActionKind.SUSPENSION
                action.ends_on = new_ends_on
                action.public_summary = (
                    f"{action.public_summary} Modified on appeal {appeal.number}: "
                    f"suspension until {new_ends_on:%Y-%m-%d}."
                )
                action.save(update_fields=["kind", "ends_on", "public_summary", "updated_at"])
                audit_record(
                    actor=actor,
                    action=DisciplineAuditAction.ACTION_MODIFY,
                    obj=action,
                    before=before,
                    after=snapshot(action, ACTION_FIELDS),
                    reason=reason,
                )
                if (
                    was_revocation
                    and action.certification_id
                    and action.status in (ActionStatus.IN_EFFECT, ActionStatus.ESCALATED)
                ):
                    _certification_restore(
                        actor=actor,
                        certification_id=action.certification_id,
                        to_status=CertificationStatus.SUSPENDED,
                        reason=reason,
                        effective_on=today,
                    )
            if action.status == ActionStatus.STAYED:
                _reapply(action, actor=actor, today=today, reason=reason)
            elif (
                action.kind == ActionKind.SUSPENSION
                and action.status == ActionStatus.IN_EFFECT
                and action.ends_on is not None
                and action.ends_on < today
            ):
                _undo(action, actor=actor, today=today, reason=reason)
                _set_action_status(
                    action,
                    ActionStatus.ENDED,
                    actor=actor,
                    audit_action=DisciplineAuditAction.ACTION_END,
                    reason=reason,
                    ended_on=today,
                )
        elif action.status == ActionStatus.STAYED:
            _reapply(action, actor=actor, today=today, reason=reason)
    reopened = (
        (selectors.APPLICATION if appeal.application_id else selectors.RENEWAL if appeal.renewal_id else None)
        if outcome == AppealOutcome.OVERTURNED
        else None
    )
    if reopened:
        _denial_reopen(actor=actor, kind=reopened, denial_id=appeal.application_id or appeal.renewal_id, reason=reason)

    before = snapshot(appeal, APPEAL_FIELDS)
    transition(appeal, AppealStatus.DECIDED, allowed=APPEAL_TRANSITIONS, noun=NOUNS["appeal"])
    appeal.outcome = outcome
    appeal.decision_reasons = reasons.strip()
    appeal.modification = (modification or "").strip()
    appeal.decided_on = today
    appeal.decided_by = actor
    appeal.save(
        update_fields=[
            "status",
            "outcome",
            "decision_reasons",
            "modification",
            "decided_on",
            "decided_by",
            "original_decider",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.APPEAL_DECIDE,
        obj=appeal,
        before=before,
        after=snapshot(appeal, APPEAL_FIELDS),
        reason=reasons.strip(),
    )
    change = appeal.modification and _filled_later(gettext_noop("Change: %(change)s"), {"change": appeal.modification})
    if reopened:
        next_step = _filled_later(
            gettext_noop(
                "Your %(what)s is back in review. A reviewer will look at it again "
                "and you will hear from us in your account."
            ),
            {"what": NOUNS[reopened]},
        )
    elif action is None and outcome != AppealOutcome.UPHELD:
        next_step = _filled_later(
            gettext_noop("Program staff will reopen the decision you appealed and contact you about next steps.")
        )
    else:
        next_step = None
    _tell_respondent(
        person=appeal.person,
        entity=appeal.entity,
        subject=gettext_noop("Decision on appeal %(number)s"),
        body=gettext_noop("Your appeal %(number)s was decided: %(outcome)s.\n\n%(reasons)s%(more)s"),
        params={
            "number": appeal.number,
            "outcome": _lower_later(AppealOutcome(outcome).label),
            "reasons": reasons.strip(),
            "more": _paragraphs(change, next_step),
        },
        url=reverse("discipline:my_cases"),
    )
    return appeal


@transaction.atomic
def appeal_withdraw(*, actor: Actor, appeal: Appeal) -> Appeal:
    """The appellant (or staff for them) withdraws an open appeal; a stayed action resumes.

    Side effects: audit appeal.withdraw (and the action's resumption).
    """
    appeal = _lock(Appeal, appeal.pk)
    own_person, own_entities = respondent_scope(actor)
    mine = (appeal.person_id and appeal.person_id == own_person) or (appeal.entity_id in own_entities)
    if not (mine or can_handle_cases(actor)):
        raise ApplicationError("Only the appellant or program staff may withdraw an appeal.", code="forbidden")
    before = snapshot(appeal, APPEAL_FIELDS)
    transition(appeal, AppealStatus.WITHDRAWN, allowed=APPEAL_TRANSITIONS, noun=NOUNS["appeal"])
    appeal.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.APPEAL_WITHDRAW,
        obj=appeal,
        before=before,
        after=snapshot(appeal, APPEAL_FIELDS),
    )
    if appeal.action_id:
        action = _lock(DisciplinaryAction, appeal.action_id)
        if action.status == ActionStatus.STAYED:
            _reapply(action, actor=actor, today=clock.today(), reason=f"Appeal {appeal.number} withdrawn")
    return appeal
