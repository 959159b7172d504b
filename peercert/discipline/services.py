"""Every change to complaints, actions and appeals happens here."""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from peercert.accounts.models import Person, RoleAssignment, TrainingEntity
from peercert.accounts.permissions import training_entity_ids
from peercert.accounts.roles import Role
from peercert.accounts.selectors import person_for_user, statewide_program
from peercert.certification import services as certification_services
from peercert.certification.models import Application, Certification, CertificationStatus
from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many, snapshot
from peercert.core.dates import add_years
from peercert.core.duties import is_party, refuse_assignment, refuse_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import appeal_window_ends, rules_on
from peercert.core.tell import tell_email, tell_person, tell_user, tell_users
from peercert.core.text import fill
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.discipline import selectors
from peercert.discipline.audit import DisciplineAuditAction
from peercert.discipline.clocks import add_business_days
from peercert.discipline.models import (
    ACTION_SUBJECTS,
    ACTION_TRANSITIONS,
    APPEAL_TRANSITIONS,
    COMPLAINT_TRANSITIONS,
    DENIAL_SUBJECT_KINDS,
    LIVE_ACTION_STATUSES,
    OUTCOMES_FOR,
    PEER_SUBJECTS,
    ActionKind,
    ActionStatus,
    Appeal,
    AppealOutcome,
    AppealStatus,
    AppealSubject,
    CaseEntry,
    CaseEntryKind,
    Channel,
    Complaint,
    ComplaintStatus,
    DisciplinaryAction,
    EthicsProvision,
    Outcome,
    RequiredClass,
    RespondentKind,
)
from peercert.discipline.permissions import (
    can_decide_appeal,
    can_handle_case,
    can_handle_cases,
    respondent_scope,
)
from peercert.renewal.models import Renewal
from peercert.renewal.services import renewal_reopen_on_appeal
from peercert.training import services as training_services
from peercert.training.models import ProviderStatus
from peercert.training.selectors import ce_hours_between

COMPLAINT_FIELDS = ("status", "screening_reason", "acknowledged_on", "investigation_due_on", "extension_reason",
                    "extended_on", "investigation_started_on", "investigator", "outcome", "decided_on", "decided_by")
ACTION_FIELDS = ("kind", "status", "effective_on", "ends_on", "until_condition", "due_on", "executed_on", "ended_on",
                 "escalated_on", "certification_id", "prior_status")
APPEAL_FIELDS = ("status", "outcome", "decided_on", "decided_by", "original_decider")


# --- helpers ----------------------------------------------------------------------------


def _require_case_staff(actor: Actor, complaint: Complaint | None = None) -> None:
    allowed = can_handle_case(actor, complaint) if complaint is not None else can_handle_cases(actor)
    if not allowed:
        raise ApplicationError("Only program staff who handle complaints may do this.", code="forbidden")
    # Every step on a case is taken by staff who are neither its respondent nor its complainant.
    if complaint is not None and _is_complaint_party(actor, complaint):
        raise refuse_own_matter("complaint")


def _is_complaint_party(user: Actor, complaint: Complaint) -> bool:
    """The respondent (the peer, or staff of the training entity) or the complainant (who filed it
    online or raised it as staff, or whose email the complaint gives)."""
    if user is None:
        return False
    complainant = complaint.entered_by if complaint.channel in (Channel.ONLINE, Channel.STAFF) else None
    if is_party(user, complaint.respondent_person_id, complainant):
        return True
    email = (complaint.complainant_email or "").strip().lower()
    if email and email == (getattr(user, "email", "") or "").strip().lower():
        return True
    return complaint.respondent_entity_id is not None and complaint.respondent_entity_id in training_entity_ids(user)


# What a refused transition and the denial check call a record, in the reader's language.
NOUNS = {"case": _("case"), "action": _("action"), "appeal": _("appeal"),
         "application": _("application"), "renewal": _("renewal")}
PLURAL_NOUNS = {"application": _("applications"), "renewal": _("renewals")}


def _complaint_label(value: str) -> str:
    return str(ComplaintStatus(value).label).lower()


def _action_label(value: str) -> str:
    return str(ActionStatus(value).label).lower()


def _refuse_if_closed(complaint: Complaint) -> None:
    if complaint.is_closed:
        raise ApplicationError(
            "Case %(number)s is closed (%(status)s); nothing more can be done on it. "
            "Open a new complaint if new facts arrive.", code="closed",
            params={"number": complaint.number, "status": _complaint_label(complaint.status)})


def _tell_respondent(*, person: Person | None = None, entity: TrainingEntity | None = None, subject: str,
                     body: str, url: str = "", params: dict | None = None) -> None:
    """The respondent is a person, or a training entity: its staff in their accounts and its office by email."""
    if person is not None:
        tell_person(person, subject=subject, body=body, params=params, link=url)
    elif entity is not None:
        staff = (RoleAssignment.objects.filter(role=Role.TRAINING_STAFF, training_entity=entity)
                 .select_related("user__person").order_by("pk"))
        tell_users([assignment.user for assignment in staff], subject=subject, body=body, params=params, link=url)
        tell_email(entity.email, language=settings.LANGUAGE_CODE, subject=subject, body=body, params=params)


# The complaint records no language for its complainant, so they are written to in the site's.
COMPLAINANT_LANGUAGE = settings.LANGUAGE_CODE


# A message filled when it is written out, in the language active then (under notify, the reader's).
_filled_later = lazy(fill, str)
_lower_later = lazy(lambda text: str(text).lower(), str)


def _paragraphs(*pieces):
    """Optional paragraphs for a notification body, each after a blank line; written in the reader's language."""
    present = [p for p in pieces if p]
    return format_lazy("\n\n{}" * len(present), *present)


def _placeholder_number() -> str:
    # Numbers come from the primary key, known only after the insert; this fills the unique column meanwhile.
    return f"~{uuid.uuid4().hex[:18]}"


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# --- carrying decisions into certification, training, renewal ----------------------------

# Discipline writes this as the source of every certification status change it causes.
CERTIFICATION_SOURCE = "discipline"


def _certification_change(*, actor: Actor, certification_id: int, to_status: str, reason: str,
                          effective_on: datetime.date) -> Certification:
    # Discipline checked its own permissions already. A respondent's act (withdrawing an appeal)
    # can re-apply an action; certification then hears it from discipline itself (actor None).
    certification_actor = actor if can_handle_cases(actor) else None
    certification = Certification.objects.get(pk=certification_id)
    if certification.status == to_status:
        return certification
    if certification.status == CertificationStatus.REVOKED and to_status == CertificationStatus.SUSPENDED:
        # A revocation turned into a suspension on appeal: certification only lets a revocation end
        # by returning to active, so the history shows both steps on the same day.
        certification = certification_services.certification_change_status(
            actor=certification_actor, certification=certification, to_status=CertificationStatus.ACTIVE,
            reason=reason, effective_on=effective_on, source=CERTIFICATION_SOURCE)
    return certification_services.certification_change_status(
        actor=certification_actor, certification=certification, to_status=to_status, reason=reason,
        effective_on=effective_on, source=CERTIFICATION_SOURCE)


def _certification_apply(*, actor: Actor, person: Person, to_status: str, reason: str,
                         effective_on: datetime.date) -> tuple[int | None, str]:
    """Suspend or revoke the person's current certification. Returns (certification_id, prior_status).

    (None, "") when the person has no certification in PeerCert (nothing to change).
    """
    current = selectors.current_certification(person)
    if current is None:
        return None, ""
    prior = current.status
    _certification_change(actor=actor, certification_id=current.pk, to_status=to_status, reason=reason,
                          effective_on=effective_on)
    return current.pk, prior


def _certification_restore(*, actor: Actor, certification_id: int | None, to_status: str, reason: str,
                           effective_on: datetime.date) -> None:
    """Put a certification back to a status (after an overturn, a stay or the end of a suspension).

    A certification whose term ran out meanwhile goes to expired instead of active.
    """
    if certification_id is None or not to_status:
        return
    current = selectors.certification_by_id(certification_id)
    if current is None:
        return
    if to_status == CertificationStatus.ACTIVE and current.expires_on is not None \
            and current.expires_on < effective_on:
        to_status = CertificationStatus.EXPIRED
    _certification_change(actor=actor, certification_id=certification_id, to_status=to_status, reason=reason,
                          effective_on=effective_on)


