"""Reads for discipline, each scoped to what the actor may see.

Respondent-facing reads return RespondentCase / plain values built field by field, so a
complainant's name, email or phone cannot leak through a template or schema by accident.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peercert.accounts.models import Person, TrainingEntity
from peercert.accounts.permissions import training_entity_ids
from peercert.certification import selectors as certification_selectors
from peercert.certification.models import Certification, CertificationStatus
from peercert.core import clock
from peercert.core.duties import person_id_of
from peercert.core.rules import appeal_window_ends
from peercert.core.text import fold
from peercert.discipline.models import (
    STANDING_KINDS,
    ActionStatus,
    Appeal,
    AppealStatus,
    CaseEntry,
    Channel,
    Complaint,
    ComplaintStatus,
    DisciplinaryAction,
    RequiredClass,
)
from peercert.discipline.permissions import (
    can_handle_cases,
    can_view_records,
    respondent_scope,
    sees_every_program,
    staff_program_ids,
)
from peercert.renewal.selectors import denied_renewals_of
from peercert.training.models import ProviderApplication

OPEN_STATUSES = (ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.INVESTIGATING)


# --- staff ------------------------------------------------------------------------------


def _staff_complaints(actor) -> QuerySet[Complaint]:
    if not can_handle_cases(actor):
        return Complaint.objects.none()
    qs = Complaint.objects.select_related("respondent_person", "respondent_entity", "investigator")
    return qs if sees_every_program(actor) else qs.filter(program_id__in=staff_program_ids(actor))


def complaint_queue(
    *, actor, status: str = "", overdue: bool = False, mine: bool = False, today: datetime.date | None = None
) -> QuerySet[Complaint]:
    today = today or clock.today()
    qs = _staff_complaints(actor)
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if overdue:
        qs = qs.filter(
            Q(status=ComplaintStatus.RECEIVED, ack_due_on__lt=today)
            | Q(status__in=OPEN_STATUSES, investigation_due_on__lt=today)
        )
    if mine:
        qs = qs.filter(investigator=actor)
    return qs.exclude(_complaint_party_q(actor)).order_by("ack_due_on", "investigation_due_on", "pk")


def _complaint_party_q(actor, prefix: str = "") -> Q:
    """Complaints the actor is a party to, as services._is_complaint_party decides it one at a time:
    the respondent (the peer, or staff of the entity) or the complainant (who filed or raised it,
    or whose email it gives). A case queue leaves them out: another staff member handles them."""
    party = Q(**{f"{prefix}pk__in": []})
    person_id = person_id_of(actor)
    if person_id is not None:
        party |= Q(**{f"{prefix}respondent_person_id": person_id})
    if getattr(actor, "pk", None):
        party |= Q(**{f"{prefix}entered_by_id": actor.pk, f"{prefix}channel__in": (Channel.ONLINE, Channel.STAFF)})
        party |= Q(**{f"{prefix}respondent_entity_id__in": training_entity_ids(actor)})
    email = (getattr(actor, "email", "") or "").strip()
    if email:
        party |= Q(**{f"{prefix}complainant_email__iexact": email})
    return party


def access_complaint(actor, complaint_id: int) -> Complaint:
    try:
        return _staff_complaints(actor).get(pk=complaint_id)
    except Complaint.DoesNotExist:
        raise Http404 from None


def case_entries(complaint: Complaint) -> QuerySet[CaseEntry]:
    return complaint.entries.select_related("author").order_by("created_at", "pk")


def access_case_entry_file(actor, entry_id: int) -> CaseEntry:
    """A case file document, for staff who may see its case."""
    entry = CaseEntry.objects.filter(pk=entry_id).exclude(document="").first()
    if entry is None:
        raise Http404
    access_complaint(actor, entry.complaint_id)
    return entry


def access_action(actor, action_id: int) -> DisciplinaryAction:
    qs = DisciplinaryAction.objects.select_related("complaint", "person", "entity", "decided_by")
    if not can_handle_cases(actor):
        raise Http404
    if not sees_every_program(actor):
        qs = qs.filter(complaint__program_id__in=staff_program_ids(actor))
    try:
        return qs.get(pk=action_id)
    except DisciplinaryAction.DoesNotExist:
        raise Http404 from None


def access_required_class(actor, class_id: int) -> RequiredClass:
    try:
        required = RequiredClass.objects.get(pk=class_id)
    except RequiredClass.DoesNotExist:
        raise Http404 from None
    access_action(actor, required.action_id)
    return required


def escalated_actions(*, actor) -> QuerySet[DisciplinaryAction]:
    if not can_handle_cases(actor):
        return DisciplinaryAction.objects.none()
    qs = DisciplinaryAction.objects.select_related("complaint", "person", "entity").filter(
        status=ActionStatus.ESCALATED
    )
    if not sees_every_program(actor):
        qs = qs.filter(complaint__program_id__in=staff_program_ids(actor))
    return qs.order_by("due_on", "pk")


def _staff_appeals(actor) -> QuerySet[Appeal]:
    if not can_handle_cases(actor):
        return Appeal.objects.none()
    return Appeal.objects.select_related("person", "entity", "action", "original_decider", "decided_by")


def appeal_queue(*, actor, status: str = AppealStatus.FILED) -> QuerySet[Appeal]:
    """Appeals for staff to decide; not the actor's own, nor one from a case she is a party to."""
    qs = _staff_appeals(actor)
    if status:
        qs = qs.filter(status=status)
    person_id = person_id_of(actor)
    own = Q(entity_id__in=training_entity_ids(actor)) if getattr(actor, "pk", None) else Q(pk__in=[])
    if person_id is not None:
        own |= Q(person_id=person_id)
    own |= Q(action__isnull=False) & _complaint_party_q(actor, prefix="action__complaint__")
    return qs.exclude(own).order_by("review_due_on", "pk")


