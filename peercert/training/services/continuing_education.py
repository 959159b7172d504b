"""Continuing education a peer took elsewhere and reports with evidence."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_person
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.core.vocabulary import CECategory
from peercert.training import permissions as perms
from peercert.training.audit import TrainingAuditAction
from peercert.training.models import (
    CE_ACTIVITY_TRANSITIONS,
    CEActivity,
    CEActivityStatus,
)
from peercert.training.services._common import (
    ACTIVITY,
    AS_WRITTEN,
    _deny,
    _label,
    _lower,
)


@transaction.atomic
def ce_activity_report(
    *, actor: Actor, title: str, provider_name: str, completed_on: datetime.date, hours, ce_category: str, evidence
) -> CEActivity:
    """A peer reports CE taken elsewhere, with evidence (PDF or image, checked by content).

    Hours above zero; the date not in the future. Waits for program staff to accept it. Audited.
    """
    person = perms.person_of(actor)
    if person is None:
        raise _deny("Sign in with your own account to report continuing education.")
    hours = Decimal(str(hours))
    if hours <= 0:
        raise ApplicationError("Hours must be more than zero.", field="hours")
    if completed_on > clock.today():
        raise ApplicationError("The date cannot be in the future.", field="completed_on")
    if ce_category not in CECategory.values:
        raise ApplicationError("Choose a category.", field="ce_category")
    kind = validate_upload(evidence, field="evidence")
    activity = CEActivity.objects.create(
        person=person,
        title=title.strip(),
        provider_name=provider_name.strip(),
        completed_on=completed_on,
        hours=hours,
        ce_category=ce_category,
        evidence=evidence,
        evidence_kind=kind,
        evidence_name=(evidence.name or "evidence")[:255],
    )
    audit_record(
        actor=actor,
        action=TrainingAuditAction.CE_ACTIVITY_REPORT,
        obj=activity,
        after={"hours": hours, "ce_category": ce_category, "completed_on": completed_on},
    )
    return activity


def _ce_decide(*, actor: Actor, activity, to: str, reason: str, action: str) -> CEActivity:
    if not perms.can_review_ce_activity(actor):
        raise _deny("Only program reviewers and managers review continuing education.")
    a = CEActivity.objects.select_for_update(of=("self",)).select_related("person").get(pk=activity.pk)
    ensure_not_own_matter(actor, a.person_id, what="ce_activity")
    before = {"status": transition(a, to, allowed=CE_ACTIVITY_TRANSITIONS, noun=ACTIVITY)}
    a.decision_reason = reason or ""
    a.decided_at = clock.now()
    a.decided_by = actor
    a.save(update_fields=["status", "decision_reason", "decided_at", "decided_by", "updated_at"])
    audit_record(actor=actor, action=action, obj=a, before=before, after={"status": to}, reason=reason)
    tell_person(
        a.person,
        subject=gettext_noop("Continuing education %(status)s: %(title)s"),
        body=AS_WRITTEN if reason else gettext_noop("%(status_label)s"),
        params={"status": _lower(_label(a)), "title": a.title, "status_label": _label(a), "text": reason},
        link=reverse("training:my_training"),
    )
    return a


@transaction.atomic
def ce_activity_accept(*, actor: Actor, activity, reason: str = "") -> CEActivity:
    """Program staff accept reported CE: it then counts in the ledger. Audited; peer told."""
    return _ce_decide(
        actor=actor,
        activity=activity,
        to=CEActivityStatus.ACCEPTED,
        reason=reason,
        action=TrainingAuditAction.CE_ACTIVITY_ACCEPT,
    )


@transaction.atomic
def ce_activity_reject(*, actor: Actor, activity, reason: str) -> CEActivity:
    """Program staff reject reported CE, saying why (required). Audited; peer told."""
    if not (reason or "").strip():
        raise ApplicationError("Say why, so the peer can fix it.", field="reason")
    return _ce_decide(
        actor=actor,
        activity=activity,
        to=CEActivityStatus.REJECTED,
        reason=reason,
        action=TrainingAuditAction.CE_ACTIVITY_REJECT,
    )
