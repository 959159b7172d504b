"""Reads of applications and certifications, scoped to what the asker may see."""

import datetime
import re

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_noop

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
    TrainingCertificate,
    TrainingCertificateStatus,
)
from peercert.certification.permissions import REVIEW_ROLES, can_download_certificate
from peercert.core import clock
from peercert.core.duties import exclude_own_matters
from peercert.core.models import AuditEvent
from peercert.core.rules import appeal_deadline, rules_on
from peercert.core.text import fold

# ---- The contract other apps use --------------------------------------------------------

# A certification number as people type it: an optional letter prefix, spaces, hyphens or dots, the digits.
NUMBER_SHAPE = re.compile(r"([A-Z]{2,5})?[\s._-]*(\d{1,12})")
NUMBER_DIGITS = 6


def certification_number_candidates(typed: str) -> list[str]:
    """The numbers a person may mean by what they typed, most likely first: `193`, `pss000193`,
    `PSS 193` and `pss-000193` all mean PSS-000193 (prefix PSS by default, digits padded to six).
    The text as typed (upper-cased) is kept too: a number from another program keeps its own shape."""
    raw = " ".join((typed or "").upper().split())[:60]
    if not raw:
        return []
    found = []
    shape = NUMBER_SHAPE.fullmatch(raw)
    if shape:
        prefix, digits = shape.group(1) or "PSS", shape.group(2)
        found += [f"{prefix}-{digits.lstrip('0').zfill(NUMBER_DIGITS)}", f"{prefix}-{digits}"]
    found.append(raw)
    return list(dict.fromkeys(found))


def certification_by_number(number: str) -> Certification | None:
    """The certification with this number (as people type it), or one that carried it before (a transfer)."""
    number = (number or "").strip().upper()
    if not number:
        return None
    found = Certification.objects.select_related("person", "program").filter(number=number).first()
    if found is None:
        candidates = certification_number_candidates(number)
        by_number = {
            c.number: c for c in Certification.objects.select_related("person", "program").filter(number__in=candidates)
        }
        found = next((by_number[n] for n in candidates if n in by_number), None)
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


# What a reviewer types to find an application: APP-000123, app123, 123 (a reference), or a certification number.
REFERENCE_SHAPE = re.compile(r"(?:APP)?[\s._-]*0*(\d{1,12})")
MAX_QUERY = 100


def _application_search_q(query: str, *, prefix: str = "") -> Q:
    """Applications whose applicant's name contains the words typed, whose reference is the number typed,
    or whose applicant holds (or held) the certification number typed (PSS-000193, pss 193, 193)."""
    raw = " ".join((query or "").split())[:MAX_QUERY]
    if not raw:
        return Q()
    folded = fold(raw)
    q = Q(**{f"{prefix}person__search_name__contains": folded})
    for word in folded.split()[:5]:
        q |= Q(**{f"{prefix}legal_last_name__iexact": word})
    reference = REFERENCE_SHAPE.fullmatch(raw.upper())
    if reference:
        q |= Q(**{f"{prefix}pk": int(reference.group(1))})
    numbers = certification_number_candidates(raw)
    if numbers:
        held = Certification.objects.filter(person=OuterRef(f"{prefix}person"), number__in=numbers)
        q |= Q(Exists(held))
    return q


