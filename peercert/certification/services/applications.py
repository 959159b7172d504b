"""The applicant's side of an application: start it, fill in its steps, add documents, submit, withdraw."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from peercert.certification import fees, requirements, steps
from peercert.certification.audit import AuditAction
from peercert.certification.models import (
    APPLICATION_TRANSITIONS,
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    DocumentKind,
    ExperienceArea,
    LivedExperience,
    Outcome,
    Pathway,
    RequirementDecision,
)
from peercert.certification.services._common import (
    APPLICATION,
    MAX_DOCUMENT_BYTES,
    _grandparenting_closed,
    _lock,
    _require_editable,
    _require_owner,
    _stop_clock,
)
from peercert.certification.states import OTHER_STATES
from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.text import fold
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload


@transaction.atomic
def application_start(
    *, actor: Actor, person, pathway: str, program, orientation_acknowledged_at: datetime.datetime | None
) -> Application:
    """Open a draft application for the signed-in applicant.

    Preconditions: orientation acknowledged; pathway known and open (grandparenting is
    closed after rules.grandparenting_closed_after); no other open application with the
    same program. Prefills the legal name and date of birth from the person. Audited.
    """
    if person is None or person.user_id != getattr(actor, "pk", None):
        raise ApplicationError("Only the applicant may start their own application.", code="forbidden")
    if orientation_acknowledged_at is None:
        raise ApplicationError("Read the orientation and tick the box to say you have read it.", field="orientation")
    if pathway not in Pathway.values:
        raise ApplicationError("Choose one of the pathways listed.", field="pathway")
    today = clock.today()
    closed = _grandparenting_closed(today) if pathway == Pathway.GRANDPARENTING else None
    if closed:
        raise ApplicationError(
            "The grandparenting pathway closed on %(date)s; new applications are not accepted. "
            "Choose the standard pathway: core training and the exam.",
            params={"date": closed},
            code="closed",
            field="pathway",
        )
    if Application.objects.filter(person=person, program=program, status__in=OPEN_STATUSES).exists():
        raise ApplicationError(
            "You already have an application in progress. Continue that one instead.", code="duplicate", field="pathway"
        )
    application = Application.objects.create(
        person=person,
        program=program,
        pathway=pathway,
        orientation_acknowledged_at=orientation_acknowledged_at,
        legal_first_name=person.legal_first_name,
        legal_middle_name=person.legal_middle_name,
        legal_last_name=person.legal_last_name,
        date_of_birth=person.date_of_birth,
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_START,
        obj=application,
        after={"pathway": pathway, "program": program.pk, "person": person.pk},
    )
    return application


def _parse_decimal(value, field, label):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ApplicationError("%(label)s must be a number.", params={"label": gettext(label)}, field=field) from None
    if number < 0:
        raise ApplicationError("%(label)s cannot be negative.", params={"label": gettext(label)}, field=field)
    return number


def _clean_step(application, step, data) -> dict:
    """Check one step's answers; returns the field values to save."""
    out = {}
    if step == "about":
        for name in ("legal_first_name", "legal_middle_name", "legal_last_name"):
            out[name] = (data.get(name) or "").strip()
        if not out["legal_first_name"] or not out["legal_last_name"]:
            raise ApplicationError(
                "Enter your first and last name exactly as on your photo ID.", field="legal_first_name"
            )
        born = data.get("date_of_birth")
        if not isinstance(born, datetime.date):
            raise ApplicationError("Enter your date of birth.", field="date_of_birth")
        if born >= clock.today():
            raise ApplicationError("The date of birth must be in the past.", field="date_of_birth")
        out["date_of_birth"] = born
        out["county"] = data.get("county")
    elif step == "experience":
        if data.get("lived_experience") not in LivedExperience.values:
            raise ApplicationError("Choose how you have lived experience of recovery.", field="lived_experience")
        if data.get("experience_area") not in ExperienceArea.values:
            raise ApplicationError("Choose mental illness, substance use, or both.", field="experience_area")
        if data.get("willing_to_share") is not True:
            raise ApplicationError(
                "Peer support means sharing your lived experience when it helps. "
                "Tick the box to say you are willing to share it.",
                field="willing_to_share",
            )
        out.update(
            lived_experience=data["lived_experience"], experience_area=data["experience_area"], willing_to_share=True
        )
    elif step == "pathway":
        pathway = application.pathway
        if pathway in (Pathway.GRANDPARENTING, Pathway.RECIPROCITY_OUT_OF_STATE):
            hours = data.get("peer_work_hours")
            if hours in (None, ""):
                raise ApplicationError("Enter your hours of peer work.", field="peer_work_hours")
            try:
                out["peer_work_hours"] = int(hours)
            except (TypeError, ValueError):
                raise ApplicationError("Hours of peer work must be a whole number.", field="peer_work_hours") from None
            if out["peer_work_hours"] < 0:
                raise ApplicationError("Hours of peer work cannot be negative.", field="peer_work_hours")
            out["ce_hours"] = _parse_decimal(
                data.get("ce_hours"), "ce_hours", gettext_noop("Continuing education hours")
            )
            out["ce_law_ethics_hours"] = _parse_decimal(
                data.get("ce_law_ethics_hours"), "ce_law_ethics_hours", gettext_noop("Law and ethics hours")
            )
            if (out["ce_hours"] or 0) < (out["ce_law_ethics_hours"] or 0):
                raise ApplicationError(
                    "Law and ethics hours are part of the total, so the total cannot be smaller.",
                    field="ce_law_ethics_hours",
                )
            out.update(_clean_work_period(data))
        if pathway == Pathway.GRANDPARENTING:
            out["employed_as_peer_on_cutoff"] = bool(data.get("employed_as_peer_on_cutoff"))
        if pathway == Pathway.RECIPROCITY_OUT_OF_STATE:
            state = (data.get("out_of_state_state") or "").strip().upper()
            if state not in dict(OTHER_STATES):
                raise ApplicationError(
                    "Choose the state that certified you from the list (California's own programs "
                    "use the transfer pathway).",
                    field="out_of_state_state",
                )
            since = data.get("ce_earned_since")
            if not isinstance(since, datetime.date):
                raise ApplicationError(
                    "Enter the date of the earliest continuing education course you counted.", field="ce_earned_since"
                )
            if since > clock.today():
                raise ApplicationError("That date cannot be in the future.", field="ce_earned_since")
            out["ce_earned_since"] = since
            number = (data.get("out_of_state_number") or "").strip()
            if not number:
                raise ApplicationError(
                    "Enter the certificate number from the other state.", field="out_of_state_number"
                )
            out.update(
                out_of_state_state=state,
                out_of_state_number=number,
                out_of_state_no_pending_discipline=bool(data.get("out_of_state_no_pending_discipline")),
            )
        if pathway == Pathway.TRANSFER_IN_STATE:
            out["prior_program_name"] = (data.get("prior_program_name") or "").strip()
            out["prior_certification_number"] = (data.get("prior_certification_number") or "").strip()
            if not out["prior_program_name"] or not out["prior_certification_number"]:
                raise ApplicationError(
                    "Enter the program that certified you and your certification number.",
                    field="prior_certification_number",
                )
    elif step == "documents":
        docs = list(application.documents.filter(removed_at__isnull=True))
        rules = rules_on(clock.today())
        for kind, count in requirements.documents_needed(application.pathway, rules):
            have = sum(1 for d in docs if d.kind == kind)
            if have < count:
                raise ApplicationError(
                    "Upload %(count)s more: %(kind)s.",
                    params={"count": count - have, "kind": DocumentKind(kind).label},
                    field="file",
                )
    elif step == "ethics":
        typed = (data.get("ethics_signed_name") or "").strip()
        if fold(typed) != fold(application.legal_name):
            raise ApplicationError(
                "Type your legal name exactly as on the application (%(name)s) to sign.",
                params={"name": application.legal_name},
                field="ethics_signed_name",
            )
        rules = rules_on(clock.today())
        out.update(ethics_signed_name=typed, ethics_signed_on=clock.today(), ethics_rules_version=rules.version)
    else:
        raise ApplicationError("There is no such step.", field=None)
    return out


