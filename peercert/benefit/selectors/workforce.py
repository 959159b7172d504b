"""Reads of providers, employments, supervision and the statewide workforce, scoped to the actor.

A county user reads only their own county's records (another county's record by id is a 404); DHCS
and auditors read every county.
"""

import datetime

from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from peercert.accounts.models import County, Person
from peercert.benefit.models import (
    OPEN_EMPLOYMENT_STATUSES,
    AssignmentStatus,
    DirectingProfessional,
    Employment,
    EmploymentStatus,
    Provider,
    SupervisionCeiling,
    SupervisionPolicy,
    SupervisorAssignment,
)
from peercert.benefit.permissions import readable_county_ids, writable_county_ids
from peercert.certification import selectors as certification_selectors
from peercert.core import clock
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.rules import rules_on
from peercert.core.text import fold
from peercert.training import selectors as training_selectors

__all__ = [
    "access_assignment",
    "access_employment",
    "access_provider",
    "ceiling_in_force",
    "ceiling_list",
    "current_direction",
    "employment_certification_status",
    "employment_history",
    "employment_list",
    "employees_to_verify",
    "find_peer",
    "find_supervisor",
    "overdue_training_assignments",
    "policy_list",
    "provider_list",
    "public_hires",
    "public_providers",
    "readable_counties",
    "supervision_limit_on",
    "supervision_rows",
    "trained_supervisor_on",
    "workforce_by_county",
    "writable_counties",
    "writable_providers",
    # --- gate (billing) ---
    "directing_professional_exists",
    "trained_supervisor_exists",
]


def _int_or_none(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _scope(qs: QuerySet, actor, field: str = "county_id") -> QuerySet:
    ids = readable_county_ids(actor)
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids})


def readable_counties(actor) -> QuerySet[County]:
    return _scope(County.objects.order_by("name"), actor, "id")


def writable_counties(actor) -> QuerySet[County]:
    return County.objects.filter(id__in=writable_county_ids(actor)).order_by("name")


# ---- Providers -------------------------------------------------------------------------------


def provider_list(actor, *, county_id=None, query: str = "") -> QuerySet[Provider]:
    qs = _scope(Provider.objects.select_related("county"), actor)
    county_id = _int_or_none(county_id)
    if county_id:
        qs = qs.filter(county_id=county_id)
    query = (query or "").strip()[:100]
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(npi=query) | Q(city__icontains=query))
    return qs.annotate(
        open_employments=Count("employments", filter=Q(employments__status__in=OPEN_EMPLOYMENT_STATUSES))
    ).order_by("county__name", "name", "id")


def access_provider(actor, provider_id) -> Provider:
    """The provider if the actor may read its county; 404 otherwise (another county's looks absent)."""
    pk = _int_or_none(provider_id)
    if pk is None:
        raise Http404
    try:
        return _scope(Provider.objects.select_related("county"), actor).get(pk=pk)
    except Provider.DoesNotExist:
        raise Http404 from None


def writable_providers(actor, day: datetime.date | None = None) -> QuerySet[Provider]:
    """Providers the actor may record employments at: their counties', still active."""
    day = day or clock.today()
    return (
        Provider.objects.filter(county_id__in=writable_county_ids(actor))
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=day))
        .select_related("county")
        .order_by("county__name", "name")
    )


# ---- Employments -----------------------------------------------------------------------------


def employment_list(actor, *, status: str = "", provider_id=None, query: str = "", county_id=None):
    qs = _scope(Employment.objects.select_related("person", "provider", "county"), actor)
    if status in EmploymentStatus.values:
        qs = qs.filter(status=status)
    elif status == "open":
        qs = qs.filter(status__in=OPEN_EMPLOYMENT_STATUSES)
    provider_id = _int_or_none(provider_id)
    if provider_id:
        qs = qs.filter(provider_id=provider_id)
    county_id = _int_or_none(county_id)
    if county_id:
        qs = qs.filter(county_id=county_id)
    query = (query or "").strip()[:100]
    if query:
        found = certification_selectors.certification_by_number(query)
        by_name = Q(person__search_name__contains=fold(query))
        qs = qs.filter(by_name | Q(person_id=found.person_id)) if found else qs.filter(by_name)
    return qs.order_by("county__name", "person__legal_last_name", "person__legal_first_name", "-start_on", "-id")