def _entity_sanction_changed(*, actor: Actor, entity: TrainingEntity, kind: str, in_effect: bool, reason: str,
                             effective_on: datetime.date) -> None:
    """Carry a sanction on a training entity into the training app, which owns approval status.

    A suspension suspends each of the entity's approved approvals (one per training type and
    language) and lifting it restores the ones still suspended; a withdrawal withdraws them.
    Training makes a withdrawal final, so overturning a withdrawal on appeal is recorded here
    and the entity re-applies. Training's services need program staff as the actor: the
    caller passes whoever decided the sanction when a daily job carries it out.
    """
    approvals = selectors.entity_approvals(entity)
    if kind == ActionKind.SUSPENSION and in_effect:
        for application in approvals.filter(status=ProviderStatus.APPROVED):
            training_services.provider_application_suspend(actor=actor, application=application, reason=reason)
    elif kind == ActionKind.SUSPENSION:
        for application in approvals.filter(status=ProviderStatus.SUSPENDED):
            try:
                training_services.provider_application_lift_suspension(actor=actor, application=application,
                                                                       reason=reason)
            except ApplicationError as exc:
                if exc.code != "state":  # an approval whose term ended meanwhile renews instead
                    raise
    elif kind == ActionKind.WITHDRAWAL and in_effect:
        for application in approvals.filter(status__in=[ProviderStatus.APPROVED, ProviderStatus.SUSPENDED]):
            training_services.provider_application_withdraw(actor=actor, application=application, reason=reason)


def _denial_reopen(*, actor: Actor, kind: str, denial_id: int, reason: str) -> None:
    """An appeal overturned the denial: the owning app sends the application or renewal back for review."""
    if kind == selectors.APPLICATION:
        certification_services.application_reopen_on_appeal(
            actor=actor, application=Application.objects.get(pk=denial_id), reason=reason)
    elif kind == selectors.RENEWAL:
        renewal_reopen_on_appeal(actor=actor, renewal=Renewal.objects.get(pk=denial_id), reason=reason)
    else:
        raise ValueError(kind)


# --- intake -----------------------------------------------------------------------------


def _screen(complaint: Complaint, rules, today: datetime.date) -> str:
    """Why a complaint cannot be taken up, or "" when it can."""
    oldest = add_years(today, -rules.complaint_lookback_years)
    if complaint.incident_on < oldest:
        return (f"The conduct happened on {complaint.incident_on:%Y-%m-%d}, more than "
                f"{rules.complaint_lookback_years} years ago. Complaints must be made within "
                f"{rules.complaint_lookback_years} years of what happened.")
    if complaint.respondent_kind == RespondentKind.PEER:
        if not selectors.was_certified_on(complaint.respondent_person, complaint.incident_on):
            return (f"The person was not certified on {complaint.incident_on:%Y-%m-%d}. The program can only act on "
                    "conduct while a person was certified; a county or employer may be able to help.")
    return ""


@transaction.atomic
def complaint_file(*, actor: Actor, channel: str, respondent_kind: str, complainant_name: str, incident_on: datetime.date,
                   incident_description: str, respondent_person: Person | None = None,
                   respondent_entity: TrainingEntity | None = None, respondent_reference: str = "",
                   complainant_phone: str = "", complainant_email: str = "", evidence=(),
                   received_on: datetime.date | None = None) -> Complaint:
    """Take in a complaint: online by anyone (actor None or any user) or by staff from mail or phone.

    Preconditions: the respondent exists; what happened is described; the date is not in the
    future; evidence files are PDF/JPEG/PNG. Only program staff may enter mail, phone or staff
    complaints, or give a receipt date other than today.
    Side effects: sets the acknowledgement and investigation clocks from the rules in force;
    screens out conduct outside the look-back window or from a time the person was not
    certified, with the reason; stores evidence; audits complaint.file (and complaint.screen_out).
    """
    today = clock.today()
    if channel != Channel.ONLINE or received_on not in (None, today):
        _require_case_staff(actor)
    received_on = received_on or today
    if received_on > today:
        raise ApplicationError("The date received cannot be in the future.", field="received_on")
    complainant_name = (complainant_name or "").strip()
    if not complainant_name:
        raise ApplicationError("Enter the name of the person making the complaint.", field="complainant_name")
    if channel == Channel.ONLINE and not (complainant_email or complainant_phone):
        raise ApplicationError("Give an email address or a phone number so the program can reach you.",
                               field="complainant_email")
    if not (incident_description or "").strip():
        raise ApplicationError("Describe what happened.", field="incident_description")
    if incident_on is None or incident_on > received_on:
        raise ApplicationError("The date it happened cannot be after the complaint was made.", field="incident_on")
    if respondent_kind == RespondentKind.PEER:
        if respondent_person is None:
            raise ApplicationError("Choose the peer support specialist the complaint is about.", field="respondent")
        respondent_entity = None
    elif respondent_kind == RespondentKind.TRAINING_ENTITY:
        if respondent_entity is None:
            raise ApplicationError("Choose the training entity the complaint is about.", field="respondent_entity")
        respondent_person = None
    else:
        raise ApplicationError("Say whether the complaint is about a peer or a training entity.", field="respondent_kind")
    evidence = list(evidence or [])
    evidence_kinds = [validate_upload(upload, field="evidence") for upload in evidence]

    rules = rules_on(received_on)
    program = statewide_program()
    if program is None:
        raise ApplicationError("No certification program is set up to receive complaints.", code="state")
    complaint = Complaint(
        number=_placeholder_number(), program=program, respondent_kind=respondent_kind,
        respondent_person=respondent_person, respondent_entity=respondent_entity,
        respondent_reference=respondent_reference[:40], complainant_name=complainant_name[:200],
        complainant_phone=(complainant_phone or "").strip()[:30], complainant_email=(complainant_email or "").strip(),
        channel=channel, incident_on=incident_on, incident_description=incident_description.strip(),
        received_on=received_on, ack_due_on=add_business_days(received_on, rules.complaint_ack_business_days),
        investigation_due_on=received_on + datetime.timedelta(days=rules.investigation_days),
        entered_by=actor if getattr(actor, "is_authenticated", False) else None, rules_version=rules.version,
    )
    complaint.save()
    complaint.number = f"C-{received_on.year}-{complaint.pk:05d}"
    complaint.save(update_fields=["number"])
    for upload, upload_kind in zip(evidence, evidence_kinds, strict=True):
        CaseEntry.objects.create(complaint=complaint, kind=CaseEntryKind.EVIDENCE, document=upload,
                                 document_kind=upload_kind,
                                 document_name=getattr(upload, "name", "")[:200], from_complainant=True,
                                 text="Sent with the complaint.")
    audit_record(actor=actor, action=DisciplineAuditAction.COMPLAINT_FILE, obj=complaint,
                 after={"number": complaint.number, "channel": channel, "respondent_kind": respondent_kind,
                        "respondent": (respondent_person or respondent_entity).pk, "incident_on": incident_on,
                        "ack_due_on": complaint.ack_due_on, "investigation_due_on": complaint.investigation_due_on,
                        "rules_version": rules.version, "evidence_files": len(evidence)})
    reason = _screen(complaint, rules, received_on)
    if reason:
        transition(complaint, ComplaintStatus.SCREENED_OUT, allowed=COMPLAINT_TRANSITIONS, noun=NOUNS["case"])
        complaint.screening_reason = reason
        complaint.save(update_fields=["status", "screening_reason", "updated_at"])
        audit_record(actor=None, action=DisciplineAuditAction.COMPLAINT_SCREEN_OUT, obj=complaint,
                     before={"status": ComplaintStatus.RECEIVED}, after={"status": complaint.status}, reason=reason)
        tell_email(complaint.complainant_email, language=COMPLAINANT_LANGUAGE,
                   subject=gettext_noop("Your complaint %(number)s"),
                   body=gettext_noop("Thank you for contacting the program. We cannot take up this complaint: "
                                     "%(reason)s"), params={"number": complaint.number, "reason": reason})
    else:
        tell_email(complaint.complainant_email, language=COMPLAINANT_LANGUAGE,
                   subject=gettext_noop("We received your complaint %(number)s"),
                   body=gettext_noop("Thank you. Your complaint %(number)s was received on %(received)s. "
                                     "Program staff will acknowledge it by %(due)s."),
                   params={"number": complaint.number, "received": received_on, "due": complaint.ack_due_on})
    return complaint


