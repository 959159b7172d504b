"""Deciding a case and the action it orders: corrective action classes, lifting a suspension, and the
daily jobs that start, end and escalate actions."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_noop

from peercert.accounts.models import Person, TrainingEntity
from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many, snapshot
from peercert.core.errors import ApplicationError
from peercert.core.rules import appeal_window_ends, rules_on
from peercert.core.tell import tell_email
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.discipline import selectors
from peercert.discipline.audit import DisciplineAuditAction
from peercert.discipline.models import (
    COMPLAINT_TRANSITIONS,
    LIVE_ACTION_STATUSES,
    OUTCOMES_FOR,
    ActionKind,
    ActionStatus,
    Complaint,
    ComplaintStatus,
    DisciplinaryAction,
    EthicsProvision,
    Outcome,
    RequiredClass,
)
from peercert.discipline.services._common import (
    ACTION_FIELDS,
    COMPLAINANT_LANGUAGE,
    COMPLAINT_FIELDS,
    NOUNS,
    _action_label,
    _execute,
    _filled_later,
    _lock,
    _paragraphs,
    _refuse_if_closed,
    _require_case_staff,
    _set_action_status,
    _tell_respondent,
    _undo,
)
from peercert.training.selectors import ce_hours_between


def _public_summary(kind: str, effective_on, ends_on, until_condition: str, provisions: list[str]) -> str:
    labels = dict(EthicsProvision.choices)
    cited = "; ".join(str(labels.get(p, p)) for p in provisions)
    if kind == ActionKind.SUSPENSION:
        span = f"until {ends_on:%Y-%m-%d}" if ends_on else f"until a condition is met ({until_condition})"
        text = f"Suspended from {effective_on:%Y-%m-%d} {span}"
    elif kind == ActionKind.REVOCATION:
        text = f"Certification revoked from {effective_on:%Y-%m-%d}"
    elif kind == ActionKind.WITHDRAWAL:
        text = f"Approval withdrawn from {effective_on:%Y-%m-%d}"
    else:
        text = f"Corrective action from {effective_on:%Y-%m-%d}"
    return f"{text}. Code of Ethics: {cited}." if cited else f"{text}."


def _overlapping_suspension(
    *, person: Person | None = None, entity: TrainingEntity | None = None, start, end, exclude_pk: int | None = None
) -> DisciplinaryAction | None:
    """A live suspension or revocation that the new period would collide with."""
    qs = DisciplinaryAction.objects.filter(
        status__in=LIVE_ACTION_STATUSES, kind__in=[ActionKind.SUSPENSION, ActionKind.REVOCATION, ActionKind.WITHDRAWAL]
    )
    qs = qs.filter(person=person) if person is not None else qs.filter(entity=entity)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if end is not None:
        qs = qs.filter(effective_on__lte=end)
    return qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start)).order_by("effective_on").first()


@transaction.atomic
def complaint_decide(
    *,
    actor: Actor,
    complaint: Complaint,
    outcome: str,
    findings: str,
    provisions: list[str],
    effective_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    until_condition: str = "",
    due_on: datetime.date | None = None,
    classes: list[dict] | None = None,
    public_summary: str = "",
) -> Complaint:
    """Decide a case: dismiss it, or order corrective action, suspension, revocation or withdrawal.

    Preconditions: case staff; case acknowledged or under investigation (not closed); findings
    written; Code of Ethics provisions cited unless dismissed; outcome fits the respondent;
    corrective action names its classes and a due date; a suspension has an end date or a
    condition and does not overlap a live suspension or revocation; no start in the past.
    Side effects: the case is decided; an action is created and, when it starts today,
    executed at once (the certification's status changes); the respondent is told of the
    decision and of the right to appeal within the window; audits complaint.decide, action.create
    and action.execute.
    """
    complaint = _lock(Complaint, complaint.pk)
    _require_case_staff(actor, complaint)
    _refuse_if_closed(complaint)
    check_transition(complaint, ComplaintStatus.DECIDED, allowed=COMPLAINT_TRANSITIONS, noun=NOUNS["case"])
    today = clock.today()
    rules = rules_on(today)
    if outcome not in OUTCOMES_FOR[complaint.respondent_kind]:
        raise ApplicationError(
            "“%(outcome)s” is not an outcome for a %(kind)s.",
            field="outcome",
            params={"outcome": outcome, "kind": complaint.get_respondent_kind_display().lower()},
        )
    if not (findings or "").strip():
        raise ApplicationError("Write the findings the decision rests on.", field="findings")
    provisions = [p for p in (provisions or []) if p]
    unknown = [p for p in provisions if p not in EthicsProvision.values]
    if unknown:
        raise ApplicationError(
            "Unknown Code of Ethics provisions: %(list)s.", field="provisions", params={"list": ", ".join(unknown)}
        )
    if outcome != Outcome.DISMISSED and not provisions:
        raise ApplicationError("Name the Code of Ethics provisions involved.", field="provisions")

    action = None
    if outcome != Outcome.DISMISSED:
        kind = ActionKind(outcome)
        effective_on = effective_on or today
        if effective_on < today:
            raise ApplicationError(
                "The action cannot start in the past. Use today or a later date.", field="effective_on"
            )
        person = complaint.respondent_person
        entity = complaint.respondent_entity
        classes = [c for c in (classes or []) if (c.get("title") or "").strip()]
        if kind == ActionKind.CORRECTIVE_ACTION:
            if not classes:
                raise ApplicationError("List at least one required class.", field="classes")
            if due_on is None or due_on <= effective_on:
                raise ApplicationError("Give a due date after the start date for the classes.", field="due_on")
        if kind == ActionKind.SUSPENSION:
            if ends_on is None and not (until_condition or "").strip():
                raise ApplicationError(
                    "Give the last day of the suspension, or the condition that ends it.", field="ends_on"
                )
            if ends_on is not None and ends_on < effective_on:
                raise ApplicationError("The suspension cannot end before it starts.", field="ends_on")
        if kind in (ActionKind.SUSPENSION, ActionKind.REVOCATION, ActionKind.WITHDRAWAL):
            # Serialize decisions about one respondent so two overlapping suspensions cannot both pass the check.
            if person is not None:
                Person.objects.select_for_update().get(pk=person.pk)
            else:
                TrainingEntity.objects.select_for_update().get(pk=entity.pk)
            clash = _overlapping_suspension(
                person=person, entity=entity, start=effective_on, end=ends_on if kind == ActionKind.SUSPENSION else None
            )
            if clash is not None:
                clash_params = {
                    "kind": clash.get_kind_display().lower(),
                    "start": clash.effective_on,
                    "end": clash.ends_on or "",
                    "case": clash.complaint.number,
                }
                if clash.ends_on:
                    raise ApplicationError(
                        "This overlaps %(kind)s from %(start)s to %(end)s (case %(case)s). Choose dates after it "
                        "ends, or change that action first.",
                        code="conflict",
                        field="effective_on",
                        params=clash_params,
                    )
                raise ApplicationError(
                    "This overlaps %(kind)s from %(start)s (case %(case)s). Choose dates after it ends, or change "
                    "that action first.",
                    code="conflict",
                    field="effective_on",
                    params=clash_params,
                )
            if (
                person is not None
                and kind != ActionKind.CORRECTIVE_ACTION
                and selectors.current_certification(person) is None
            ):
                raise ApplicationError("This person has no certification to suspend or revoke.", code="state")
        action = DisciplinaryAction.objects.create(
            complaint=complaint,
            kind=kind,
            person=person,
            entity=entity,
            status=ActionStatus.SCHEDULED,
            effective_on=effective_on,
            ends_on=ends_on if kind == ActionKind.SUSPENSION else None,
            until_condition=(until_condition or "").strip() if kind == ActionKind.SUSPENSION else "",
            due_on=due_on if kind == ActionKind.CORRECTIVE_ACTION else None,
            public_summary=(public_summary or "").strip()
            or _public_summary(kind, effective_on, ends_on, until_condition, provisions),
            decided_on=today,
            decided_by=actor,
            rules_version=rules.version,
        )
        for spec in classes:
            RequiredClass.objects.create(
                action=action,
                title=spec["title"].strip()[:200],
                ce_category=spec.get("ce_category", "") or "",
                hours=Decimal(str(spec.get("hours") or 0)),
            )
        audit_record(
            actor=actor, action=DisciplineAuditAction.ACTION_CREATE, obj=action, after=snapshot(action, ACTION_FIELDS)
        )
        if effective_on <= today:
            if kind == ActionKind.CORRECTIVE_ACTION:
                _set_action_status(
                    action,
                    ActionStatus.IN_EFFECT,
                    actor=actor,
                    audit_action=DisciplineAuditAction.ACTION_EXECUTE,
                    executed_on=today,
                )
            else:
                _execute(action, actor=actor, today=today, reason=f"Case {complaint.number}: {outcome}")

    before = snapshot(complaint, COMPLAINT_FIELDS)
    transition(complaint, ComplaintStatus.DECIDED, allowed=COMPLAINT_TRANSITIONS, noun=NOUNS["case"])
    complaint.outcome = outcome
    complaint.findings = findings.strip()
    complaint.provisions = provisions
    complaint.decided_on = today
    complaint.decided_by = actor
    complaint.save(
        update_fields=["status", "outcome", "findings", "provisions", "decided_on", "decided_by", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.COMPLAINT_DECIDE,
        obj=complaint,
        before=before,
        after={
            **snapshot(complaint, COMPLAINT_FIELDS),
            "provisions": provisions,
            "action": action.pk if action else None,
            "rules_version": rules.version,
        },
    )

    ethics = appeal_right = None
    if provisions:
        ethics = _filled_later(
            gettext_noop("Code of Ethics: %(provisions)s."),
            {
                "provisions": format_lazy(
                    "; ".join("{}" for _p in provisions), *(EthicsProvision(p).label for p in provisions)
                )
            },
        )
    if action is not None and action.kind in (ActionKind.SUSPENSION, ActionKind.REVOCATION, ActionKind.WITHDRAWAL):
        appeal_right = _filled_later(
            gettext_noop(
                "You have the right to appeal this decision. File your appeal by %(day)s "
                "(%(days)s days) from your account or by mail."
            ),
            {"day": appeal_window_ends(today), "days": (appeal_window_ends(today) - today).days},
        )
    _tell_respondent(
        person=complaint.respondent_person,
        entity=complaint.respondent_entity,
        subject=gettext_noop("Decision on complaint %(number)s: %(outcome)s"),
        body=gettext_noop("Decision on complaint %(number)s: %(outcome)s.\n\nFindings: %(findings)s%(more)s"),
        params={
            "number": complaint.number,
            "outcome": Outcome(outcome).label,
            "findings": complaint.findings,
            "more": _paragraphs(ethics, action.public_summary if action else "", appeal_right),
        },
        url=reverse("discipline:my_case", args=[complaint.pk]),
    )
    tell_email(
        complaint.complainant_email,
        language=COMPLAINANT_LANGUAGE,
        subject=gettext_noop("Your complaint %(number)s is decided"),
        body=gettext_noop(
            "The program has finished looking into your complaint and made a decision. Thank "
            "you for telling us. Public actions appear on the registry."
        ),
        params={"number": complaint.number},
    )
    return complaint


@transaction.atomic
def required_class_complete(
    *, actor: Actor, required_class: RequiredClass, completed_on: datetime.date | None = None, source: str = "staff"
) -> RequiredClass:
    """Mark one required class finished; the corrective action completes when all are.

    Preconditions: case staff; the action is in effect or escalated; the class is not done yet;
    the date is not in the future.
    Side effects: audits required_class.complete (and action.complete); tells the respondent.
    """
    required_class = (
        RequiredClass.objects.select_for_update(of=("self",)).select_related("action").get(pk=required_class.pk)
    )
    action = _lock(DisciplinaryAction, required_class.action_id)
    _require_case_staff(actor, action.complaint)
    if action.status not in (ActionStatus.IN_EFFECT, ActionStatus.ESCALATED):
        raise ApplicationError(
            "This corrective action is %(status)s; classes cannot be marked on it now.",
            code="state",
            params={"status": _action_label(action.status)},
        )
    if required_class.completed_on is not None:
        raise ApplicationError(
            "“%(title)s” was already marked finished on %(day)s.",
            code="duplicate",
            params={"title": required_class.title, "day": required_class.completed_on},
        )
    completed_on = completed_on or clock.today()
    if completed_on > clock.today():
        raise ApplicationError("The date finished cannot be in the future.", field="completed_on")
    required_class.completed_on = completed_on
    required_class.completion_source = source
    required_class.marked_by = actor if getattr(actor, "is_authenticated", False) else None
    required_class.save(update_fields=["completed_on", "completion_source", "marked_by", "updated_at"])
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.REQUIRED_CLASS_COMPLETE,
        obj=required_class,
        after={"completed_on": completed_on, "source": source, "action": action.pk},
    )
    if not action.classes.filter(completed_on__isnull=True).exists():
        _set_action_status(
            action,
            ActionStatus.COMPLETED,
            actor=actor,
            audit_action=DisciplineAuditAction.ACTION_COMPLETE,
            ended_on=clock.today(),
        )
        _tell_respondent(
            person=action.person,
            entity=action.entity,
            subject=gettext_noop("Corrective action for %(number)s is complete"),
            body=gettext_noop("Every required class is recorded as finished. Thank you."),
            params={"number": action.complaint.number},
        )
    return required_class


@transaction.atomic
def action_check_training(*, actor: Actor, action: DisciplinaryAction) -> int:
    """Mark required classes finished from the training ledger's CE hours since the decision.

    A class naming a CE category and hours counts as done when the person has at least those
    hours in that category (any category when blank) between the decision and today.
    Preconditions: case staff; a peer's corrective action in effect or escalated.
    Returns how many classes were marked. Side effects: as required_class_complete.
    """
    action = _lock(DisciplinaryAction, action.pk)
    _require_case_staff(actor, action.complaint)
    if action.person_id is None or action.kind != ActionKind.CORRECTIVE_ACTION:
        raise ApplicationError("Only a peer's corrective action is checked against the training ledger.", code="state")
    today = clock.today()
    hours = ce_hours_between(action.person, action.decided_on, today)
    marked = 0
    for required in action.classes.filter(completed_on__isnull=True, hours__gt=0):
        have = (
            hours.get(required.ce_category, hours.get("total", Decimal(0)))
            if required.ce_category
            else hours.get("total", Decimal(0))
        )
        if have >= required.hours:
            required_class_complete(actor=actor, required_class=required, completed_on=today, source="training_ledger")
            marked += 1
    return marked


@transaction.atomic
def action_lift(*, actor: Actor, action: DisciplinaryAction, reason: str) -> DisciplinaryAction:
    """End a suspension whose condition has been met (or end it early by decision).

    Preconditions: case staff; a suspension in effect; a reason.
    Side effects: the certification returns to active (expired if its term ran out) or the
    entity sanction is lifted; the respondent is told; audit action.end.
    """
    action = _lock(DisciplinaryAction, action.pk)
    _require_case_staff(actor, action.complaint)
    if action.kind != ActionKind.SUSPENSION:
        raise ApplicationError("Only a suspension can be lifted.", code="state")
    if not (reason or "").strip():
        raise ApplicationError("Say why the suspension ends (for example, which condition was met).", field="reason")
    if action.status != ActionStatus.IN_EFFECT:
        raise ApplicationError(
            "This suspension is %(status)s; only one in effect can be lifted.",
            code="state",
            params={"status": _action_label(action.status)},
        )
    today = clock.today()
    _undo(action, actor=actor, today=today, reason=reason.strip())
    _set_action_status(
        action,
        ActionStatus.ENDED,
        actor=actor,
        audit_action=DisciplineAuditAction.ACTION_END,
        reason=reason.strip(),
        ended_on=today,
    )
    _tell_respondent(
        person=action.person,
        entity=action.entity,
        subject=gettext_noop("Suspension from case %(number)s has ended"),
        body=gettext_noop("The suspension ended on %(day)s. %(reason)s"),
        params={"number": action.complaint.number, "day": today, "reason": reason.strip()},
    )
    return action


def _bulk_audit(*, actions, action_name: DisciplineAuditAction, before: dict, after: dict, reason: str) -> None:
    audit_record_many(
        actor=None,
        action=action_name,
        object_type=DisciplinaryAction._meta.label_lower,
        rows=[(pk, f"action {pk}", before, after) for pk in actions],
        reason=reason,
    )


@transaction.atomic
def corrective_actions_escalate(today: datetime.date) -> int:
    """Daily job: flag corrective actions whose due date passed with classes unfinished.

    Set-based and idempotent: one UPDATE over in-effect corrective actions due before today,
    one bulk insert of audit events for exactly the rows it changed; a second run finds none.
    Returns the number escalated. Escalated actions show on the program staff queue.
    """
    # Set-based: the UPDATE filters on the one source state the map lets become escalated.
    due = DisciplinaryAction.objects.select_for_update().filter(
        kind=ActionKind.CORRECTIVE_ACTION, status=ActionStatus.IN_EFFECT, due_on__lt=today
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    DisciplinaryAction.objects.filter(pk__in=ids, status=ActionStatus.IN_EFFECT).update(
        status=ActionStatus.ESCALATED, escalated_on=today, updated_at=clock.now()
    )
    _bulk_audit(
        actions=ids,
        action_name=DisciplineAuditAction.ACTION_ESCALATE,
        before={"status": ActionStatus.IN_EFFECT},
        after={"status": ActionStatus.ESCALATED, "escalated_on": today.isoformat()},
        reason="Required classes not finished by the due date.",
    )
    return len(ids)


@transaction.atomic
def discipline_execute_due(today: datetime.date) -> dict:
    """Daily job: start actions whose effective date has come and end suspensions whose last day passed.

    The rows due are found with one query each, so a run touches only what is due and a second
    run the same day changes nothing. Corrective actions start with one UPDATE. Suspensions and
    revocations change a certification, which goes through certification_change_status one
    certification at a time (that service writes the status history); there are a handful a day.
    Returns counts {"started": n, "ended": n}.
    """
    started = 0
    corrective = list(
        DisciplinaryAction.objects.select_for_update()
        .filter(status=ActionStatus.SCHEDULED, effective_on__lte=today, kind=ActionKind.CORRECTIVE_ACTION)
        .values_list("pk", flat=True)
    )
    if corrective:
        DisciplinaryAction.objects.filter(pk__in=corrective).update(
            status=ActionStatus.IN_EFFECT, executed_on=today, updated_at=clock.now()
        )
        _bulk_audit(
            actions=corrective,
            action_name=DisciplineAuditAction.ACTION_EXECUTE,
            before={"status": ActionStatus.SCHEDULED},
            after={"status": ActionStatus.IN_EFFECT, "executed_on": today.isoformat()},
            reason="Effective date reached.",
        )
        started += len(corrective)
    due = (
        DisciplinaryAction.objects.select_for_update(of=("self",))
        .select_related("complaint", "person", "entity")
        .filter(status=ActionStatus.SCHEDULED, effective_on__lte=today)
        .exclude(kind=ActionKind.CORRECTIVE_ACTION)
    )
    for action in due.order_by("effective_on", "pk"):
        _execute(action, actor=None, today=today, reason=f"Case {action.complaint.number}: effective date reached")
        started += 1
    ended = 0
    finished = (
        DisciplinaryAction.objects.select_for_update(of=("self",))
        .select_related("complaint", "person", "entity")
        .filter(status=ActionStatus.IN_EFFECT, kind=ActionKind.SUSPENSION, ends_on__lt=today)
    )
    for action in finished.order_by("ends_on", "pk"):
        reason = f"Suspension from case {action.complaint.number} ended on {action.ends_on:%Y-%m-%d}"
        _undo(action, actor=None, today=today, reason=reason)
        _set_action_status(
            action,
            ActionStatus.ENDED,
            actor=None,
            audit_action=DisciplineAuditAction.ACTION_END,
            reason=reason,
            ended_on=today,
        )
        _tell_respondent(
            person=action.person,
            entity=action.entity,
            subject=gettext_noop("Your suspension has ended"),
            body=gettext_noop(
                "Suspension from case %(number)s ended on %(day)s. If your certification "
                "is otherwise current it is active again."
            ),
            params={"number": action.complaint.number, "day": action.ends_on},
        )
        ended += 1
    return {"started": started, "ended": ended}
