"""Reasonable accommodations: the candidate asks, exam staff decide, the seat takes the terms."""

from decimal import Decimal

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
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.exams import permissions as perms
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import (
    ACCOMMODATION_TRANSITIONS,
    AccommodationKind,
    AccommodationRequest,
    AccommodationStatus,
    Registration,
    RegistrationStatus,
)
from peercert.exams.services._common import (
    REQUEST,
    _forbid,
    _is_self,
    _lock,
    _system_or,
)


@transaction.atomic
def accommodation_request(
    *,
    actor: Actor,
    person: Person,
    kinds: list[str],
    provider_name: str,
    provider_license: str,
    document,
    details: str = "",
) -> AccommodationRequest:
    """A candidate asks for reasonable accommodation, with their licensed provider's form.

    Preconditions: the candidate themself; at least one kind; the provider named and licensed; the
    document a real PDF/JPEG/PNG (contents checked); no other request waiting. Side effects: the
    request (confidential); audit accommodation.request (no health details in the audit).
    """
    if actor is None or not _is_self(actor, person):
        raise _forbid("Only the candidate may request an accommodation.")
    kinds = [k for k in kinds if k]
    if not kinds or set(kinds) - set(AccommodationKind.values):
        raise ApplicationError("Choose what you need.", field="kinds")
    if AccommodationKind.OTHER in kinds and not (details or "").strip():
        raise ApplicationError("Describe the other accommodation you need.", field="details")
    if not (provider_name or "").strip() or not (provider_license or "").strip():
        raise ApplicationError("Give your licensed provider's name and license number.", field="provider_name")
    if document is None:
        raise ApplicationError("Upload the form your licensed provider completed.", field="document")
    kind = validate_upload(document, field="document")
    if AccommodationRequest.objects.filter(person=person, status=AccommodationStatus.SUBMITTED).exists():
        raise ApplicationError("You already have a request waiting for review.", code="duplicate")
    req = AccommodationRequest.objects.create(
        person=person,
        kinds=kinds,
        details=(details or "").strip(),
        provider_name=provider_name.strip(),
        provider_license=provider_license.strip(),
        document=document,
        document_kind=kind,
        document_name=(getattr(document, "name", "") or "document")[:255],
    )
    audit_record(actor=actor, action=ExamsAuditAction.ACCOMMODATION_REQUEST, obj=req, after={"person": person.pk})
    return req


@transaction.atomic
def accommodation_decide(
    *,
    actor: Actor,
    request: AccommodationRequest,
    approve: bool,
    notes: str = "",
    time_multiplier: Decimal = Decimal("1.00"),
    separate_room: bool = False,
) -> AccommodationRequest:
    """Approve (with the terms granted) or deny a request, and apply it to the open registration.

    Preconditions: exam administrator or program manager; request waiting; a multiplier from 1 to the
    rule's maximum; a reason when denying. Side effects: decision; the candidate's open
    registrations take the multiplier (one update); audit accommodation.decide; the candidate told.
    """
    _system_or(actor, perms.can_decide_accommodations, "Only an exam administrator or program manager may decide.")
    req = _lock(AccommodationRequest, request.pk)
    ensure_not_own_matter(actor, req.person_id, what="accommodation")
    to = AccommodationStatus.APPROVED if approve else AccommodationStatus.DENIED
    check_transition(req, to, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)
    time_multiplier = Decimal(str(time_multiplier or "1.00"))
    limit = rules_on().exam_accommodation_max_multiplier
    if approve and not Decimal("1.00") <= time_multiplier <= limit:
        raise ApplicationError(
            "The time multiplier must be between 1 and %(limit)s.", params={"limit": limit}, field="time_multiplier"
        )
    if not approve and not (notes or "").strip():
        raise ApplicationError("Explain the denial; the candidate will read it.", field="notes")
    transition(req, to, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)
    req.time_multiplier = time_multiplier if approve else Decimal("1.00")
    req.separate_room = bool(separate_room) if approve else False
    req.decision_notes, req.decided_by, req.decided_at = (notes or "").strip(), actor, clock.now()
    req.save(
        update_fields=[
            "status",
            "time_multiplier",
            "separate_room",
            "decision_notes",
            "decided_by",
            "decided_at",
            "updated_at",
        ]
    )
    applied = 0
    if approve:
        applied = Registration.objects.filter(person=req.person, status=RegistrationStatus.REGISTERED).update(
            accommodation=req, time_multiplier=req.time_multiplier
        )
    audit_record(
        actor=actor,
        action=ExamsAuditAction.ACCOMMODATION_DECIDE,
        obj=req,
        before={"status": AccommodationStatus.SUBMITTED},
        after={"status": to, "time_multiplier": req.time_multiplier, "registrations_updated": applied},
    )
    tell_person(
        req.person,
        subject=gettext_noop("A decision on your accommodation request"),
        body=gettext_noop("Your request was approved.") if approve else gettext_noop("Your request was not approved."),
        link=reverse("exams:accommodation_detail", args=[req.pk]),
    )
    return req


@transaction.atomic
def accommodation_withdraw(*, actor: Actor, request: AccommodationRequest) -> AccommodationRequest:
    """The candidate withdraws a request that is still waiting. Audited."""
    if not _is_self(actor, request.person):
        raise _forbid("Only the candidate may withdraw the request.")
    req = _lock(AccommodationRequest, request.pk)
    transition(req, AccommodationStatus.WITHDRAWN, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)
    req.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=ExamsAuditAction.ACCOMMODATION_WITHDRAW,
        obj=req,
        before={"status": AccommodationStatus.SUBMITTED},
        after={"status": req.status},
    )
    return req
