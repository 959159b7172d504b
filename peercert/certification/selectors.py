"""Reads of applications and certifications, scoped to what the asker may see."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peercert.accounts.models import Person
from peercert.accounts.permissions import program_ids
from peercert.certification import fees
from peercert.certification.audit import AuditAction
from peercert.certification.models import (
    OPEN_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Certification,
    CertificationNumberRecord,
    CertificationStatus,
    CertificationStatusChange,
    Outcome,
)
from peercert.certification.permissions import REVIEW_ROLES, can_download_certificate
from peercert.core import clock
from peercert.core.duties import exclude_own_matters
from peercert.core.models import AuditEvent
from peercert.core.rules import rules_on
from peercert.core.text import fold

# ---- The contract other apps use --------------------------------------------------------


def certification_by_number(number: str) -> Certification | None:
    """The certification with this number, or one that carried it before (a transfer)."""
    number = (number or "").strip().upper()
    if not number:
        return None
    found = Certification.objects.select_related("person", "program").filter(number=number).first()
    if found is None:
        record = (
            CertificationNumberRecord.objects.filter(number__iexact=number)
            .select_related("certification__person", "certification__program")
            .order_by("-id")
            .first()
        )
        found = record.certification if record else None
    return found


def current_certification(person) -> Certification | None:
    """The person's latest certification, whatever its status."""
    return Certification.objects.filter(person=person).select_related("program").order_by("-issued_on", "-id").first()


def certification_active_on(person, day: datetime.date) -> Certification | None:
    """The certification that made the person certified on that day, if any.

    Reads the status history, so it answers for past days too (billing checks dates of service).
    """
    for cert in Certification.objects.filter(person=person, issued_on__lte=day, expires_on__gte=day).order_by(
        "-issued_on"
    ):
        last = (
            CertificationStatusChange.objects.filter(certification=cert, effective_on__lte=day)
            .order_by("-effective_on", "-id")
            .first()
        )
        status = last.to_status if last else cert.status
        if status == CertificationStatus.ACTIVE:
            return cert
    return None


# ---- Applicant --------------------------------------------------------------------------


def open_application_of(person) -> Application | None:
    return Application.objects.filter(person=person, status__in=OPEN_STATUSES).order_by("-created_at").first()


def applications_of(person) -> QuerySet[Application]:
    return Application.objects.filter(person=person).select_related("program").order_by("-created_at")


def denied_applications_of(person_id: int, *, decided_since: datetime.date | None = None) -> QuerySet[Application]:
    """The person's denied applications, newest decision first (what an appeal of a denial names)."""
    qs = Application.objects.filter(person_id=person_id, status=ApplicationStatus.DENIED).select_related("program")
    if decided_since is not None:
        qs = qs.filter(decided_at__date__gte=decided_since)
    return qs.order_by("-decided_at", "-id")


def certifications_of(person) -> QuerySet[Certification]:
    return Certification.objects.filter(person=person).select_related("program").prefetch_related("specializations")


def access_application(actor, application_id: int) -> Application:
    """The applicant's own application, or one in a program the actor reviews."""
    qs = Application.objects.select_related("person", "program", "county", "assigned_to")
    scope = Q(person__user=actor) if getattr(actor, "is_authenticated", False) else Q(pk__in=[])
    reviewed = program_ids(actor, *REVIEW_ROLES)
    if reviewed:
        scope |= Q(program_id__in=reviewed)
    try:
        return qs.filter(scope).get(pk=application_id)
    except Application.DoesNotExist:
        raise Http404 from None