def access_appeal(actor, appeal_id: int) -> Appeal:
    try:
        return _staff_appeals(actor).get(pk=appeal_id)
    except Appeal.DoesNotExist:
        raise Http404 from None


def case_staff_users(complaint: Complaint | None = None):
    """People who may be given a case: program reviewers and managers."""
    from django.contrib.auth import get_user_model

    from peercert.accounts.roles import Role

    qs = get_user_model().objects.filter(
        is_active=True, role_assignments__role__in=[Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER]
    )
    if complaint is not None:
        qs = qs.filter(role_assignments__program_id=complaint.program_id)
    return qs.distinct().order_by("display_name", "email")


# --- records ----------------------------------------------------------------------------


@dataclass
class RecordFilter:
    person_id: int | None = None
    entity_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: str = ""


def _within(qs, field_name: str, flt: RecordFilter):
    if flt.date_from:
        qs = qs.filter(**{f"{field_name}__gte": flt.date_from})
    if flt.date_to:
        qs = qs.filter(**{f"{field_name}__lte": flt.date_to})
    return qs


def records(*, actor, flt: RecordFilter) -> dict:
    """Complaints, actions and appeals matching the filter: the record the state sees."""
    if not can_view_records(actor):
        raise Http404
    complaints = Complaint.objects.select_related("respondent_person", "respondent_entity")
    actions = DisciplinaryAction.objects.select_related("complaint", "person", "entity")
    appeals = Appeal.objects.select_related("person", "entity", "action")
    if flt.person_id:
        complaints = complaints.filter(respondent_person_id=flt.person_id)
        actions = actions.filter(person_id=flt.person_id)
        appeals = appeals.filter(person_id=flt.person_id)
    if flt.entity_id:
        complaints = complaints.filter(respondent_entity_id=flt.entity_id)
        actions = actions.filter(entity_id=flt.entity_id)
        appeals = appeals.filter(entity_id=flt.entity_id)
    if flt.status:
        complaints = complaints.filter(status=flt.status)
    return {
        "complaints": _within(complaints, "received_on", flt).order_by("-received_on", "-pk"),
        "actions": _within(actions, "decided_on", flt).order_by("-decided_on", "-pk"),
        "appeals": _within(appeals, "filed_on", flt).order_by("-filed_on", "-pk"),
    }


