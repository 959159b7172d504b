"""The practical task: what the candidate did (text and an optional file), for the graders."""

from django.db import transaction

from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import Attempt, FormItem, Item, ItemKind, PracticalResponse
from peercert.exams.services._common import _lock
from peercert.exams.services.delivery import _check_candidate, _refuse_if_closed
from peercert.exams.times import LocalTime

__all__ = ["RESPONSE_MAX_CHARS", "practical_response_save"]

RESPONSE_MAX_CHARS = 20_000


@transaction.atomic
def practical_response_save(
    *, actor: Actor, attempt: Attempt, task: Item, text: str, document=None
) -> PracticalResponse:
    """Save the candidate's response to one practical task (saving again replaces it).

    Preconditions: the candidate; the written part open (not handed in, before the deadline, not on
    the break); the task a practical task on the attempt's form; some text or a file; text at most
    RESPONSE_MAX_CHARS; a file PDF, JPEG or PNG (checked by its contents, core.uploads). A new file
    replaces the old one; saving text alone keeps the file. Side effects: one response row; audit
    practical.response_save. Nothing is saved when anything is refused.
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
    if not FormItem.objects.filter(form_id=attempt.form_id, item=task, item__kind=ItemKind.PRACTICAL).exists():
        raise ApplicationError("That task is not on your exam.")
    text = (text or "").strip()
    if len(text) > RESPONSE_MAX_CHARS:
        raise ApplicationError(
            "Your response is %(n)s characters; the limit is %(limit)s. Shorten it or attach a file.",
            params={"n": len(text), "limit": RESPONSE_MAX_CHARS},
            field="text",
        )
    kind = validate_upload(document, field="document") if document else ""
    response = PracticalResponse.objects.filter(attempt=attempt, task=task).first()
    if not text and not document and not (response and response.document):
        raise ApplicationError("Write your response or attach a file.", field="text")
    if response is None:
        response = PracticalResponse(attempt=attempt, task=task)
    response.text = text
    if document:
        response.document_kind = kind
        response.document = document
        response.document_name = (getattr(document, "name", "") or "response")[:255]
    response.save()
    audit_record(
        actor=actor,
        action=ExamsAuditAction.PRACTICAL_RESPONSE_SAVE,
        obj=attempt,
        after={"task": task.pk, "characters": len(text), "file_kind": response.document_kind},
    )
    return response
