"""Delivery in the browser: the candidate starts, answers and hands in the written part."""

import datetime

from django.db import transaction

from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
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


def _check_candidate(actor: Actor, attempt: Attempt) -> None:
    if actor is None or attempt.person.user_id != actor.pk:
        raise _forbid("Only the candidate may take their exam.")


@transaction.atomic
def attempt_start(*, actor: Actor, attempt: Attempt) -> Attempt:
    """The candidate starts the written part. Starting again after a disconnect just resumes.

    Preconditions: the candidate; checked in; inside the session window (from the start time until
    the session's allowed time has passed). The deadline is start + exam minutes x the candidate's
    time multiplier, fixed now and enforced by the server. Audit attempt.start.
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
            "The written part opens at %(time)s.", params={"time": f"{reg.session.starts_at:%H:%M}"}, code="state"
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
    return attempt


@transaction.atomic
def answer_save(*, actor: Actor, attempt: Attempt, item: Item, choice: int) -> Answer:
    """Save (or change) one answer as the candidate chooses it.

    Preconditions: the candidate; attempt in progress; before the deadline (server clock); the item on
    the attempt's form; a valid option. Side effects: one Answer row upserted; audit answer.save.
    """
    _check_candidate(actor, attempt)
    attempt = _lock(Attempt, attempt.pk)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise ApplicationError("This exam is not open for answers.", code="state")
    now = clock.now()
    if now > attempt.deadline_at:
        raise ApplicationError(
            "Time ran out at %(time)s. This answer was not saved; answers chosen before then are kept.",
            params={"time": f"{attempt.deadline_at:%H:%M}"},
            code="closed",
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
