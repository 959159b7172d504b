"""Reads of training records, scoped to the viewer; and the selectors other apps call."""

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from peercert.accounts.models import TrainingEntity
from peercert.accounts.permissions import county_ids, training_entity_ids
from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.duties import exclude_own_matters
from peercert.core.rules import rules_on
from peercert.core.vocabulary import CECategory
from peercert.training import permissions as perms
from peercert.training.models import (
    AccommodationRequest,
    AccommodationStatus,
    CEActivity,
    CEActivityStatus,
    Competency,
    Completion,
    Curriculum,
    CurriculumKind,
    CurriculumVersion,
    Enrollment,
    EnrollmentStatus,
    Offering,
    OfferingStatus,
    ProviderApplication,
    ProviderStatus,
    VersionStatus,
)

# Completions of these kinds count as continuing education (the supervisor course counts too).
CE_KINDS = (CurriculumKind.CONTINUING_EDUCATION, CurriculumKind.SUPERVISOR, CurriculumKind.SPECIALIZATION)
ZERO = Decimal("0")


def _get_or_404(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# =========================================================================================
# Contract selectors (certification, benefit and registry call these)
# =========================================================================================


def core_training_completed_on(person) -> datetime.date | None:
    """The day the person first completed an approved core certification course in full."""
    hours = rules_on().core_training_hours
    row = (
        Completion.objects.filter(
            person=person,
            offering__curriculum_version__curriculum__kind=CurriculumKind.CORE,
            offering__curriculum_version__status__in=[VersionStatus.APPROVED, VersionStatus.SUPERSEDED],
            hours__gte=hours,
        )
        .order_by("completed_on")
        .values_list("completed_on", flat=True)
        .first()
    )
    return row


def ce_hours_between(person, start: datetime.date, end: datetime.date) -> dict:
    """CE hours earned between two days (inclusive): {"total", "general", "law_ethics"} as Decimal.

    Completions of continuing-education, supervisor and specialization courses plus accepted
    self-reported activities. Two aggregate queries, whatever the history's length.
    """
    sums = {}
    for category in CECategory.values:
        sums[category] = Sum("hours", filter=Q(ce_category=category))
    completions = Completion.objects.filter(
        person=person,
        completed_on__range=(start, end),
        offering__curriculum_version__curriculum__kind__in=CE_KINDS,
    ).aggregate(**sums)
    activities = CEActivity.objects.filter(
        person=person,
        completed_on__range=(start, end),
        status=CEActivityStatus.ACCEPTED,
    ).aggregate(**sums)
    out = {c: (completions[c] or ZERO) + (activities[c] or ZERO) for c in CECategory.values}
    out["total"] = sum(out.values(), ZERO)
    return out


def supervisor_trained_on(person, day: datetime.date) -> bool:
    """Whether the person had completed supervisor training on or before that day."""
    return Completion.objects.filter(
        person=person,
        completed_on__lte=day,
        offering__curriculum_version__curriculum__kind=CurriculumKind.SUPERVISOR,
    ).exists()


def supervisor_trained_person_ids(person_ids, day: datetime.date) -> set[int]:
    """The set-based form of supervisor_trained_on, for sweeps over many supervisors."""
    return set(
        Completion.objects.filter(
            person_id__in=list(person_ids),
            completed_on__lte=day,
            offering__curriculum_version__curriculum__kind=CurriculumKind.SUPERVISOR,
        )
        .values_list("person_id", flat=True)
        .distinct()
    )


def finished_supervisor_offerings(day: datetime.date) -> QuerySet[Offering]:
    """Supervisor courses that ended by the day and were not cancelled, latest first."""
    return (
        Offering.objects.filter(curriculum_version__curriculum__kind=CurriculumKind.SUPERVISOR, ends_on__lte=day)
        .exclude(status=OfferingStatus.CANCELLED)
        .select_related("training_entity")
        .order_by("-ends_on", "-id")
    )


def supervisor_training_completions(person) -> QuerySet[Completion]:
    return (
        Completion.objects.filter(
            person=person, offering__curriculum_version__curriculum__kind=CurriculumKind.SUPERVISOR
        )
        .select_related("offering__training_entity")
        .order_by("completed_on")
    )


def specializations_completed(person) -> set[str]:
    """Specializations whose full training (rules.specialization_training_hours) the person completed."""
    hours = rules_on().specialization_training_hours
    return set(
        Completion.objects.filter(
            person=person,
            hours__gte=hours,
            offering__curriculum_version__curriculum__kind=CurriculumKind.SPECIALIZATION,
        )
        .values_list("offering__curriculum_version__curriculum__specialization", flat=True)
        .distinct()
    )


def refresher_completed_between(person, start: datetime.date, end: datetime.date) -> bool:
    """Whether the person completed a refresher course between the two days (inclusive)."""
    return Completion.objects.filter(
        person=person,
        completed_on__range=(start, end),
        offering__curriculum_version__curriculum__is_refresher=True,
    ).exists()


# =========================================================================================
# CE ledger
# =========================================================================================


def ce_ledger(person) -> list[dict]:
    """Every CE line for a person, newest first: course completions and reported activities."""
    rows = []
    for c in Completion.objects.filter(
        person=person, offering__curriculum_version__curriculum__kind__in=CE_KINDS
    ).select_related("offering__training_entity", "offering__curriculum_version__curriculum"):
        rows.append(
            {
                "kind": "completion",
                "date": c.completed_on,
                "title": c.offering.display_title,
                "provider": c.offering.training_entity.name,
                "hours": c.hours,
                "category": c.ce_category,
                "category_label": c.get_ce_category_display(),
                "status": "counted",
                "status_label": "Counted",
                "obj": c,
            }
        )
    for a in CEActivity.objects.filter(person=person):
        rows.append(
            {
                "kind": "activity",
                "date": a.completed_on,
                "title": a.title,
                "provider": a.provider_name,
                "hours": a.hours,
                "category": a.ce_category,
                "category_label": a.get_ce_category_display(),
                "status": a.status,
                "status_label": a.get_status_display(),
                "obj": a,
            }
        )
    rows.sort(key=lambda r: r["date"], reverse=True)
    return rows


def ce_cycles(today: datetime.date | None = None, count: int = 2) -> list[tuple[datetime.date, datetime.date]]:
    """Default cycles when no certification dates are known: the last `count` periods of the
    certification term, ending today. Certification passes real cycle dates to ce_hours_between."""
    today = today or clock.today()
    years = rules_on(today).certification_term_years
    cycles = []
    end = today
    for _ in range(count):
        try:
            start = end.replace(year=end.year - years) + datetime.timedelta(days=1)
        except ValueError:
            start = end.replace(year=end.year - years, day=28) + datetime.timedelta(days=1)
        cycles.append((start, end))
        end = start - datetime.timedelta(days=1)
    return cycles


def ce_cycles_for(person) -> list[tuple[datetime.date, datetime.date]]:
    """The person's certification cycles (from certification, through hooks), else the default periods."""
    from peercert.training import hooks

    return hooks.certification_cycles(person) or ce_cycles()


def ce_totals_by_cycle(person, cycles) -> list[dict]:
    rules = rules_on()
    out = []
    for start, end in cycles:
        totals = ce_hours_between(person, start, end)
        out.append(
            {
                "start": start,
                "end": end,
                **totals,
                "meets": totals["total"] >= rules.ce_hours_required
                and totals[CECategory.LAW_AND_ETHICS] >= rules.ce_law_ethics_hours_required,
            }
        )
    return out


# =========================================================================================
# Provider applications
# =========================================================================================


def provider_application_list(*, actor, status: str = "") -> QuerySet[ProviderApplication]:
    qs = ProviderApplication.objects.select_related("training_entity")
    if not perms.can_read_all_training(actor):
        qs = qs.filter(training_entity_id__in=training_entity_ids(actor))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-pk")


def access_provider_application(actor, application_id) -> ProviderApplication:
    return _get_or_404(provider_application_list(actor=actor), application_id)


def entities_of(actor) -> QuerySet[TrainingEntity]:
    return TrainingEntity.objects.filter(pk__in=training_entity_ids(actor)).order_by("name")


def applications_waiting_for_review(*, actor=None) -> QuerySet[ProviderApplication]:
    """Entity applications to review; not those of an entity the reviewer is staff of."""
    qs = ProviderApplication.objects.filter(status__in=[ProviderStatus.SUBMITTED, ProviderStatus.UNDER_REVIEW])
    if actor is not None:
        qs = qs.exclude(training_entity_id__in=training_entity_ids(actor))
    return qs.select_related("training_entity").order_by("submitted_at")


def _approved_q(day: datetime.date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status": ProviderStatus.APPROVED,
            f"{prefix}approved_from__lte": day,
            f"{prefix}approved_until__gte": day,
        }
    )


