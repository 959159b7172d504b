"""Every change to technical-assistance questions, saved answers and the FAQ happens here."""

import uuid

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from peercert.assistance.audit import AssistanceAuditAction
from peercert.assistance.models import (
    ASSISTANCE_TRANSITIONS,
    QUESTION,
    AssistanceCategory,
    AssistanceMessage,
    AssistanceRequest,
    AssistanceStatus,
    FaqEntry,
    SavedAnswer,
)
from peercert.assistance.permissions import can_answer_assistance
from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.dates import add_business_days
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_email, tell_user
from peercert.core.transitions import transition
from peercert.core.types import Actor

SAVED_ANSWER_FIELDS = ("title", "category", "body", "is_active")
FAQ_FIELDS = ("question", "answer", "category", "order", "is_published", "language", "translation_of")


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _placeholder_number() -> str:
    # Numbers come from the primary key, known only after the insert; this fills the unique column meanwhile.
    return f"~{uuid.uuid4().hex[:18]}"


def _require_assistance_staff(actor: Actor) -> None:
    if not can_answer_assistance(actor):
        raise ApplicationError("Only program staff answer technical-assistance questions.", code="forbidden")


# --- questions --------------------------------------------------------------------------


@transaction.atomic
def assistance_ask(
    *, actor: Actor, name: str, email: str, category: str, subject: str, question: str, phone: str = ""
) -> AssistanceRequest:
    """Someone asks the program for help, from their account (actor) or the public form (actor None).

    Preconditions: a name, an email to answer, a topic, a subject and the question.
    Side effects: the response clock starts (rules.assistance_response_business_days business
    days); a receipt is emailed in the language the question was asked in; audit assistance.ask.
    """
    name, email, subject, question = (v.strip() for v in (name or "", email or "", subject or "", question or ""))
    if not name:
        raise ApplicationError("Enter your name.", field="name")
    if not email:
        raise ApplicationError("Enter an email address so we can answer you.", field="email")
    if category not in AssistanceCategory.values:
        raise ApplicationError("Choose a topic.", field="category")
    if not subject or not question:
        raise ApplicationError("Write a short subject and your question.", field="question")
    now = clock.now()
    rules = rules_on(clock.today())
    request = AssistanceRequest.objects.create(
        number=_placeholder_number(),
        requester=actor if getattr(actor, "is_authenticated", False) else None,
        name=name[:200],
        email=email,
        phone=(phone or "").strip()[:30],
        category=category,
        subject=subject[:200],
        question=question,
        received_at=now,
        respond_by=add_business_days(clock.today(), rules.assistance_response_business_days),
        rules_version=rules.version,
    )
    request.number = f"H-{now.year}-{request.pk:05d}"
    request.save(update_fields=["number"])
    audit_record(
        actor=actor,
        action=AssistanceAuditAction.ASSISTANCE_ASK,
        obj=request,
        after={"number": request.number, "category": category, "respond_by": request.respond_by},
    )
    tell_email(
        email,
        language=translation.get_language() or "",
        subject=gettext_noop("We received your question %(number)s"),
        body=gettext_noop("Thank you. We will answer by %(respond_by)s.\n\nYour question: %(subject)s"),
        params={"number": request.number, "respond_by": f"{request.respond_by:%Y-%m-%d}", "subject": subject},
    )
    return request


@transaction.atomic
def assistance_assign(*, actor: Actor, request: AssistanceRequest, assignee) -> AssistanceRequest:
    """Give a question to a member of staff. Preconditions: staff; assignee answers questions; not closed."""
    request = _lock(AssistanceRequest, request.pk)
    _require_assistance_staff(actor)
    if request.status == AssistanceStatus.CLOSED:
        raise ApplicationError("This question is closed. Reopen it before assigning it.", code="closed")
    if assignee is None or not can_answer_assistance(assignee):
        raise ApplicationError("Choose a member of program staff.", field="assignee")
    before = {"assigned_to": request.assigned_to_id}
    request.assigned_to = assignee
    request.save(update_fields=["assigned_to", "updated_at"])
    audit_record(
        actor=actor,
        action=AssistanceAuditAction.ASSISTANCE_ASSIGN,
        obj=request,
        before=before,
        after={"assigned_to": assignee.pk},
    )
    return request


@transaction.atomic
def assistance_reply(*, actor: Actor, request: AssistanceRequest, body: str, close: bool = False) -> AssistanceMessage:
    """Staff answer a question: shown in the person's account and sent by email.

    Preconditions: staff; not closed; a reply.
    Side effects: first_response_at set on the first reply (stops the response clock);
    status answered (or closed); audit assistance.reply.
    """
    request = _lock(AssistanceRequest, request.pk)
    _require_assistance_staff(actor)
    if request.status == AssistanceStatus.CLOSED:
        raise ApplicationError("This question is closed. Reopen it before replying.", code="closed")
    if not (body or "").strip():
        raise ApplicationError("Write the reply.", field="body")
    before = {"status": request.status, "first_response_at": request.first_response_at}
    target = AssistanceStatus.CLOSED if close else AssistanceStatus.ANSWERED
    if target != request.status:  # a second answer leaves an answered question answered
        transition(request, target, allowed=ASSISTANCE_TRANSITIONS, noun=QUESTION)
    message = AssistanceMessage.objects.create(request=request, author=actor, from_staff=True, body=body.strip())
    request.first_response_at = request.first_response_at or clock.now()
    if request.assigned_to_id is None:
        request.assigned_to = actor
    request.save(update_fields=["status", "first_response_at", "assigned_to", "updated_at"])
    audit_record(
        actor=actor,
        action=AssistanceAuditAction.ASSISTANCE_REPLY,
        obj=request,
        before=before,
        after={"status": request.status, "first_response_at": request.first_response_at, "message": message.pk},
    )
    # The reply is the staff member's own words, sent as written; only the subject is translated.
    subject, params = (
        gettext_noop("Answer to your question %(number)s"),
        {"number": request.number, "reply": message.body},
    )
    if request.requester_id:
        tell_user(
            request.requester,
            subject=subject,
            body="%(reply)s",
            params=params,
            link=reverse("assistance:my_question", args=[request.pk]),
        )
    else:
        # No account, so no language on record: written in the site's language.
        tell_email(request.email, language="", subject=subject, body="%(reply)s", params=params)
    return message