# Columns of the state export. No complainant identity, by design, whoever exports.
EXPORT_HEADER = [
    "record_type",
    "number",
    "respondent_kind",
    "respondent_id",
    "respondent_name",
    "received_or_filed_on",
    "incident_on",
    "channel",
    "status",
    "outcome_or_kind",
    "effective_on",
    "ends_on",
    "decided_on",
    "ethics_provisions",
    "public_summary",
    "rules_version",
]


def export_rows(*, actor, flt: RecordFilter):
    """Rows for the CSV export, read as plain values (one query per record type)."""
    data = records(actor=actor, flt=flt)
    for c in data["complaints"].values_list(
        "number",
        "respondent_kind",
        "respondent_person_id",
        "respondent_entity_id",
        "respondent_person__legal_first_name",
        "respondent_person__legal_last_name",
        "respondent_entity__name",
        "received_on",
        "incident_on",
        "channel",
        "status",
        "outcome",
        "decided_on",
        "provisions",
        "rules_version",
    ):
        (
            number,
            kind,
            pid,
            eid,
            first,
            last,
            ename,
            received,
            incident,
            channel,
            status,
            outcome,
            decided,
            provisions,
            version,
        ) = c
        yield [
            "complaint",
            number,
            kind,
            pid or eid,
            ename or f"{first} {last}",
            received,
            incident,
            channel,
            status,
            outcome,
            "",
            "",
            decided or "",
            ";".join(provisions or []),
            "",
            version,
        ]
    for a in data["actions"].values_list(
        "complaint__number",
        "person_id",
        "entity_id",
        "person__legal_first_name",
        "person__legal_last_name",
        "entity__name",
        "status",
        "kind",
        "effective_on",
        "ends_on",
        "decided_on",
        "complaint__provisions",
        "public_summary",
        "rules_version",
    ):
        number, pid, eid, first, last, ename, status, kind, effective, ends, decided, provisions, summary, version = a
        yield [
            "action",
            number,
            "peer" if pid else "training_entity",
            pid or eid,
            ename or f"{first} {last}",
            "",
            "",
            "",
            status,
            kind,
            effective,
            ends or "",
            decided,
            ";".join(provisions or []),
            summary,
            version,
        ]
    for p in data["appeals"].values_list(
        "number",
        "person_id",
        "entity_id",
        "person__legal_first_name",
        "person__legal_last_name",
        "entity__name",
        "filed_on",
        "status",
        "subject",
        "outcome",
        "decided_on",
        "rules_version",
    ):
        number, pid, eid, first, last, ename, filed, status, subject, outcome, decided, version = p
        yield [
            "appeal",
            number,
            "peer" if pid else "training_entity",
            pid or eid,
            ename or f"{first} {last}",
            filed,
            "",
            "",
            status,
            f"{subject}:{outcome}" if outcome else subject,
            "",
            "",
            decided or "",
            "",
            "",
            version,
        ]


def people_with_records():
    return Person.objects.filter(
        Exists(Complaint.objects.filter(respondent_person=OuterRef("pk")))
        | Exists(Appeal.objects.filter(person=OuterRef("pk")))
    ).order_by("legal_last_name")


def entities_for_choice():
    return TrainingEntity.objects.order_by("name")


# --- respondents ------------------------------------------------------------------------


@dataclass
class RespondentAction:
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    effective_on: datetime.date
    ends_on: datetime.date | None
    until_condition: str
    due_on: datetime.date | None
    public_summary: str
    classes: list[dict] = field(default_factory=list)
    appealable: bool = False


