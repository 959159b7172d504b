"""After approval, the standard applicant's core training certificate: sent, then accepted or rejected."""

import datetime

from django.db import transaction
from django.utils.translation import gettext_noop

from peercert.certification import requirements
from peercert.certification.audit import AuditAction
from peercert.certification.models import (
    TRAINING_CERTIFICATE_TRANSITIONS,
    ApplicationDocument,
    ApplicationStatus,
    DocumentKind,
    TrainingCertificate,
    TrainingCertificateSource,
    TrainingCertificateStatus,
)
from peercert.certification.services._common import (
    MAX_DOCUMENT_BYTES,
    _application_url,
    _lock,
    _require_owner,
    _require_reviewer,
)
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_person
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload

__all__ = [
    "MAX_PROVIDER_NAME",
    "TRAINING_CERTIFICATE",
    "training_certificate_accept",
    "training_certificate_reject",
    "training_certificate_submit",
]

TRAINING_CERTIFICATE = gettext_noop("training certificate")
MAX_PROVIDER_NAME = 200


@transaction.atomic
def training_certificate_submit(
    *, actor: Actor, application, upload, completed_on: datetime.date | None, provider_name: str = ""
) -> TrainingCertificate:
    """The applicant sends the core training certificate for review.

    Preconditions: the applicant's own application, approved and still in its window, on a
    pathway that needs core training; no certificate already waiting or accepted; the file a
    PDF, JPEG or PNG (checked by its contents, size-limited); the completion date given and
    not in the future.
    Writes the document and the certificate row together (nothing is half-saved), starts the
    review clock (due on today + rules.training_certificate_review_target_days). Audited.
    """
    application = _lock(application)
    _require_owner(actor, application)
    today = clock.today()
    if application.status != ApplicationStatus.APPROVED or not requirements.pathway_needs_training(application.pathway):
        raise ApplicationError(
            "A training certificate is sent after a standard-pathway application is approved.", code="state"
        )
    if application.valid_until and application.valid_until < today:
        raise ApplicationError(
            "Your approval window ended on %(date)s, so a training certificate can no longer be added.",
            params={"date": application.valid_until},
            code="state",
        )
    waiting = TrainingCertificate.objects.filter(
        application=application,
        status__in=(TrainingCertificateStatus.SUBMITTED, TrainingCertificateStatus.ACCEPTED),
    ).first()
    if waiting is not None:
        raise ApplicationError(
            "Your training certificate is already %(status)s; there is nothing more to send.",
            params={"status": str(waiting.get_status_display()).lower()},
            code="duplicate",
        )
    if not isinstance(completed_on, datetime.date):
        raise ApplicationError("Enter the date you completed the training.", field="completed_on")
    if completed_on > today:
        raise ApplicationError("The completion date cannot be in the future.", field="completed_on")
    provider_name = (provider_name or "").strip()
    if len(provider_name) > MAX_PROVIDER_NAME:
        raise ApplicationError(
            "The training entity's name can be at most %(n)s characters.",
            params={"n": MAX_PROVIDER_NAME},
            field="provider_name",
        )
    if upload is None:
        raise ApplicationError("Choose the certificate file to upload (PDF, JPEG or PNG).", field="file")
    content_type = validate_upload(upload, max_bytes=MAX_DOCUMENT_BYTES, field="file")
    document = ApplicationDocument(
        application=application,
        kind=DocumentKind.TRAINING_CERTIFICATE,
        content_type=content_type,
        original_name=(upload.name or "training-certificate")[:255],
        size=upload.size,
        uploaded_by=actor,
    )
    document.file.save(document.original_name, upload, save=False)  # stored under a random name
    document.save()
    rules = rules_on(today)
    certificate = TrainingCertificate.objects.create(
        application=application,
        source=TrainingCertificateSource.UPLOAD,
        document=document,
        completed_on=completed_on,
        provider_name=provider_name,
        submitted_at=clock.now(),
        due_on=today + datetime.timedelta(days=rules.training_certificate_review_target_days),
        rules_version=rules.version,
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRAINING_CERTIFICATE_SUBMIT,
        obj=certificate,
        after={
            "application": application.pk,
            "status": certificate.status,
            "document": document.pk,
            "content_type": content_type,
            "completed_on": completed_on,
            "due_on": certificate.due_on,
        },
    )
    return certificate


def _lock_certificate(certificate) -> TrainingCertificate:
    return (
        TrainingCertificate.objects.select_for_update()
        .select_related("application__person", "application__program")
        .get(pk=certificate.pk)
    )


@transaction.atomic
def training_certificate_accept(*, actor: Actor, certificate: TrainingCertificate) -> TrainingCertificate:
    """A reviewer accepts the training certificate: core training counts as completed on its date.

    Preconditions: a reviewer or manager of the application's program, not the applicant;
    the certificate waiting for review. Side effects: the exam authorization is asked for
    (granted once the exam fee is settled), the certification is issued when nothing else is
    missing, and the applicant is told the next step. Audited.
    """
    from peercert.certification.services.certifications import certification_issue, exam_authorization_request

    certificate = _lock_certificate(certificate)
    application = certificate.application
    _require_reviewer(actor, application)
    before = transition(
        certificate,
        TrainingCertificateStatus.ACCEPTED,
        allowed=TRAINING_CERTIFICATE_TRANSITIONS,
        noun=TRAINING_CERTIFICATE,
    )
    certificate.decided_at, certificate.decided_by = clock.now(), actor
    certificate.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TRAINING_CERTIFICATE_ACCEPT,
        obj=certificate,
        before={"status": before},
        after={"status": certificate.status, "application": application.pk, "completed_on": certificate.completed_on},
    )
    if application.status == ApplicationStatus.APPROVED:
        if not requirements.issuance_missing(application) and not application.certifications.exists():
            certification_issue(actor=actor, application=application)
        else:
            exam_authorization_request(application=application)
    tell_person(
        application.person,
        subject=gettext_noop("Your training certificate is accepted"),
        body=gettext_noop("Next: pay the exam fee, then schedule your exam. Your application page shows the way."),
        link=_application_url(application),
    )
    return certificate


@transaction.atomic
def training_certificate_reject(*, actor: Actor, certificate: TrainingCertificate, reason: str) -> TrainingCertificate:
    """A reviewer does not accept the training certificate, saying why; the applicant may send another.

    Preconditions: a reviewer or manager of the program, not the applicant; the certificate
    waiting for review; a reason. The file stays on record. Audited; the applicant is told.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say why the certificate is not accepted, so the applicant can fix it.", field="reason")
    certificate = _lock_certificate(certificate)
    application = certificate.application
    _require_reviewer(actor, application)
    before = transition(
        certificate,
        TrainingCertificateStatus.REJECTED,
        allowed=TRAINING_CERTIFICATE_TRANSITIONS,
        noun=TRAINING_CERTIFICATE,
    )
    certificate.decided_at, certificate.decided_by, certificate.decision_reason = clock.now(), actor, reason
    certificate.save(update_fields=["status", "decided_at", "decided_by", "decision_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TRAINING_CERTIFICATE_REJECT,
        obj=certificate,
        before={"status": before},
        after={"status": certificate.status, "application": application.pk},
        reason=reason,
    )
    tell_person(
        application.person,
        subject=gettext_noop("Your training certificate was not accepted"),
        body=gettext_noop("The reviewer said: %(reason)s. Upload a corrected certificate from your application page."),
        params={"reason": reason},
        link=_application_url(application),
    )
    return certificate