def access_employment(actor, employment_id) -> Employment:
    pk = _int_or_none(employment_id)
    if pk is None:
        raise Http404
    try:
        return _scope(
            Employment.objects.select_related("person", "provider", "county", "hired_by", "recorded_by"), actor
        ).get(pk=pk)
    except Employment.DoesNotExist:
        raise Http404 from None


def access_assignment(actor, assignment_id) -> SupervisorAssignment:
    pk = _int_or_none(assignment_id)
    if pk is None:
        raise Http404
    try:
        return _scope(
            SupervisorAssignment.objects.select_related("supervisor", "employment__person", "county"), actor
        ).get(pk=pk)
    except SupervisorAssignment.DoesNotExist:
        raise Http404 from None


def employment_certification_status(employment: Employment) -> dict:
    """The peer's certification as it stands now, read from certification (never a copy)."""
    cert = certification_selectors.current_certification(employment.person)
    if cert is None:
        return {"certification": None, "status": "", "label": "", "since": None}
    since = None
    history = certification_selectors.status_history(cert).order_by("-effective_on", "-id").first()
    if history is not None:
        since = history.effective_on
    return {"certification": cert, "status": cert.status, "label": cert.get_status_display(), "since": since}


def current_direction(employment: Employment) -> DirectingProfessional | None:
    return employment.directing_professionals.filter(end_on__isnull=True).order_by("-start_on", "-id").first()


def employment_history(employment: Employment) -> QuerySet[AuditEvent]:
    """The audit events of the employment, its assignments and its directing professionals."""
    assignment_ids = [str(pk) for pk in employment.supervisor_assignments.values_list("pk", flat=True)]
    direction_ids = [str(pk) for pk in employment.directing_professionals.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(object_type="benefit.employment", object_id=str(employment.pk))
        | Q(object_type="benefit.supervisorassignment", object_id__in=assignment_ids)
        | Q(object_type="benefit.directingprofessional", object_id__in=direction_ids)
    ).order_by("at", "id")


# ---- Finding people --------------------------------------------------------------------------


def _by_name_and_birth(legal_name: str, date_of_birth: datetime.date) -> list[Person]:
    wanted = fold(legal_name)
    candidates = Person.objects.filter(date_of_birth=date_of_birth).order_by("pk")
    return [p for p in candidates if wanted in (fold(f"{p.legal_first_name} {p.legal_last_name}"), fold(p.full_name))]


def find_peer(*, number: str = "", legal_name: str = "", date_of_birth: datetime.date | None = None) -> Person:
    """The certified person an employment is for: by certification number, or legal name and birth date.

    Refuses with a message saying what to try when no one, or more than one person, matches.
    """
    number = (number or "").strip()
    if number:
        cert = certification_selectors.certification_by_number(number)
        if cert is None:
            raise ApplicationError(
                "No certification has the number %(number)s. Check it on the registry, or search by legal name and date of birth.",
                params={"number": number},
                field="certification_number",
            )
        return cert.person
    if not (legal_name or "").strip() or date_of_birth is None:
        raise ApplicationError(
            "Enter the peer's certification number, or their legal name and date of birth.",
            field="certification_number",
        )
    people = [
        p
        for p in _by_name_and_birth(legal_name, date_of_birth)
        if certification_selectors.certifications_of(p).exists()
    ]
    if not people:
        raise ApplicationError(
            "No one with a certification matches %(name)s born %(born)s. Check the spelling of the legal name, or use the certification number.",
            params={"name": legal_name.strip(), "born": date_of_birth},
            field="legal_name",
        )
    if len(people) > 1:
        raise ApplicationError(
            "Several certified people match %(name)s born %(born)s. Use the certification number instead.",
            params={"name": legal_name.strip(), "born": date_of_birth},
            field="certification_number",
        )
    return people[0]