@dataclass
class RespondentCase:
    """A case as its respondent sees it. Deliberately has no complainant fields."""

    id: int
    number: str
    status: str
    status_label: str
    received_on: datetime.date
    incident_on: datetime.date
    incident_description: str
    outcome_label: str
    findings: str
    provisions: list[str]
    decided_on: datetime.date | None
    actions: list[RespondentAction] = field(default_factory=list)


def _own(person_id: int | None, entity_ids: set[int], person_field: str, entity_field: str) -> Q:
    """Rows about this person or these entities. Never `person_field=None`: that would match
    every row about an entity (whose person is NULL) for a user without a person."""
    condition = Q(**{f"{entity_field}__in": entity_ids}) if entity_ids else Q(pk__in=[])
    if person_id is not None:
        condition |= Q(**{person_field: person_id})
    return condition


def _respondent_complaints(actor) -> QuerySet[Complaint]:
    person_id, entity_ids = respondent_scope(actor)
    if person_id is None and not entity_ids:
        return Complaint.objects.none()
    # Screened-out complaints were never taken up; respondents are not told about them.
    qs = Complaint.objects.exclude(status__in=[ComplaintStatus.SCREENED_OUT, ComplaintStatus.RECEIVED])
    return qs.filter(_own(person_id, entity_ids, "respondent_person_id", "respondent_entity_id"))


def _as_respondent_case(c: Complaint) -> RespondentCase:
    actions = []
    for a in c.actions.all():
        actions.append(
            RespondentAction(
                id=a.pk,
                kind=a.kind,
                kind_label=str(a.get_kind_display()),
                status=a.status,
                status_label=str(a.get_status_display()),
                effective_on=a.effective_on,
                ends_on=a.ends_on,
                until_condition=a.until_condition,
                due_on=a.due_on,
                public_summary=a.public_summary,
                classes=[{"title": r.title, "completed_on": r.completed_on} for r in a.classes.all()],
                appealable=a.kind in STANDING_KINDS and a.status != ActionStatus.OVERTURNED,
            )
        )
    return RespondentCase(
        id=c.pk,
        number=c.number,
        status=c.status,
        status_label=str(c.get_status_display()),
        received_on=c.received_on,
        incident_on=c.incident_on,
        incident_description=c.incident_description,
        outcome_label=str(c.get_outcome_display()) if c.outcome else "",
        findings=c.findings,
        provisions=c.provision_labels(),
        decided_on=c.decided_on,
        actions=actions,
    )


def respondent_cases(*, actor) -> list[RespondentCase]:
    qs = _respondent_complaints(actor).prefetch_related("actions__classes").order_by("-received_on", "-pk")
    return [_as_respondent_case(c) for c in qs]


def access_respondent_case(actor, complaint_id: int) -> RespondentCase:
    try:
        c = _respondent_complaints(actor).prefetch_related("actions__classes").get(pk=complaint_id)
    except Complaint.DoesNotExist:
        raise Http404 from None
    return _as_respondent_case(c)


def respondent_appeals(*, actor) -> QuerySet[Appeal]:
    person_id, entity_ids = respondent_scope(actor)
    if person_id is None and not entity_ids:
        return Appeal.objects.none()
    return Appeal.objects.filter(_own(person_id, entity_ids, "person_id", "entity_id")).order_by("-filed_on", "-pk")


def respondent_appealable_actions(*, actor) -> QuerySet[DisciplinaryAction]:
    person_id, entity_ids = respondent_scope(actor)
    return (
        DisciplinaryAction.objects.filter(
            _own(person_id, entity_ids, "person_id", "entity_id"),
            kind__in=STANDING_KINDS,
            status__in=[ActionStatus.SCHEDULED, ActionStatus.IN_EFFECT, ActionStatus.STAYED, ActionStatus.ENDED],
        )
        .exclude(appeals__status=AppealStatus.FILED)
        .select_related("complaint")
    )


