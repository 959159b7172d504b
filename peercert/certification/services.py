"""Every change to applications and certifications happens here."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role
from peercert.certification import fees, requirements
from peercert.certification.models import (
    APPLICATION_TRANSITIONS,
    CERTIFICATION_TRANSITIONS,
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Certification,
    CertificationNumberRecord,
    CertificationSpecialization,
    CertificationStatus,
    CertificationStatusChange,
    DocumentKind,
    ExperienceArea,
    LivedExperience,
    MilestoneKind,
    NumberCounter,
    Outcome,
    Pathway,
    RecordedMilestone,
    RequirementDecision,
)
from peercert.certification.permissions import (
    REVIEW_ROLES,
    can_manage_certification,
    can_review_application,
    can_review_in,
    owns_application,
)
from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many, snapshot
from peercert.core.duties import ensure_not_assigned_to_party, ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.notify import notify
from peercert.core.rules import rules_on, rules_picker
from peercert.core.text import fold, lower_lazy
from peercert.core.uploads import validate_upload
from peercert.core.vocabulary import Specialization

S = ApplicationStatus
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
NUMBER_COUNTER = "certification"
NUMBER_PREFIX = "PSS-"

# The steps of the application form, in order, per pathway.
# Marked for translation only: views translate them when they show them.
STEP_LABELS = {
    "about": gettext_noop("About you"),
    "experience": gettext_noop("Lived experience"),
    "pathway": gettext_noop("Your pathway"),
    "documents": gettext_noop("Documents"),
    "ethics": gettext_noop("Code of Ethics"),
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day so many months later; the 31st lands on the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def steps_for(pathway: str) -> list[str]:
    steps = ["about", "experience"]
    if pathway != Pathway.STANDARD:
        steps.append("pathway")
    return [*steps, "documents", "ethics"]


# The nouns _transition names, for the catalogue.
TRANSITION_NOUNS = (gettext_noop("application"), gettext_noop("certification"))


def _transition(obj, to_status: str, transitions: dict, noun: str) -> str:
    allowed = transitions.get(obj.status, frozenset())
    if to_status not in allowed:
        labels = dict(obj._meta.get_field("status").choices)
        raise ApplicationError(
            "This %(noun)s is %(current)s, so it cannot become %(target)s.",
            params={"noun": gettext(noun), "current": str(labels.get(obj.status, obj.status)).lower(),
                    "target": str(labels.get(to_status, to_status)).lower()}, code="state")
    before = obj.status
    obj.status = to_status
    return before


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("person", "program").get(pk=application.pk)


def _require_owner(actor, application):
    if not owns_application(actor, application):
        raise ApplicationError("Only the applicant may change this application.", code="forbidden")


def _require_reviewer(actor, application):
    if not can_review_application(actor, application):
        raise ApplicationError("Only a reviewer or manager of this application's program may do this.", code="forbidden")
    ensure_not_own_matter(actor, application.person_id, what="application")


def _require_editable(application):
    if application.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            "This application has been submitted and can no longer be changed. If something is wrong, "
            "wait for the reviewer to ask for changes, or withdraw it and start again.", code="state")


def _require_paid(application):
    if not fees.application_fee_settled(application):
        raise ApplicationError("The application fee is not paid yet, so the application cannot be reviewed. "
                               "It will be ready once the fee is paid or waived.", code="state")


def _grandparenting_closed(today) -> datetime.date | None:
    rules = rules_on(today)
    return rules.grandparenting_closed_after if today > rules.grandparenting_closed_after else None


def _application_url(application) -> str:
    return reverse("certification:application_status", args=[application.pk])


# ---- Applicant --------------------------------------------------------------------------

@transaction.atomic
def application_start(*, actor, person, pathway: str, program, orientation_acknowledged_at: datetime.datetime | None) -> Application:
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
            "Choose the standard pathway: core training and the exam.", params={"date": closed},
            code="closed", field="pathway")
    if Application.objects.filter(person=person, program=program, status__in=OPEN_STATUSES).exists():
        raise ApplicationError("You already have an application in progress. Continue that one instead.",
                               code="duplicate", field="pathway")
    application = Application.objects.create(
        person=person, program=program, pathway=pathway, orientation_acknowledged_at=orientation_acknowledged_at,
        legal_first_name=person.legal_first_name, legal_middle_name=person.legal_middle_name,
        legal_last_name=person.legal_last_name, date_of_birth=person.date_of_birth,
    )
    audit_record(actor=actor, action="application.start", obj=application,
                 after={"pathway": pathway, "program": program.pk, "person": person.pk})
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


STEP_FIELDS = {
    "about": ("legal_first_name", "legal_middle_name", "legal_last_name", "date_of_birth", "county"),
    "experience": ("lived_experience", "experience_area", "willing_to_share"),
    "pathway": ("peer_work_hours", "employed_as_peer_on_cutoff", "out_of_state_state", "out_of_state_number",
                "out_of_state_no_pending_discipline", "ce_hours", "ce_law_ethics_hours", "prior_program_name",
                "prior_certification_number"),
    "documents": (),
    "ethics": ("ethics_signed_name",),
}


def _clean_step(application, step, data) -> dict:
    """Check one step's answers; returns the field values to save."""
    out = {}
    if step == "about":
        for name in ("legal_first_name", "legal_middle_name", "legal_last_name"):
            out[name] = (data.get(name) or "").strip()
        if not out["legal_first_name"] or not out["legal_last_name"]:
            raise ApplicationError("Enter your first and last name exactly as on your photo ID.", field="legal_first_name")
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
            raise ApplicationError("Peer support means sharing your lived experience when it helps. "
                                   "Tick the box to say you are willing to share it.", field="willing_to_share")
        out.update(lived_experience=data["lived_experience"], experience_area=data["experience_area"],
                   willing_to_share=True)
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
            out["ce_hours"] = _parse_decimal(data.get("ce_hours"), "ce_hours",
                                           gettext_noop("Continuing education hours"))
            out["ce_law_ethics_hours"] = _parse_decimal(data.get("ce_law_ethics_hours"), "ce_law_ethics_hours",
                                                        gettext_noop("Law and ethics hours"))
            if (out["ce_hours"] or 0) < (out["ce_law_ethics_hours"] or 0):
                raise ApplicationError("Law and ethics hours are part of the total, so the total cannot be smaller.",
                                       field="ce_law_ethics_hours")
        if pathway == Pathway.GRANDPARENTING:
            out["employed_as_peer_on_cutoff"] = bool(data.get("employed_as_peer_on_cutoff"))
        if pathway == Pathway.RECIPROCITY_OUT_OF_STATE:
            state = (data.get("out_of_state_state") or "").strip().upper()
            if len(state) != 2 or state == "CA":
                raise ApplicationError("Enter the two-letter code of the state that certified you (not CA).",
                                       field="out_of_state_state")
            number = (data.get("out_of_state_number") or "").strip()
            if not number:
                raise ApplicationError("Enter the certificate number from the other state.", field="out_of_state_number")
            out.update(out_of_state_state=state, out_of_state_number=number,
                       out_of_state_no_pending_discipline=bool(data.get("out_of_state_no_pending_discipline")))
        if pathway == Pathway.TRANSFER_IN_STATE:
            out["prior_program_name"] = (data.get("prior_program_name") or "").strip()
            out["prior_certification_number"] = (data.get("prior_certification_number") or "").strip()
            if not out["prior_program_name"] or not out["prior_certification_number"]:
                raise ApplicationError("Enter the program that certified you and your certification number.",
                                       field="prior_certification_number")
    elif step == "documents":
        docs = list(application.documents.filter(removed_at__isnull=True))
        rules = rules_on(clock.today())
        for kind, count in requirements.documents_needed(application.pathway, rules):
            have = sum(1 for d in docs if d.kind == kind)
            if have < count:
                raise ApplicationError(
                    "Upload %(count)s more: %(kind)s.", params={"count": count - have, "kind": DocumentKind(kind).label},
                    field="file")
    elif step == "ethics":
        typed = (data.get("ethics_signed_name") or "").strip()
        if fold(typed) != fold(application.legal_name):
            raise ApplicationError("Type your legal name exactly as on the application (%(name)s) to sign.",
                                   params={"name": application.legal_name}, field="ethics_signed_name")
        rules = rules_on(clock.today())
        out.update(ethics_signed_name=typed, ethics_signed_on=clock.today(), ethics_rules_version=rules.version)
    else:
        raise ApplicationError("There is no such step.", field=None)
    return out


