"""Delivery in the browser: the candidate starts, answers, takes the break and hands in the written
part; what is left open at the deadline is handed in and scored by the system."""

import datetime

from django.db import transaction
from django.db.models import F

from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import (
    ATTEMPT_TRANSITIONS,
    Answer,
    Attempt,
    AttemptStatus,
    FormItem,
    Item,
    ItemKind,
)
from peercert.exams.services._common import (
    ATTEMPT,
    _forbid,
    _lock,
)
from peercert.exams.services.scoring import _finalize, _score_written
from peercert.exams.times import LocalTime

__all__ = [
    "answer_save",
    "attempt_break_end",
    "attempt_break_start",
    "attempt_close_if_overdue",
    "attempt_start",
    "attempt_submit",
    "attempts_close_overdue",
    "close_overdue_daily",
]


def _check_candidate(actor: Actor, attempt: Attempt) -> None:
    if actor is None or attempt.person.user_id != actor.pk:
        raise _forbid("Only the candidate may take their exam.")


def _after_commit_schedule(deadline: datetime.datetime) -> None:
    from peercert.exams.tasks import schedule_close

    transaction.on_commit(lambda: schedule_close(deadline))


def _refuse_if_closed(attempt: Attempt, now: datetime.datetime) -> None:
    """The one refusal for a change to a written part that is no longer open."""
    if attempt.auto_submitted:
        raise ApplicationError(
            "Time ran out at %(time)s and your exam was handed in for you. This answer was not saved; "
            "answers chosen before then are kept and scored.",
            params={"time": LocalTime(attempt.deadline_at, clock_only=True)},
            code="closed",
        )
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise ApplicationError("This exam is not open for answers.", code="state")
    if now > attempt.deadline_at:
        raise ApplicationError(
            "Time ran out at %(time)s. This answer was not saved; answers chosen before then are kept.",
            params={"time": LocalTime(attempt.deadline_at, clock_only=True)},
            code="closed",
        )


@transaction.atomic
def attempt_start(*, actor: Actor, attempt: Attempt) -> Attempt:
    """The candidate starts the written part. Starting again after a disconnect just resumes.

    Preconditions: the candidate; checked in; inside the session window (from the start time until
    the session's allowed time has passed). The deadline is start + exam minutes x the candidate's
    time multiplier, fixed now and enforced by the server; the queue is asked to hand the attempt
    in at the deadline. Audit attempt.start.
    """
    _check_candidate(actor, attempt)
    attempt = _lock(Attempt, attempt.pk)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return attempt
    check_transition(attempt, AttemptStatus.IN_PROGRESS, allowed=ATTEMPT_TRANSITIONS, noun=ATTEMPT)
    reg = attempt.registration
    now = clock.now()
    window_end = reg.session.starts_at + datetime.timedelta(minutes=reg.allowed_minutes)
    if now < reg.session.starts_at:
        raise ApplicationError(
            "The written part opens at %(time)s.", params={"time": LocalTime(reg.session.starts_at)}, code="state"
        )
    if now >= window_end:
        raise ApplicationError("The session is over; the written part can no longer be started.", code="state")
    transition(attempt, AttemptStatus.IN_PROGRESS, allowed=ATTEMPT_TRANSITIONS, noun=ATTEMPT)
    attempt.started_at = now
    attempt.deadline_at = now + datetime.timedelta(minutes=reg.allowed_minutes)
    attempt.save(update_fields=["status", "started_at", "deadline_at", "updated_at"])
    audit_record(
        actor=actor,
        action=ExamsAuditAction.ATTEMPT_START,
        obj=attempt,
        before={"status": AttemptStatus.CHECKED_IN},
        after={"status": attempt.status, "deadline_at": attempt.deadline_at, "minutes": reg.allowed_minutes},
    )
    _after_commit_schedule(attempt.deadline_at)
    return attempt


@transaction.atomic
def attempt_break_start(*, actor: Actor, attempt: Attempt) -> Attempt:
    """The candidate takes the break (ProgramRules exam_break_minutes): the clock stops.

    Once per attempt, while the written part is open and time is left. The deadline moves on by
    the whole allowance now (so a candidate who never comes back loses nothing and the sweep needs
    no arithmetic); resuming early gives back what was not used. Answers wait until the break ends.
    Audit attempt.break_start.
    """
    _check_candidate(actor, attempt)
    attempt = _lock(Attempt, attempt.pk)
    now = clock.now()
    _refuse_if_closed(attempt, now)
    if attempt.break_taken:
        raise ApplicationError(
            "You have already taken your break. The break can be taken once during the exam.", code="state"
        )
    minutes = rules_on(attempt.taken_on).exam_break_minutes
    if minutes <= 0:
        raise ApplicationError("This exam has no break.", code="state")
    before = {"deadline_at": attempt.deadline_at}
    attempt.break_started_at, attempt.break_minutes = now, minutes
    attempt.deadline_at = attempt.deadline_at + datetime.timedelta(minutes=minutes)
    attempt.save(update_fields=["break_started_at", "break_minutes", "deadline_at", "updated_at"])
    audit_record(
        actor=actor,
        action=ExamsAuditAction.ATTEMPT_BREAK_START,
        obj=attempt,
        before=before,
        after={"deadline_at": attempt.deadline_at, "break_minutes": minutes},
    )
    _after_commit_schedule(attempt.deadline_at)
    return attempt