def find_supervisor(
    *, number: str = "", legal_name: str = "", date_of_birth: datetime.date | None = None, email: str = ""
) -> Person:
    """A supervisor: by certification number, legal name and birth date, or the email on a person's record.

    Supervisors are often licensed clinicians with no peer certification, so anyone on record may
    be found by email or name and birth date.
    """
    number = (number or "").strip()
    email = (email or "").strip()
    if number:
        return find_peer(number=number)
    if email:
        people = list(Person.objects.filter(email__iexact=email).order_by("pk")[:2])
        if not people:
            people = list(Person.objects.filter(user__email__iexact=email).order_by("pk")[:2])
        if not people:
            raise ApplicationError(
                "No one on record has the email %(email)s. Check it, or search by legal name and date of birth.",
                params={"email": email},
                field="email",
            )
        if len(people) > 1:
            raise ApplicationError(
                "Several people have the email %(email)s. Search by legal name and date of birth instead.",
                params={"email": email},
                field="email",
            )
        return people[0]
    if not (legal_name or "").strip() or date_of_birth is None:
        raise ApplicationError(
            "Enter the supervisor's certification number, email, or legal name and date of birth.",
            field="email",
        )
    people = _by_name_and_birth(legal_name, date_of_birth)
    if not people:
        raise ApplicationError(
            "No one on record matches %(name)s born %(born)s. Check the spelling, or use their email.",
            params={"name": legal_name.strip(), "born": date_of_birth},
            field="legal_name",
        )
    if len(people) > 1:
        raise ApplicationError(
            "Several people match %(name)s born %(born)s. Use their email or certification number instead.",
            params={"name": legal_name.strip(), "born": date_of_birth},
            field="email",
        )
    return people[0]


# ---- Supervision -----------------------------------------------------------------------------


def ceiling_in_force(day: datetime.date) -> SupervisionCeiling | None:
    """DHCS's statewide ceiling in force on a day; None means no statewide cap is recorded."""
    return SupervisionCeiling.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


def ceiling_list() -> QuerySet[SupervisionCeiling]:
    return SupervisionCeiling.objects.select_related("set_by").order_by("-effective_from")


def policy_list(county) -> QuerySet[SupervisionPolicy]:
    return SupervisionPolicy.objects.filter(county=county).select_related("set_by").order_by("-effective_from")


