"""Facts staff record (training, exam), issuing certifications, and every later change to them."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.certification import fees, requirements
from peercert.certification.audit import AuditAction
from peercert.certification.models import (
    CERTIFICATION_TRANSITIONS,
    Application,
    ApplicationStatus,
    Certification,
    CertificationNumberRecord,
    CertificationSpecialization,
    CertificationStatus,
    CertificationStatusChange,
    MilestoneKind,
    NumberCounter,
    Pathway,
    RecordedMilestone,
)
from peercert.certification.permissions import (
    REVIEW_ROLES,
    can_manage_certification,
    can_review_application,
)
from peercert.certification.services._common import (
    CERTIFICATION,
    NUMBER_COUNTER,
    NUMBER_PREFIX,
    _lock,
    _require_reviewer,
)
from peercert.certification.signals import announce_issued, announce_status_changes
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.dates import add_years
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_person
from peercert.core.text import lower_lazy
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.core.vocabulary import Specialization


@transaction.atomic
def milestone_record(
    *, actor: Actor, person, kind: str, occurred_on: datetime.date, note: str = ""
) -> Certification | None:
    """Staff record that core training was completed or the exam passed (until those apps report it).

    Preconditions: the actor reviews in the program of the person's approved application;
    the date not in the future; each fact recorded once. Side effect: when everything is
    now met, the certification is issued. Audited.
    """
    if kind not in MilestoneKind.values:
        raise ApplicationError("Choose training completed or exam passed.", field="kind")
    if occurred_on > clock.today():
        raise ApplicationError("The date cannot be in the future.", field="occurred_on")
    application = (
        Application.objects.select_for_update()
        .filter(person=person, status=ApplicationStatus.APPROVED)
        .order_by("-decided_at")
        .first()
    )
    if application is None or not can_review_application(actor, application):
        raise ApplicationError(
            "Record this for a person with an approved application in your program.", code="forbidden"
        )
    ensure_not_own_matter(actor, person, what="record")
    try:
        with transaction.atomic():
            row = RecordedMilestone.objects.create(
                person=person, kind=kind, occurred_on=occurred_on, recorded_by=actor, note=note.strip()[:300]
            )
    except IntegrityError:
        raise ApplicationError(
            "%(milestone)s is already recorded for this person.",
            params={"milestone": MilestoneKind(kind).label},
            code="duplicate",
        ) from None
    audit_record(
        actor=actor,
        action=AuditAction.MILESTONE_RECORD,
        obj=row,
        object_type="certification.person_milestone",
        object_id=person.pk,
        after={"kind": kind, "occurred_on": occurred_on, "application": application.pk},
    )
    if not requirements.issuance_missing(application) and not application.certifications.exists():
        return certification_issue(actor=actor, application=application)
    if kind == MilestoneKind.TRAINING_COMPLETED:
        exam_authorization_request(application=application)
    return None


def exam_authorization_request(*, application: Application):
    """Authorize the applicant to test once the application is approved, the exam fee is
    settled and (standard pathway) core training is complete. System action through
    exams.services; asking twice is harmless. Returns the authorization or None."""
    from peercert.exams import services as exam_services

    if (
        application.status != ApplicationStatus.APPROVED
        or not requirements.pathway_needs_exam(application.pathway)
        or application.valid_until is None
        or application.valid_until < clock.today()
    ):
        return None
    if (
        requirements.pathway_needs_training(application.pathway)
        and requirements.training_completed_on(application.person) is None
    ):
        return None
    if not fees.exam_fee_settled(application):
        return None
    try:
        return exam_services.exam_authorization_grant(
            actor=None,
            person=application.person,
            valid_until=application.valid_until,
            reference=f"{fees.APPLICATION_REFERENCE}:{application.pk}",
        )
    except ApplicationError as exc:
        if exc.code == "conflict":  # already authorized under another window: nothing to add
            return None
        raise


def certification_number_next() -> str:
    """The next certification number. Must run inside a transaction: the counter row stays locked until commit."""
    NumberCounter.objects.get_or_create(name=NUMBER_COUNTER)
    counter = NumberCounter.objects.select_for_update().get(name=NUMBER_COUNTER)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{NUMBER_PREFIX}{counter.last_value:06d}"


def _history(certification, to_status, *, from_status="", effective_on, reason, actor: Actor, source):
    return CertificationStatusChange.objects.create(
        certification=certification,
        from_status=from_status,
        to_status=to_status,
        effective_on=effective_on,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        source=source,
    )


@transaction.atomic
def certification_issue(*, actor: Actor, application: Application) -> Certification:
    """Issue the certification for an approved application once training and exam are done.

    Preconditions: approved application with nothing missing (requirements.issuance_missing);
    no certification yet from it; actor reviews in the program (None for the system).
    A transfer from a PeerCert program moves that record (number kept, history added);
    otherwise a new, never-used number is drawn. Dates: issued today, expiring after
    rules.certification_term_years. Notifies the peer. Audited.
    """
    application = _lock(application)
    if actor is not None:
        _require_reviewer(actor, application)
    missing = requirements.issuance_missing(application)
    if missing:
        raise ApplicationError("Not ready to issue: %(missing)s", params={"missing": " ".join(missing)}, code="state")
    if application.certifications.exists():
        raise ApplicationError("A certification was already issued from this application.", code="duplicate")
    today = clock.today()
    rules = rules_on(today)
    if application.pathway == Pathway.TRANSFER_IN_STATE:
        moved = _transfer_existing(actor=actor, application=application, today=today)
        if moved is not None:
            announce_issued(moved)
            return moved
    number = certification_number_next()
    certification = Certification.objects.create(
        number=number,
        person=application.person,
        program=application.program,
        application=application,
        status=CertificationStatus.ACTIVE,
        issued_on=today,
        expires_on=add_years(today, rules.certification_term_years),
        status_changed_on=today,
        county=application.county,
        rules_version=rules.version,
    )
    if application.pathway == Pathway.TRANSFER_IN_STATE:
        CertificationNumberRecord.objects.create(
            certification=certification,
            number=application.prior_certification_number,
            program_name=application.prior_program_name,
            valid_to=today,
        )
    CertificationNumberRecord.objects.create(
        certification=certification,
        number=number,
        program=application.program,
        program_name=application.program.name,
        valid_from=today,
    )
    _history(
        certification,
        CertificationStatus.ACTIVE,
        effective_on=today,
        reason="Certification issued",
        actor=actor,
        source="issue",
    )
    audit_record(
        actor=actor,
        action=AuditAction.CERTIFICATION_ISSUE,
        obj=certification,
        after={
            "number": number,
            "application": application.pk,
            "issued_on": today,
            "expires_on": certification.expires_on,
            "rules_version": rules.version,
        },
    )
    tell_person(
        application.person,
        subject=gettext_noop("You are certified"),
        body=gettext_noop(
            "Your certification number is %(number)s. You can download your certificate from your account."
        ),
        params={"number": number},
        link=reverse("certification:mine"),
    )
    announce_issued(certification)
    return certification


def _transfer_existing(*, actor: Actor, application, today) -> Certification | None:
    prior = (
        Certification.objects.select_for_update()
        .filter(number=application.prior_certification_number, person=application.person)
        .first()
    )
    if prior is None:
        return None
    before = {"program": prior.program_id, "application": prior.application_id}
    CertificationNumberRecord.objects.filter(certification=prior, valid_to__isnull=True).update(valid_to=today)
    prior.program, prior.application = application.program, application
    prior.county = application.county or prior.county
    prior.save(update_fields=["program", "application", "county", "updated_at"])
    CertificationNumberRecord.objects.create(
        certification=prior,
        number=prior.number,
        program=application.program,
        program_name=application.program.name,
        valid_from=today,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CERTIFICATION_TRANSFER,
        obj=prior,
        before=before,
        after={"program": application.program.pk, "application": application.pk},
    )
    return prior


@transaction.atomic
def certification_change_status(
    *,
    actor: Actor,
    certification: Certification,
    to_status: str,
    reason: str,
    effective_on: datetime.date | None = None,
    source: str = "",
) -> Certification:
    """Move a certification to another status (discipline, expiry, reinstatement, surrender...).

    Preconditions: the transition is in CERTIFICATION_TRANSITIONS; a reason; actor None
    (a system job or another app's service acting for itself) or staff of the certifying
    program. Writes the status history and the audit event; the registry shows the new
    status at once. Notifies the peer.
    """
    certification = Certification.objects.select_for_update().select_related("person").get(pk=certification.pk)
    if actor is not None and not can_manage_certification(actor, certification):
        raise ApplicationError(
            "Only staff of the certifying program may change a certification's status.", code="forbidden"
        )
    ensure_not_own_matter(actor, certification.person_id, what="certification")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "Give the reason for the change; it is kept in the certification's history.", field="reason"
        )
    if to_status not in CertificationStatus.values:
        raise ApplicationError("Choose a known status.", field="to_status")
    effective_on = effective_on or clock.today()
    before = transition(certification, to_status, allowed=CERTIFICATION_TRANSITIONS, noun=CERTIFICATION)
    certification.status_changed_on = effective_on
    certification.save(update_fields=["status", "status_changed_on", "updated_at"])
    change = _history(
        certification,
        to_status,
        from_status=before,
        effective_on=effective_on,
        reason=reason,
        actor=actor,
        source=source,
    )
    announce_status_changes(CertificationStatusChange.objects.filter(pk=change.pk))
    audit_record(
        actor=actor,
        action=AuditAction.CERTIFICATION_CHANGE_STATUS,
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
    return certification


@transaction.atomic
def certification_specialization_add(
    *, actor: Actor, certification: Certification, specialization: str, added_on: datetime.date | None = None
) -> CertificationSpecialization:
    """Show a specialization with the certification once its 40-hour training is complete.

    Preconditions: program staff (actor None for system jobs); a known specialization the
    person completed in the training app; not already shown. Audited.
    """
    from peercert.training.selectors import specializations_completed

    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    if actor is not None and not can_manage_certification(actor, certification):
        raise ApplicationError("Only staff of the certifying program may add specializations.", code="forbidden")
    ensure_not_own_matter(actor, certification.person_id, what="certification")
    if specialization not in Specialization.values:
        raise ApplicationError("Choose a known specialization.", field="specialization")
    if specialization not in specializations_completed(certification.person):
        label = Specialization(specialization).label
        raise ApplicationError(
            "%(person)s has not completed the %(label)s training yet. Record the completion in training first.",
            params={"person": str(certification.person), "label": label},
            code="state",
            field="specialization",
        )
    row, created = CertificationSpecialization.objects.get_or_create(
        certification=certification, specialization=specialization, defaults={"added_on": added_on or clock.today()}
    )
    if not created:
        raise ApplicationError("This specialization is already shown.", code="duplicate")
    # The registry shows specializations: the record changed (registry and FHIR syncs read updated_at).
    certification.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CERTIFICATION_SPECIALIZATION_ADD,
        obj=certification,
        after={"specialization": specialization},
    )
    return row


def reviewers_of(program) -> list:
    from peercert.accounts.models import User

    return list(
        User.objects.filter(is_active=True, role_assignments__role__in=REVIEW_ROLES, role_assignments__program=program)
        .distinct()
        .order_by("email")
    )