def _clean_work_period(data) -> dict:
    """The days the reported peer work hours were worked: both given, in order, not in the future."""
    start, end = data.get("peer_work_from"), data.get("peer_work_to")
    if not isinstance(start, datetime.date):
        raise ApplicationError("Enter the first day of the peer work you counted.", field="peer_work_from")
    if not isinstance(end, datetime.date):
        raise ApplicationError("Enter the last day of the peer work you counted.", field="peer_work_to")
    if end < start:
        raise ApplicationError("The last day cannot be before the first day.", field="peer_work_to")
    if end > clock.today():
        raise ApplicationError("The last day cannot be in the future.", field="peer_work_to")
    return {"peer_work_from": start, "peer_work_to": end}


@transaction.atomic
def application_save_step(*, actor: Actor, application: Application, step: str, data: dict) -> Application:
    """Save one step of the form and mark it done, so the applicant can stop and come back.

    Preconditions: the applicant's own application, in draft or changes requested; the
    step belongs to the pathway; the answers pass the step's checks (nothing is saved
    otherwise). Audited with the changed fields.
    """
    application = _lock(application)
    _require_owner(actor, application)
    _require_editable(application)
    if steps.step_of(application.pathway, step) is None:
        raise ApplicationError("This step is not part of your pathway.")
    values = _clean_step(application, step, data)
    before = snapshot(application, list(values))
    for name, value in values.items():
        setattr(application, name, value)
    if step not in application.steps_completed:
        application.steps_completed = [*application.steps_completed, step]
    application.save(update_fields=[*values, "steps_completed", "updated_at"])
    after = snapshot(application, list(values))
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_SAVE_STEP,
        obj=application,
        before={k: v for k, v in before.items() if after[k] != v} | {"step": step},
        after={k: v for k, v in after.items() if before[k] != v} | {"step": step},
    )
    return application