def supervision_limit_on(county, day: datetime.date) -> int:
    """The most peers one supervisor may have in the county on a day.

    The county's latest policy in force (effective_from <= day), else the program rule
    supervision_max_peers_default; never above DHCS's ceiling in force that day, should DHCS lower
    it after the county set its policy.
    """
    county_id = getattr(county, "pk", county)
    policy = (
        SupervisionPolicy.objects.filter(county_id=county_id, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )
    limit = policy.max_peers_per_supervisor if policy else rules_on(day).supervision_max_peers_default
    ceiling = ceiling_in_force(day)
    if ceiling is not None:
        limit = min(limit, ceiling.max_peers_per_supervisor)
    return limit


def supervision_rows(actor, county) -> list[dict]:
    """Each supervisor in the county with their peers count, the limit, trained or not, overdue or not.

    Counts every active assignment the supervisor holds (in any county), since the ratio is about
    one person's time; trained is read in one query for all of them.
    """
    if county is None or not _scope(County.objects.filter(pk=county.pk), actor, "id").exists():
        return []
    today = clock.today()
    limit = supervision_limit_on(county, today)
    here = (
        SupervisorAssignment.objects.filter(county=county, status=AssignmentStatus.ACTIVE)
        .values("supervisor_id")
        .annotate(peers_here=Count("id"))
    )
    counts = {row["supervisor_id"]: row["peers_here"] for row in here}
    if not counts:
        return []
    totals = dict(
        SupervisorAssignment.objects.filter(supervisor_id__in=counts, status=AssignmentStatus.ACTIVE)
        .values("supervisor_id")
        .annotate(n=Count("id"))
        .values_list("supervisor_id", "n")
    )
    earliest_due = dict(
        SupervisorAssignment.objects.filter(county=county, status=AssignmentStatus.ACTIVE)
        .values("supervisor_id")
        .annotate(due=Min("training_due_on"))
        .values_list("supervisor_id", "due")
    )
    trained = training_selectors.supervisor_trained_person_ids(counts.keys(), today)
    people = Person.objects.in_bulk(list(counts))
    rows = []
    for person_id, peers_here in counts.items():
        is_trained = person_id in trained
        due = earliest_due.get(person_id)
        rows.append(
            {
                "supervisor": people[person_id],
                "peers_here": peers_here,
                "peers": totals.get(person_id, peers_here),
                "limit": limit,
                "at_limit": totals.get(person_id, peers_here) >= limit,
                "trained": is_trained,
                "training_due_on": due,
                "training_overdue": (not is_trained) and due is not None and due < today,
            }
        )
    rows.sort(key=lambda r: (r["supervisor"].legal_last_name, r["supervisor"].legal_first_name, r["supervisor"].pk))
    return rows


def overdue_training_assignments(county_ids) -> QuerySet[SupervisorAssignment]:
    """Active assignments past their training window whose supervisor is still untrained (set-based)."""
    today = clock.today()
    late = SupervisorAssignment.objects.filter(
        county_id__in=list(county_ids), status=AssignmentStatus.ACTIVE, training_due_on__lt=today
    )
    supervisor_ids = set(late.values_list("supervisor_id", flat=True))
    trained = training_selectors.supervisor_trained_person_ids(supervisor_ids, today) if supervisor_ids else set()
    return (
        late.exclude(supervisor_id__in=trained)
        .select_related("supervisor", "employment__person")
        .order_by("training_due_on", "id")
    )


def trained_supervisor_on(employment: Employment, day: datetime.date) -> bool:
    """Whether the employment had a trained supervisor on a day (what billing asks of a service date).

    True when an assignment covers the day and either the day is still within its training window or
    its supervisor had finished supervisor training on or before the day.
    """
    covering = list(
        SupervisorAssignment.objects.filter(employment=employment, start_on__lte=day)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=day))
        .values_list("supervisor_id", "training_due_on")
    )
    if not covering:
        return False
    if any(day <= due for _sid, due in covering):
        return True
    return bool(training_selectors.supervisor_trained_person_ids({sid for sid, _due in covering}, day))


# ---- The statewide view ----------------------------------------------------------------------


def workforce_by_county(actor) -> list[dict]:
    """Employment counts by county in one aggregate query (plus one set-based read of who is trained).

    Open, hired, recorded not hired, ended this year; distinct active supervisors; assignments past
    their training window with an untrained supervisor.
    """
    if readable_county_ids(actor) is not None:
        return []
    today = clock.today()
    active = SupervisorAssignment.objects.filter(status=AssignmentStatus.ACTIVE)
    late_supervisors = set(active.filter(training_due_on__lt=today).values_list("supervisor_id", flat=True))
    trained = training_selectors.supervisor_trained_person_ids(late_supervisors, today) if late_supervisors else set()
    supervisors = (
        active.filter(county_id=OuterRef("county_id"))
        .order_by()
        .values("county_id")
        .annotate(n=Count("supervisor_id", distinct=True))
        .values("n")
    )
    overdue = (
        active.filter(county_id=OuterRef("county_id"), training_due_on__lt=today)
        .exclude(supervisor_id__in=trained)
        .order_by()
        .values("county_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = (
        Employment.objects.order_by()
        .values("county_id", "county__name")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN_EMPLOYMENT_STATUSES)),
            hired=Count("id", filter=Q(status=EmploymentStatus.HIRED)),
            recorded=Count("id", filter=Q(status=EmploymentStatus.RECORDED)),
            ended_this_year=Count("id", filter=Q(status=EmploymentStatus.ENDED, end_on__year=today.year)),
            supervisors=Coalesce(Subquery(supervisors, output_field=IntegerField()), Value(0)),
            overdue_training=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
        )
        .order_by("county__name")
    )
    return list(rows)