def access_own_application(actor, application_id: int) -> Application:
    try:
        return Application.objects.select_related("person", "program").get(pk=application_id, person__user=actor)
    except (Application.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def access_reviewable_application(actor, application_id: int) -> Application:
    reviewed = program_ids(actor, *REVIEW_ROLES)
    try:
        return Application.objects.select_related("person", "program", "county", "assigned_to").get(
            pk=application_id, program_id__in=reviewed
        )
    except Application.DoesNotExist:
        raise Http404 from None


def access_document(actor, document_id: int) -> ApplicationDocument:
    try:
        document = ApplicationDocument.objects.select_related("application__person").get(pk=document_id)
    except ApplicationDocument.DoesNotExist:
        raise Http404 from None
    access_application(actor, document.application_id)
    return document


def documents_of(application) -> list[ApplicationDocument]:
    return list(application.documents.filter(removed_at__isnull=True).order_by("kind", "created_at"))


def requirement_rows(application) -> list[dict]:
    from peercert.certification.requirements import BY_CODE

    return [
        {"row": r, "label": BY_CODE[r.code].label if r.code in BY_CODE else r.code}
        for r in application.requirements.select_related("decided_by").order_by("position")
    ]


def items_to_fix(application) -> list[dict]:
    return [r for r in requirement_rows(application) if r["row"].outcome == Outcome.NOT_MET]


def review_days(application, today: datetime.date | None = None) -> int:
    """Days the program has held the application (time waiting for the applicant is not counted)."""
    today = today or clock.today()
    days = application.review_days_banked
    if application.review_clock_started_at:
        days += (today - timezone.localdate(application.review_clock_started_at)).days
    return days


def processing_clock(application) -> dict:
    target = rules_on().application_review_target_days
    days = review_days(application)
    return {
        "days": days,
        "target": target,
        "over": days > target,
        "left": max(target - days, 0),
        "running": application.review_clock_started_at is not None,
    }


def fee_status(application) -> dict:
    """The application fee as the applicant and reviewer see it."""
    if application.first_submitted_at is None:
        return {"invoice": None, "settled": False}
    invoice = None if application.entered_by_staff else fees.application_invoice(application)
    return {"invoice": invoice, "settled": fees.application_fee_settled(application)}


def can_download(actor, certification) -> bool:
    return can_download_certificate(actor, certification)


# ---- Reviewer queue ---------------------------------------------------------------------

QUEUE_SORTS = {
    "waiting": ("submitted_at", "id"),  # longest waiting first
    "-waiting": ("-submitted_at", "-id"),
    "pathway": ("pathway", "submitted_at"),
    "county": ("county__name", "submitted_at"),
    "status": ("status", "submitted_at"),
}


def review_queue(
    *,
    actor,
    pathway: str = "",
    status: str = "",
    county_id: int | None = None,
    assigned: str = "",
    sort: str = "waiting",
) -> QuerySet[Application]:
    """Applications submitted to the programs the actor reviews (drafts are the applicant's own business),
    less the actor's own: a reviewer who applied is not offered her application."""
    qs = (
        Application.objects.filter(program_id__in=program_ids(actor, *REVIEW_ROLES))
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("person", "program", "county", "assigned_to")
    )
    qs = exclude_own_matters(qs, actor, "person")
    if pathway:
        qs = qs.filter(pathway=pathway)
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(
            status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.REVISION_REQUESTED)
        )
    if county_id:
        qs = qs.filter(county_id=county_id)
    if assigned == "me":
        qs = qs.filter(assigned_to=actor)
    elif assigned == "none":
        qs = qs.filter(assigned_to__isnull=True)
    return qs.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["waiting"]))


def annotate_queue_rows(applications) -> list[dict]:
    """Add days waiting and payment state to a page of the queue (a page is small)."""
    return [{"application": a, "days": review_days(a), "fee": fee_status(a)} for a in applications]


# ---- Record of past and present specialists ---------------------------------------------


def specialist_search(*, actor, query: str = "") -> QuerySet[Person]:
    """Everyone who ever applied to, or held a certification from, a program the actor reviews."""
    programs = program_ids(actor, *REVIEW_ROLES)
    applied = Application.objects.filter(person=OuterRef("pk"), program_id__in=programs)
    held = Certification.objects.filter(person=OuterRef("pk"), program_id__in=programs)
    qs = Person.objects.filter(Q(Exists(applied)) | Q(Exists(held)))
    query = (query or "").strip()
    if query:
        folded = fold(query)
        cert_match = Certification.objects.filter(person=OuterRef("pk"), number__iexact=query)
        qs = qs.filter(Q(search_name__contains=folded) | Q(Exists(cert_match)) | Q(email__iexact=query))
    return qs.order_by("legal_last_name", "legal_first_name", "pk")


