"""A certification's renewal and surrender: changes other apps ask for, made here.

Certification is the only app that writes its rows, status history and audit, so renewal asks
these services instead of saving a Certification itself. Each checks its own permission, so a
caller cannot borrow the system's authority (actor=None) to skip it.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.certification.models import (
    CERTIFICATION_TRANSITIONS,
    Certification,
    CertificationStatus,
    CertificationStatusChange,
)
from peercert.certification.permissions import can_manage_certification
from peercert.certification.signals import announce_issued, announce_status_changes
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_person
from peercert.core.text import lower_lazy
from peercert.core.transitions import transition
from peercert.core.types import Actor

CERTIFICATION = gettext_noop("certification")
RENEWABLE_STATUSES = (CertificationStatus.ACTIVE, CertificationStatus.EXPIRED)

# Plain strings until certification's audit actions become members (certification.audit).
CHANGE_STATUS_ACTION = "certification.change_status"
RENEW_ACTION = "certification.renew"
SURRENDER_ACTION = "certification.surrender"


def _lock(certification: Certification) -> Certification:
    return Certification.objects.select_for_update().select_related("person").get(pk=certification.pk)


def _holds(actor: Actor, certification: Certification) -> bool:
    return (
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and certification.person.user_id is not None
        and certification.person.user_id == actor.pk
    )


def _change_status(certification: Certification, to_status: str, *, actor: Actor, reason: str, source: str) -> str:
    """Move the locked certification, with its history row and audit event; the peer is told. Returns the old
    status."""
    effective_on = clock.today()
    before = transition(certification, to_status, allowed=CERTIFICATION_TRANSITIONS, noun=CERTIFICATION)
    certification.status_changed_on = effective_on
    certification.save(update_fields=["status", "status_changed_on", "updated_at"])
    change = CertificationStatusChange.objects.create(
        certification=certification,
        from_status=before,
        to_status=to_status,
        effective_on=effective_on,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        source=source,
    )
    announce_status_changes(CertificationStatusChange.objects.filter(pk=change.pk))
    audit_record(
        actor=actor,
        action=CHANGE_STATUS_ACTION,
        obj=certification,
        before={"status": before},
        after={"status": to_status, "effective_on": effective_on, "source": source},
        reason=reason,
    )
    tell_person(
        certification.person,
        subject=gettext_noop("Your certification is now %(status)s"),
        body=gettext_noop("Certification %(number)s: %(reason)s"),
        params={
            "status": lower_lazy(CertificationStatus(to_status).label),
            "number": certification.number,
            "reason": reason,
        },
        link=reverse("certification:mine"),
    )
    return before


@transaction.atomic
def certification_renew(
    *, actor: Actor, certification: Certification, new_expires_on: datetime.date, renewal_id: int, rules_version: str
) -> Certification:
    """A renewal was approved: the certification now expires on new_expires_on, under rules_version.

    Preconditions: actor None (a renewal approved by itself once every rule is met) or staff of
    the certifying program, not the holder; the certification active or expired (an expired one
    is reinstated: active again, with history); the new date after both the current one and
    today. Audited as certification.renew (and the reinstatement as a status change).
    """
    cert = _lock(certification)
    if actor is not None and not can_manage_certification(actor, cert):
        raise ApplicationError("Only staff of the certifying program may renew a certification.", code="forbidden")
    ensure_not_own_matter(actor, cert.person_id, what="certification")
    if cert.status not in RENEWABLE_STATUSES:
        raise ApplicationError(
            "The certification is %(status)s now, so it cannot be renewed. A certification must "
            "be in good standing to renew.",
            code="state",
            params={"status": cert.get_status_display().lower()},
        )
    if new_expires_on <= max(cert.expires_on, clock.today()):
        raise ApplicationError(
            "A renewed certification must expire after %(day)s.",
            code="state",
            params={"day": max(cert.expires_on, clock.today())},
        )
    old_expiry = cert.expires_on
    cert.expires_on, cert.rules_version = new_expires_on, rules_version
    cert.save(update_fields=["expires_on", "rules_version", "updated_at"])
    audit_record(
        actor=actor,
        action=RENEW_ACTION,
        obj=cert,
        before={"expires_on": old_expiry},
        after={"expires_on": new_expires_on, "renewal": renewal_id, "rules_version": rules_version},
    )
    if cert.status == CertificationStatus.EXPIRED:
        _change_status(
            cert,
            CertificationStatus.ACTIVE,
            actor=actor,
            source="reinstatement",
            reason=f"Reinstated by late renewal; now expires on {new_expires_on:%B %-d, %Y}.",
        )
    announce_issued(cert)
    return cert


@transaction.atomic
def certification_surrender(*, actor: Actor, certification: Certification, reason: str) -> Certification:
    """The certification is given up, on purpose and for good.

    Preconditions: the actor holds it (the peer surrenders their own), or is staff of the
    certifying program recording a surrender the peer asked for (not their own); a reason; a
    status that may become surrendered. The history row names whoever did it. Audited as a
    status change and as certification.surrender; the peer is told.
    """
    cert = _lock(certification)
    holder = _holds(actor, cert)
    if not holder:
        if actor is None or not can_manage_certification(actor, cert):
            raise ApplicationError(
                "Only the certified person, or staff of the certifying program at their request, "
                "may surrender this certification.",
                code="forbidden",
            )
        ensure_not_own_matter(actor, cert.person_id, what="certification")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Tell us why the certification is surrendered.", field="reason")
    said = f"Surrendered by the peer: {reason}" if holder else f"Surrendered at the peer's request: {reason}"
    _change_status(cert, CertificationStatus.SURRENDERED, actor=actor, reason=said, source="surrender")
    audit_record(
        actor=actor, action=SURRENDER_ACTION, obj=cert, after={"status": CertificationStatus.SURRENDERED}, reason=reason
    )
    return cert