# ---- The public directory (registry's FHIR PractitionerRole) ----------------------------------

# The only columns the public directory reads: an FTE, an end reason, a note, an individual NPI,
# a street address or who recorded the hire are never even loaded.
PUBLIC_PROVIDER_COLUMNS = ("name", "npi", "kind", "city", "active_from", "active_to", "updated_at", "county_id")
PUBLIC_HIRE_COLUMNS = (
    "status",
    "hired_on",
    "end_on",
    "updated_at",
    "person_id",
    "provider_id",
    "county_id",
    "smhs",
    "dmc",
    "dmc_ods",
    *(f"provider__{c}" for c in PUBLIC_PROVIDER_COLUMNS),
    "county__name",
    "county__fips",
)


def public_hires() -> QuerySet[Employment]:
    """Every hire, open or ended, with the number of the peer's current certification (set-based).

    A hire is an employment that is hired, or ended after a hire (hired_on set): a recorded
    employment, or an offer withdrawn before the hire, is no one's public business. Each row carries
    certification_number, the number of the peer's current certification (their latest, as
    certification.selectors.current_certification reads it), and rows whose peer holds none are
    left out. Provider and county are selected, and only public columns are loaded
    (PUBLIC_HIRE_COLUMNS): one statement whatever the page.
    """
    return (
        Employment.objects.filter(
            Q(status=EmploymentStatus.HIRED) | Q(status=EmploymentStatus.ENDED, hired_on__isnull=False)
        )
        .annotate(
            certification_number=certification_selectors.latest_certification_subquery(OuterRef("person_id"), "number")
        )
        .filter(certification_number__isnull=False)
        .select_related("provider", "county")
        .only(*PUBLIC_HIRE_COLUMNS)
        .order_by("id")
    )


def public_providers() -> QuerySet[Provider]:
    """Every provider, with its county, public columns only (no street address: see the registry's FHIR
    Organization for why), in id order."""
    return (
        Provider.objects.select_related("county")
        .only(*PUBLIC_PROVIDER_COLUMNS, "county__name", "county__fips")
        .order_by("id")
    )


def employees_to_verify(actor, limit: int = 5000) -> list[tuple[str, str]]:
    """(certification number, legal name) of each person with an open employment in the county user's own
    counties, for the registry's bulk verification of "all our employees" in one step. One statement."""
    from django.db.models import OuterRef

    from peercert.accounts.permissions import county_ids
    from peercert.benefit.permissions import COUNTY_READER_ROLES
    from peercert.certification.selectors import latest_certification_subquery

    ids = county_ids(actor, *COUNTY_READER_ROLES)
    if not ids:
        return []
    rows = (
        Employment.objects.filter(county_id__in=ids, status__in=OPEN_EMPLOYMENT_STATUSES)
        .annotate(number=latest_certification_subquery(OuterRef("person_id"), "number"))
        .exclude(number__isnull=True)
        .values_list("number", "person__legal_first_name", "person__legal_last_name")
        .order_by("number")
        .distinct()[:limit]
    )
    return [(number, f"{first} {last}") for number, first, last in rows]


# --- gate (billing's set-based forms) ---


def _outer(ref, depth: int = 1):
    """An outer query's field name as an OuterRef `depth` levels out; an expression as given."""
    if isinstance(ref, str):
        for _ in range(depth):
            ref = OuterRef(ref)
    elif depth > 1 and isinstance(ref, OuterRef):
        ref = OuterRef(ref)
    return ref


def trained_supervisor_exists(*, employment="employment_id", day="service_date"):
    """trained_supervisor_on for every row of a queryset at once, as an Exists to filter with.

    employment and day name the outer query's fields: true when an assignment of the employment
    covers the day and the day is within its training window or its supervisor finished supervisor
    training on or before the day."""
    from django.db.models import Exists

    trained = training_selectors.supervisor_trained_exists(OuterRef("supervisor_id"), _outer(day, 2))
    return Exists(
        SupervisorAssignment.objects.filter(employment_id=_outer(employment), start_on__lte=_outer(day))
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=_outer(day)))
        .filter(Q(training_due_on__gte=_outer(day)) | trained)
    )