def access_specialist(actor, person_id: int) -> Person:
    try:
        return specialist_search(actor=actor).get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404 from None


# The timeline names an audit event by its registered label, in the reader's language.
TIMELINE_LABELS = dict(AuditAction.choices)


def specialist_timeline(person) -> list[dict]:
    """Applications, decisions, status changes and audit events about the person's records, oldest first."""
    apps = list(Application.objects.filter(person=person))
    certs = list(Certification.objects.filter(person=person))
    events = []
    for a in apps:
        if a.first_submitted_at:
            events.append(
                {"at": a.first_submitted_at, "what": f"Application {a.pk} submitted ({a.get_pathway_display()})"}
            )
    for change in CertificationStatusChange.objects.filter(certification__in=certs).select_related(
        "certification", "actor"
    ):
        events.append(
            {
                "at": change.created_at,
                "day": change.effective_on,
                "what": f"Certification {change.certification.number}: {change.from_status or 'new'} → "
                f"{change.to_status}. {change.reason}",
                "who": change.actor,
            }
        )
    audit = (
        AuditEvent.objects.filter(
            Q(object_type="certification.application", object_id__in=[str(a.pk) for a in apps])
            | Q(object_type="certification.person_milestone", object_id=str(person.pk))
        )
        .exclude(action__in=[AuditAction.APPLICATION_SAVE_STEP])
        .order_by("at")
    )
    for e in audit:
        label = TIMELINE_LABELS.get(e.action, e.action)
        detail = ""
        if e.action == AuditAction.APPLICATION_REQUIREMENT_DECIDE and e.after:
            detail = f" · {e.after.get('code')}: {e.after.get('outcome')}"
        elif e.action == AuditAction.MILESTONE_RECORD and e.after:
            detail = f" · {e.after.get('kind')} {e.after.get('occurred_on')}"
        events.append(
            {"at": e.at, "what": f"{label}{detail}" + (f" · {e.reason}" if e.reason else ""), "who": e.actor_label}
        )
    for e in events:
        e.setdefault("day", timezone.localdate(e["at"]))
    return sorted(events, key=lambda e: e["at"])


# ---- Certifications for staff -----------------------------------------------------------


def access_certification(actor, number: str) -> Certification:
    """A certification its holder or the certifying program's staff may open."""
    cert = certification_by_number(number)
    if cert is None or not can_download_certificate(actor, cert):
        raise Http404
    return cert


def status_history(certification) -> QuerySet[CertificationStatusChange]:
    return certification.status_changes.select_related("actor").order_by("effective_on", "id")


def specializations_ready_to_add(certification) -> list[tuple[str, str]]:
    """Specializations whose training the holder completed and the certification does not show yet."""
    from peercert.core.vocabulary import Specialization
    from peercert.training.selectors import specializations_completed

    shown = set(certification.specialization_values)
    done = specializations_completed(certification.person) - shown
    return [(value, label) for value, label in Specialization.choices if value in done]


# ---- For the benefit's workforce alerts and EHR API (set-based) -------------------------


def status_changes_since(moment: datetime.datetime) -> QuerySet[CertificationStatusChange]:
    """Status history rows written at or after a moment (the benefit's daily catch-up of missed alerts)."""
    return CertificationStatusChange.objects.filter(created_at__gte=moment)


def latest_certification_subquery(person_ref, field: str):
    """Subquery: one field of the person's latest certification (as current_certification picks it).

    person_ref is an OuterRef to a person id, so a list of employments reads its peers' certification
    facts in the same statement, without loading the certifications."""
    from django.db.models import Subquery

    return Subquery(Certification.objects.filter(person_id=person_ref).order_by("-issued_on", "-id").values(field)[:1])