@transaction.atomic
def application_save_step(*, actor, application: Application, step: str, data: dict) -> Application:
    """Save one step of the form and mark it done, so the applicant can stop and come back.

    Preconditions: the applicant's own application, in draft or changes requested; the
    step belongs to the pathway; the answers pass the step's checks (nothing is saved
    otherwise). Audited with the changed fields.
    """
    application = _lock(application)
    _require_owner(actor, application)
    _require_editable(application)
    if step not in steps_for(application.pathway):
        raise ApplicationError("This step is not part of your pathway.")
    values = _clean_step(application, step, data)
    before = snapshot(application, list(values))
    for name, value in values.items():
        setattr(application, name, value)
    if step not in application.steps_completed:
        application.steps_completed = [*application.steps_completed, step]
    application.save(update_fields=[*values, "steps_completed", "updated_at"])
    after = snapshot(application, list(values))
    audit_record(actor=actor, action="application.save_step", obj=application,
                 before={k: v for k, v in before.items() if after[k] != v} | {"step": step},
                 after={k: v for k, v in after.items() if before[k] != v} | {"step": step})
    return application


@transaction.atomic
def application_document_add(*, actor, application: Application, kind: str, upload, name_on_document: str = "") -> ApplicationDocument:
    """Attach an uploaded file after checking it by its contents (PDF, JPEG or PNG, size-limited).

    Preconditions: the applicant's own application, editable; a training certificate may
    also be added once approved. A photo ID needs the name exactly as printed on it.
    Nothing is saved when a check fails. Audited.
    """
    application = _lock(application)
    _require_owner(actor, application)
    if kind not in DocumentKind.values:
        raise ApplicationError("Choose what kind of document this is.", field="kind")
    if not (kind == DocumentKind.TRAINING_CERTIFICATE and application.status == S.APPROVED):
        _require_editable(application)
    if upload is None:
        raise ApplicationError("Choose a file to upload.", field="file")
    content_type = validate_upload(upload, max_bytes=MAX_DOCUMENT_BYTES, field="file")
    name_on_document = (name_on_document or "").strip()
    if kind == DocumentKind.PHOTO_ID and not name_on_document:
        raise ApplicationError("Type the name exactly as it is printed on the ID.", field="name_on_document")
    document = ApplicationDocument(application=application, kind=kind, content_type=content_type,
                                   original_name=(upload.name or "document")[:255], size=upload.size,
                                   name_on_document=name_on_document, uploaded_by=actor)
    document.file.save(document.original_name, upload, save=False)  # stored under a random name (RandomName)
    document.save()
    audit_record(actor=actor, action="application.document_add", obj=application,
                 after={"document": document.pk, "kind": kind, "content_type": content_type, "size": document.size})
    return document


