"""The reviewer's side of an application: assign, review, decide requirements, ask for changes,
approve, deny, reopen on appeal; and approvals that lapse."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role
from peercert.certification import fees, requirements
from peercert.certification.audit import AuditAction
from peercert.certification.models import (
    APPLICATION_TRANSITIONS,
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    Certification,
    Outcome,
    Pathway,
    RequirementDecision,
)
from peercert.certification.permissions import (
    can_review_application,
    can_review_in,
)
from peercert.certification.services._common import (
    APPLICATION,
    _application_url,
    _lock,
    _require_paid,
    _require_reviewer,
    _stop_clock,
)
from peercert.certification.services.certifications import certification_issue
from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many, snapshot
from peercert.core.dates import add_months
from peercert.core.duties import ensure_not_assigned_to_party, ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_person, tell_user
from peercert.core.transitions import transition
from peercert.core.types import Actor


@transaction.atomic
def application_assign(*, actor: Actor, application: Application, reviewer) -> Application:
    """Give the application to a reviewer of its program; starts the review when the fee is paid.

    Preconditions: actor and reviewer both review in the application's program; the
    application is submitted, in review or waiting for changes. Audited.
    """
    application = _lock(application)
    _require_reviewer(actor, application)
    if reviewer is None or not can_review_in(reviewer, application.program_id):
        raise ApplicationError("Assign the application to a reviewer of its program.", field="reviewer")
    ensure_not_assigned_to_party(reviewer, application.person_id, field="reviewer")
    if application.status not in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.REVISION_REQUESTED,
    ):
        raise ApplicationError("Only a submitted application that is not yet decided can be assigned.", code="state")
    before = {"assigned_to": application.assigned_to_id, "status": application.status}
    application.assigned_to = reviewer
    if application.status == ApplicationStatus.SUBMITTED and fees.application_fee_settled(application):
        transition(application, ApplicationStatus.IN_REVIEW, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    application.save(update_fields=["assigned_to", "status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_ASSIGN,
        obj=application,
        before=before,
        after={"assigned_to": reviewer.pk, "status": application.status},
    )
    return application


@transaction.atomic
def application_fee_received(*, application: Application) -> Application:
    """The application fee was settled (finance.signals.invoice_settled): an application
    already assigned to a reviewer goes straight into review. System action, audited."""
    application = _lock(application)
    if (
        application.status == ApplicationStatus.SUBMITTED
        and application.assigned_to_id
        and fees.application_fee_settled(application)
    ):
        before = transition(application, ApplicationStatus.IN_REVIEW, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
        application.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=None,
            action=AuditAction.APPLICATION_REVIEW_START,
            obj=application,
            before={"status": before},
            after={"status": application.status},
            reason="application fee settled",
        )
        if application.assigned_to.is_active:
            tell_user(
                application.assigned_to,
                subject=gettext_noop("An application assigned to you is ready for review"),
                body=gettext_noop("The fee for application %(application)s is paid."),
                params={"application": application.pk},
                link=reverse("certification:review", args=[application.pk]),
            )
    return application


@transaction.atomic
def application_review_start(*, actor: Actor, application: Application) -> Application:
    """Take a paid, submitted application into review (assigning it to the actor if unassigned). Audited."""
    application = _lock(application)
    _require_reviewer(actor, application)
    _require_paid(application)
    before = transition(application, ApplicationStatus.IN_REVIEW, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    application.assigned_to = application.assigned_to or actor
    application.save(update_fields=["status", "assigned_to", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_REVIEW_START,
        obj=application,
        before={"status": before},
        after={"status": application.status, "assigned_to": application.assigned_to_id},
    )
    return application


def _require_in_review(application):
    if application.status != ApplicationStatus.IN_REVIEW:
        raise ApplicationError(
            "The application is %(status)s; start the review first.",
            params={"status": str(application.get_status_display()).lower()},
            code="state",
        )


@transaction.atomic
def requirement_decide(
    *, actor: Actor, application: Application, code: str, outcome: str, notes: str = ""
) -> RequirementDecision:
    """The reviewer decides one requirement (met, not met, or back to undecided) with notes.

    Preconditions: reviewer of the program; application in review and paid; a not-met
    decision needs a note saying what is wrong. Audited.
    """
    application = _lock(application)
    _require_reviewer(actor, application)
    _require_paid(application)
    _require_in_review(application)
    if outcome not in Outcome.values:
        raise ApplicationError("Choose met, not met or not decided.", field="outcome")
    notes = (notes or "").strip()
    if outcome == Outcome.NOT_MET and not notes:
        raise ApplicationError("Say what is missing or wrong, so the applicant knows what to fix.", field="notes")
    try:
        row = RequirementDecision.objects.select_for_update().get(application=application, code=code)
    except RequirementDecision.DoesNotExist:
        raise ApplicationError("This requirement is not part of the application's pathway.", field="code") from None
    before = snapshot(row, ["outcome", "notes"])
    row.outcome, row.notes, row.automatic = outcome, notes or row.notes, False
    row.decided_by, row.decided_at = actor, clock.now()
    row.save(update_fields=["outcome", "notes", "automatic", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_REQUIREMENT_DECIDE,
        obj=application,
        before={"code": code, **before},
        after={"code": code, "outcome": outcome, "notes": row.notes},
    )
    return row


@transaction.atomic
def application_request_revision(*, actor: Actor, application: Application, message: str = "") -> Application:
    """Send the application back to the applicant with the requirements to fix.

    Preconditions: in review, paid; at least one requirement not met, or a message.
    The processing clock pauses while the applicant works. Notifies the applicant. Audited.
    """
    application = _lock(application)
    _require_reviewer(actor, application)
    _require_paid(application)
    to_fix = list(application.requirements.filter(outcome=Outcome.NOT_MET).values_list("code", flat=True))
    message = (message or "").strip()
    if not to_fix and not message:
        raise ApplicationError(
            "Mark what needs fixing as not met (with a note), or write a message to the applicant.", field="message"
        )
    before = transition(
        application, ApplicationStatus.REVISION_REQUESTED, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION
    )
    _stop_clock(application)
    application.revision_message = message
    application.save(
        update_fields=["status", "revision_message", "review_clock_started_at", "review_days_banked", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_REQUEST_REVISION,
        obj=application,
        before={"status": before},
        after={"status": application.status, "to_fix": to_fix},
        reason=message,
    )
    tell_person(
        application.person,
        subject=gettext_noop("Changes needed on your certification application"),
        body=gettext_noop(
            "Your reviewer asked for changes. Open your application to see what to fix, then submit it again."
        ),
        link=_application_url(application),
    )
    return application


@transaction.atomic
def application_approve(*, actor: Actor, application: Application) -> Application:
    """Approve the application.

    Preconditions: reviewer of the program; in review; fee settled; every requirement met.
    Side effects: opens the rules.application_valid_months window for training and exam;
    invoices the exam fee (pathways with an exam); a transfer is issued at once (no new
    exam). Notifies the applicant. Audited with the rules version.
    """
    application = _lock(application)
    _require_reviewer(actor, application)
    _require_paid(application)
    open_items = list(application.requirements.exclude(outcome=Outcome.MET).values_list("code", "outcome"))
    if application.status == ApplicationStatus.IN_REVIEW and open_items:
        undecided = [c for c, o in open_items if o == Outcome.UNDECIDED]
        unmet = [c for c, o in open_items if o == Outcome.NOT_MET]
        parts = []
        if undecided:
            parts.append(
                gettext("not yet decided: %(labels)s")
                % {
                    "labels": ", ".join(
                        str(requirements.BY_CODE[c].label) for c in undecided if c in requirements.BY_CODE
                    )
                }
            )
        if unmet:
            parts.append(
                gettext("not met: %(labels)s")
                % {"labels": ", ".join(str(requirements.BY_CODE[c].label) for c in unmet if c in requirements.BY_CODE)}
            )
        raise ApplicationError(
            "Every requirement must be met before approval; %(parts)s.",
            params={"parts": "; ".join(parts)},
            code="state",
        )
    before = transition(application, ApplicationStatus.APPROVED, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    today = clock.today()
    rules = rules_on(today)
    _stop_clock(application)
    application.decided_at, application.decided_by = clock.now(), actor
    application.valid_until = add_months(today, rules.application_valid_months)
    application.rules_version = rules.version
    application.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "valid_until",
            "rules_version",
            "review_clock_started_at",
            "review_days_banked",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_APPROVE,
        obj=application,
        before={"status": before},
        after={"status": application.status, "valid_until": application.valid_until, "rules_version": rules.version},
    )
    if application.pathway == Pathway.TRANSFER_IN_STATE:
        certification_issue(actor=actor, application=application)
    else:
        fees.charge_exam_fee(actor=actor, application=application)
        tell_person(
            application.person,
            subject=gettext_noop("Your certification application is approved"),
            body=gettext_noop("Next: finish the steps below by %(date)s. The exam fee is on your payments page."),
            params={"date": application.valid_until},
            link=_application_url(application),
        )
    return application


@transaction.atomic
def application_deny(*, actor: Actor, application: Application, reason: str) -> Application:
    """Deny the application. A reason is required; the applicant is told they may appeal. Audited."""
    application = _lock(application)
    _require_reviewer(actor, application)
    _require_paid(application)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "Give the reason for the denial; the applicant will read it and may appeal it.", field="reason"
        )
    before = transition(application, ApplicationStatus.DENIED, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    rules = rules_on(clock.today())
    _stop_clock(application)
    application.decided_at, application.decided_by, application.decision_reason = clock.now(), actor, reason
    application.rules_version = rules.version
    application.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "decision_reason",
            "rules_version",
            "review_clock_started_at",
            "review_days_banked",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_DENY,
        obj=application,
        before={"status": before},
        after={"status": application.status},
        reason=reason,
    )
    tell_person(
        application.person,
        subject=gettext_noop("Decision on your certification application"),
        body=gettext_noop(
            "Your application was denied. Reason: %(reason)s\n\nYou may appeal this decision within %(days)s days."
        ),
        params={"reason": reason, "days": rules.appeal_window_days},
        link=_application_url(application),
    )
    return application


@transaction.atomic
def application_reopen_on_appeal(*, actor: Actor, application: Application, reason: str) -> Application:
    """An appeal overturned the denial: the application goes back to the review queue.

    Called by discipline when it records the appeal decision. Preconditions: the actor
    reviews in the application's program or administers the system; the application is
    denied; no other open application (one per person). Side effects: the decision is
    cleared (the audit event keeps it); the application is submitted again, unassigned, so
    another reviewer takes it from the queue; the review clock runs again from today,
    keeping the days already counted; requirement decisions stay for the reviewer. The
    applicant hears of it in the appeal decision. Audited.
    """
    application = _lock(application)
    if not (can_review_application(actor, application) or has_role(actor, Role.SYSTEM_ADMINISTRATOR)):
        raise ApplicationError("Only staff of this application's program may reopen it.", code="forbidden")
    ensure_not_own_matter(actor, application.person_id, what="application")
    other = (
        Application.objects.filter(person=application.person, program=application.program, status__in=OPEN_STATUSES)
        .exclude(pk=application.pk)
        .first()
    )
    if other is not None:
        # One open application per person: the applicant chooses which one to keep.
        raise ApplicationError(
            "The applicant has started %(other)s since the denial, which is %(status)s. "
            "Ask them to withdraw it from their account, then record the appeal decision again.",
            params={"other": str(other), "status": str(other.get_status_display()).lower()},
            code="conflict",
        )
    decided = {
        "status": application.status,
        "decided_at": application.decided_at,
        "decided_by": application.decided_by_id,
        "decision_reason": application.decision_reason,
        "assigned_to": application.assigned_to_id,
    }
    transition(application, ApplicationStatus.SUBMITTED, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    application.decided_at = application.decided_by = None
    application.decision_reason = ""
    application.assigned_to = None
    application.review_clock_started_at = clock.now()
    application.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "decision_reason",
            "assigned_to",
            "review_clock_started_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_REOPEN,
        obj=application,
        before=decided,
        after={"status": application.status},
        reason=reason,
    )
    return application


@transaction.atomic
def applications_expire_lapsed(*, actor: Actor = None, today: datetime.date | None = None) -> int:
    """Close approved applications whose window ended without a certification (set-based). Audited per row."""
    today = today or clock.today()
    issued = Certification.objects.filter(application=OuterRef("pk"))
    lapsed = list(
        Application.objects.select_for_update()
        .filter(status=ApplicationStatus.APPROVED, valid_until__lt=today)
        .exclude(Exists(issued))
        .values_list("pk", flat=True)
    )
    if not lapsed:
        return 0
    Application.objects.filter(pk__in=lapsed).update(status=ApplicationStatus.EXPIRED, updated_at=clock.now())
    audit_record_many(
        actor=None,
        action=AuditAction.APPLICATION_EXPIRE,
        object_type="certification.application",
        rows=[(pk, "", {"status": ApplicationStatus.APPROVED}, {"status": ApplicationStatus.EXPIRED}) for pk in lapsed],
        reason="approval window ended",
    )
    return len(lapsed)
