"""Intake and the case file: filing a complaint, screening, acknowledging, assigning, investigating,
extending, and adding notes, interviews and evidence."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.accounts.models import Person, TrainingEntity
from peercert.accounts.selectors import statewide_program
from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.dates import add_years
from peercert.core.duties import refuse_assignment
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_email, tell_user
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.discipline import selectors
from peercert.discipline.audit import DisciplineAuditAction
from peercert.discipline.clocks import add_business_days
from peercert.discipline.models import (
    COMPLAINT_TRANSITIONS,
    CaseEntry,
    CaseEntryKind,
    Channel,
    Complaint,
    ComplaintStatus,
    RespondentKind,
)
from peercert.discipline.permissions import can_handle_case
from peercert.discipline.services._common import (
    COMPLAINANT_LANGUAGE,
    COMPLAINT_FIELDS,
    NOUNS,
    _is_complaint_party,
    _lock,
    _placeholder_number,
    _refuse_if_closed,
    _require_case_staff,
    _tell_respondent,
)


def _screen(complaint: Complaint, rules, today: datetime.date) -> str:
    """Why a complaint cannot be taken up, or "" when it can."""
    oldest = add_years(today, -rules.complaint_lookback_years)
    if complaint.incident_on < oldest:
        return (
            f"The conduct happened on {complaint.incident_on:%Y-%m-%d}, more than "
            f"{rules.complaint_lookback_years} years ago. Complaints must be made within "
            f"{rules.complaint_lookback_years} years of what happened."
        )
    if complaint.respondent_kind == RespondentKind.PEER:
        if not selectors.was_certified_on(complaint.respondent_person, complaint.incident_on):
            return (
                f"The person was not certified on {complaint.incident_on:%Y-%m-%d}. The program can only act on "
                "conduct while a person was certified; a county or employer may be able to help."
            )
    return ""


@transaction.atomic
def complaint_file(
    *,
    actor: Actor,
    channel: str,
    respondent_kind: str,
    complainant_name: str,
    incident_on: datetime.date,
    incident_description: str,
    respondent_person: Person | None = None,
    respondent_entity: TrainingEntity | None = None,
    respondent_reference: str = "",
    complainant_phone: str = "",
    complainant_email: str = "",
    evidence=(),
    received_on: datetime.date | None = None,
) -> Complaint:
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
        raise ApplicationError(
            "Give an email address or a phone number so the program can reach you.", field="complainant_email"
        )
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
        raise ApplicationError(
            "Say whether the complaint is about a peer or a training entity.", field="respondent_kind"
        )
    evidence = list(evidence or [])
    evidence_kinds = [validate_upload(upload, field="evidence") for upload in evidence]

    rules = rules_on(received_on)
    program = statewide_program()
    if program is None:
        raise ApplicationError("No certification program is set up to receive complaints.", code="state")
    complaint = Complaint(
        number=_placeholder_number(),
        program=program,
        respondent_kind=respondent_kind,
        respondent_person=respondent_person,
        respondent_entity=respondent_entity,
        respondent_reference=respondent_reference[:40],
        complainant_name=complainant_name[:200],
        complainant_phone=(complainant_phone or "").strip()[:30],
        complainant_email=(complainant_email or "").strip(),
        channel=channel,
        incident_on=incident_on,
        incident_description=incident_description.strip(),
        received_on=received_on,
        ack_due_on=add_business_days(received_on, rules.complaint_ack_business_days),
        investigation_due_on=received_on + datetime.timedelta(days=rules.investigation_days),
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
        rules_version=rules.version,
    )
    complaint.save()
    complaint.number = f"C-{received_on.year}-{complaint.pk:05d}"
    complaint.save(update_fields=["number"])
    for upload, upload_kind in zip(evidence, evidence_kinds, strict=True):
        CaseEntry.objects.create(
            complaint=complaint,
            kind=CaseEntryKind.EVIDENCE,
            document=upload,
            document_kind=upload_kind,
            document_name=getattr(upload, "name", "")[:200],
            from_complainant=True,
            text="Sent with the complaint.",
        )
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.COMPLAINT_FILE,
        obj=complaint,
        after={
            "number": complaint.number,
            "channel": channel,
            "respondent_kind": respondent_kind,
            "respondent": (respondent_person or respondent_entity).pk,
            "incident_on": incident_on,
            "ack_due_on": complaint.ack_due_on,
            "investigation_due_on": complaint.investigation_due_on,
            "rules_version": rules.version,
            "evidence_files": len(evidence),
        },
    )
    reason = _screen(complaint, rules, received_on)
    if reason:
        transition(complaint, ComplaintStatus.SCREENED_OUT, allowed=COMPLAINT_TRANSITIONS, noun=NOUNS["case"])
        complaint.screening_reason = reason
        complaint.save(update_fields=["status", "screening_reason", "updated_at"])
        audit_record(
            actor=None,
            action=DisciplineAuditAction.COMPLAINT_SCREEN_OUT,
            obj=complaint,
            before={"status": ComplaintStatus.RECEIVED},
            after={"status": complaint.status},
            reason=reason,
        )
        tell_email(
            complaint.complainant_email,
            language=COMPLAINANT_LANGUAGE,
            subject=gettext_noop("Your complaint %(number)s"),
            body=gettext_noop("Thank you for contacting the program. We cannot take up this complaint: %(reason)s"),
            params={"number": complaint.number, "reason": reason},
        )
    else:
        tell_email(
            complaint.complainant_email,
            language=COMPLAINANT_LANGUAGE,
            subject=gettext_noop("We received your complaint %(number)s"),
            body=gettext_noop(
                "Thank you. Your complaint %(number)s was received on %(received)s. "
                "Program staff will acknowledge it by %(due)s."
            ),
            params={"number": complaint.number, "received": received_on, "due": complaint.ack_due_on},
        )
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
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.COMPLAINT_SCREEN_OUT,
        obj=complaint,
        before=before,
        after=snapshot(complaint, COMPLAINT_FIELDS),
        reason=complaint.screening_reason,
    )
    tell_email(
        complaint.complainant_email,
        language=COMPLAINANT_LANGUAGE,
        subject=gettext_noop("Your complaint %(number)s"),
        body=gettext_noop("The program reviewed your complaint and cannot take it further: %(reason)s"),
        params={"number": complaint.number, "reason": complaint.screening_reason},
    )
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
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.COMPLAINT_ACKNOWLEDGE,
        obj=complaint,
        before=before,
        after=snapshot(complaint, COMPLAINT_FIELDS),
    )
    tell_email(
        complaint.complainant_email,
        language=COMPLAINANT_LANGUAGE,
        subject=gettext_noop("Your complaint %(number)s is being reviewed"),
        body=gettext_noop(
            "The program has your complaint %(number)s. We aim to finish looking into it by "
            "%(due)s. We will not share your name with the person or organization the "
            "complaint is about."
        ),
        params={"number": complaint.number, "due": complaint.investigation_due_on},
    )
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
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.COMPLAINT_ASSIGN,
        obj=complaint,
        before=before,
        after=snapshot(complaint, COMPLAINT_FIELDS),
    )
    tell_user(
        investigator,
        subject=gettext_noop("Case %(number)s is assigned to you"),
        body=gettext_noop("Investigation due %(day)s."),
        params={"number": complaint.number, "day": complaint.investigation_due_on},
        link=reverse("discipline:case_detail", args=[complaint.pk]),
    )
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
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.COMPLAINT_INVESTIGATE,
        obj=complaint,
        before=before,
        after=snapshot(complaint, COMPLAINT_FIELDS),
    )
    _tell_respondent(
        person=complaint.respondent_person,
        entity=complaint.respondent_entity,
        subject=gettext_noop("A complaint (%(number)s) is being looked into"),
        body=gettext_noop(
            "The certification program received a complaint and is looking into it. "
            "An investigator may contact you. You will be told the outcome."
        ),
        params={"number": complaint.number},
        url=reverse("discipline:my_case", args=[complaint.pk]),
    )
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
            code="state",
            params={"day": complaint.extended_on},
        )
    if not (reason or "").strip():
        raise ApplicationError("Give the reason for the extension.", field="reason")
    rules = rules_on()
    before = snapshot(complaint, COMPLAINT_FIELDS)
    complaint.investigation_due_on += datetime.timedelta(days=rules.investigation_extension_days)
    complaint.extended_on = clock.today()
    complaint.extension_reason = reason.strip()
    complaint.save(update_fields=["investigation_due_on", "extended_on", "extension_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.COMPLAINT_EXTEND,
        obj=complaint,
        before=before,
        after={**snapshot(complaint, COMPLAINT_FIELDS), "rules_version": rules.version},
        reason=complaint.extension_reason,
    )
    return complaint


@transaction.atomic
def case_entry_add(
    *,
    actor: Actor,
    complaint: Complaint,
    kind: str,
    text: str = "",
    interviewee: str = "",
    interviewed_on: datetime.date | None = None,
    document=None,
) -> CaseEntry:
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
    entry = CaseEntry.objects.create(
        complaint=complaint,
        kind=kind,
        text=text.strip(),
        interviewee=interviewee.strip(),
        interviewed_on=interviewed_on,
        document=document or "",
        document_kind=document_kind,
        document_name=getattr(document, "name", "")[:200] if document else "",
        author=actor,
    )
    # Auditors read this, and never see complainants: the interviewee, the note and the file's name
    # are free text that may name one, so the event names the entry, not what it says.
    audit_record(
        actor=actor,
        action=DisciplineAuditAction.CASE_ENTRY_ADD,
        obj=entry,
        after={
            "complaint": complaint.pk,
            "entry": entry.pk,
            "kind": kind,
            "interviewed_on": interviewed_on.isoformat() if interviewed_on else None,
            "has_document": bool(document),
        },
    )
    return entry