@transaction.atomic
def complaint_screen_out(*, actor: Actor, complaint: Complaint, reason: str) -> Complaint:
    """Staff close a complaint without investigating it, with the reason recorded.

    Preconditions: case staff; status received or acknowledged; a reason.
    Side effects: audit complaint.screen_out; email to the complainant.
    """
    complaint = _lock(Complaint, complaint.pk)
    _require_case_staff(actor, complaint)
    _refuse_if_closed(complaint)
    check_transition(complaint, ComplaintStatus.SCREENED_OUT, allowed=COMPLAINT_TRANSITIONS, noun=NOUNS["case"])
    if not (reason or "").strip():
        raise ApplicationError("Give the reason the complaint is screened out.", field="reason")
    before = snapshot(complaint, COMPLAINT_FIELDS)
    transition(complaint, ComplaintStatus.SCREENED_OUT, allowed=COMPLAINT_TRANSITIONS, noun=NOUNS["case"])
    complaint.screening_reason = reason.strip()
    complaint.save(update_fields=["status", "screening_reason", "updated_at"])
    audit_record(actor=actor, action=DisciplineAuditAction.COMPLAINT_SCREEN_OUT, obj=complaint, before=before,
                 after=snapshot(complaint, COMPLAINT_FIELDS), reason=complaint.screening_reason)
    tell_email(complaint.complainant_email, language=COMPLAINANT_LANGUAGE,
               subject=gettext_noop("Your complaint %(number)s"),
               body=gettext_noop("The program reviewed your complaint and cannot take it further: %(reason)s"),
               params={"number": complaint.number, "reason": complaint.screening_reason})
    return complaint


@transaction.atomic
def complaint_acknowledge(*, actor: Actor, complaint: Complaint) -> Complaint:
    """Acknowledge receipt to the complainant.

    Preconditions: case staff; status received.
    Side effects: acknowledged_on = today; email to the complainant; audit complaint.acknowledge.
    """
    complaint = _lock(Complaint, complaint.pk)
    _require_case_staff(actor, complaint)
    _refuse_if_closed(complaint)
    before = snapshot(complaint, COMPLAINT_FIELDS)
    transition(complaint, ComplaintStatus.ACKNOWLEDGED, allowed=COMPLAINT_TRANSITIONS, noun=NOUNS["case"])
    complaint.acknowledged_on = clock.today()
    complaint.save(update_fields=["status", "acknowledged_on", "updated_at"])
    audit_record(actor=actor, action=DisciplineAuditAction.COMPLAINT_ACKNOWLEDGE, obj=complaint, before=before,
                 after=snapshot(complaint, COMPLAINT_FIELDS))
    tell_email(complaint.complainant_email, language=COMPLAINANT_LANGUAGE,
               subject=gettext_noop("Your complaint %(number)s is being reviewed"),
               body=gettext_noop("The program has your complaint %(number)s. We aim to finish looking into it by "
                                 "%(due)s. We will not share your name with the person or organization the "
                                 "complaint is about."),
               params={"number": complaint.number, "due": complaint.investigation_due_on})
    return complaint


@transaction.atomic
def complaint_assign(*, actor: Actor, complaint: Complaint, investigator) -> Complaint:
    """Assign (or reassign) the investigator.

    Preconditions: case staff; case open; the investigator handles cases in the case's program.
    Side effects: notifies the investigator; audit complaint.assign.
    """
    complaint = _lock(Complaint, complaint.pk)
    _require_case_staff(actor, complaint)
    _refuse_if_closed(complaint)
    if investigator is None or not can_handle_case(investigator, complaint):
        raise ApplicationError("Choose a member of program staff who handles complaints.", field="investigator")
    if _is_complaint_party(investigator, complaint):
        raise refuse_assignment(investigator, field="investigator")
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.investigator = investigator
    complaint.save(update_fields=["investigator", "updated_at"])
    audit_record(actor=actor, action=DisciplineAuditAction.COMPLAINT_ASSIGN, obj=complaint, before=before,
                 after=snapshot(complaint, COMPLAINT_FIELDS))
    tell_user(investigator, subject=gettext_noop("Case %(number)s is assigned to you"),
              body=gettext_noop("Investigation due %(day)s."),
              params={"number": complaint.number, "day": complaint.investigation_due_on},
              link=reverse("discipline:case_detail", args=[complaint.pk]))
    return complaint


@transaction.atomic
def complaint_start_investigation(*, actor: Actor, complaint: Complaint) -> Complaint:
    """Open the investigation.

    Preconditions: case staff; acknowledged; an investigator is assigned.
    Side effects: tells the respondent a complaint is being looked into (never by whom); audit.
    """
    complaint = _lock(Complaint, complaint.pk)
    _require_case_staff(actor, complaint)
    _refuse_if_closed(complaint)
    check_transition(complaint, ComplaintStatus.INVESTIGATING, allowed=COMPLAINT_TRANSITIONS, noun=NOUNS["case"])
    if complaint.investigator_id is None:
        raise ApplicationError("Assign an investigator before opening the investigation.", field="investigator")
    before = snapshot(complaint, COMPLAINT_FIELDS)
    transition(complaint, ComplaintStatus.INVESTIGATING, allowed=COMPLAINT_TRANSITIONS, noun=NOUNS["case"])
    complaint.investigation_started_on = clock.today()
    complaint.save(update_fields=["status", "investigation_started_on", "updated_at"])
    audit_record(actor=actor, action=DisciplineAuditAction.COMPLAINT_INVESTIGATE, obj=complaint, before=before,
                 after=snapshot(complaint, COMPLAINT_FIELDS))
    _tell_respondent(person=complaint.respondent_person, entity=complaint.respondent_entity,
                     subject=gettext_noop("A complaint (%(number)s) is being looked into"),
                     body=gettext_noop("The certification program received a complaint and is looking into it. "
                                       "An investigator may contact you. You will be told the outcome."),
                     params={"number": complaint.number},
                     url=reverse("discipline:my_case", args=[complaint.pk]))
    return complaint


@transaction.atomic
def complaint_extend(*, actor: Actor, complaint: Complaint, reason: str) -> Complaint:
    """Extend the investigation deadline once, by the rule's number of days, with a reason.

    Preconditions: case staff; case open; not extended before; a reason.
    Side effects: investigation_due_on moves; audit complaint.extend.
    """
    complaint = _lock(Complaint, complaint.pk)
    _require_case_staff(actor, complaint)
    _refuse_if_closed(complaint)
    if complaint.extended_on is not None:
        raise ApplicationError(
            "The investigation was already extended on %(day)s; it can be extended only once.",
            code="state", params={"day": complaint.extended_on})
    if not (reason or "").strip():
        raise ApplicationError("Give the reason for the extension.", field="reason")
    rules = rules_on()
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.investigation_due_on += datetime.timedelta(days=rules.investigation_extension_days)
    complaint.extended_on = clock.today()
    complaint.extension_reason = reason.strip()
    complaint.save(update_fields=["investigation_due_on", "extended_on", "extension_reason", "updated_at"])
    audit_record(actor=actor, action=DisciplineAuditAction.COMPLAINT_EXTEND, obj=complaint, before=before,
                 after={**snapshot(complaint, COMPLAINT_FIELDS), "rules_version": rules.version},
                 reason=complaint.extension_reason)
    return complaint


