"""Authorization to test: granted when certification says so, and each paid retake."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.accounts.models import Person
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_person
from peercert.core.types import Actor
from peercert.exams import permissions as perms
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import (
    AttemptFee,
    ExamAuthorization,
)
from peercert.exams.selectors import current_authorization
from peercert.exams.services._common import (
    _lock,
    _system_or,
)


@transaction.atomic
def exam_authorization_grant(
    *, actor: Actor, person: Person, valid_until: datetime.date, reference: str
) -> ExamAuthorization:
    """Authorize a person to test until valid_until, with one paid attempt.

    Called by certification (actor None = system) when the application is approved, training is
    complete and the exam fee is paid; exam administrators may also grant by hand.
    Preconditions: valid_until not in the past; no other authorization still open for the person.
    The same (person, reference) again returns the existing authorization unchanged, so a repeated
    notice is harmless. Side effects: authorization row; audit exam_authorization.grant; the person
    is told (if they have an account).
    """
    _system_or(actor, perms.can_grant_authorization, "Only an exam administrator may authorize a candidate.")
    ensure_not_own_matter(actor, person, what="exam")
    reference = (reference or "").strip()
    if not reference:
        raise ApplicationError("Give a reference (for example the application number).", field="reference")
    Person.objects.select_for_update().get(pk=person.pk)
    existing = ExamAuthorization.objects.filter(person=person, reference=reference).first()
    if existing is not None:
        return existing
    today = clock.today()
    if valid_until < today:
        raise ApplicationError("The authorization would already have ended. Choose a later date.", field="valid_until")
    if ExamAuthorization.objects.filter(person=person, valid_until__gte=today).exists():
        raise ApplicationError(
            "%(person)s is already authorized to test. Wait until that window ends.",
            params={"person": str(person)},
            code="conflict",
        )
    rules = rules_on(today)
    auth = ExamAuthorization.objects.create(
        person=person,
        valid_until=valid_until,
        attempts_paid=1,
        reference=reference,
        rules_version=rules.version,
        granted_by=actor if actor is not None else None,
    )
    AttemptFee.objects.create(authorization=auth, reference=reference)
    audit_record(
        actor=actor,
        action=ExamsAuditAction.EXAM_AUTHORIZATION_GRANT,
        obj=auth,
        after={"person": person.pk, "valid_until": valid_until, "reference": reference, "rules_version": rules.version},
    )
    tell_person(
        person,
        subject=gettext_noop("You are authorized to take the certification exam"),
        body=gettext_noop("You may schedule the exam until %(day)s. Choose a session on PeerCert."),
        params={"day": valid_until},
        link=reverse("exams:my_exam"),
    )
    return auth


@transaction.atomic
def exam_attempt_paid(*, actor: Actor, person: Person, reference: str) -> ExamAuthorization:
    """Add one paid attempt to the person's open authorization (the retake fee is settled).

    Preconditions: an open authorization; fewer paid attempts than the max-attempts rule allows.
    The same reference twice adds one attempt only. Side effects: attempts_paid + 1, a fee row;
    audit exam_authorization.attempt_paid.
    """
    _system_or(actor, perms.can_grant_authorization, "Only an exam administrator may record a paid attempt.")
    ensure_not_own_matter(actor, person, what="exam")
    auth = current_authorization(person)
    if auth is None:
        raise ApplicationError(
            "%(person)s has no open authorization to test.", params={"person": str(person)}, code="state"
        )
    auth = _lock(ExamAuthorization, auth.pk)
    if auth.fees.filter(reference=reference).exists():
        return auth
    rules = rules_on()
    if auth.attempts_paid >= rules.exam_max_attempts:
        raise ApplicationError(
            "%(person)s has already paid for %(paid)s attempts; the limit is %(limit)s in one approval window.",
            params={"person": str(person), "paid": auth.attempts_paid, "limit": rules.exam_max_attempts},
            code="state",
        )
    before = {"attempts_paid": auth.attempts_paid}
    auth.attempts_paid += 1
    auth.save(update_fields=["attempts_paid", "updated_at"])
    AttemptFee.objects.create(authorization=auth, reference=reference)
    audit_record(
        actor=actor,
        action=ExamsAuditAction.EXAM_AUTHORIZATION_ATTEMPT_PAID,
        obj=auth,
        before=before,
        after={"attempts_paid": auth.attempts_paid, "reference": reference},
    )
    return auth