def approved_providers(day: datetime.date | None = None) -> list[dict]:
    """Public: each approved entity with what it is approved for and its upcoming courses."""
    day = day or clock.today()
    approvals = ProviderApplication.objects.filter(_approved_q(day)).select_related("training_entity")
    entities: dict[int, dict] = {}
    for a in approvals.order_by("training_entity__name", "training_type", "language"):
        entry = entities.setdefault(
            a.training_entity_id, {"entity": a.training_entity, "approvals": [], "offerings": []}
        )
        entry["approvals"].append(a)
    for o in public_offerings(day).filter(training_entity_id__in=list(entities)):
        entities[o.training_entity_id]["offerings"].append(o)
    return list(entities.values())


# =========================================================================================
# Curricula
# =========================================================================================


def curriculum_list(*, actor, kind: str = "") -> QuerySet[Curriculum]:
    qs = Curriculum.objects.select_related("owner_county", "owner_training_entity").prefetch_related(
        Prefetch("versions", queryset=CurriculumVersion.objects.order_by("-number"))
    )
    if not perms.can_read_all_training(actor):
        visible = Q(pk__in=[])
        if perms.is_training_program_staff(actor):
            visible |= Q(owner_county__isnull=True, owner_training_entity__isnull=True)
        entity_ids = training_entity_ids(actor)
        if entity_ids:
            # Entity staff see their own and every curriculum with an approved version (they may teach those).
            visible |= Q(owner_training_entity_id__in=entity_ids)
            visible |= Q(
                Exists(CurriculumVersion.objects.filter(curriculum=OuterRef("pk"), status=VersionStatus.APPROVED))
            )
        counties = county_ids(actor, Role.COUNTY_STAFF)
        if counties:
            visible |= Q(owner_county_id__in=counties)
        qs = qs.filter(visible)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "title")