@transaction.atomic
def attempt_break_end(*, actor: Actor, attempt: Attempt) -> Attempt:
    """The candidate comes back from the break: the clock runs again.

    The deadline keeps only the break actually taken (up to the allowance). Coming back after the
    allowance ended changes nothing: the break ended by itself. Audit attempt.break_end.
    """
    _check_candidate(actor, attempt)
    attempt = _lock(Attempt, attempt.pk)
    now = clock.now()
    if attempt.break_started_at is None or attempt.break_ended_at is not None:
        raise ApplicationError("You are not on a break.", code="state")
    end = min(now, attempt.break_until)
    unused = attempt.break_until - end
    before = {"deadline_at": attempt.deadline_at}
    attempt.break_ended_at = end
    attempt.deadline_at = attempt.deadline_at - unused
    attempt.save(update_fields=["break_ended_at", "deadline_at", "updated_at"])
    audit_record(
        actor=actor,
        action=ExamsAuditAction.ATTEMPT_BREAK_END,
        obj=attempt,
        before=before,
        after={
            "deadline_at": attempt.deadline_at,
            "break_seconds": int((end - attempt.break_started_at).total_seconds()),
        },
    )
    return attempt


@transaction.atomic
def answer_save(*, actor: Actor, attempt: Attempt, item: Item, choice: int) -> Answer:
    """Save (or change) one answer as the candidate chooses it.

    Preconditions: the candidate; attempt in progress and not handed in at the deadline; before the
    deadline (server clock); not on the break; the item on the attempt's form; a valid option.
    Side effects: one Answer row upserted; audit answer.save.
    """
    _check_candidate(actor, attempt)
    attempt = _lock(Attempt, attempt.pk)
    now = clock.now()
    _refuse_if_closed(attempt, now)
    if attempt.on_break(now):
        raise ApplicationError(
            "You are on your break until %(time)s. Resume the exam to answer.",
            params={"time": LocalTime(attempt.break_until, clock_only=True)},
            code="state",
        )
    if not FormItem.objects.filter(form_id=attempt.form_id, item=item, item__kind=ItemKind.MULTIPLE_CHOICE).exists():
        raise ApplicationError("That question is not on your exam.")
    if not isinstance(choice, int) or not 0 <= choice < len(item.options):
        raise ApplicationError("Choose one of the answers shown.", field="choice")
    answer, _created = Answer.objects.update_or_create(
        attempt=attempt, item=item, defaults={"choice": choice, "answered_at": now}
    )
    audit_record(
        actor=actor, action=ExamsAuditAction.ANSWER_SAVE, obj=attempt, after={"item": item.pk, "choice": choice}
    )
    return answer


@transaction.atomic
def attempt_submit(*, actor: Actor, attempt: Attempt) -> Attempt:
    """The candidate hands in the written part (allowed after the deadline too: late answers were refused).

    Side effects: status submitted; the written part scored; the result decided if no practical
    grading is outstanding; audit attempt.submit.
    """
    _check_candidate(actor, attempt)
    attempt = _lock(Attempt, attempt.pk)
    if attempt.auto_submitted:
        raise ApplicationError(
            "Your exam was already handed in for you when time ran out at %(time)s.",
            params={"time": LocalTime(attempt.deadline_at, clock_only=True)},
            code="state",
        )
    before = {"status": transition(attempt, AttemptStatus.SUBMITTED, allowed=ATTEMPT_TRANSITIONS, noun=ATTEMPT)}
    attempt.submitted_at = clock.now()
    attempt.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action=ExamsAuditAction.ATTEMPT_SUBMIT,
        obj=attempt,
        before=before,
        after={"status": attempt.status},
    )
    _score_written([attempt.pk])
    _finalize(actor=actor, attempt_ids=[attempt.pk])
    return Attempt.objects.get(pk=attempt.pk)


@transaction.atomic
def attempts_close_overdue(*, now: datetime.datetime | None = None, attempt_ids: list[int] | None = None) -> list[int]:
    """Hand in every written part still open after its deadline, then score it (the system acts).

    Set-based: one locking read of the overdue attempts, one UPDATE (submitted at the deadline,
    marked auto_submitted), one audit insert, then the written parts counted and results decided in
    the grouped queries scoring uses. Running it again finds nothing to do. Returns the ids closed.
    """
    now = now or clock.now()
    overdue = Attempt.objects.select_for_update().filter(status=AttemptStatus.IN_PROGRESS, deadline_at__lt=now)
    if attempt_ids is not None:
        overdue = overdue.filter(pk__in=attempt_ids)
    rows = list(overdue.values_list("pk", "deadline_at"))
    if not rows:
        return []
    ids = [pk for pk, _deadline in rows]
    Attempt.objects.filter(pk__in=ids).update(
        status=AttemptStatus.SUBMITTED, submitted_at=F("deadline_at"), auto_submitted=True, updated_at=now
    )
    audit_record_many(
        actor=None,
        action=ExamsAuditAction.ATTEMPT_AUTO_SUBMIT,
        object_type="exams.attempt",
        rows=[
            (pk, f"Attempt {pk}", {"status": AttemptStatus.IN_PROGRESS}, {"status": AttemptStatus.SUBMITTED})
            for pk, _deadline in rows
        ],
    )
    _score_written(ids)
    _finalize(actor=None, attempt_ids=ids)
    return ids


def attempt_close_if_overdue(attempt: Attempt) -> Attempt:
    """On any request that touches an attempt: hand it in first if its time ran out."""
    if attempt.status == AttemptStatus.IN_PROGRESS and attempt.deadline_at and attempt.deadline_at < clock.now():
        attempts_close_overdue(attempt_ids=[attempt.pk])
        attempt.refresh_from_db()
    return attempt


def close_overdue_daily(today: datetime.date) -> dict:
    """Daily job: the written parts still open past their deadline are handed in and scored."""
    return {"closed": len(attempts_close_overdue())}