def respondent_appealable_denials(*, actor) -> list:
    """The peer's denied applications and renewals still inside the appeal window and not under appeal."""
    person_id, _entity_ids = respondent_scope(actor)
    if not person_id:
        return []
    today = clock.today()
    under_appeal = {
        key
        for a, r in Appeal.objects.filter(person_id=person_id, status=AppealStatus.FILED).values_list(
            "application_id", "renewal_id"
        )
        for key in (f"{APPLICATION}-{a}", f"{RENEWAL}-{r}")
    }
    # A year back is far wider than any appeal window; each denial's own window decides.
    recent = denials_of(person_id, decided_since=today - datetime.timedelta(days=366))
    return [d for d in recent if d.key not in under_appeal and appeal_window_ends(d.decided_on) >= today]


def staff_appealable_actions(*, actor) -> QuerySet[DisciplinaryAction]:
    if not can_handle_cases(actor):
        return DisciplinaryAction.objects.none()
    return (
        DisciplinaryAction.objects.filter(kind__in=STANDING_KINDS)
        .exclude(status=ActionStatus.OVERTURNED)
        .exclude(appeals__status=AppealStatus.FILED)
        .select_related("complaint")
        .order_by("-decided_on", "-pk")[:200]
    )


def own_training_entity(user) -> TrainingEntity | None:
    _person_id, entity_ids = respondent_scope(user)
    return TrainingEntity.objects.filter(pk__in=entity_ids).order_by("pk").first()


def access_appealable_action(actor, action_id: int) -> DisciplinaryAction:
    """An action the actor may appeal: their own as respondent, or any, for case staff."""
    qs = DisciplinaryAction.objects.all() if can_handle_cases(actor) else respondent_appealable_actions(actor=actor)
    try:
        return qs.get(pk=action_id)
    except DisciplinaryAction.DoesNotExist:
        raise Http404 from None


# --- public -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicAction:
    """What the registry shows about a disciplinary action."""

    kind: str
    kind_label: str
    status: str
    status_label: str
    effective_on: datetime.date
    ends_on: datetime.date | None
    summary: str
    case_number: str


def public_actions_for(subject) -> list[PublicAction]:
    """Public summaries of suspensions, revocations and withdrawals for a certification, a person
    or a training entity: scheduled, in effect, paused or ended; never overturned ones.

    A certification is matched by its person (actions follow the person from one
    certification to the next), and recorded certification id where known.
    """
    qs = DisciplinaryAction.objects.filter(kind__in=STANDING_KINDS).exclude(status=ActionStatus.OVERTURNED)
    if isinstance(subject, Person):
        qs = qs.filter(person=subject)
    elif isinstance(subject, TrainingEntity):
        qs = qs.filter(entity=subject)
    elif hasattr(subject, "person_id"):
        qs = qs.filter(Q(person_id=subject.person_id) | Q(certification_id=subject.pk))
    else:
        return []
    return [_public_action(a) for a in qs.select_related("complaint").order_by("-effective_on", "-pk")]


def _public_action(a: DisciplinaryAction) -> PublicAction:
    return PublicAction(
        kind=a.kind,
        kind_label=str(a.get_kind_display()),
        status=a.status,
        status_label=str(a.get_status_display()),
        effective_on=a.effective_on,
        ends_on=a.ends_on,
        summary=a.public_summary,
        case_number=a.complaint.number,
    )


def public_actions_for_certifications(certifications) -> dict[int, list[PublicAction]]:
    """public_actions_for, for many certifications in one query: {certification id: actions, newest first}.

    The registry's bulk verification answers up to 5,000 numbers at once; the same rule (matched by
    person, or by the recorded certification) without a query per certification.
    """
    by_person: dict[int, list[int]] = {}
    for c in certifications:
        by_person.setdefault(c.person_id, []).append(c.pk)
    cert_ids = {pk for pks in by_person.values() for pk in pks}
    out: dict[int, list[PublicAction]] = {pk: [] for pk in cert_ids}
    if not cert_ids:
        return out
    qs = (
        DisciplinaryAction.objects.filter(kind__in=STANDING_KINDS)
        .exclude(status=ActionStatus.OVERTURNED)
        .filter(Q(person_id__in=list(by_person)) | Q(certification_id__in=list(cert_ids)))
        .select_related("complaint")
        .order_by("-effective_on", "-pk")
    )
    for a in qs:
        shown = _public_action(a)
        for pk in {*by_person.get(a.person_id, ()), *([a.certification_id] if a.certification_id in cert_ids else [])}:
            out[pk].append(shown)
    return out