def directing_professional_exists(*, employment="employment_id", day="service_date"):
    """Whether a directing professional covered the employment on the day, for every row at once."""
    from django.db.models import Exists

    return Exists(
        DirectingProfessional.objects.filter(employment_id=_outer(employment), start_on__lte=_outer(day)).filter(
            Q(end_on__isnull=True) | Q(end_on__gte=_outer(day))
        )
    )


# --- for oversight dashboards ---
__all__ += ["employment_counts_by_county"]  # noqa: PLE0605


def employment_counts_by_county() -> dict[int, dict[str, int]]:
    """Per county, in one aggregate query: peers employed now (open employments, hired or not) and
    those formally hired. No actor: the figures are counts, read by oversight's dashboards, which
    scope them."""
    rows = (
        Employment.objects.order_by()
        .values("county_id")
        .annotate(
            employed=Count("person_id", filter=Q(status__in=OPEN_EMPLOYMENT_STATUSES), distinct=True),
            hired=Count("person_id", filter=Q(status=EmploymentStatus.HIRED), distinct=True),
        )
    )
    return {row.pop("county_id"): row for row in rows}


# --- for integrity reviews ---
def employments_for_review(*, county_id: int, start: datetime.date, end: datetime.date) -> QuerySet[Employment]:
    """A county's employments that ran at some time in a period (the population a DHCS review samples).

    No actor: integrity scopes the review; this only says which records the period holds."""
    return Employment.objects.filter(county_id=county_id, start_on__lte=end).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=start)
    )


def supervision_for_review(
    *, county_id: int, start: datetime.date, end: datetime.date
) -> QuerySet[SupervisorAssignment]:
    """A county's supervision assignments in force at some time in a period (for a DHCS review's sample)."""
    return SupervisorAssignment.objects.filter(county_id=county_id, start_on__lte=end).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=start)
    )


__all__ += ["employments_for_review", "supervision_for_review"]

# --- for oversight reports ---
__all__ += ["employment_counts_for_report"]  # noqa: PLE0605


def employment_counts_for_report(*, start: datetime.date, end: datetime.date, county_ids=None) -> list[dict]:
    """The peer workforce of a period, by county: peers employed (formally hired on or before the last day,
    not ended before the first), peers hired in the period, and supervisors assigned during it (each person
    once per county). Rows {county_id, employed_peers, hired_peers, supervisors}, sorted by county."""
    employments = Employment.objects.filter(hired_on__isnull=False)
    assignments = SupervisorAssignment.objects.filter(start_on__lte=end).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=start)
    )
    if county_ids is not None:
        employments = employments.filter(county_id__in=list(county_ids))
        assignments = assignments.filter(county_id__in=list(county_ids))
    employed_filter = Q(hired_on__lte=end) & (Q(end_on__isnull=True) | Q(end_on__gte=start))
    merged: dict = {}
    for row in (
        employments.values("county_id")
        .annotate(
            employed_peers=Count("person_id", distinct=True, filter=employed_filter),
            hired_peers=Count("person_id", distinct=True, filter=Q(hired_on__gte=start, hired_on__lte=end)),
        )
        .order_by("county_id")
    ):
        merged[row["county_id"]] = {
            "employed_peers": row["employed_peers"],
            "hired_peers": row["hired_peers"],
            "supervisors": 0,
        }
    for row in assignments.values("county_id").annotate(n=Count("supervisor_id", distinct=True)).order_by("county_id"):
        merged.setdefault(row["county_id"], {"employed_peers": 0, "hired_peers": 0, "supervisors": 0})[
            "supervisors"
        ] = row["n"]
    return [{"county_id": county_id, **values} for county_id, values in sorted(merged.items())]