@transaction.atomic
def application_document_add(
    *, actor: Actor, application: Application, kind: str, upload, name_on_document: str = ""
) -> ApplicationDocument:
    """Attach an uploaded file after checking it by its contents (PDF, JPEG or PNG, size-limited).

    Preconditions: the applicant's own application, editable; a training certificate may
    also be added once approved. A photo ID needs the name exactly as printed on it.
    Nothing is saved when a check fails. Audited.
    """
    application = _lock(application)
    _require_owner(actor, application)
    if kind not in DocumentKind.values:
        raise ApplicationError("Choose what kind of document this is.", field="kind")
    if not (kind == DocumentKind.TRAINING_CERTIFICATE and application.status == ApplicationStatus.APPROVED):
        _require_editable(application)
    if upload is None:
        raise ApplicationError("Choose a file to upload.", field="file")
    content_type = validate_upload(upload, max_bytes=MAX_DOCUMENT_BYTES, field="file")
    name_on_document = (name_on_document or "").strip()
    if kind == DocumentKind.PHOTO_ID and not name_on_document:
        raise ApplicationError("Type the name exactly as it is printed on the ID.", field="name_on_document")
    document = ApplicationDocument(
        application=application,
        kind=kind,
        content_type=content_type,
        original_name=(upload.name or "document")[:255],
        size=upload.size,
        name_on_document=name_on_document,
        uploaded_by=actor,
    )
    document.file.save(document.original_name, upload, save=False)  # stored under a random name (RandomName)
    document.save()
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_DOCUMENT_ADD,
        obj=application,
        after={"document": document.pk, "kind": kind, "content_type": content_type, "size": document.size},
    )
    return document


