"""Giving up a certification, and asking for a change of legal name."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.accounts import services as account_services
from peercert.certification import services as certification_services
from peercert.certification.models import Certification
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_person
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.renewal import permissions
from peercert.renewal.audit import RenewalAuditAction
from peercert.renewal.models import (
    NAME_CHANGE_TRANSITIONS,
    NameChange,
    NameChangeStatus,
    Renewal,
    RenewalStatus,
)
from peercert.renewal.services._common import (
    AS_WRITTEN,
    NAME_CHANGE,
    _withdraw,
)

# ---- Surrender and name change ----------------------------------------------------------


@transaction.atomic
def certification_surrender(
    *, actor: Actor, certification: Certification, reason: str, confirmed: bool
) -> Certification:
    """The peer gives up their certification, on purpose and for good, from the surrender page.

    Preconditions: they confirmed; then certification.certification_surrender's (the actor holds
    it, or staff record it at their request; a reason), which writes the status, history,
    audit and tells them. Open renewals not yet with staff are withdrawn, in the same
    transaction.
    """
    if not confirmed:
        raise ApplicationError("Tick the box to confirm. Surrender cannot be undone.", field="confirmed")
    cert = certification_services.certification_surrender(actor=actor, certification=certification, reason=reason)
    for open_renewal in Renewal.objects.select_for_update().filter(
        certification=cert, status__in=(RenewalStatus.IN_PROGRESS, RenewalStatus.WAITING_FOR_FEE)
    ):
        _withdraw(open_renewal, actor=actor, reason="Certification surrendered.")
    return cert


@transaction.atomic
def name_change_request(
    *, actor: Actor, person, new_first_name: str, new_last_name: str, new_middle_name: str = "", document=None
) -> NameChange:
    """The peer asks to change their legal name, with a document (court order, marriage certificate, ID).

    Preconditions: the person is the actor; a first and last name different from the current
    one; a PDF/JPEG/PNG document; one open request at a time. Audited.
    """
    if person.user_id is None or actor is None or person.user_id != actor.pk:
        raise ApplicationError("You may only ask to change your own name.", code="forbidden")
    first, middle, last = (" ".join((v or "").split()) for v in (new_first_name, new_middle_name, new_last_name))
    if not first or not last:
        raise ApplicationError(
            "Give your new first and last name.", field="new_last_name" if first else "new_first_name"
        )
    if (first, middle, last) == (person.legal_first_name, person.legal_middle_name, person.legal_last_name):
        raise ApplicationError("That is already your legal name.", field="new_first_name")
    if document is None:
        raise ApplicationError("Upload the document that shows your new name.", field="document")
    kind = validate_upload(document, field="document")
    try:
        with transaction.atomic():
            change = NameChange.objects.create(
                person=person,
                old_first_name=person.legal_first_name,
                old_middle_name=person.legal_middle_name,
                old_last_name=person.legal_last_name,
                new_first_name=first,
                new_middle_name=middle,
                new_last_name=last,
                document=document,
                document_type=kind,
                document_name=getattr(document, "name", "document")[:255],
                requested_by=actor,
            )
    except IntegrityError:
        raise ApplicationError(
            "You already asked for a name change. Wait for staff to decide it.", code="duplicate"
        ) from None
    audit_record(
        actor=actor,
        action=RenewalAuditAction.NAME_CHANGE_REQUEST,
        obj=change,
        before={"name": change.old_name},
        after={"name": change.new_name},
    )
    return change


@transaction.atomic
def name_change_decide(*, actor: Actor, name_change: NameChange, approve: bool, reason: str = "") -> NameChange:
    """Staff approve (the legal name changes through accounts.services.person_update; the old name stays
    on this record and in the audit) or deny with a reason. Audited; the peer is told."""
    change = NameChange.objects.select_for_update().select_related("person").get(pk=name_change.pk)
    if not permissions.can_decide_name_change(actor):
        raise ApplicationError(
            "Only a program manager or system administrator may change a legal name.", code="forbidden"
        )
    ensure_not_own_matter(actor, change.person_id, what="name_change")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ApplicationError("Give the reason; the peer will read it.", field="reason")
    before = transition(
        change,
        NameChangeStatus.APPROVED if approve else NameChangeStatus.DENIED,
        allowed=NAME_CHANGE_TRANSITIONS,
        noun=NAME_CHANGE,
    )
    change.decided_by, change.decided_at, change.decision_reason = actor, clock.now(), reason
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    if approve:
        account_services.person_update(
            actor=actor,
            person=change.person,
            reason=f"Name change {change.pk} approved",
            data={
                "legal_first_name": change.new_first_name,
                "legal_middle_name": change.new_middle_name,
                "legal_last_name": change.new_last_name,
            },
        )
    audit_record(
        actor=actor,
        action=RenewalAuditAction.NAME_CHANGE_DECIDE,
        obj=change,
        before={"status": before},
        after={"status": change.status, "name": change.new_name if approve else change.old_name},
        reason=reason,
    )
    if approve:
        tell_person(
            change.person,
            subject=gettext_noop("Your name change was approved"),
            body=gettext_noop("Your legal name is now %(name)s."),
            params={"name": change.new_name},
            link=reverse("renewal:timeline"),
        )
    else:
        tell_person(
            change.person,
            subject=gettext_noop("Your name change was not approved"),
            body=AS_WRITTEN,
            params={"reason": reason},
            link=reverse("renewal:timeline"),
        )
    return change


@transaction.atomic
def name_change_withdraw(*, actor: Actor, name_change: NameChange) -> NameChange:
    change = NameChange.objects.select_for_update().select_related("person").get(pk=name_change.pk)
    if change.person.user_id != getattr(actor, "pk", None):
        raise ApplicationError("Only the person who asked may withdraw this request.", code="forbidden")
    before = transition(change, NameChangeStatus.WITHDRAWN, allowed=NAME_CHANGE_TRANSITIONS, noun=NAME_CHANGE)
    change.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=RenewalAuditAction.NAME_CHANGE_WITHDRAW,
        obj=change,
        before={"status": before},
        after={"status": change.status},
    )
    return change
