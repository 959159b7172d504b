"""Retakes: a candidate who did not pass asks for the retake invoice from their score report; once
finance says it is settled (finance.signals.invoice_settled) the next attempt is authorized."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_person
from peercert.core.types import Actor
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import Attempt, ExamAuthorization
from peercert.exams.selectors import FEE_RETAKE, RETAKE_REFERENCE, RetakeState, retake_standing
from peercert.exams.services._common import _forbid, _lock
from peercert.exams.services.authorizations import exam_attempt_paid
from peercert.finance import services as finance_services

__all__ = ["on_invoice_settled", "retake_invoice_request"]


@transaction.atomic
def retake_invoice_request(*, actor: Actor, attempt: Attempt):
    """The candidate asks for the retake invoice (ProgramRules fee_exam_retake) after a failed attempt.

    Preconditions: the candidate themself; the attempt is their latest, scored and not passed; their
    approval window (application_valid_months, the authorization's valid_until) still open; fewer
    than exam_max_attempts attempts paid; no paid attempt left unused. Asking again returns the
    invoice already made (one invoice per failed attempt). Side effects: a finance invoice for the
    attempt; audit retake.invoice. Returns the invoice.
    """
    if actor is None or attempt.person.user_id != actor.pk:
        raise _forbid("Only the candidate may ask for their retake invoice.")
    _lock(ExamAuthorization, attempt.registration.authorization_id)
    standing = retake_standing(attempt)
    if standing.state == RetakeState.PAY:
        return standing.invoice  # the same click twice: one invoice
    if standing.state != RetakeState.REQUEST:
        raise ApplicationError(standing.refusal, params=standing.params, code="state")
    invoice = finance_services.invoice_create(
        actor=actor,
        payer=attempt.person,
        fee_code=FEE_RETAKE,
        reference_type=RETAKE_REFERENCE,
        reference_id=attempt.pk,
    )
    audit_record(
        actor=actor,
        action=ExamsAuditAction.RETAKE_INVOICE,
        obj=attempt,
        after={"invoice": invoice.pk, "amount": str(invoice.amount), "authorization": standing.authorization.pk},
    )
    return invoice


def on_invoice_settled(sender, invoice, **kwargs) -> None:
    """finance.signals.invoice_settled receiver: a settled retake invoice adds the paid attempt."""
    if invoice.reference_type != RETAKE_REFERENCE:
        return
    attempt = Attempt.objects.select_related("person").filter(pk=int(invoice.reference_id)).first()
    if attempt is None:
        return
    with transaction.atomic():
        exam_attempt_paid(actor=None, person=attempt.person, reference=f"retake-invoice:{invoice.pk}")
        tell_person(
            attempt.person,
            subject=gettext_noop("Your exam retake is paid"),
            body=gettext_noop("Your next exam attempt is authorized. Choose a session on PeerCert."),
            link=reverse("exams:session_list"),
        )