@transaction.atomic
def application_document_remove(*, actor: Actor, document: ApplicationDocument) -> ApplicationDocument:
    """Take a document off an editable application. The file is kept, marked removed, for the record."""
    application = _lock(document.application)
    _require_owner(actor, application)
    _require_editable(application)
    document = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
    if document.removed_at is not None:
        raise ApplicationError("This document was already removed.", code="state")
    document.removed_at = clock.now()
    document.save(update_fields=["removed_at", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.APPLICATION_DOCUMENT_REMOVE, obj=application, after={"document": document.pk}
    )
    return document


def _evaluate_requirements(application: Application, *, reset_reviewer_refusals: bool) -> None:
    today = clock.today()
    rules = rules_on(today)
    documents = list(application.documents.filter(removed_at__isnull=True))
    existing = {r.code: r for r in application.requirements.all()}
    for position, (req, outcome, note) in enumerate(requirements.evaluate(application, rules, documents, today)):
        row = existing.get(req.code)
        if row is None:
            RequirementDecision.objects.create(
                application=application,
                code=req.code,
                position=position,
                outcome=outcome or Outcome.UNDECIDED,
                automatic=outcome is not None,
                notes=note,
                decided_at=clock.now() if outcome else None,
            )
            continue
        if row.automatic or row.decided_by_id is None:
            row.outcome, row.automatic, row.notes = outcome or Outcome.UNDECIDED, outcome is not None, note
            row.decided_at = clock.now() if outcome else None
        elif reset_reviewer_refusals and row.outcome == Outcome.NOT_MET:
            # The applicant has fixed it: the reviewer looks again.
            row.outcome, row.decided_by, row.decided_at = Outcome.UNDECIDED, None, None
        row.save(update_fields=["outcome", "automatic", "notes", "decided_by", "decided_at", "updated_at"])


@transaction.atomic
def application_submit(*, actor: Actor, application: Application) -> Application:
    """Send the application to the program (first time) or back to it after changes.

    Preconditions: the applicant's own application in draft or changes requested; every
    step done; age at least rules.minimum_age; grandparenting still open. Side effects:
    requirements evaluated automatically where the data allows; the processing clock
    starts; on the first submission the application-fee invoice is created. Audited.
    """
    application = _lock(application)
    _require_owner(actor, application)
    if application.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            "This application was already submitted. You can follow it on its status page.", code="state"
        )
    today = clock.today()
    rules = rules_on(today)
    missing = [str(step.label) for step in steps.steps_missing(application)]
    if missing:
        raise ApplicationError("Finish these steps first: %(steps)s.", params={"steps": ", ".join(missing)})
    if application.date_of_birth is None or requirements.age_on(application.date_of_birth, today) < rules.minimum_age:
        raise ApplicationError(
            "Applicants must be %(age)s or older. You can apply from your %(age)sth birthday.",
            params={"age": rules.minimum_age},
            field="date_of_birth",
        )
    if application.pathway == Pathway.GRANDPARENTING and _grandparenting_closed(today):
        raise ApplicationError(
            "The grandparenting pathway closed on %(date)s. "
            "Withdraw this application and apply on the standard pathway.",
            params={"date": rules.grandparenting_closed_after},
            code="closed",
        )
    first = application.first_submitted_at is None
    if first:
        to_status = ApplicationStatus.SUBMITTED
    else:
        to_status = ApplicationStatus.IN_REVIEW if application.assigned_to_id else ApplicationStatus.SUBMITTED
    before = transition(application, to_status, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    now = clock.now()
    application.submitted_at = now
    application.first_submitted_at = application.first_submitted_at or now
    application.review_clock_started_at = now
    application.rules_version = rules.version
    application.save(
        update_fields=[
            "status",
            "submitted_at",
            "first_submitted_at",
            "review_clock_started_at",
            "rules_version",
            "updated_at",
        ]
    )
    _evaluate_requirements(application, reset_reviewer_refusals=not first)
    if first:
        fees.charge_application_fee(actor=actor, application=application)
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_SUBMIT if first else AuditAction.APPLICATION_RESUBMIT,
        obj=application,
        before={"status": before},
        after={"status": application.status, "rules_version": rules.version},
    )
    return application


@transaction.atomic
def application_withdraw(*, actor: Actor, application: Application, reason: str = "") -> Application:
    """The applicant withdraws an application that is not yet decided.

    Side effect: an application fee nobody has paid any of is cancelled. Audited.
    """
    application = _lock(application)
    _require_owner(actor, application)
    before = transition(application, ApplicationStatus.WITHDRAWN, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    _stop_clock(application)
    application.save(update_fields=["status", "review_clock_started_at", "review_days_banked", "updated_at"])
    if application.first_submitted_at:
        fees.cancel_open_application_fee(application)
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_WITHDRAW,
        obj=application,
        before={"status": before},
        after={"status": application.status},
        reason=reason,
    )
    return application