def status_labels() -> dict[str, str]:
    """Each certification status in words, in the active language."""
    return {value: str(label) for value, label in CertificationStatus.choices}


def sql_tables() -> dict[str, str]:
    """The quoted table names of certifications and their status history, for another app's set-based SQL
    that joins them (the benefit's workforce alerts), so that app need not import these models."""
    from django.db import connection

    return {
        "certification": connection.ops.quote_name(Certification._meta.db_table),
        "status_change": connection.ops.quote_name(CertificationStatusChange._meta.db_table),
    }


def certified_on_exists(person_ref, day_ref):
    """certification_active_on for every row of a queryset at once, as an Exists to filter with.

    person_ref and day_ref name the outer query's person id and day (a field name, or an OuterRef /
    expression as given): true when a certification of the person covers the day and its status on
    the day (the latest history row effective by then, else its status) is active."""
    from django.db.models import Subquery
    from django.db.models.expressions import BaseExpression
    from django.db.models.functions import Coalesce

    def outer(ref, depth: int):
        if isinstance(ref, str):
            for _ in range(depth):
                ref = OuterRef(ref)
            return ref
        if isinstance(ref, BaseExpression | OuterRef) and depth > 1:
            return OuterRef(ref)
        return ref

    status_then = Subquery(
        CertificationStatusChange.objects.filter(certification_id=OuterRef("pk"), effective_on__lte=outer(day_ref, 2))
        .order_by("-effective_on", "-id")
        .values("to_status")[:1]
    )
    return Exists(
        Certification.objects.filter(
            person_id=outer(person_ref, 1), issued_on__lte=outer(day_ref, 1), expires_on__gte=outer(day_ref, 1)
        )
        .annotate(status_then=Coalesce(status_then, "status"))
        .filter(status_then=CertificationStatus.ACTIVE)
    )


# --- for oversight reports ---
# Aggregates only (counts per group, never rows of people), read by oversight's reports and dashboards.

# What each dimension of certification_counts_for_report groups by.
REPORT_DIMENSIONS = {
    "status": "report_status",
    "county": "county_id",
    "pathway": "application__pathway",
    "specialization": "specializations__specialization",
    "language": "person__preferred_language",
    "race_ethnicity": "person__demographics__race_ethnicity",
    "gender_identity": "person__demographics__gender_identity",
    "sexual_orientation": "person__demographics__sexual_orientation",
    "age_group": "person__demographics__age_group",
    "veteran": "person__demographics__veteran",
    "disability": "person__demographics__disability",
}
DEMOGRAPHIC_QUESTIONS = (
    "race_ethnicity",
    "gender_identity",
    "sexual_orientation",
    "age_group",
    "veteran",
    "disability",
)


def certifications_as_of(on_date: datetime.date, *, county_ids=None) -> QuerySet[Certification]:
    """Certifications issued by a day, each annotated with report_status: its status at the end of that day
    (the last status change on or before it; the current status when none is recorded)."""
    from django.db.models import F, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    latest = (
        CertificationStatusChange.objects.filter(certification=OuterRef("pk"), effective_on__lte=on_date)
        .order_by("-effective_on", "-id")
        .values("to_status")[:1]
    )
    rows = Certification.objects.filter(issued_on__lte=on_date).annotate(
        report_status=Coalesce(Subquery(latest), F("status"))
    )
    if county_ids is not None:
        rows = rows.filter(county_id__in=list(county_ids))
    return rows