def public_peer_search(query: str) -> list["PeerMatch"]:
    return find_peers(query)


def staff_counts(*, actor, today: datetime.date | None = None) -> dict:
    """Numbers for the staff home page."""
    today = today or clock.today()
    return {
        "ack_overdue": _staff_complaints(actor).filter(status=ComplaintStatus.RECEIVED, ack_due_on__lt=today).count(),
        "investigation_overdue": _staff_complaints(actor)
        .filter(status__in=OPEN_STATUSES, investigation_due_on__lt=today)
        .count(),
        "escalated": escalated_actions(actor=actor).count(),
        "appeals": appeal_queue(actor=actor).count(),
    }


# --- what discipline reads from certification, renewal and training ----------------------
# Through their selectors where they have one. find_peers, certification_by_id, active_people
# and entity_approvals read the other apps' models because those apps have no such selector yet.


@dataclass(frozen=True)
class PeerMatch:
    """One row of the public picker: only what the public registry shows anyway."""

    person_id: int
    name: str
    number: str
    status: str


def _peer_match(certification: Certification) -> PeerMatch:
    return PeerMatch(
        person_id=certification.person_id,
        name=certification.person.display_name,
        number=str(certification.number),
        status=str(certification.status),
    )


def find_peers(query: str, limit: int = 10) -> list[PeerMatch]:
    """Certified peers whose name or certification number matches, for the public picker.

    Only people who hold or held a certification (the registry's population): the public
    cannot browse applicants.
    """
    query = (query or "").strip()
    if len(query) < 2:
        return []
    found = Certification.objects.select_related("person").filter(
        Q(person__search_name__contains=fold(query)) | Q(number__iexact=query)
    )
    rows = found.order_by("person__legal_last_name", "person__legal_first_name", "number")[:limit]
    return [_peer_match(c) for c in rows]


def peer_by_number(number: str) -> PeerMatch | None:
    """The certified peer holding a certification number, or None."""
    certification = certification_selectors.certification_by_number(number)
    return _peer_match(certification) if certification is not None else None


def was_certified_on(person: Person, day: datetime.date) -> bool:
    return certification_selectors.certification_active_on(person, day) is not None


def current_certification(person: Person) -> Certification | None:
    return certification_selectors.current_certification(person)


def certification_by_id(certification_id: int) -> Certification | None:
    return Certification.objects.filter(pk=certification_id).first()


def active_people(limit: int = 10) -> list[Person]:
    """People holding an active certification (for demo data), oldest records first."""
    ids = (
        Certification.objects.filter(status=CertificationStatus.ACTIVE)
        .order_by("pk")
        .values_list("person_id", flat=True)[:limit]
    )
    return list(Person.objects.filter(pk__in=list(ids)).order_by("pk"))


def entity_approvals(entity: TrainingEntity) -> QuerySet[ProviderApplication]:
    """A training entity's approvals (one per training type and language), oldest first."""
    return ProviderApplication.objects.filter(training_entity=entity).order_by("pk")


# Denied applications and renewals, as an appeal names them.
APPLICATION = "application"
RENEWAL = "renewal"


@dataclass(frozen=True)
class DenialRef:
    """A denied certification application or renewal, as an appeal names it."""

    kind: str  # APPLICATION or RENEWAL
    id: int
    decided_on: datetime.date
    decided_by_id: int | None
    reference: str

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"