@transaction.atomic
def case_entry_add(*, actor: Actor, complaint: Complaint, kind: str, text: str = "", interviewee: str = "",
                   interviewed_on: datetime.date | None = None, document=None) -> CaseEntry:
    """Add a note, an interview record or evidence to the case file.

    Preconditions: case staff; case open; interviews name who was interviewed; evidence has a
    PDF/JPEG/PNG file.
    Side effects: audit case_entry.add.
    """
    complaint = _lock(Complaint, complaint.pk)
    _require_case_staff(actor, complaint)
    _refuse_if_closed(complaint)
    if kind not in CaseEntryKind.values:
        raise ApplicationError("Choose note, interview or evidence.", field="kind")
    if kind == CaseEntryKind.INTERVIEW and not interviewee.strip():
        raise ApplicationError("Say who was interviewed.", field="interviewee")
    if kind == CaseEntryKind.EVIDENCE and not document:
        raise ApplicationError("Attach the evidence file.", field="document")
    if kind != CaseEntryKind.EVIDENCE and not text.strip():
        raise ApplicationError("Write the note.", field="text")
    document_kind = validate_upload(document, field="document") if document else ""
    entry = CaseEntry.objects.create(complaint=complaint, kind=kind, text=text.strip(), interviewee=interviewee.strip(),
                                     interviewed_on=interviewed_on, document=document or "", document_kind=document_kind,
                                     document_name=getattr(document, "name", "")[:200] if document else "",
                                     author=actor)
    # Auditors read this, and never see complainants: the interviewee, the note and the file's name
    # are free text that may name one, so the event names the entry, not what it says.
    audit_record(actor=actor, action=DisciplineAuditAction.CASE_ENTRY_ADD, obj=entry,
                 after={"complaint": complaint.pk, "entry": entry.pk, "kind": kind,
                        "interviewed_on": interviewed_on.isoformat() if interviewed_on else None,
                        "has_document": bool(document)})
    return entry


# --- decisions and actions --------------------------------------------------------------


def _public_summary(kind: str, effective_on, ends_on, until_condition: str, provisions: list[str]) -> str:
    labels = dict(EthicsProvision.choices)
    cited = "; ".join(str(labels.get(p, p)) for p in provisions)
    if kind == ActionKind.SUSPENSION:
        span = f"until {ends_on:%Y-%m-%d}" if ends_on else f"until a condition is met ({until_condition})"
        text = f"Suspended from {effective_on:%Y-%m-%d} {span}"
    elif kind == ActionKind.REVOCATION:
        text = f"Certification revoked from {effective_on:%Y-%m-%d}"
    elif kind == ActionKind.WITHDRAWAL:
        text = f"Approval withdrawn from {effective_on:%Y-%m-%d}"
    else:
        text = f"Corrective action from {effective_on:%Y-%m-%d}"
    return f"{text}. Code of Ethics: {cited}." if cited else f"{text}."


def _overlapping_suspension(*, person: Person | None = None, entity: TrainingEntity | None = None, start,
                            end, exclude_pk: int | None = None) -> DisciplinaryAction | None:
    """A live suspension or revocation that the new period would collide with."""
    qs = DisciplinaryAction.objects.filter(status__in=LIVE_ACTION_STATUSES,
                                           kind__in=[ActionKind.SUSPENSION, ActionKind.REVOCATION, ActionKind.WITHDRAWAL])
    qs = qs.filter(person=person) if person is not None else qs.filter(entity=entity)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if end is not None:
        qs = qs.filter(effective_on__lte=end)
    return qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start)).order_by("effective_on").first()


def _execute(action: DisciplinaryAction, *, actor: Actor, today: datetime.date, reason: str) -> None:
    """Make an action bite: change the certification (or entity approval) and mark it in effect."""
    # Refused before anything changes in certification or training.
    check_transition(action, ActionStatus.IN_EFFECT, allowed=ACTION_TRANSITIONS, noun=NOUNS["action"])
    before = snapshot(action, ACTION_FIELDS)
    if action.person_id and action.kind in (ActionKind.SUSPENSION, ActionKind.REVOCATION):
        to_status = CertificationStatus.SUSPENDED if action.kind == ActionKind.SUSPENSION \
            else CertificationStatus.REVOKED
        cert_id, prior = _certification_apply(actor=actor, person=action.person, to_status=to_status,
                                                  reason=reason, effective_on=today)
        action.certification_id = cert_id
        action.prior_status = prior
    elif action.entity_id and action.kind in (ActionKind.SUSPENSION, ActionKind.WITHDRAWAL):
        _entity_sanction_changed(actor=actor if can_handle_cases(actor) else action.decided_by,
                                     entity=action.entity, kind=action.kind,
                                     in_effect=True, reason=reason, effective_on=today)
    transition(action, ActionStatus.IN_EFFECT, allowed=ACTION_TRANSITIONS, noun=NOUNS["action"])
    action.executed_on = today
    action.save(update_fields=["status", "executed_on", "certification_id", "prior_status", "updated_at"])
    audit_record(actor=actor, action=DisciplineAuditAction.ACTION_EXECUTE, obj=action, before=before,
                 after=snapshot(action, ACTION_FIELDS), reason=reason)


def _undo(action: DisciplinaryAction, *, actor: Actor, today: datetime.date, reason: str) -> None:
    """Lift what an executed action did (overturn, stay, end of a suspension)."""
    if action.person_id and action.certification_id:
        target = action.prior_status or CertificationStatus.ACTIVE
        if action.kind == ActionKind.SUSPENSION and target == CertificationStatus.SUSPENDED:
            target = CertificationStatus.ACTIVE
        _certification_restore(actor=actor, certification_id=action.certification_id, to_status=target,
                                   reason=reason, effective_on=today)
    elif action.entity_id and action.kind in (ActionKind.SUSPENSION, ActionKind.WITHDRAWAL):
        _entity_sanction_changed(actor=actor if can_handle_cases(actor) else action.decided_by,
                                     entity=action.entity, kind=action.kind, in_effect=False, reason=reason,
                                     effective_on=today)


def _set_action_status(action: DisciplinaryAction, to_status: str, *, actor: Actor,
                       audit_action: DisciplineAuditAction, reason: str = "", **fields) -> None:
    before = snapshot(action, ACTION_FIELDS)
    transition(action, to_status, allowed=ACTION_TRANSITIONS, noun=NOUNS["action"])
    for name, value in fields.items():
        setattr(action, name, value)
    action.save(update_fields=["status", *fields, "updated_at"])
    audit_record(actor=actor, action=audit_action, obj=action, before=before, after=snapshot(action, ACTION_FIELDS),
                 reason=reason)


