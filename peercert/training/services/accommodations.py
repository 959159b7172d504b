"""Reasonable accommodations a peer asks for in a course."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_person, tell_users
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.training import permissions as perms
from peercert.training.audit import TrainingAuditAction
from peercert.training.models import (
    ACCOMMODATION_TRANSITIONS,
    AccommodationRequest,
    AccommodationStatus,
    OfferingStatus,
)
from peercert.training.services._common import (
    AS_WRITTEN,
    REQUEST,
    _deny,
    _entity_users,
    _label,
)


@transaction.atomic
def accommodation_request_create(*, actor: Actor, offering, needs: str, document) -> AccommodationRequest:
    """A peer asks for a reasonable accommodation in a course, with a provider's document.

    Preconditions: the peer has a person record; the course is scheduled; the document is a
    PDF or image (checked by content). Side effects: the entity's staff are told (without
    the document's contents); audited.
    """
    person = perms.person_of(actor)
    if person is None:
        raise _deny("Sign in with your own account to ask for an accommodation.")
    if offering.status != OfferingStatus.SCHEDULED:
        raise ApplicationError("This course is not open.", code="state")
    if not (needs or "").strip():
        raise ApplicationError("Describe what you need.", field="needs")
    kind = validate_upload(document, field="document")
    request = AccommodationRequest.objects.create(
        person=person,
        offering=offering,
        needs=needs.strip(),
        document=document,
        document_kind=kind,
        document_name=(document.name or "document")[:255],
    )
    audit_record(
        actor=actor,
        action=TrainingAuditAction.ACCOMMODATION_REQUEST_CREATE,
        obj=request,
        after={"offering": offering.pk, "status": request.status},
    )
    tell_users(
        _entity_users(offering.training_entity_id),
        subject=gettext_noop("An accommodation request needs a decision"),
        body=gettext_noop("For %(course)s."),
        params={"course": offering.display_title},
        link=reverse("training:accommodation_detail", args=[request.pk]),
    )
    return request


@transaction.atomic
def accommodation_request_decide(*, actor: Actor, request, status: str, decision: str) -> AccommodationRequest:
    """The entity's staff or program staff grant, partly grant or deny a request.

    The decision text says what will be provided; required. The peer and the entity's staff
    are told. Audited.
    """
    r = (
        AccommodationRequest.objects.select_for_update(of=("self",))
        .select_related("offering", "person")
        .get(pk=request.pk)
    )
    if not perms.can_decide_accommodation(actor, r):
        raise _deny("Only the training entity's staff or program staff decide accommodation requests.")
    ensure_not_own_matter(actor, r.person_id, what="accommodation")
    if status not in (AccommodationStatus.GRANTED, AccommodationStatus.PARTLY_GRANTED, AccommodationStatus.DENIED):
        raise ApplicationError("Choose granted, partly granted or denied.", field="status")
    check_transition(r, status, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)
    if not (decision or "").strip():
        raise ApplicationError("Write the decision and what will be provided.", field="decision")
    before = {"status": transition(r, status, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)}
    r.decision = decision.strip()
    r.decided_at = clock.now()
    r.decided_by = actor
    r.save(update_fields=["status", "decision", "decided_at", "decided_by", "updated_at"])
    audit_record(
        actor=actor,
        action=TrainingAuditAction.ACCOMMODATION_REQUEST_DECIDE,
        obj=r,
        before=before,
        after={"status": status},
        reason=decision,
    )
    url = reverse("training:accommodation_detail", args=[r.pk])
    tell_person(
        r.person,
        subject=gettext_noop("Accommodation decision: %(status)s"),
        body=AS_WRITTEN,
        params={"status": _label(r), "text": r.decision},
        link=url,
    )
    tell_users(
        _entity_users(r.offering.training_entity_id),
        subject=gettext_noop("Accommodation to provide: %(course)s"),
        body=gettext_noop("%(status)s: %(text)s"),
        params={"course": r.offering.display_title, "status": _label(r), "text": r.decision},
        link=url,
    )
    return r


@transaction.atomic
def accommodation_request_withdraw(*, actor: Actor, request) -> AccommodationRequest:
    """The peer withdraws a request still waiting for a decision. Audited."""
    r = AccommodationRequest.objects.select_for_update().get(pk=request.pk)
    if not perms.is_self(actor, r.person):
        raise _deny("Only the person who asked can withdraw the request.")
    before = transition(r, AccommodationStatus.WITHDRAWN, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)
    r.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=TrainingAuditAction.ACCOMMODATION_REQUEST_WITHDRAW,
        obj=r,
        before={"status": before},
        after={"status": r.status},
    )
    return r