@transaction.atomic
def assistance_follow_up(*, actor: Actor, request: AssistanceRequest, body: str) -> AssistanceMessage:
    """The person who asked adds to their question from their account; it reopens for staff.

    Preconditions: the actor asked it; a message. Side effects: status open; audit assistance.follow_up.
    """
    request = _lock(AssistanceRequest, request.pk)
    if request.requester_id is None or request.requester_id != getattr(actor, "pk", None):
        raise ApplicationError("You can add only to your own questions.", code="forbidden")
    if not (body or "").strip():
        raise ApplicationError("Write your message.", field="body")
    before = {"status": request.status}
    if request.status != AssistanceStatus.OPEN:
        transition(request, AssistanceStatus.OPEN, allowed=ASSISTANCE_TRANSITIONS, noun=QUESTION)
        request.save(update_fields=["status", "updated_at"])
    message = AssistanceMessage.objects.create(request=request, author=actor, from_staff=False, body=body.strip())
    audit_record(
        actor=actor,
        action=AssistanceAuditAction.ASSISTANCE_FOLLOW_UP,
        obj=request,
        before=before,
        after={"status": request.status, "message": message.pk},
    )
    return message


@transaction.atomic
def assistance_close(*, actor: Actor, request: AssistanceRequest) -> AssistanceRequest:
    """Close a question without a further reply. Preconditions: staff; not closed. Audit assistance.close."""
    request = _lock(AssistanceRequest, request.pk)
    _require_assistance_staff(actor)
    before = {"status": transition(request, AssistanceStatus.CLOSED, allowed=ASSISTANCE_TRANSITIONS, noun=QUESTION)}
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AssistanceAuditAction.ASSISTANCE_CLOSE,
        obj=request,
        before=before,
        after={"status": request.status},
    )
    return request


# --- saved answers and the FAQ ----------------------------------------------------------


@transaction.atomic
def saved_answer_save(*, actor: Actor, data: dict, answer: SavedAnswer | None = None) -> SavedAnswer:
    """Create or edit a saved answer. Preconditions: staff; unique title. Audit saved_answer.save."""
    _require_assistance_staff(actor)
    answer = _lock(SavedAnswer, answer.pk) if answer is not None else SavedAnswer()
    before = snapshot(answer, SAVED_ANSWER_FIELDS) if answer.pk else None
    for name in SAVED_ANSWER_FIELDS:
        if name in data:
            setattr(answer, name, data[name].strip() if isinstance(data[name], str) else data[name])
    if not answer.title or not answer.body:
        raise ApplicationError("A saved answer needs a title and the answer text.", field="title")
    if SavedAnswer.objects.filter(title__iexact=answer.title).exclude(pk=answer.pk).exists():
        raise ApplicationError("Another saved answer already has this title.", code="duplicate", field="title")
    answer.save()
    audit_record(
        actor=actor,
        action=AssistanceAuditAction.SAVED_ANSWER_SAVE,
        obj=answer,
        before=before,
        after=snapshot(answer, SAVED_ANSWER_FIELDS),
    )
    return answer


@transaction.atomic
def faq_save(*, actor: Actor, data: dict, entry: FaqEntry | None = None) -> FaqEntry:
    """Create or edit a public FAQ entry. Preconditions: staff; unique question. Audit faq.save."""
    _require_assistance_staff(actor)
    entry = _lock(FaqEntry, entry.pk) if entry is not None else FaqEntry()
    before = snapshot(entry, FAQ_FIELDS) if entry.pk else None
    for name in FAQ_FIELDS:
        if name in data:
            setattr(entry, name, data[name].strip() if isinstance(data[name], str) else data[name])
    if not entry.question or not entry.answer:
        raise ApplicationError("An FAQ entry needs a question and an answer.", field="question")
    if FaqEntry.objects.filter(question__iexact=entry.question).exclude(pk=entry.pk).exists():
        raise ApplicationError("This question is already in the FAQ.", code="duplicate", field="question")
    if (entry.translation_of_id is None) != (entry.language == "en"):
        raise ApplicationError(
            "An English entry is not a translation; an entry in another language names the English entry it translates.",
            field="translation_of",
        )
    if entry.translation_of_id is not None and (
        entry.translation_of_id == entry.pk
        or FaqEntry.objects.filter(pk=entry.translation_of_id, translation_of__isnull=False).exists()
        or FaqEntry.objects.filter(translation_of_id=entry.translation_of_id, language=entry.language)
        .exclude(pk=entry.pk)
        .exists()
    ):
        raise ApplicationError(
            "Choose an English entry that has no translation in this language yet.", field="translation_of"
        )
    entry.save()
    audit_record(
        actor=actor, action=AssistanceAuditAction.FAQ_SAVE, obj=entry, before=before, after=snapshot(entry, FAQ_FIELDS)
    )
    return entry