@transaction.atomic
def complaint_decide(*, actor: Actor, complaint: Complaint, outcome: str, findings: str, provisions: list[str],
                     effective_on: datetime.date | None = None, ends_on: datetime.date | None = None,
                     until_condition: str = "", due_on: datetime.date | None = None,
                     classes: list[dict] | None = None, public_summary: str = "") -> Complaint:
    """Decide a case: dismiss it, or order corrective action, suspension, revocation or withdrawal.

    Preconditions: case staff; case acknowledged or under investigation (not closed); findings
    written; Code of Ethics provisions cited unless dismissed; outcome fits the respondent;
    corrective action names its classes and a due date; a suspension has an end date or a
    condition and does not overlap a live suspension or revocation; no start in the past.
    Side effects: the case is decided; an action is created and, when it starts today,
    executed at once (the certification's status changes); the respondent is told of the
    decision and of the right to appeal within the window; audits complaint.decide, action.create
    and action.execute.
    """
    complaint = _lock(Complaint, complaint.pk)
    _require_case_staff(actor, complaint)
    _refuse_if_closed(complaint)
    check_transition(complaint, ComplaintStatus.DECIDED, allowed=COMPLAINT_TRANSITIONS, noun=NOUNS["case"])
    today = clock.today()
    rules = rules_on(today)
    if outcome not in OUTCOMES_FOR[complaint.respondent_kind]:
        raise ApplicationError("“%(outcome)s” is not an outcome for a %(kind)s.", field="outcome",
                               params={"outcome": outcome, "kind": complaint.get_respondent_kind_display().lower()})
    if not (findings or "").strip():
        raise ApplicationError("Write the findings the decision rests on.", field="findings")
    provisions = [p for p in (provisions or []) if p]
    unknown = [p for p in provisions if p not in EthicsProvision.values]
    if unknown:
        raise ApplicationError("Unknown Code of Ethics provisions: %(list)s.", field="provisions",
                               params={"list": ", ".join(unknown)})
    if outcome != Outcome.DISMISSED and not provisions:
        raise ApplicationError("Name the Code of Ethics provisions involved.", field="provisions")

    action = None
    if outcome != Outcome.DISMISSED:
        kind = ActionKind(outcome)
        effective_on = effective_on or today
        if effective_on < today:
            raise ApplicationError("The action cannot start in the past. Use today or a later date.",
                                   field="effective_on")
        person = complaint.respondent_person
        entity = complaint.respondent_entity
        classes = [c for c in (classes or []) if (c.get("title") or "").strip()]
        if kind == ActionKind.CORRECTIVE_ACTION:
            if not classes:
                raise ApplicationError("List at least one required class.", field="classes")
            if due_on is None or due_on <= effective_on:
                raise ApplicationError("Give a due date after the start date for the classes.", field="due_on")
        if kind == ActionKind.SUSPENSION:
            if ends_on is None and not (until_condition or "").strip():
                raise ApplicationError("Give the last day of the suspension, or the condition that ends it.",
                                       field="ends_on")
            if ends_on is not None and ends_on < effective_on:
                raise ApplicationError("The suspension cannot end before it starts.", field="ends_on")
        if kind in (ActionKind.SUSPENSION, ActionKind.REVOCATION, ActionKind.WITHDRAWAL):
            # Serialize decisions about one respondent so two overlapping suspensions cannot both pass the check.
            if person is not None:
                Person.objects.select_for_update().get(pk=person.pk)
            else:
                TrainingEntity.objects.select_for_update().get(pk=entity.pk)
            clash = _overlapping_suspension(person=person, entity=entity, start=effective_on,
                                            end=ends_on if kind == ActionKind.SUSPENSION else None)
            if clash is not None:
                clash_params = {"kind": clash.get_kind_display().lower(), "start": clash.effective_on,
                                "end": clash.ends_on or "",
                                "case": clash.complaint.number}
                if clash.ends_on:
                    raise ApplicationError(
                        "This overlaps %(kind)s from %(start)s to %(end)s (case %(case)s). Choose dates after it "
                        "ends, or change that action first.", code="conflict", field="effective_on",
                        params=clash_params)
                raise ApplicationError(
                    "This overlaps %(kind)s from %(start)s (case %(case)s). Choose dates after it ends, or change "
                    "that action first.", code="conflict", field="effective_on", params=clash_params)
            if person is not None and kind != ActionKind.CORRECTIVE_ACTION \
                    and selectors.current_certification(person) is None:
                raise ApplicationError("This person has no certification to suspend or revoke.", code="state")
        action = DisciplinaryAction.objects.create(
            complaint=complaint, kind=kind, person=person, entity=entity, status=ActionStatus.SCHEDULED,
            effective_on=effective_on, ends_on=ends_on if kind == ActionKind.SUSPENSION else None,
            until_condition=(until_condition or "").strip() if kind == ActionKind.SUSPENSION else "",
            due_on=due_on if kind == ActionKind.CORRECTIVE_ACTION else None,
            public_summary=(public_summary or "").strip() or _public_summary(kind, effective_on, ends_on,
                                                                              until_condition, provisions),
            decided_on=today, decided_by=actor, rules_version=rules.version,
        )
        for spec in classes:
            RequiredClass.objects.create(action=action, title=spec["title"].strip()[:200],
                                         ce_category=spec.get("ce_category", "") or "",
                                         hours=Decimal(str(spec.get("hours") or 0)))
        audit_record(actor=actor, action=DisciplineAuditAction.ACTION_CREATE, obj=action, after=snapshot(action, ACTION_FIELDS))
        if effective_on <= today:
            if kind == ActionKind.CORRECTIVE_ACTION:
                _set_action_status(action, ActionStatus.IN_EFFECT, actor=actor, audit_action=DisciplineAuditAction.ACTION_EXECUTE,
                                   executed_on=today)
            else:
                _execute(action, actor=actor, today=today, reason=f"Case {complaint.number}: {outcome}")

    before = snapshot(complaint, COMPLAINT_FIELDS)
    transition(complaint, ComplaintStatus.DECIDED, allowed=COMPLAINT_TRANSITIONS, noun=NOUNS["case"])
    complaint.outcome = outcome
    complaint.findings = findings.strip()
    complaint.provisions = provisions
    complaint.decided_on = today
    complaint.decided_by = actor
    complaint.save(update_fields=["status", "outcome", "findings", "provisions", "decided_on", "decided_by",
                                  "updated_at"])
    audit_record(actor=actor, action=DisciplineAuditAction.COMPLAINT_DECIDE, obj=complaint, before=before,
                 after={**snapshot(complaint, COMPLAINT_FIELDS), "provisions": provisions,
                        "action": action.pk if action else None, "rules_version": rules.version})

    ethics = appeal_right = None
    if provisions:
        ethics = _filled_later(gettext_noop("Code of Ethics: %(provisions)s."),
                               {"provisions": format_lazy("; ".join("{}" for _p in provisions),
                                                            *(EthicsProvision(p).label for p in provisions))})
    if action is not None and action.kind in (ActionKind.SUSPENSION, ActionKind.REVOCATION, ActionKind.WITHDRAWAL):
        appeal_right = _filled_later(
            gettext_noop("You have the right to appeal this decision. File your appeal by %(day)s "
                         "(%(days)s days) from your account or by mail."),
            {"day": appeal_window_ends(today), "days": (appeal_window_ends(today) - today).days})
    _tell_respondent(person=complaint.respondent_person, entity=complaint.respondent_entity,
                     subject=gettext_noop("Decision on complaint %(number)s: %(outcome)s"),
                     body=gettext_noop("Decision on complaint %(number)s: %(outcome)s.\n\nFindings: %(findings)s"
                                       "%(more)s"),
                     params={"number": complaint.number, "outcome": Outcome(outcome).label,
                             "findings": complaint.findings,
                             "more": _paragraphs(ethics, action.public_summary if action else "", appeal_right)},
                     url=reverse("discipline:my_case", args=[complaint.pk]))
    tell_email(complaint.complainant_email, language=COMPLAINANT_LANGUAGE,
               subject=gettext_noop("Your complaint %(number)s is decided"),
               body=gettext_noop("The program has finished looking into your complaint and made a decision. Thank "
                                 "you for telling us. Public actions appear on the registry."),
               params={"number": complaint.number})
    return complaint


@transaction.atomic
def required_class_complete(*, actor: Actor, required_class: RequiredClass, completed_on: datetime.date | None = None,
                            source: str = "staff") -> RequiredClass:
    """Mark one required class finished; the corrective action completes when all are.

    Preconditions: case staff; the action is in effect or escalated; the class is not done yet;
    the date is not in the future.
    Side effects: audits required_class.complete (and action.complete); tells the respondent.
    """
    required_class = RequiredClass.objects.select_for_update(of=("self",)).select_related("action").get(pk=required_class.pk)
    action = _lock(DisciplinaryAction, required_class.action_id)
    _require_case_staff(actor, action.complaint)
    if action.status not in (ActionStatus.IN_EFFECT, ActionStatus.ESCALATED):
        raise ApplicationError("This corrective action is %(status)s; classes cannot be marked on it now.",
                               code="state", params={"status": _action_label(action.status)})
    if required_class.completed_on is not None:
        raise ApplicationError("“%(title)s” was already marked finished on %(day)s.", code="duplicate",
                               params={"title": required_class.title,
                                       "day": required_class.completed_on})
    completed_on = completed_on or clock.today()
    if completed_on > clock.today():
        raise ApplicationError("The date finished cannot be in the future.", field="completed_on")
    required_class.completed_on = completed_on
    required_class.completion_source = source
    required_class.marked_by = actor if getattr(actor, "is_authenticated", False) else None
    required_class.save(update_fields=["completed_on", "completion_source", "marked_by", "updated_at"])
    audit_record(actor=actor, action=DisciplineAuditAction.REQUIRED_CLASS_COMPLETE, obj=required_class,
                 after={"completed_on": completed_on, "source": source, "action": action.pk})
    if not action.classes.filter(completed_on__isnull=True).exists():
        _set_action_status(action, ActionStatus.COMPLETED, actor=actor, audit_action=DisciplineAuditAction.ACTION_COMPLETE,
                           ended_on=clock.today())
        _tell_respondent(person=action.person, entity=action.entity,
                         subject=gettext_noop("Corrective action for %(number)s is complete"),
                         body=gettext_noop("Every required class is recorded as finished. Thank you."),
                         params={"number": action.complaint.number})
    return required_class