def certification_counts_for_report(
    *, on_date: datetime.date, by: tuple[str, ...], statuses=None, county_ids=None
) -> list[dict]:
    """How many certifications there were at the end of a day, grouped by the named dimensions
    (REPORT_DIMENSIONS). Rows {dimension: value, ..., "certifications": n}, sorted by the dimensions.
    A missing value (no specialization, no demographic answer) comes as None."""
    from django.db.models import Count

    rows = certifications_as_of(on_date, county_ids=county_ids)
    if statuses is not None:
        rows = rows.filter(report_status__in=list(statuses))
    if "specialization" in by:
        rows = rows.filter(Q(specializations__isnull=True) | Q(specializations__added_on__lte=on_date))
    paths = {REPORT_DIMENSIONS[name]: name for name in by}
    grouped = rows.values(*paths).annotate(certifications=Count("id", distinct=True)).order_by(*paths)
    return [
        {paths[k]: v for k, v in row.items() if k in paths} | {"certifications": row["certifications"]}
        for row in grouped
    ]


def application_timeliness_for_report(*, start: datetime.date, end: datetime.date, county_ids=None) -> dict:
    """Applications received (first submitted) and decided in a period, by county, with the days each decided
    one took (the review clock, which runs only while the program holds it) against the target.

    {"target_days": n, "rows": [{county_id, received, decided, approved, denied, within_target, over_target,
    days_total, days_max}]}, sorted by county; counts and days add up across counties."""
    from django.db.models import Count, Max, Sum

    target = rules_on(end).application_review_target_days
    applications = Application.objects.all()
    if county_ids is not None:
        applications = applications.filter(county_id__in=list(county_ids))
    received = (
        applications.filter(first_submitted_at__date__gte=start, first_submitted_at__date__lte=end)
        .values("county_id")
        .annotate(received=Count("id"))
        .order_by("county_id")
    )
    decided_statuses = [ApplicationStatus.APPROVED, ApplicationStatus.DENIED]
    decided = (
        applications.filter(decided_at__date__gte=start, decided_at__date__lte=end, status__in=decided_statuses)
        .values("county_id")
        .annotate(
            decided=Count("id"),
            approved=Count("id", filter=Q(status=ApplicationStatus.APPROVED)),
            denied=Count("id", filter=Q(status=ApplicationStatus.DENIED)),
            within_target=Count("id", filter=Q(review_days_banked__lte=target)),
            over_target=Count("id", filter=Q(review_days_banked__gt=target)),
            days_total=Sum("review_days_banked"),
            days_max=Max("review_days_banked"),
        )
        .order_by("county_id")
    )
    merged: dict = {}
    empty = {"received": 0, "decided": 0, "approved": 0, "denied": 0, "within_target": 0, "over_target": 0}
    for row in received:
        merged.setdefault(row["county_id"], {**empty, "days_total": 0, "days_max": 0})["received"] = row["received"]
    for row in decided:
        merged.setdefault(row["county_id"], {**empty, "days_total": 0, "days_max": 0}).update(
            {
                k: row[k] or 0
                for k in ("decided", "approved", "denied", "within_target", "over_target", "days_total", "days_max")
            }
        )
    ordered = sorted(merged.items(), key=lambda item: (item[0] is None, item[0] or 0))
    return {"target_days": target, "rows": [{"county_id": county_id, **values} for county_id, values in ordered]}


def certification_extract_for_report(*, on_date: datetime.date, county_ids=None) -> tuple[QuerySet, dict]:
    """The per-person extract the state needs: number, status at the day's end, issue and expiry dates,
    county, pathway, language (values rows, by number), and {certification id: [specializations]}.
    No name, birth date or contact: the number is public and enough to match the registry."""
    from peercert.certification.models import CertificationSpecialization

    rows = (
        certifications_as_of(on_date, county_ids=county_ids)
        .values_list(
            "id",
            "number",
            "report_status",
            "issued_on",
            "expires_on",
            "county__code",
            "application__pathway",
            "person__preferred_language",
        )
        .order_by("number")
    )
    specializations: dict[int, list[str]] = {}
    pairs = (
        CertificationSpecialization.objects.filter(
            certification__in=certifications_as_of(on_date, county_ids=county_ids).values("id"), added_on__lte=on_date
        )
        .values_list("certification_id", "specialization")
        .order_by("certification_id", "specialization")
    )
    for certification_id, specialization in pairs:
        specializations.setdefault(certification_id, []).append(specialization)
    return rows, specializations
