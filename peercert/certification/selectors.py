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


# --- for oversight dashboards ---
# Aggregates only: counts in one query each, never a row of a person.


def certified_peer_counts(by: str) -> dict:
    """Peers holding an active certification, counted in SQL by "county" (county id of employment, None
    when not known), "language" (the holder's preferred language) or "specialization" (a peer with
    several counts once in each). One query."""
    from django.db.models import Count

    field = {
        "county": "county_id",
        "language": "person__preferred_language",
        "specialization": "specializations__specialization",
    }[by]
    rows = (
        Certification.objects.filter(status=CertificationStatus.ACTIVE)
        .order_by()
        .values(field)
        .annotate(n=Count("person_id", distinct=True))
        .values_list(field, "n")
    )
    return {key: n for key, n in rows if not (by == "specialization" and key is None)}


def certifications_issued_by_month(start: datetime.date, end: datetime.date, *, county_id: int | None = None) -> dict:
    """{first day of month: certifications issued that month} for issue dates from start to end. One query."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    rows = Certification.objects.filter(issued_on__gte=start, issued_on__lte=end)
    if county_id is not None:
        rows = rows.filter(county_id=county_id)
    rows = rows.order_by().annotate(month=TruncMonth("issued_on")).values("month").annotate(n=Count("id"))
    return {month: n for month, n in rows.values_list("month", "n")}


def certification_status_counts(*, county_id: int | None = None) -> dict[str, int]:
    """{status: certifications} (optionally of one county of employment). One query."""
    from django.db.models import Count

    rows = Certification.objects.all()
    if county_id is not None:
        rows = rows.filter(county_id=county_id)
    return dict(rows.order_by().values("status").annotate(n=Count("id")).values_list("status", "n"))


def application_timeliness(start: datetime.date, end: datetime.date, *, target_days: int) -> dict[str, int]:
    """Applications decided from start to end, and how many within target_days of first submission;
    applications waiting for review now, and how many have waited longer than target_days. One query."""
    from django.db.models import Count, F

    target = datetime.timedelta(days=target_days)
    now = timezone.now()
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    decided = Q(decided_at__gte=since, decided_at__lt=until, first_submitted_at__isnull=False)
    waiting = Q(status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW), decided_at__isnull=True)
    return Application.objects.aggregate(
        decided=Count("id", filter=decided),
        decided_on_time=Count("id", filter=decided & Q(decided_at__lte=F("first_submitted_at") + target)),
        waiting=Count("id", filter=waiting),
        waiting_over_target=Count("id", filter=waiting & Q(first_submitted_at__lt=now - target)),
    )


# --- for integrity reviews ---
def applications_for_review(*, program_id: int, start: datetime.date, end: datetime.date) -> QuerySet[Application]:
    """A program's applications first submitted in a period (the population a DHCS review samples).

    No actor: integrity scopes the review; this only says which records the period holds. The period's
    days are Pacific days, as the program reads them."""
    tz = timezone.get_current_timezone()
    after = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz)
    before = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), tz)
    return Application.objects.filter(
        program_id=program_id, first_submitted_at__gte=after, first_submitted_at__lt=before
    )


def certifications_for_review(*, program_id: int, start: datetime.date, end: datetime.date) -> QuerySet[Certification]:
    """A program's certifications issued in a period (for a DHCS review's sample)."""
    return Certification.objects.filter(program_id=program_id, issued_on__gte=start, issued_on__lte=end)