@transaction.atomic
def action_check_training(*, actor: Actor, action: DisciplinaryAction) -> int:
    """Mark required classes finished from the training ledger's CE hours since the decision.

    A class naming a CE category and hours counts as done when the person has at least those
    hours in that category (any category when blank) between the decision and today.
    Preconditions: case staff; a peer's corrective action in effect or escalated.
    Returns how many classes were marked. Side effects: as required_class_complete.
    """
    action = _lock(DisciplinaryAction, action.pk)
    _require_case_staff(actor, action.complaint)
    if action.person_id is None or action.kind != ActionKind.CORRECTIVE_ACTION:
        raise ApplicationError("Only a peer's corrective action is checked against the training ledger.", code="state")
    today = clock.today()
    hours = ce_hours_between(action.person, action.decided_on, today)
    marked = 0
    for required in action.classes.filter(completed_on__isnull=True, hours__gt=0):
        have = hours.get(required.ce_category, hours.get("total", Decimal(0))) if required.ce_category \
            else hours.get("total", Decimal(0))
        if have >= required.hours:
            required_class_complete(actor=actor, required_class=required, completed_on=today, source="training_ledger")
            marked += 1
    return marked


@transaction.atomic
def action_lift(*, actor: Actor, action: DisciplinaryAction, reason: str) -> DisciplinaryAction:
    """End a suspension whose condition has been met (or end it early by decision).

    Preconditions: case staff; a suspension in effect; a reason.
    Side effects: the certification returns to active (expired if its term ran out) or the
    entity sanction is lifted; the respondent is told; audit action.end.
    """
    action = _lock(DisciplinaryAction, action.pk)
    _require_case_staff(actor, action.complaint)
    if action.kind != ActionKind.SUSPENSION:
        raise ApplicationError("Only a suspension can be lifted.", code="state")
    if not (reason or "").strip():
        raise ApplicationError("Say why the suspension ends (for example, which condition was met).", field="reason")
    if action.status != ActionStatus.IN_EFFECT:
        raise ApplicationError("This suspension is %(status)s; only one in effect can be lifted.",
                               code="state", params={"status": _action_label(action.status)})
    today = clock.today()
    _undo(action, actor=actor, today=today, reason=reason.strip())
    _set_action_status(action, ActionStatus.ENDED, actor=actor, audit_action=DisciplineAuditAction.ACTION_END, reason=reason.strip(),
                       ended_on=today)
    _tell_respondent(person=action.person, entity=action.entity,
                     subject=gettext_noop("Suspension from case %(number)s has ended"),
                     body=gettext_noop("The suspension ended on %(day)s. %(reason)s"),
                     params={"number": action.complaint.number, "day": today, "reason": reason.strip()})
    return action


def _bulk_audit(*, actions, action_name: DisciplineAuditAction, before: dict, after: dict, reason: str) -> None:
    audit_record_many(actor=None, action=action_name, object_type=DisciplinaryAction._meta.label_lower,
                      rows=[(pk, f"action {pk}", before, after) for pk in actions], reason=reason)


@transaction.atomic
def corrective_actions_escalate(today: datetime.date) -> int:
    """Daily job: flag corrective actions whose due date passed with classes unfinished.

    Set-based and idempotent: one UPDATE over in-effect corrective actions due before today,
    one bulk insert of audit events for exactly the rows it changed; a second run finds none.
    Returns the number escalated. Escalated actions show on the program staff queue.
    """
    # Set-based: the UPDATE filters on the one source state the map lets become escalated.
    due = DisciplinaryAction.objects.select_for_update().filter(
        kind=ActionKind.CORRECTIVE_ACTION, status=ActionStatus.IN_EFFECT, due_on__lt=today)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    DisciplinaryAction.objects.filter(pk__in=ids, status=ActionStatus.IN_EFFECT).update(
        status=ActionStatus.ESCALATED, escalated_on=today, updated_at=clock.now())
    _bulk_audit(actions=ids, action_name=DisciplineAuditAction.ACTION_ESCALATE, before={"status": ActionStatus.IN_EFFECT},
                after={"status": ActionStatus.ESCALATED, "escalated_on": today.isoformat()},
                reason="Required classes not finished by the due date.")
    return len(ids)


@transaction.atomic
def discipline_execute_due(today: datetime.date) -> dict:
    """Daily job: start actions whose effective date has come and end suspensions whose last day passed.

    The rows due are found with one query each, so a run touches only what is due and a second
    run the same day changes nothing. Corrective actions start with one UPDATE. Suspensions and
    revocations change a certification, which goes through certification_change_status one
    certification at a time (that service writes the status history); there are a handful a day.
    Returns counts {"started": n, "ended": n}.
    """
    started = 0
    corrective = list(DisciplinaryAction.objects.select_for_update().filter(
        status=ActionStatus.SCHEDULED, effective_on__lte=today, kind=ActionKind.CORRECTIVE_ACTION
    ).values_list("pk", flat=True))
    if corrective:
        DisciplinaryAction.objects.filter(pk__in=corrective).update(status=ActionStatus.IN_EFFECT, executed_on=today,
                                                                    updated_at=clock.now())
        _bulk_audit(actions=corrective, action_name=DisciplineAuditAction.ACTION_EXECUTE, before={"status": ActionStatus.SCHEDULED},
                    after={"status": ActionStatus.IN_EFFECT, "executed_on": today.isoformat()},
                    reason="Effective date reached.")
        started += len(corrective)
    due = DisciplinaryAction.objects.select_for_update(of=("self",)).select_related("complaint", "person", "entity").filter(
        status=ActionStatus.SCHEDULED, effective_on__lte=today).exclude(kind=ActionKind.CORRECTIVE_ACTION)
    for action in due.order_by("effective_on", "pk"):
        _execute(action, actor=None, today=today, reason=f"Case {action.complaint.number}: effective date reached")
        started += 1
    ended = 0
    finished = DisciplinaryAction.objects.select_for_update(of=("self",)).select_related("complaint", "person", "entity").filter(
        status=ActionStatus.IN_EFFECT, kind=ActionKind.SUSPENSION, ends_on__lt=today)
    for action in finished.order_by("ends_on", "pk"):
        reason = f"Suspension from case {action.complaint.number} ended on {action.ends_on:%Y-%m-%d}"
        _undo(action, actor=None, today=today, reason=reason)
        _set_action_status(action, ActionStatus.ENDED, actor=None, audit_action=DisciplineAuditAction.ACTION_END, reason=reason,
                           ended_on=today)
        _tell_respondent(person=action.person, entity=action.entity, subject=gettext_noop("Your suspension has ended"),
                         body=gettext_noop("Suspension from case %(number)s ended on %(day)s. If your certification "
                                           "is otherwise current it is active again."),
                         params={"number": action.complaint.number, "day": action.ends_on})
        ended += 1
    return {"started": started, "ended": ended}


# --- appeals ----------------------------------------------------------------------------