@transaction.atomic
def application_document_remove(*, actor, document: ApplicationDocument) -> ApplicationDocument:
    """Take a document off an editable application. The file is kept, marked removed, for the record."""
    application = _lock(document.application)
    _require_owner(actor, application)
    _require_editable(application)
    document = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
    if document.removed_at is not None:
        raise ApplicationError("This document was already removed.", code="state")
    document.removed_at = clock.now()
    document.save(update_fields=["removed_at", "updated_at"])
    audit_record(actor=actor, action="application.document_remove", obj=application, after={"document": document.pk})
    return document


def _evaluate_requirements(application: Application, *, reset_reviewer_refusals: bool) -> None:
    today = clock.today()
    rules = rules_on(today)
    documents = list(application.documents.filter(removed_at__isnull=True))
    existing = {r.code: r for r in application.requirements.all()}
    for position, (req, outcome, note) in enumerate(requirements.evaluate(application, rules, documents, today)):
        row = existing.get(req.code)
        if row is None:
            RequirementDecision.objects.create(application=application, code=req.code, position=position,
                                               outcome=outcome or Outcome.UNDECIDED, automatic=outcome is not None,
                                               notes=note, decided_at=clock.now() if outcome else None)
            continue
        if row.automatic or row.decided_by_id is None:
            row.outcome, row.automatic, row.notes = outcome or Outcome.UNDECIDED, outcome is not None, note
            row.decided_at = clock.now() if outcome else None
        elif reset_reviewer_refusals and row.outcome == Outcome.NOT_MET:
            # The applicant has fixed it: the reviewer looks again.
            row.outcome, row.decided_by, row.decided_at = Outcome.UNDECIDED, None, None
        row.save(update_fields=["outcome", "automatic", "notes", "decided_by", "decided_at", "updated_at"])


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Send the application to the program (first time) or back to it after changes.

    Preconditions: the applicant's own application in draft or changes requested; every
    step done; age at least rules.minimum_age; grandparenting still open. Side effects:
    requirements evaluated automatically where the data allows; the processing clock
    starts; on the first submission the application-fee invoice is created. Audited.
    """
    application = _lock(application)
    _require_owner(actor, application)
    if application.status not in EDITABLE_STATUSES:
        raise ApplicationError("This application was already submitted. You can follow it on its status page.",
                               code="state")
    today = clock.today()
    rules = rules_on(today)
    missing = [gettext(STEP_LABELS[s]) for s in steps_for(application.pathway) if s not in application.steps_completed]
    if missing:
        raise ApplicationError("Finish these steps first: %(steps)s.", params={"steps": ", ".join(missing)})
    if application.date_of_birth is None or requirements.age_on(application.date_of_birth, today) < rules.minimum_age:
        raise ApplicationError("Applicants must be %(age)s or older. You can apply from your %(age)sth birthday.",
                               params={"age": rules.minimum_age}, field="date_of_birth")
    if application.pathway == Pathway.GRANDPARENTING and _grandparenting_closed(today):
        raise ApplicationError("The grandparenting pathway closed on %(date)s. "
                               "Withdraw this application and apply on the standard pathway.",
                               params={"date": rules.grandparenting_closed_after}, code="closed")
    first = application.first_submitted_at is None
    if first:
        to_status = S.SUBMITTED
    else:
        to_status = S.IN_REVIEW if application.assigned_to_id else S.SUBMITTED
    before = _transition(application, to_status, APPLICATION_TRANSITIONS, "application")
    now = clock.now()
    application.submitted_at = now
    application.first_submitted_at = application.first_submitted_at or now
    application.review_clock_started_at = now
    application.rules_version = rules.version
    application.save(update_fields=["status", "submitted_at", "first_submitted_at", "review_clock_started_at",
                                    "rules_version", "updated_at"])
    _evaluate_requirements(application, reset_reviewer_refusals=not first)
    if first:
        fees.charge_application_fee(actor=actor, application=application)
    audit_record(actor=actor, action="application.submit" if first else "application.resubmit", obj=application,
                 before={"status": before}, after={"status": application.status, "rules_version": rules.version})
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    """The applicant withdraws an application that is not yet decided.

    Side effect: an application fee nobody has paid any of is cancelled. Audited.
    """
    application = _lock(application)
    _require_owner(actor, application)
    before = _transition(application, S.WITHDRAWN, APPLICATION_TRANSITIONS, "application")
    _stop_clock(application)
    application.save(update_fields=["status", "review_clock_started_at", "review_days_banked", "updated_at"])
    if application.first_submitted_at:
        fees.cancel_open_application_fee(application)
    audit_record(actor=actor, action="application.withdraw", obj=application, before={"status": before},
                 after={"status": application.status}, reason=reason)
    return application


# ---- Reviewer ---------------------------------------------------------------------------

def _stop_clock(application: Application) -> None:
    if application.review_clock_started_at:
        started = timezone.localdate(application.review_clock_started_at)
        application.review_days_banked += (clock.today() - started).days
        application.review_clock_started_at = None


@transaction.atomic
def application_assign(*, actor, application: Application, reviewer) -> Application:
    """Give the application to a reviewer of its program; starts the review when the fee is paid.

    Preconditions: actor and reviewer both review in the application's program; the
    application is submitted, in review or waiting for changes. Audited.
    """
    application = _lock(application)
    _require_reviewer(actor, application)
    if reviewer is None or not can_review_in(reviewer, application.program_id):
        raise ApplicationError("Assign the application to a reviewer of its program.", field="reviewer")
    ensure_not_assigned_to_party(reviewer, application.person_id, field="reviewer")
    if application.status not in (S.SUBMITTED, S.IN_REVIEW, S.REVISION_REQUESTED):
        raise ApplicationError("Only a submitted application that is not yet decided can be assigned.", code="state")
    before = {"assigned_to": application.assigned_to_id, "status": application.status}
    application.assigned_to = reviewer
    if application.status == S.SUBMITTED and fees.application_fee_settled(application):
        _transition(application, S.IN_REVIEW, APPLICATION_TRANSITIONS, "application")
    application.save(update_fields=["assigned_to", "status", "updated_at"])
    audit_record(actor=actor, action="application.assign", obj=application, before=before,
                 after={"assigned_to": reviewer.pk, "status": application.status})
    return application


@transaction.atomic
def application_fee_received(*, application: Application) -> Application:
    """The application fee was settled (finance.signals.invoice_settled): an application
    already assigned to a reviewer goes straight into review. System action, audited."""
    application = _lock(application)
    if application.status == S.SUBMITTED and application.assigned_to_id and fees.application_fee_settled(application):
        before = _transition(application, S.IN_REVIEW, APPLICATION_TRANSITIONS, "application")
        application.save(update_fields=["status", "updated_at"])
        audit_record(actor=None, action="application.review_start", obj=application, before={"status": before},
                     after={"status": application.status}, reason="application fee settled")
        if application.assigned_to.is_active:
            notify(user=application.assigned_to,
                   subject=gettext_noop("An application assigned to you is ready for review"),
                   body=gettext_noop("The fee for application %(application)s is paid."),
                   params={"application": application.pk}, url=reverse("certification:review", args=[application.pk]))
    return application


@transaction.atomic
def application_review_start(*, actor, application: Application) -> Application:
    """Take a paid, submitted application into review (assigning it to the actor if unassigned). Audited."""
    application = _lock(application)
    _require_reviewer(actor, application)
    _require_paid(application)
    before = _transition(application, S.IN_REVIEW, APPLICATION_TRANSITIONS, "application")
    application.assigned_to = application.assigned_to or actor
    application.save(update_fields=["status", "assigned_to", "updated_at"])
    audit_record(actor=actor, action="application.review_start", obj=application, before={"status": before},
                 after={"status": application.status, "assigned_to": application.assigned_to_id})
    return application


def _require_in_review(application):
    if application.status != S.IN_REVIEW:
        raise ApplicationError("The application is %(status)s; start the review first.",
                               params={"status": str(application.get_status_display()).lower()}, code="state")


@transaction.atomic
def requirement_decide(*, actor, application: Application, code: str, outcome: str, notes: str = "") -> RequirementDecision:
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
    audit_record(actor=actor, action="application.requirement_decide", obj=application,
                 before={"code": code, **before}, after={"code": code, "outcome": outcome, "notes": row.notes})
    return row


@transaction.atomic
def application_request_revision(*, actor, application: Application, message: str = "") -> Application:
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
        raise ApplicationError("Mark what needs fixing as not met (with a note), or write a message to the applicant.",
                               field="message")
    before = _transition(application, S.REVISION_REQUESTED, APPLICATION_TRANSITIONS, "application")
    _stop_clock(application)
    application.revision_message = message
    application.save(update_fields=["status", "revision_message", "review_clock_started_at", "review_days_banked",
                                    "updated_at"])
    audit_record(actor=actor, action="application.request_revision", obj=application, before={"status": before},
                 after={"status": application.status, "to_fix": to_fix}, reason=message)
    if application.person.user_id:
        notify(user=application.person.user, subject=gettext_noop("Changes needed on your certification application"),
               body=gettext_noop("Your reviewer asked for changes. Open your application to see what to fix, then "
                                 "submit it again."),
               url=_application_url(application))
    return application


@transaction.atomic
def application_approve(*, actor, application: Application) -> Application:
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
    if application.status == S.IN_REVIEW and open_items:
        undecided = [c for c, o in open_items if o == Outcome.UNDECIDED]
        unmet = [c for c, o in open_items if o == Outcome.NOT_MET]
        parts = []
        if undecided:
            parts.append(gettext("not yet decided: %(labels)s") % {"labels": ", ".join(
                str(requirements.BY_CODE[c].label) for c in undecided if c in requirements.BY_CODE)})
        if unmet:
            parts.append(gettext("not met: %(labels)s") % {"labels": ", ".join(
                str(requirements.BY_CODE[c].label) for c in unmet if c in requirements.BY_CODE)})
        raise ApplicationError("Every requirement must be met before approval; %(parts)s.",
                               params={"parts": "; ".join(parts)}, code="state")
    before = _transition(application, S.APPROVED, APPLICATION_TRANSITIONS, "application")
    today = clock.today()
    rules = rules_on(today)
    _stop_clock(application)
    application.decided_at, application.decided_by = clock.now(), actor
    application.valid_until = add_months(today, rules.application_valid_months)
    application.rules_version = rules.version
    application.save(update_fields=["status", "decided_at", "decided_by", "valid_until", "rules_version",
                                    "review_clock_started_at", "review_days_banked", "updated_at"])
    audit_record(actor=actor, action="application.approve", obj=application, before={"status": before},
                 after={"status": application.status, "valid_until": application.valid_until,
                        "rules_version": rules.version})
    if application.pathway == Pathway.TRANSFER_IN_STATE:
        certification_issue(actor=actor, application=application)
    else:
        fees.charge_exam_fee(actor=actor, application=application)
        if application.person.user_id:
            notify(user=application.person.user, subject=gettext_noop("Your certification application is approved"),
                   body=gettext_noop("Next: finish the steps below by %(date)s. The exam fee is on your payments page."),
                   params={"date": application.valid_until}, url=_application_url(application))
    return application


@transaction.atomic
def application_deny(*, actor, application: Application, reason: str) -> Application:
    """Deny the application. A reason is required; the applicant is told they may appeal. Audited."""
    application = _lock(application)
    _require_reviewer(actor, application)
    _require_paid(application)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Give the reason for the denial; the applicant will read it and may appeal it.",
                               field="reason")
    before = _transition(application, S.DENIED, APPLICATION_TRANSITIONS, "application")
    rules = rules_on(clock.today())
    _stop_clock(application)
    application.decided_at, application.decided_by, application.decision_reason = clock.now(), actor, reason
    application.rules_version = rules.version
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason", "rules_version",
                                    "review_clock_started_at", "review_days_banked", "updated_at"])
    audit_record(actor=actor, action="application.deny", obj=application, before={"status": before},
                 after={"status": application.status}, reason=reason)
    if application.person.user_id:
        notify(user=application.person.user, subject=gettext_noop("Decision on your certification application"),
               body=gettext_noop("Your application was denied. Reason: %(reason)s\n\nYou may appeal this decision "
                                 "within %(days)s days."),
               params={"reason": reason, "days": rules.appeal_window_days}, url=_application_url(application))
    return application


@transaction.atomic
def application_reopen_on_appeal(*, actor, application: Application, reason: str) -> Application:
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
    other = (Application.objects.filter(person=application.person, program=application.program,
                                        status__in=OPEN_STATUSES).exclude(pk=application.pk).first())
    if other is not None:
        # One open application per person: the applicant chooses which one to keep.
        raise ApplicationError(
            "The applicant has started %(other)s since the denial, which is %(status)s. "
            "Ask them to withdraw it from their account, then record the appeal decision again.",
            params={"other": str(other), "status": str(other.get_status_display()).lower()}, code="conflict")
    decided = {"status": application.status, "decided_at": application.decided_at,
               "decided_by": application.decided_by_id, "decision_reason": application.decision_reason,
               "assigned_to": application.assigned_to_id}
    _transition(application, S.SUBMITTED, APPLICATION_TRANSITIONS, "application")
    application.decided_at = application.decided_by = None
    application.decision_reason = ""
    application.assigned_to = None
    application.review_clock_started_at = clock.now()
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason", "assigned_to",
                                    "review_clock_started_at", "updated_at"])
    audit_record(actor=actor, action="application.reopen", obj=application, before=decided,
                 after={"status": application.status}, reason=reason)
    return application


@transaction.atomic
def applications_expire_lapsed(*, actor=None, today: datetime.date | None = None) -> int:
    """Close approved applications whose window ended without a certification (set-based). Audited per row."""
    today = today or clock.today()
    issued = Certification.objects.filter(application=OuterRef("pk"))
    lapsed = list(Application.objects.select_for_update()
                  .filter(status=S.APPROVED, valid_until__lt=today).exclude(Exists(issued))
                  .values_list("pk", flat=True))
    if not lapsed:
        return 0
    Application.objects.filter(pk__in=lapsed).update(status=S.EXPIRED, updated_at=clock.now())
    audit_record_many(actor=None, action="application.expire", object_type="certification.application",
                      rows=[(pk, "", {"status": S.APPROVED}, {"status": S.EXPIRED}) for pk in lapsed],
                      reason="approval window ended")
    return len(lapsed)


HISTORICAL_ANSWERS = frozenset(STEP_FIELDS["pathway"]) | {"lived_experience", "experience_area", "willing_to_share",
                                                           "county"}
# What an approved grandparenting record must say, so the closed pathway's decisions stay complete.
GRANDPARENTING_FACTS = {"employed_as_peer_on_cutoff": gettext_noop("whether they were employed as a peer on the "
                                                                  "cutoff date"),
                        "peer_work_hours": gettext_noop("the hours of peer work"),
                        "ce_hours": gettext_noop("the CE hours"),
                        "ce_law_ethics_hours": gettext_noop("the CE hours in law and ethics")}
MAX_CE_HOURS = Decimal("9999.99")


@dataclass
class HistoricalRecord:
    """A past decision checked and ready to save (application unsaved), with its audit details."""

    application: Application
    audit_after: dict


class HistoricalRecordError(ApplicationError):
    """Every reason one past record cannot be saved; errors holds them all (the first is the message)."""

    def __init__(self, errors: list[ApplicationError]):
        super().__init__(errors[0].message, code=errors[0].code, field=errors[0].field)
        self.errors = errors


def _local_noon(day: datetime.date) -> datetime.datetime:
    # Noon local time keeps the calendar day whatever the server's time zone offset.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def historical_record_build(*, actor, person, program, pathway: str, status: str,
                            submitted_on: datetime.date | None, decided_on: datetime.date | None, reason: str = "",
                            today: datetime.date, rules_for, legal_names: tuple[str, str, str] | None = None,
                            date_of_birth: datetime.date | None = None, **answers) -> tuple[HistoricalRecord | None, list[ApplicationError]]:
    """Check one past decision and build its unsaved Application: the rules staff entry and file import share.

    person may be unsaved (a file import creating people). legal_names and date_of_birth, as
    given on the past application, default to the person's. rules_for(day) gives the program
    rules of a day (a core.rules.rules_picker). Runs no query of its own. Returns (record, [])
    or (None, every problem, each with the field it concerns).
    """
    errors: list[ApplicationError] = []
    born = date_of_birth or person.date_of_birth

    def refuse(message: str, field: str | None = None, params: dict | None = None) -> None:
        errors.append(ApplicationError(message, field=field, params=params))

    if pathway not in Pathway.values:
        refuse("The pathway “%(pathway)s” is unknown; use %(choices)s.", "pathway",
               {"pathway": pathway, "choices": ", ".join(Pathway.values)})
    if status not in (S.APPROVED, S.DENIED):
        refuse("A past record is either approved or denied, not “%(status)s”.", "status", {"status": status})
    if submitted_on is None:
        refuse("Give the date the application was submitted.", "submitted_on")
    if decided_on is None:
        refuse("Give the date of the decision.", "decided_on")
    if submitted_on is not None and submitted_on > today:
        refuse("The submission date %(day)s is in the future.", "submitted_on", {"day": f"{submitted_on:%Y-%m-%d}"})
    if decided_on is not None and decided_on > today:
        refuse("The decision date %(day)s is in the future.", "decided_on", {"day": f"{decided_on:%Y-%m-%d}"})
    if submitted_on and decided_on and decided_on < submitted_on:
        refuse("The decision date cannot be before the submission date.", "decided_on")
    reason = (reason or "").strip()
    if status == S.DENIED and not reason:
        refuse("Give the reason for the denial.", "reason")
    unknown = set(answers) - HISTORICAL_ANSWERS
    if unknown:
        refuse("Unknown fields: %(fields)s.", params={"fields": ", ".join(sorted(unknown))})
    for field in ("peer_work_hours", "ce_hours", "ce_law_ethics_hours"):
        value = answers.get(field)
        if value is None:
            continue
        if value < 0:
            refuse("Hours cannot be negative (%(field)s: %(value)s).", field, {"field": field, "value": value})
        elif field == "peer_work_hours" and value != int(value):
            refuse("Hours of peer work must be a whole number, not %(value)s.", field, {"value": value})
        elif field != "peer_work_hours" and (value > MAX_CE_HOURS or Decimal(value) != Decimal(value).quantize(
                Decimal("0.01"))):
            refuse("CE hours “%(value)s” must be under 10,000 with at most two decimal places.", field,
                   {"value": value})
    ce, law = answers.get("ce_hours"), answers.get("ce_law_ethics_hours")
    if ce is not None and law is not None and law > ce:
        refuse("CE hours in law and ethics (%(law)s) cannot be more than the CE hours (%(ce)s).",
               "ce_law_ethics_hours", {"law": law, "ce": ce})
    if pathway == Pathway.GRANDPARENTING and status == S.APPROVED:
        missing = [gettext(label) for field, label in GRANDPARENTING_FACTS.items() if answers.get(field) is None]
        if missing:
            refuse("An approved grandparenting record must give %(facts)s.", params={"facts": ", ".join(missing)})
    rules = None
    try:
        if submitted_on and born:
            minimum = rules_for(submitted_on).minimum_age
            if requirements.age_on(born, submitted_on) < minimum:
                refuse("The applicant was under %(age)s on the submission date %(submitted)s (born %(born)s).",
                       "submitted_on", {"age": minimum, "submitted": f"{submitted_on:%Y-%m-%d}",
                                        "born": f"{born:%Y-%m-%d}"})
        if decided_on:
            rules = rules_for(decided_on)
    except ApplicationError as exc:
        errors.append(exc)
    if errors:
        return None, errors
    if "peer_work_hours" in answers and answers["peer_work_hours"] is not None:
        answers["peer_work_hours"] = int(answers["peer_work_hours"])
    first, middle, last = legal_names or (person.legal_first_name, person.legal_middle_name, person.legal_last_name)
    application = Application(
        person=person, program=program, pathway=pathway, status=status, entered_by_staff=True,
        legal_first_name=first, legal_middle_name=middle, legal_last_name=last, date_of_birth=born,
        first_submitted_at=_local_noon(submitted_on), submitted_at=_local_noon(submitted_on),
        decided_at=_local_noon(decided_on), decided_by=actor, decision_reason=reason, rules_version=rules.version,
        review_days_banked=(decided_on - submitted_on).days,
        valid_until=add_months(decided_on, rules.application_valid_months) if status == S.APPROVED else None,
        steps_completed=steps_for(pathway), **answers,
    )
    after = {"pathway": pathway, "status": status, "submitted_on": submitted_on.isoformat(),
             "decided_on": decided_on.isoformat(),
             **{k: str(v.pk if hasattr(v, "pk") else v) for k, v in answers.items()}}
    return HistoricalRecord(application=application, audit_after=after), []


def historical_already_recorded(program, keys) -> dict[tuple, int]:
    """{(person_id, pathway, decided_on): application id} for past records staff already saved.

    keys: (person_id, pathway, decided_on) triples. One query per 500 people.
    """
    wanted = {k for k in keys if k[0] is not None}
    people = sorted({k[0] for k in wanted})
    found = {}
    for i in range(0, len(people), 500):
        rows = Application.objects.filter(program=program, entered_by_staff=True, person_id__in=people[i:i + 500],
                                          decided_at__isnull=False).values_list("pk", "person_id", "pathway",
                                                                                "decided_at")
        for pk, person_id, pathway, decided_at in rows:
            key = (person_id, pathway, timezone.localdate(decided_at))
            if key in wanted:
                found.setdefault(key, pk)
    return found


@transaction.atomic
def application_enter_historical(*, actor, person, program, pathway: str, status: str, submitted_on: datetime.date,
                                 decided_on: datetime.date, reason: str = "", **answers) -> Application:
    """Staff enter a decided application from before PeerCert (e.g. grandparenting, closed to new applicants).

    Preconditions (shared with the file import, legacy_import): actor reviews in the program;
    see historical_record_build; not already recorded (same person, pathway and decision date).
    Raises HistoricalRecordError listing every problem. The record is complete and readable
    like any other; it carries entered_by_staff. Audited.
    """
    if not can_review_in(actor, program.pk):
        raise ApplicationError("Only staff of the program may enter past records.", code="forbidden")
    ensure_not_own_matter(actor, person, what="record")
    record, errors = historical_record_build(
        actor=actor, person=person, program=program, pathway=pathway, status=status, submitted_on=submitted_on,
        decided_on=decided_on, reason=reason, today=clock.today(), rules_for=rules_picker(older_use_first=True),
        **answers)
    if record is not None:
        existing = historical_already_recorded(program, [(person.pk, pathway, decided_on)])
        if existing:
            errors = [ApplicationError("This past decision is already recorded (application %(number)s).",
                                       params={"number": next(iter(existing.values()))}, code="duplicate")]
    if errors:
        raise HistoricalRecordError(errors)
    application = record.application
    application.save()
    audit_record(actor=actor, action="application.enter_historical", obj=application, after=record.audit_after,
                 reason=application.decision_reason)
    return application


# ---- Facts recorded by staff, and issuing -----------------------------------------------

@transaction.atomic
def milestone_record(*, actor, person, kind: str, occurred_on: datetime.date, note: str = "") -> Certification | None:
    """Staff record that core training was completed or the exam passed (until those apps report it).

    Preconditions: the actor reviews in the program of the person's approved application;
    the date not in the future; each fact recorded once. Side effect: when everything is
    now met, the certification is issued. Audited.
    """
    if kind not in MilestoneKind.values:
        raise ApplicationError("Choose training completed or exam passed.", field="kind")
    if occurred_on > clock.today():
        raise ApplicationError("The date cannot be in the future.", field="occurred_on")
    application = (Application.objects.select_for_update().filter(person=person, status=S.APPROVED)
                   .order_by("-decided_at").first())
    if application is None or not can_review_application(actor, application):
        raise ApplicationError("Record this for a person with an approved application in your program.",
                               code="forbidden")
    ensure_not_own_matter(actor, person, what="record")
    try:
        with transaction.atomic():
            row = RecordedMilestone.objects.create(person=person, kind=kind, occurred_on=occurred_on,
                                                   recorded_by=actor, note=note.strip()[:300])
    except IntegrityError:
        raise ApplicationError("%(milestone)s is already recorded for this person.",
                               params={"milestone": MilestoneKind(kind).label}, code="duplicate") from None
    audit_record(actor=actor, action="milestone.record", obj=row, object_type="certification.person_milestone",
                 object_id=person.pk, after={"kind": kind, "occurred_on": occurred_on, "application": application.pk})
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

    if (application.status != S.APPROVED or not requirements.pathway_needs_exam(application.pathway)
            or application.valid_until is None or application.valid_until < clock.today()):
        return None
    if requirements.pathway_needs_training(application.pathway) and requirements.training_completed_on(application.person) is None:
        return None
    if not fees.exam_fee_settled(application):
        return None
    try:
        return exam_services.exam_authorization_grant(actor=None, person=application.person,
                                                      valid_until=application.valid_until,
                                                      reference=f"{fees.APPLICATION_REFERENCE}:{application.pk}")
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


def _history(certification, to_status, *, from_status="", effective_on, reason, actor, source):
    return CertificationStatusChange.objects.create(
        certification=certification, from_status=from_status, to_status=to_status, effective_on=effective_on,
        reason=reason, actor=actor if getattr(actor, "is_authenticated", False) else None, source=source)


@transaction.atomic
def certification_issue(*, actor, application: Application) -> Certification:
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
            return moved
    number = certification_number_next()
    certification = Certification.objects.create(
        number=number, person=application.person, program=application.program, application=application,
        status=CertificationStatus.ACTIVE, issued_on=today,
        expires_on=add_months(today, 12 * rules.certification_term_years), status_changed_on=today,
        county=application.county, rules_version=rules.version,
    )
    if application.pathway == Pathway.TRANSFER_IN_STATE:
        CertificationNumberRecord.objects.create(certification=certification, number=application.prior_certification_number,
                                                 program_name=application.prior_program_name, valid_to=today)
    CertificationNumberRecord.objects.create(certification=certification, number=number, program=application.program,
                                             program_name=application.program.name, valid_from=today)
    _history(certification, CertificationStatus.ACTIVE, effective_on=today, reason="Certification issued",
             actor=actor, source="issue")
    audit_record(actor=actor, action="certification.issue", obj=certification,
                 after={"number": number, "application": application.pk, "issued_on": today,
                        "expires_on": certification.expires_on, "rules_version": rules.version})
    if application.person.user_id:
        notify(user=application.person.user, subject=gettext_noop("You are certified"),
               body=gettext_noop("Your certification number is %(number)s. You can download your certificate from "
                                 "your account."),
               params={"number": number}, url=reverse("certification:mine"))
    return certification


def _transfer_existing(*, actor, application, today) -> Certification | None:
    prior = (Certification.objects.select_for_update()
             .filter(number=application.prior_certification_number, person=application.person).first())
    if prior is None:
        return None
    before = {"program": prior.program_id, "application": prior.application_id}
    CertificationNumberRecord.objects.filter(certification=prior, valid_to__isnull=True).update(valid_to=today)
    prior.program, prior.application = application.program, application
    prior.county = application.county or prior.county
    prior.save(update_fields=["program", "application", "county", "updated_at"])
    CertificationNumberRecord.objects.create(certification=prior, number=prior.number, program=application.program,
                                             program_name=application.program.name, valid_from=today)
    audit_record(actor=actor, action="certification.transfer", obj=prior, before=before,
                 after={"program": application.program.pk, "application": application.pk})
    return prior


@transaction.atomic
def certification_change_status(*, actor, certification: Certification, to_status: str, reason: str,
                                effective_on: datetime.date | None = None, source: str = "") -> Certification:
    """Move a certification to another status (discipline, expiry, reinstatement, surrender...).

    Preconditions: the transition is in CERTIFICATION_TRANSITIONS; a reason; actor None
    (a system job or another app's service acting for itself) or staff of the certifying
    program. Writes the status history and the audit event; the registry shows the new
    status at once. Notifies the peer.
    """
    certification = Certification.objects.select_for_update().select_related("person").get(pk=certification.pk)
    if actor is not None and not can_manage_certification(actor, certification):
        raise ApplicationError("Only staff of the certifying program may change a certification's status.",
                               code="forbidden")
    ensure_not_own_matter(actor, certification.person_id, what="certification")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Give the reason for the change; it is kept in the certification's history.",
                               field="reason")
    if to_status not in CertificationStatus.values:
        raise ApplicationError("Choose a known status.", field="to_status")
    effective_on = effective_on or clock.today()
    before = _transition(certification, to_status, CERTIFICATION_TRANSITIONS, "certification")
    certification.status_changed_on = effective_on
    certification.save(update_fields=["status", "status_changed_on", "updated_at"])
    _history(certification, to_status, from_status=before, effective_on=effective_on, reason=reason, actor=actor,
             source=source)
    audit_record(actor=actor, action="certification.change_status", obj=certification, before={"status": before},
                 after={"status": to_status, "effective_on": effective_on, "source": source}, reason=reason)
    if certification.person.user_id:
        notify(user=certification.person.user, subject=gettext_noop("Your certification is now %(status)s"),
               body=gettext_noop("Certification %(number)s: %(reason)s"),
               params={"status": lower_lazy(CertificationStatus(to_status).label), "number": certification.number,
                       "reason": reason}, url=reverse("certification:mine"))
    return certification


@transaction.atomic
def certification_specialization_add(*, actor, certification: Certification, specialization: str,
                                     added_on: datetime.date | None = None) -> CertificationSpecialization:
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
            params={"person": str(certification.person), "label": label}, code="state", field="specialization")
    row, created = CertificationSpecialization.objects.get_or_create(
        certification=certification, specialization=specialization, defaults={"added_on": added_on or clock.today()})
    if not created:
        raise ApplicationError("This specialization is already shown.", code="duplicate")
    audit_record(actor=actor, action="certification.specialization_add", obj=certification,
                 after={"specialization": specialization})
    return row


def reviewers_of(program) -> list:
    from peercert.accounts.models import User

    return list(User.objects.filter(is_active=True, role_assignments__role__in=REVIEW_ROLES,
                                    role_assignments__program=program).distinct().order_by("email"))

from peercert.certification.lifecycle import certification_renew, certification_surrender  # noqa: E402,F401