def denials_of(person_id: int, decided_since: datetime.date | None = None) -> list[DenialRef]:
    """The person's denied certification applications and renewals, newest decision first."""
    found = [
        (APPLICATION, "Application", a)
        for a in certification_selectors.denied_applications_of(person_id, decided_since=decided_since)
    ]
    found += [(RENEWAL, "Renewal", r) for r in denied_renewals_of(person_id, decided_since=decided_since)]
    refs = [
        DenialRef(
            kind=kind,
            id=row.pk,
            decided_on=timezone.localdate(row.decided_at),
            decided_by_id=row.decided_by_id,
            reference=f"{noun} {row.pk}, denied {timezone.localdate(row.decided_at):%Y-%m-%d}",
        )
        for kind, noun, row in found
    ]
    return sorted(refs, key=lambda d: (d.decided_on, d.id), reverse=True)


# --- for oversight dashboards ---


def complaint_timeliness(start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Complaints received from start to end, in one aggregate query: acknowledged by the due date or
    not (late, or still not acknowledged past it); decided by the investigation's due date or not; and
    those still open past their due date."""
    from django.db.models import Count, F

    today = clock.today()
    closed = (ComplaintStatus.DECIDED, ComplaintStatus.SCREENED_OUT)
    rows = Complaint.objects.filter(received_on__gte=start, received_on__lte=end)
    return rows.aggregate(
        received=Count("id"),
        acknowledged_on_time=Count("id", filter=Q(acknowledged_on__lte=F("ack_due_on"))),
        acknowledged_late=Count(
            "id",
            filter=Q(acknowledged_on__gt=F("ack_due_on"))
            | (Q(acknowledged_on__isnull=True, ack_due_on__lt=today) & ~Q(status=ComplaintStatus.SCREENED_OUT)),
        ),
        decided_on_time=Count(
            "id", filter=Q(status=ComplaintStatus.DECIDED, decided_on__lte=F("investigation_due_on"))
        ),
        decided_late=Count("id", filter=Q(status=ComplaintStatus.DECIDED, decided_on__gt=F("investigation_due_on"))),
        open_past_due=Count("id", filter=~Q(status__in=closed) & Q(investigation_due_on__lt=today)),
    )


# --- for oversight reports ---


def discipline_timeliness_for_report(*, start: datetime.date, end: datetime.date) -> dict:
    """Complaints, actions and appeals of a period, with their timeliness (statewide: discipline has no county).

    {"complaints": {received, acknowledged_on_time, acknowledged_late, not_acknowledged, decided,
    decided_on_time, decided_late}, "actions": [{kind, actions}], "appeals": {filed, decided,
    decided_on_time, decided_late}}."""
    from django.db.models import Count, F

    complaints = Complaint.objects.filter(received_on__gte=start, received_on__lte=end).aggregate(
        received=Count("id"),
        acknowledged_on_time=Count("id", filter=Q(acknowledged_on__lte=F("ack_due_on"))),
        acknowledged_late=Count("id", filter=Q(acknowledged_on__gt=F("ack_due_on"))),
        not_acknowledged=Count("id", filter=Q(acknowledged_on__isnull=True)),
    )
    complaints |= Complaint.objects.filter(decided_on__gte=start, decided_on__lte=end).aggregate(
        decided=Count("id"),
        decided_on_time=Count("id", filter=Q(decided_on__lte=F("investigation_due_on"))),
        decided_late=Count("id", filter=Q(decided_on__gt=F("investigation_due_on"))),
    )
    actions = list(
        DisciplinaryAction.objects.filter(decided_on__gte=start, decided_on__lte=end)
        .values("kind")
        .annotate(actions=Count("id"))
        .order_by("kind")
    )
    appeals = Appeal.objects.filter(filed_on__gte=start, filed_on__lte=end).aggregate(filed=Count("id"))
    appeals |= Appeal.objects.filter(decided_on__gte=start, decided_on__lte=end).aggregate(
        decided=Count("id"),
        decided_on_time=Count("id", filter=Q(decided_on__lte=F("review_due_on"))),
        decided_late=Count("id", filter=Q(decided_on__gt=F("review_due_on"))),
    )
    return {"complaints": complaints, "actions": actions, "appeals": appeals}