def review_queue(
    *,
    actor,
    query: str = "",
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
    if query:
        qs = qs.filter(_application_search_q(query))
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


# ---- The training certificate after approval --------------------------------------------


def training_certificates_of(application) -> list[TrainingCertificate]:
    """Every training certificate sent on the application, newest first (rejected ones stay on record)."""
    return list(application.training_certificates.select_related("document", "decided_by").order_by("-id"))


def certificate_clock(certificate: TrainingCertificate, today: datetime.date | None = None) -> dict:
    """The review clock of one training certificate: due date, days left, overdue (like the application's)."""
    today = today or clock.today()
    target = rules_on(timezone.localdate(certificate.submitted_at)).training_certificate_review_target_days
    waiting = certificate.status == TrainingCertificateStatus.SUBMITTED
    days = (today - timezone.localdate(certificate.submitted_at)).days
    return {
        "due_on": certificate.due_on,
        "days": days,
        "target": target,
        "left": max((certificate.due_on - today).days, 0),
        "overdue": waiting and today > certificate.due_on,
        "running": waiting,
    }


def training_certificate_queue(*, actor, query: str = "") -> QuerySet[TrainingCertificate]:
    """Training certificates waiting for review in the programs the actor reviews, the oldest due first,
    less the actor's own."""
    qs = TrainingCertificate.objects.filter(
        application__program_id__in=program_ids(actor, *REVIEW_ROLES), status=TrainingCertificateStatus.SUBMITTED
    ).select_related("application__person", "application__program", "document")
    qs = exclude_own_matters(qs, actor, "application__person")
    if query:
        qs = qs.filter(_application_search_q(query, prefix="application__"))
    return qs.order_by("due_on", "id")


def annotate_certificate_rows(certificates) -> list[dict]:
    today = clock.today()
    return [{"certificate": c, "clock": certificate_clock(c, today)} for c in certificates]


def access_reviewable_certificate(actor, certificate_id: int) -> TrainingCertificate:
    try:
        return TrainingCertificate.objects.select_related(
            "application__person", "application__program", "document", "decided_by"
        ).get(pk=certificate_id, application__program_id__in=program_ids(actor, *REVIEW_ROLES))
    except (TrainingCertificate.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def roster_completion(person) -> dict | None:
    """The core-training completion a training entity reported on its roster, if any (no upload needed)."""
    from peercert.training.selectors import completions_for_person, core_training_completed_on

    day = core_training_completed_on(person)
    if day is None:
        return None
    completion = completions_for_person(person).filter(completed_on=day).first()
    return {
        "completed_on": day,
        "provider": completion.offering.training_entity.name if completion else "",
        "completion_id": completion.pk if completion else None,
    }


# ---- The one next thing to do -----------------------------------------------------------


def application_next_step(application, *, today: datetime.date | None = None) -> dict:
    """What the applicant does next on this application, in one sentence and one button.

    {"key", "text", "label", "url"}: url and label are empty only when the next move is the
    program's (the reviewer), and then text says what happens and when.
    """
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from peercert.certification import requirements, steps

    today = today or clock.today()
    status = application.status

    def step(key, text, label="", url=""):
        return {"key": key, "text": text, "label": label, "url": url}

    if status in (ApplicationStatus.DRAFT, ApplicationStatus.REVISION_REQUESTED):
        missing = steps.steps_missing(application)
        if status == ApplicationStatus.REVISION_REQUESTED and items_to_fix(application):
            first = steps.steps_for(application.pathway)[0]
            return step(
                "fix",
                _("Fix what the reviewer asked for, then send the application again."),
                _("Make the changes"),
                first.url(application),
            )
        if missing:
            return step(
                "continue",
                _("Finish the step “%(step)s”.") % {"step": missing[0].label},
                _("Continue your application"),
                missing[0].url(application),
            )
        return step(
            "submit",
            _("Every step is done: review your answers and submit."),
            _("Review and submit"),
            reverse("certification:application_review", args=[application.pk]),
        )
    if status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW):
        fee = fee_status(application)
        if not fee["settled"] and fee["invoice"] is not None:
            return step(
                "pay_application",
                _("Pay the application fee. The review starts once it is paid."),
                _("Pay the application fee"),
                reverse("finance:invoice_pay", args=[fee["invoice"].pk]),
            )
        target = rules_on().application_review_target_days
        return step(
            "wait_review",
            _(
                "Nothing to do now: a reviewer checks your application, usually within %(n)s days. "
                "We will write to you when it is decided or if something is needed."
            )
            % {"n": target},
            _("Go to your home page"),
            reverse("web:home"),
        )
    if status == ApplicationStatus.APPROVED:
        if application.certifications.exists():
            return step(
                "certified", _("You are certified."), _("See your certification"), reverse("certification:mine")
            )
        if (
            requirements.pathway_needs_training(application.pathway)
            and requirements.training_completed_on(application.person) is None
        ):
            waiting = application.training_certificates.filter(status=TrainingCertificateStatus.SUBMITTED).first()
            if waiting is not None:
                return step(
                    "wait_training",
                    _("Nothing to do now: a reviewer checks your training certificate by %(date)s.")
                    % {"date": _local_date(waiting.due_on)},
                )
            return step(
                "upload_training",
                _("Upload your 80-hour core training certificate."),
                _("Upload your training certificate"),
                reverse("certification:application_status", args=[application.pk]) + "#training-certificate",
            )
        if (
            requirements.pathway_needs_exam(application.pathway)
            and requirements.exam_passed_on(application.person) is None
        ):
            invoice = fees.exam_invoice(application)
            if invoice is not None and not fees.exam_fee_settled(application):
                return step(
                    "pay_exam",
                    _("Pay the exam fee. Then you can schedule your exam."),
                    _("Pay the exam fee"),
                    reverse("finance:invoice_pay", args=[invoice.pk]),
                )
            return step(
                "schedule_exam",
                _("Schedule your certification exam before %(date)s.") % {"date": _local_date(application.valid_until)},
                _("Schedule your exam"),
                reverse("exams:my_exam"),
            )
        return step(
            "wait_issue",
            _("Nothing to do now: the program issues your certification. We will write to you."),
        )
    if (
        status == ApplicationStatus.DENIED
        and (appeal_deadline(application, ApplicationStatus.DENIED) or today) >= today
    ):
        return step(
            "appeal",
            _("You may appeal this decision."),
            _("Appeal this decision"),
            reverse("discipline:appeal_new") + f"?denial=application-{application.pk}",
        )
    # Withdrawn or expired: the only way on is a new application.
    return step(
        "start_again",
        _("This application is closed. You may start a new one."),
        _("Start a new application"),
        reverse("certification:start"),
    )


def _local_date(day) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT") if day else ""


# ---- For the registry's verification page ------------------------------------------------

PUBLIC_STATUS_SUMMARIES = {
    CertificationStatus.SUSPENDED: gettext_noop("The certifying program suspended this certification."),
    CertificationStatus.REVOKED: gettext_noop("The certifying program revoked this certification."),
}


def public_status_action(certification_number: str) -> dict | None:
    """A suspension or revocation as a public action {"action", "effective_on", "summary"}, from the
    certification's own status history: for a status set by the program without a disciplinary case
    (the discipline app's public actions carry their own summary). None for any other status."""
    from django.utils.translation import gettext

    cert = Certification.objects.filter(number=certification_number).first()
    if cert is None or cert.status not in PUBLIC_STATUS_SUMMARIES:
        return None
    change = (
        CertificationStatusChange.objects.filter(certification=cert, to_status=cert.status)
        .order_by("-effective_on", "-id")
        .first()
    )
    return {
        "action": str(cert.get_status_display()),
        "effective_on": change.effective_on if change else cert.status_changed_on,
        "summary": gettext(PUBLIC_STATUS_SUMMARIES[cert.status]),
    }


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
