"""Training entities' applications to teach, their approval, suspension and renewal."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.accounts.permissions import training_entity_ids
from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many, snapshot
from peercert.core.dates import add_years
from peercert.core.duties import refuse_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_users
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.training import fees
from peercert.training import permissions as perms
from peercert.training.audit import TrainingAuditAction
from peercert.training.models import (
    PROVIDER_TRANSITIONS,
    CurriculumKind,
    ProviderApplication,
    ProviderStatus,
)
from peercert.training.services._common import (
    APPLICATION,
    PROVIDER_FIELDS,
    _deny,
    _entity_users,
    _label,
)


@transaction.atomic
def provider_application_submit(
    *, actor: Actor, training_entity, training_type: str, language: str, description: str = "", contact_email: str = ""
) -> ProviderApplication:
    """A training entity applies to teach one training type in one language.

    Preconditions: actor is staff of the entity; no live application (anything but denied or
    withdrawn) for the same type and language. Side effects: the application fee
    (rules.fee_training_entity_application) is invoiced through finance; program reviewers are
    notified; audited.
    """
    if not perms.can_apply_as_provider(actor, training_entity):
        raise _deny("Only staff of this training entity may apply for it.")
    if training_type not in CurriculumKind.values:
        raise ApplicationError("Choose a training type.", field="training_type")
    live = ProviderApplication.objects.filter(
        training_entity=training_entity, training_type=training_type, language=language
    ).exclude(status__in=["denied", "withdrawn"])
    if live.exists():
        raise ApplicationError(
            "This entity already has an application or approval for this training type and "
            "language. Open it instead of applying again.",
            code="duplicate",
            field="training_type",
        )
    rules = rules_on()
    try:
        with transaction.atomic():
            application = ProviderApplication.objects.create(
                training_entity=training_entity,
                training_type=training_type,
                language=language,
                description=description,
                contact_email=contact_email,
                status=ProviderStatus.SUBMITTED,
                submitted_at=clock.now(),
                submitted_by=actor,
                rules_version=rules.version,
            )
    except IntegrityError:
        raise ApplicationError(
            "This entity already applied for this training type and language.", code="duplicate"
        ) from None
    invoice = fees.charge(actor=actor, application=application, fee_code=fees.FEE_APPLICATION)
    audit_record(
        actor=actor,
        action=TrainingAuditAction.PROVIDER_APPLICATION_SUBMIT,
        obj=application,
        after={
            **snapshot(application, PROVIDER_FIELDS),
            "training_type": training_type,
            "language": language,
            "fee": str(rules.fee_training_entity_application),
            "invoice": invoice.pk,
        },
    )
    return application


def _locked_application(application) -> ProviderApplication:
    return ProviderApplication.objects.select_for_update().get(pk=application.pk)


def _provider_move(
    *,
    actor: Actor,
    application,
    to: str,
    action: str,
    reason: str = "",
    changes: dict | None = None,
    notify_subject: str = "",
    only_from: tuple[str, ...] = (),
) -> ProviderApplication:
    app = _locked_application(application)
    if only_from and app.status not in only_from:
        # Several actions lead to "approved"; each starts from its own states.
        raise ApplicationError(
            "This application is “%(status)s”; this action does not apply.",
            params={"status": app.get_status_display()},
            code="state",
        )
    before = snapshot(app, PROVIDER_FIELDS)
    transition(app, to, allowed=PROVIDER_TRANSITIONS, noun=APPLICATION)
    fields = ["status", "updated_at"]
    for name, value in (changes or {}).items():
        setattr(app, name, value)
        fields.append(name)
    app.save(update_fields=fields)
    audit_record(
        actor=actor, action=action, obj=app, before=before, after=snapshot(app, PROVIDER_FIELDS), reason=reason
    )
    if notify_subject:
        tell_users(
            _entity_users(app.training_entity_id),
            subject=notify_subject,
            body=gettext_noop("%(application)s: %(status)s. %(reason)s")
            if reason
            else gettext_noop("%(application)s: %(status)s."),
            params={"application": app, "status": _label(app), "reason": reason},
            link=reverse("training:application_detail", args=[app.pk]),
        )
    return app


@transaction.atomic
def provider_application_start_review(*, actor: Actor, application) -> ProviderApplication:
    """Program staff take a submitted application into review. Audited."""
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers review training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    return _provider_move(
        actor=actor,
        application=application,
        to=ProviderStatus.UNDER_REVIEW,
        action=TrainingAuditAction.PROVIDER_APPLICATION_START_REVIEW,
    )


@transaction.atomic
def provider_application_approve(*, actor: Actor, application, comments: str = "") -> ProviderApplication:
    """Approve an application under review for a term of rules.training_entity_term_years.

    Preconditions: program staff; under review; application fee settled. Side effects: term
    set from today; rules version stored; entity staff notified; audited.
    """
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers approve training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    application = _locked_application(application)
    if not fees.is_fee_settled(application, fees.FEE_APPLICATION):
        raise ApplicationError(
            "The application fee is not paid yet. Approve it once the fee is paid or waived.", code="state"
        )
    today = clock.today()
    rules = rules_on(today)
    until = add_years(today, rules.training_entity_term_years) - datetime.timedelta(days=1)
    return _provider_move(
        actor=actor,
        application=application,
        to=ProviderStatus.APPROVED,
        action=TrainingAuditAction.PROVIDER_APPLICATION_APPROVE,
        reason=comments,
        changes={
            "approved_from": today,
            "approved_until": until,
            "decided_at": clock.now(),
            "decided_by": actor,
            "decision_comments": comments,
            "rules_version": rules.version,
        },
        notify_subject=gettext_noop("Your training entity application was approved"),
        only_from=(ProviderStatus.UNDER_REVIEW,),
    )


@transaction.atomic
def provider_application_return(*, actor: Actor, application, comments: str) -> ProviderApplication:
    """Send an application back for changes. Comments are required so the entity knows what to fix."""
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers review training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    if not (comments or "").strip():
        raise ApplicationError("Say what the entity must change.", field="comments")
    return _provider_move(
        actor=actor,
        application=application,
        to=ProviderStatus.RETURNED,
        action=TrainingAuditAction.PROVIDER_APPLICATION_RETURN,
        reason=comments,
        changes={"decided_at": clock.now(), "decided_by": actor, "decision_comments": comments},
        notify_subject=gettext_noop("Your training entity application needs changes"),
    )


@transaction.atomic
def provider_application_deny(*, actor: Actor, application, comments: str) -> ProviderApplication:
    """Deny an application (appealable through discipline). Reason required."""
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers review training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    if not (comments or "").strip():
        raise ApplicationError("Give the reason for the denial.", field="comments")
    return _provider_move(
        actor=actor,
        application=application,
        to=ProviderStatus.DENIED,
        action=TrainingAuditAction.PROVIDER_APPLICATION_DENY,
        reason=comments,
        changes={"decided_at": clock.now(), "decided_by": actor, "decision_comments": comments},
        notify_subject=gettext_noop("Your training entity application was denied"),
    )


@transaction.atomic
def provider_application_resubmit(*, actor: Actor, application, description: str | None = None) -> ProviderApplication:
    """The entity sends a returned application back after changing it."""
    if not perms.can_apply_as_provider(actor, application.training_entity):
        raise _deny("Only staff of this training entity may resubmit its application.")
    changes = {"submitted_at": clock.now(), "submitted_by": actor}
    if description is not None:
        changes["description"] = description
    return _provider_move(
        actor=actor,
        application=application,
        to=ProviderStatus.SUBMITTED,
        action=TrainingAuditAction.PROVIDER_APPLICATION_RESUBMIT,
        changes=changes,
    )


@transaction.atomic
def provider_application_suspend(*, actor: Actor, application, reason: str) -> ProviderApplication:
    """Suspend an approval: the entity may not schedule offerings while suspended. Reason required."""
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers suspend training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    if not (reason or "").strip():
        raise ApplicationError("Give the reason for the suspension.", field="reason")
    return _provider_move(
        actor=actor,
        application=application,
        to=ProviderStatus.SUSPENDED,
        action=TrainingAuditAction.PROVIDER_APPLICATION_SUSPEND,
        reason=reason,
        notify_subject=gettext_noop("Your training entity approval is suspended"),
    )


@transaction.atomic
def provider_application_lift_suspension(*, actor: Actor, application, reason: str = "") -> ProviderApplication:
    """End a suspension. Refused once the term has ended: the entity renews instead."""
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers lift suspensions.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    if application.approved_until and application.approved_until < clock.today():
        raise ApplicationError("The approval's term has ended. The entity must renew instead.", code="state")
    return _provider_move(
        actor=actor,
        application=application,
        to=ProviderStatus.APPROVED,
        action=TrainingAuditAction.PROVIDER_APPLICATION_LIFT_SUSPENSION,
        reason=reason,
        notify_subject=gettext_noop("Your training entity approval is restored"),
        only_from=(ProviderStatus.SUSPENDED,),
    )


@transaction.atomic
def provider_application_withdraw(*, actor: Actor, application, reason: str = "") -> ProviderApplication:
    """The entity withdraws (or program staff withdraw) an application or approval. Final.

    Side effects: an unpaid fee invoice for it is cancelled (paid fees are not refunded). Audited.
    """
    if not (perms.can_apply_as_provider(actor, application.training_entity) or perms.can_review_provider(actor)):
        raise _deny("Only the entity's staff or program staff may withdraw this.")
    app = _provider_move(
        actor=actor,
        application=application,
        to=ProviderStatus.WITHDRAWN,
        action=TrainingAuditAction.PROVIDER_APPLICATION_WITHDRAW,
        reason=reason,
    )
    fees.cancel_open_fees(app)
    return app


@transaction.atomic
def provider_application_request_renewal(*, actor: Actor, application) -> ProviderApplication:
    """The entity asks to renew its approval and is invoiced the renewal fee.

    Preconditions: approved and within rules.training_entity_renewal_window_days of the end of
    its term, or expired; not already requested. Audited.
    """
    if not perms.can_apply_as_provider(actor, application.training_entity):
        raise _deny("Only staff of this training entity may ask to renew.")
    app = _locked_application(application)
    if app.status not in (ProviderStatus.APPROVED, ProviderStatus.EXPIRED):
        raise ApplicationError(
            "Only an approved or expired approval can be renewed; this one is “%(status)s”.",
            params={"status": app.get_status_display()},
            code="state",
        )
    if app.renewal_requested_at:
        raise ApplicationError("Renewal was already requested.", code="duplicate")
    today = clock.today()
    rules = rules_on(today)
    opens = app.approved_until - datetime.timedelta(days=rules.training_entity_renewal_window_days)
    if app.status == ProviderStatus.APPROVED and today < opens:
        raise ApplicationError("Renewal opens on %(day)s.", params={"day": opens}, code="state")
    app.renewal_requested_at = clock.now()
    app.renewal_fee_settled = False
    app.save(update_fields=["renewal_requested_at", "renewal_fee_settled", "updated_at"])
    invoice = fees.charge(actor=actor, application=app, fee_code=fees.FEE_RENEWAL)
    audit_record(
        actor=actor,
        action=TrainingAuditAction.PROVIDER_APPLICATION_REQUEST_RENEWAL,
        obj=app,
        after={
            "renewal_requested_at": app.renewal_requested_at,
            "invoice": invoice.pk,
            "fee": str(rules.fee_training_entity_renewal),
        },
    )
    return app


@transaction.atomic
def provider_application_renew(*, actor: Actor, application, comments: str = "") -> ProviderApplication:
    """Program staff renew an approval for a new term.

    Preconditions: renewal requested; renewal fee settled; approved or expired. The new term
    starts the day after the old one ends (or today, if it lapsed). Audited; entity notified.
    """
    if not perms.can_review_provider(actor):
        raise _deny("Only program reviewers and managers renew training entities.")
    if application.training_entity_id in training_entity_ids(actor):
        raise refuse_own_matter("application")  # its own staff do not decide it
    application = _locked_application(application)
    if not application.renewal_requested_at:
        raise ApplicationError("The entity has not asked to renew.", code="state")
    if not fees.is_fee_settled(application, fees.FEE_RENEWAL):
        raise ApplicationError("The renewal fee is not paid yet.", code="state")
    today = clock.today()
    rules = rules_on(today)
    start = max(today, application.approved_until + datetime.timedelta(days=1))
    until = add_years(start, rules.training_entity_term_years) - datetime.timedelta(days=1)
    return _provider_move(
        actor=actor,
        application=application,
        to=ProviderStatus.APPROVED,
        action=TrainingAuditAction.PROVIDER_APPLICATION_RENEW,
        reason=comments,
        changes={
            "approved_until": until,
            "renewal_requested_at": None,
            "decided_at": clock.now(),
            "decided_by": actor,
            "rules_version": rules.version,
            "approved_from": application.approved_from if application.status == ProviderStatus.APPROVED else start,
        },
        notify_subject=gettext_noop("Your training entity approval is renewed"),
        only_from=(ProviderStatus.APPROVED, ProviderStatus.EXPIRED),
    )


@transaction.atomic
def provider_applications_expire(*, today: datetime.date | None = None) -> int:
    """Daily sweep: approvals whose term has ended become expired. Set-based; one audit row each."""
    today = today or clock.today()
    due = ProviderApplication.objects.select_for_update().filter(
        status=ProviderStatus.APPROVED, approved_until__lt=today
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    ProviderApplication.objects.filter(pk__in=ids).update(status=ProviderStatus.EXPIRED, updated_at=clock.now())
    audit_record_many(
        actor=None,
        action=TrainingAuditAction.PROVIDER_APPLICATION_EXPIRE,
        object_type="training.providerapplication",
        rows=[(pk, "", {"status": "approved"}, {"status": "expired"}) for pk in ids],
        reason=f"term ended before {today:%Y-%m-%d}",
    )
    return len(ids)