def access_curriculum(actor, curriculum_id) -> Curriculum:
    return _get_or_404(curriculum_list(actor=actor), curriculum_id)


def access_curriculum_version(actor, version_id) -> CurriculumVersion:
    version = _get_or_404(CurriculumVersion.objects.select_related("curriculum"), version_id)
    access_curriculum(actor, version.curriculum_id)
    return version


def versions_waiting_for_dhcs(*, actor=None) -> QuerySet[CurriculumVersion]:
    """Curricula waiting for DHCS; not those written by an entity the approver is staff of."""
    qs = CurriculumVersion.objects.filter(status=VersionStatus.SUBMITTED)
    if actor is not None:
        qs = qs.exclude(curriculum__owner_training_entity_id__in=training_entity_ids(actor))
    return qs.select_related("curriculum").order_by("submitted_at")


def approved_versions() -> QuerySet[CurriculumVersion]:
    return (
        CurriculumVersion.objects.filter(status=VersionStatus.APPROVED)
        .select_related("curriculum")
        .order_by("curriculum__kind", "curriculum__title")
    )


def competency_list() -> QuerySet[Competency]:
    return Competency.objects.order_by("order")


# =========================================================================================
# Offerings and enrollment
# =========================================================================================


def public_offerings(day: datetime.date | None = None) -> QuerySet[Offering]:
    """Scheduled courses that have not ended, from entities approved today."""
    day = day or clock.today()
    in_force = ProviderApplication.objects.filter(
        _approved_q(day),
        training_entity=OuterRef("training_entity"),
        training_type=OuterRef("curriculum_version__curriculum__kind"),
        language=OuterRef("language"),
    )
    return (
        Offering.objects.filter(status=OfferingStatus.SCHEDULED, ends_on__gte=day)
        .filter(Exists(in_force))
        .select_related("training_entity", "curriculum_version__curriculum")
        .annotate(enrolled=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED)))
        .order_by("starts_on", "pk")
    )


def access_public_offering(offering_id) -> Offering:
    return _get_or_404(public_offerings(), offering_id)


def offering_list_for_staff(*, actor) -> QuerySet[Offering]:
    qs = Offering.objects.select_related("training_entity", "curriculum_version__curriculum").annotate(
        enrolled=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED), distinct=True),
        waitlisted=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED), distinct=True),
    )
    if not perms.can_read_all_training(actor):
        qs = qs.filter(training_entity_id__in=training_entity_ids(actor))
    return qs.order_by("-starts_on", "-pk")