@transaction.atomic
def appeal_file(*, actor: Actor, subject: str, grounds: str, action: DisciplinaryAction | None = None,
                person: Person | None = None, entity: TrainingEntity | None = None,
                decision_on: datetime.date | None = None, decision_reference: str = "", original_decider=None,
                filed_on: datetime.date | None = None, denial_id: int | None = None) -> Appeal:
    """File an appeal of a suspension, revocation or withdrawal (an action here), or of a denial
    decided elsewhere (certification, renewal, entity approval or renewal).

    A denial of certification or of renewal names the denied application or renewal (denial_id,
    or the person's latest denial of that kind when not given); its decision date and decider
    then come from the record.

    Who: the respondent (the peer, or staff of the training entity) for their own matter, or
    case staff recording an appeal received by mail (staff may give the date it was received).
    Preconditions: grounds given; the subject fits the appellant; filed within
    rules.appeal_window_days of the decision; no other open appeal of the same action.
    Side effects: the review clock is set; when rules.appeal_stays_action is on, the action is
    paused and an executed action is lifted until the appeal is decided; audits appeal.file
    (and action.stay).
    """
    today = clock.today()
    is_staff = can_handle_cases(actor)
    denial = None
    filed_on = filed_on if (is_staff and filed_on) else today
    if filed_on > today:
        raise ApplicationError("The date received cannot be in the future.", field="filed_on")
    if subject not in AppealSubject.values:
        raise ApplicationError("Choose what is being appealed.", field="subject")
    if not (grounds or "").strip():
        raise ApplicationError("Explain why the decision should change.", field="grounds")
    if subject in ACTION_SUBJECTS:
        if action is None:
            raise ApplicationError("Choose the action being appealed.", field="action")
        action = _lock(DisciplinaryAction, action.pk)
        if action.kind != ACTION_SUBJECTS[subject] or (subject in PEER_SUBJECTS) != (action.person_id is not None):
            raise ApplicationError("That action is not a %(subject)s.", field="subject",
                                   params={"subject": str(AppealSubject(subject).label).lower()})
        if action.status not in LIVE_ACTION_STATUSES and action.status != ActionStatus.ENDED:
            raise ApplicationError("This action is %(status)s; there is nothing to appeal.",
                                   code="state", params={"status": _action_label(action.status)})
        person, entity = action.person, action.entity
        decision_on = action.decided_on
        original_decider = action.decided_by
        decision_reference = action.complaint.number
    else:
        action = None
        if subject in PEER_SUBJECTS:
            person = person or person_for_user(actor)
            entity = None
            if person is None:
                raise ApplicationError("Choose the person appealing.", field="person")
        else:
            person = None
            if entity is None:
                raise ApplicationError("Choose the training entity appealing.", field="entity")
        kind = DENIAL_SUBJECT_KINDS.get(subject)
        if kind is not None:
            denials = [d for d in selectors.denials_of(person.pk) if d.kind == kind]
            denial = next((d for d in denials if d.id == denial_id), None) if denial_id \
                else (denials[0] if denials else None)
            if denial_id and denial is None:
                raise ApplicationError("That %(kind)s was not denied, or it is not the appellant's. "
                                       "Choose one of their denied %(kinds)s.", field="denial",
                                       params={"kind": NOUNS.get(kind, kind),
                                               "kinds": PLURAL_NOUNS.get(kind, f"{kind}s")})
            if denial is not None:
                decision_on, decision_reference = denial.decided_on, denial.reference
                original_decider = None  # taken from the record below
        if decision_on is None:
            raise ApplicationError("Give the date of the decision you are appealing.", field="decision_on")
    if decision_on > filed_on:
        raise ApplicationError("The decision date cannot be after the appeal.", field="decision_on")
    if not is_staff:
        own_person, own_entities = respondent_scope(actor)
        if not ((person is not None and person.pk == own_person) or (entity is not None and entity.pk in own_entities)):
            raise ApplicationError("You can appeal only decisions about yourself or your own training entity.",
                                   code="forbidden")
    rules = rules_on(filed_on)
    # The window is the one in force when the decision was made, as the decision letter and the
    # status pages state it (core.rules.appeal_window_ends serves all three).
    window_ends_on = appeal_window_ends(decision_on)
    if filed_on > window_ends_on:
        raise ApplicationError(
            "The appeal window closed on %(closed)s: appeals must be filed within %(days)s days of the decision of "
            "%(decided)s. This appeal cannot be accepted.", code="state", field="decision_on",
            params={"closed": window_ends_on, "days": (window_ends_on - decision_on).days,
                    "decided": decision_on})
    if action is not None and action.appeals.filter(status=AppealStatus.FILED).exists():
        raise ApplicationError("An appeal of this action is already under review.", code="duplicate")
    denied = {f"{denial.kind}_id": denial.id} if denial is not None else {}
    if denied and Appeal.objects.filter(**denied, status=AppealStatus.FILED).exists():
        raise ApplicationError("An appeal of this denial is already under review.", code="duplicate")
    appeal = Appeal(number=_placeholder_number(), subject=subject, person=person, entity=entity,
                    action=action, **denied,
                    decision_reference=(decision_reference or "")[:100], decision_on=decision_on,
                    original_decider=original_decider, grounds=grounds.strip(), filed_on=filed_on,
                    filed_by=actor if getattr(actor, "is_authenticated", False) else None,
                    window_ends_on=window_ends_on,
                    review_due_on=filed_on + datetime.timedelta(days=rules.appeal_review_days),
                    stays_action=bool(rules.appeal_stays_action and action is not None), rules_version=rules.version)
    if denial is not None:
        appeal.original_decider_id = denial.decided_by_id
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError as exc:
        raise ApplicationError("An appeal of this decision is already under review.", code="duplicate") from exc
    appeal.number = f"A-{filed_on.year}-{appeal.pk:05d}"
    appeal.save(update_fields=["number"])
    audit_record(actor=actor, action=DisciplineAuditAction.APPEAL_FILE, obj=appeal,
                 after={"number": appeal.number, "subject": subject, "action": action.pk if action else None,
                        "denial": denial.key if denial is not None else None,
                        "decision_on": decision_on, "window_ends_on": window_ends_on, "stays_action": appeal.stays_action,
                        "rules_version": rules.version})
    if appeal.stays_action and action.status in (ActionStatus.SCHEDULED, ActionStatus.IN_EFFECT, ActionStatus.ESCALATED):
        if action.status in (ActionStatus.IN_EFFECT, ActionStatus.ESCALATED) and action.executed_on:
            _undo(action, actor=actor, today=today, reason=f"Stayed by appeal {appeal.number}")
        _set_action_status(action, ActionStatus.STAYED, actor=actor, audit_action=DisciplineAuditAction.ACTION_STAY,
                           reason=f"Appeal {appeal.number} filed; the rules pause the action while it is decided.")
    _tell_respondent(person=person, entity=entity, subject=gettext_noop("Appeal %(number)s received"),
                     body=gettext_noop("Your appeal was received on %(filed)s. A decision is due by %(due)s. Someone "
                                       "other than the person who made the original decision will decide it."),
                     params={"number": appeal.number, "filed": filed_on, "due": appeal.review_due_on})
    return appeal


def _reapply(action: DisciplinaryAction, *, actor: Actor, today, reason: str) -> None:
    """After a stay: put the action back as it stands by its dates."""
    if action.effective_on > today:
        _set_action_status(action, ActionStatus.SCHEDULED, actor=actor, audit_action=DisciplineAuditAction.ACTION_RESUME, reason=reason)
    elif action.kind == ActionKind.SUSPENSION and action.ends_on is not None and action.ends_on < today:
        _set_action_status(action, ActionStatus.ENDED, actor=actor, audit_action=DisciplineAuditAction.ACTION_END, reason=reason,
                           ended_on=today)
    elif action.kind == ActionKind.CORRECTIVE_ACTION:
        _set_action_status(action, ActionStatus.IN_EFFECT, actor=actor, audit_action=DisciplineAuditAction.ACTION_RESUME, reason=reason)
    else:
        _execute(action, actor=actor, today=today, reason=reason)