def access_offering_for_staff(actor, offering_id) -> Offering:
    return _get_or_404(offering_list_for_staff(actor=actor), offering_id)


def access_managed_offering(actor, offering_id) -> Offering:
    """An offering the actor's entity runs (rosters, attendance, completions)."""
    return _get_or_404(
        Offering.objects.select_related("training_entity", "curriculum_version__curriculum").filter(
            training_entity_id__in=training_entity_ids(actor)
        ),
        offering_id,
    )


def enrollments_for_offering(offering) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(offering=offering)
        .exclude(status=EnrollmentStatus.CANCELLED)
        .select_related("person")
        .order_by("status", "created_at", "pk")
    )


def enrollments_for_person(person) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(person=person)
        .select_related("offering__training_entity", "offering__curriculum_version__curriculum")
        .order_by("-offering__starts_on")
    )


def access_own_enrollment(actor, enrollment_id) -> Enrollment:
    qs = Enrollment.objects.select_related("offering", "person")
    entity_ids = training_entity_ids(actor)
    person = perms.person_of(actor)
    scope = Q(offering__training_entity_id__in=entity_ids)
    if person is not None:
        scope |= Q(person=person)
    return _get_or_404(qs.filter(scope), enrollment_id)


def completions_for_offering(offering) -> QuerySet[Completion]:
    return Completion.objects.filter(offering=offering).select_related("person").order_by("person__legal_last_name")


def completions_for_person(person) -> QuerySet[Completion]:
    return (
        Completion.objects.filter(person=person)
        .select_related("offering__training_entity", "offering__curriculum_version__curriculum")
        .order_by("-completed_on")
    )


def access_completion(actor, completion_id) -> Completion:
    completion = _get_or_404(
        Completion.objects.select_related(
            "person", "offering__training_entity", "offering__curriculum_version__curriculum"
        ),
        completion_id,
    )
    if not perms.can_see_completion(actor, completion):
        raise Http404
    return completion


# =========================================================================================
# Accommodations and CE activities
# =========================================================================================


def accommodation_list(*, actor) -> QuerySet[AccommodationRequest]:
    qs = AccommodationRequest.objects.select_related("person", "offering__training_entity")
    if perms.is_training_program_staff(actor):
        return qs
    scope = Q(offering__training_entity_id__in=training_entity_ids(actor))
    person = perms.person_of(actor)
    if person is not None:
        scope |= Q(person=person)
    return qs.filter(scope)


def accommodations_waiting(*, actor) -> QuerySet[AccommodationRequest]:
    qs = exclude_own_matters(
        AccommodationRequest.objects.filter(status=AccommodationStatus.SUBMITTED), actor, "person"
    ).select_related("offering__training_entity", "person")
    if perms.is_training_program_staff(actor):
        return qs
    return qs.filter(offering__training_entity_id__in=training_entity_ids(actor))


def access_accommodation(actor, request_id) -> AccommodationRequest:
    request = _get_or_404(
        AccommodationRequest.objects.select_related("person", "offering__training_entity"), request_id
    )
    if not perms.can_open_accommodation(actor, request):
        raise Http404
    return request


def ce_activities_waiting(*, actor=None) -> QuerySet[CEActivity]:
    """Reported CE waiting for a reviewer; not the reviewer's own."""
    qs = exclude_own_matters(CEActivity.objects.filter(status=CEActivityStatus.SUBMITTED), actor, "person")
    return qs.select_related("person").order_by("created_at")


def access_ce_activity(actor, activity_id) -> CEActivity:
    activity = _get_or_404(CEActivity.objects.select_related("person"), activity_id)
    if not perms.can_open_ce_activity(actor, activity):
        raise Http404
    return activity


def supervisor_trained_exists(person_ref, day_ref) -> Exists:
    """supervisor_trained_person_ids for every row of a queryset at once: an Exists true when the person
    (person_ref, an OuterRef or expression) completed supervisor training on or before day_ref."""
    return Exists(
        Completion.objects.filter(
            person_id=person_ref,
            completed_on__lte=day_ref,
            offering__curriculum_version__curriculum__kind=CurriculumKind.SUPERVISOR,
        )
    )