@transaction.atomic
def appeal_decide(*, actor: Actor, appeal: Appeal, outcome: str, reasons: str, modification: str = "",
                  new_ends_on: datetime.date | None = None, original_decider=None) -> Appeal:
    """Decide an appeal: upheld, modified or overturned.

    Preconditions: case staff who did not make the original decision (for a denial decided
    elsewhere, the original decider must be named first); appeal still open; reasons given;
    a modification is described, and a new last day is given when a suspension's length
    changes or a revocation becomes a suspension.
    Side effects: upheld re-applies a stayed action; modified changes its dates (or turns a
    revocation into a suspension); overturned ends the action and restores the certification's
    (or entity's) prior status, keeping every earlier record and status change; the appellant
    is told; audits appeal.decide and the action's changes.
    """
    appeal = _lock(Appeal, appeal.pk)
    if not can_handle_cases(actor):
        raise ApplicationError("Only program staff may decide appeals.", code="forbidden")
    # Not the appellant (or their entity's staff), nor a party to the case the appeal comes from.
    if (is_party(actor, appeal.person_id)
            or (appeal.entity_id is not None and appeal.entity_id in training_entity_ids(actor))
            or (appeal.action_id is not None and _is_complaint_party(actor, appeal.action.complaint))):
        raise refuse_own_matter("appeal")
    check_transition(appeal, AppealStatus.DECIDED, allowed=APPEAL_TRANSITIONS, noun=NOUNS["appeal"])
    if appeal.original_decider_id is None and original_decider is not None:
        appeal.original_decider = original_decider
    if appeal.original_decider_id is None:
        raise ApplicationError("Record who made the original decision before deciding the appeal.",
                               field="original_decider")
    if not can_decide_appeal(actor, appeal):
        raise ApplicationError("You made the original decision, so you cannot decide its appeal. "
                               "Another member of program staff must decide it.", code="conflict")
    if outcome not in AppealOutcome.values:
        raise ApplicationError("Choose upheld, modified or overturned.", field="outcome")
    if not (reasons or "").strip():
        raise ApplicationError("Write the reasons for the appeal decision.", field="reasons")
    if outcome == AppealOutcome.MODIFIED and not (modification or "").strip():
        raise ApplicationError("Describe how the decision is modified.", field="modification")
    today = clock.today()
    action = _lock(DisciplinaryAction, appeal.action_id) if appeal.action_id else None
    reason = f"Appeal {appeal.number}: {AppealOutcome(outcome).label.lower()}. {reasons.strip()}"

    if action is not None:
        if outcome == AppealOutcome.OVERTURNED:
            if action.executed_on and action.status in (ActionStatus.IN_EFFECT, ActionStatus.ESCALATED):
                _undo(action, actor=actor, today=today, reason=reason)
            _set_action_status(action, ActionStatus.OVERTURNED, actor=actor, audit_action=DisciplineAuditAction.ACTION_OVERTURN,
                               reason=reason, ended_on=today)
        elif outcome == AppealOutcome.MODIFIED:
            if action.kind == ActionKind.REVOCATION:
                if new_ends_on is None:
                    raise ApplicationError("Give the last day of the suspension that replaces the revocation.",
                                           field="new_ends_on")
            if new_ends_on is not None:
                if action.kind not in (ActionKind.SUSPENSION, ActionKind.REVOCATION):
                    raise ApplicationError("Only a suspension or revocation has a last day to change.",
                                           field="new_ends_on")
                if new_ends_on < action.effective_on:
                    raise ApplicationError("The new last day cannot be before the action started.", field="new_ends_on")
                before = snapshot(action, ACTION_FIELDS)
                was_revocation = action.kind == ActionKind.REVOCATION
                action.kind = ActionKind.SUSPENSION
                action.ends_on = new_ends_on
                action.public_summary = (f"{action.public_summary} Modified on appeal {appeal.number}: "
                                         f"suspension until {new_ends_on:%Y-%m-%d}.")
                action.save(update_fields=["kind", "ends_on", "public_summary", "updated_at"])
                audit_record(actor=actor, action=DisciplineAuditAction.ACTION_MODIFY, obj=action, before=before,
                             after=snapshot(action, ACTION_FIELDS), reason=reason)
                if was_revocation and action.certification_id and action.status in (
                        ActionStatus.IN_EFFECT, ActionStatus.ESCALATED):
                    _certification_restore(actor=actor, certification_id=action.certification_id,
                                           to_status=CertificationStatus.SUSPENDED, reason=reason, effective_on=today)
            if action.status == ActionStatus.STAYED:
                _reapply(action, actor=actor, today=today, reason=reason)
            elif action.kind == ActionKind.SUSPENSION and action.status == ActionStatus.IN_EFFECT \
                    and action.ends_on is not None and action.ends_on < today:
                _undo(action, actor=actor, today=today, reason=reason)
                _set_action_status(action, ActionStatus.ENDED, actor=actor, audit_action=DisciplineAuditAction.ACTION_END, reason=reason,
                                   ended_on=today)
        elif action.status == ActionStatus.STAYED:
            _reapply(action, actor=actor, today=today, reason=reason)
    reopened = (selectors.APPLICATION if appeal.application_id else selectors.RENEWAL if appeal.renewal_id else None) \
        if outcome == AppealOutcome.OVERTURNED else None
    if reopened:
        _denial_reopen(actor=actor, kind=reopened, denial_id=appeal.application_id or appeal.renewal_id,
                           reason=reason)

    before = snapshot(appeal, APPEAL_FIELDS)
    transition(appeal, AppealStatus.DECIDED, allowed=APPEAL_TRANSITIONS, noun=NOUNS["appeal"])
    appeal.outcome = outcome
    appeal.decision_reasons = reasons.strip()
    appeal.modification = (modification or "").strip()
    appeal.decided_on = today
    appeal.decided_by = actor
    appeal.save(update_fields=["status", "outcome", "decision_reasons", "modification", "decided_on", "decided_by",
                               "original_decider", "updated_at"])
    audit_record(actor=actor, action=DisciplineAuditAction.APPEAL_DECIDE, obj=appeal, before=before, after=snapshot(appeal, APPEAL_FIELDS),
                 reason=reasons.strip())
    change = appeal.modification and _filled_later(gettext_noop("Change: %(change)s"),
                                                    {"change": appeal.modification})
    if reopened:
        next_step = _filled_later(gettext_noop("Your %(what)s is back in review. A reviewer will look at it again "
                                               "and you will hear from us in your account."),
                                  {"what": NOUNS[reopened]})
    elif action is None and outcome != AppealOutcome.UPHELD:
        next_step = _filled_later(gettext_noop("Program staff will reopen the decision you appealed and contact you "
                                               "about next steps."))
    else:
        next_step = None
    _tell_respondent(person=appeal.person, entity=appeal.entity, subject=gettext_noop("Decision on appeal %(number)s"),
                     body=gettext_noop("Your appeal %(number)s was decided: %(outcome)s.\n\n%(reasons)s%(more)s"),
                     params={"number": appeal.number, "outcome": _lower_later(AppealOutcome(outcome).label),
                             "reasons": reasons.strip(), "more": _paragraphs(change, next_step)},
                     url=reverse("discipline:my_cases"))
    return appeal


@transaction.atomic
def appeal_withdraw(*, actor: Actor, appeal: Appeal) -> Appeal:
    """The appellant (or staff for them) withdraws an open appeal; a stayed action resumes.

    Side effects: audit appeal.withdraw (and the action's resumption).
    """
    appeal = _lock(Appeal, appeal.pk)
    own_person, own_entities = respondent_scope(actor)
    mine = (appeal.person_id and appeal.person_id == own_person) or (appeal.entity_id in own_entities)
    if not (mine or can_handle_cases(actor)):
        raise ApplicationError("Only the appellant or program staff may withdraw an appeal.", code="forbidden")
    before = snapshot(appeal, APPEAL_FIELDS)
    transition(appeal, AppealStatus.WITHDRAWN, allowed=APPEAL_TRANSITIONS, noun=NOUNS["appeal"])
    appeal.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=DisciplineAuditAction.APPEAL_WITHDRAW, obj=appeal, before=before, after=snapshot(appeal, APPEAL_FIELDS))
    if appeal.action_id:
        action = _lock(DisciplinaryAction, appeal.action_id)
        if action.status == ActionStatus.STAYED:
            _reapply(action, actor=actor, today=clock.today(), reason=f"Appeal {appeal.number} withdrawn")
    return appeal

