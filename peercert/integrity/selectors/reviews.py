"""integrity: reads of monitoring reviews, scoped to the actor. DHCS and the auditor read every review;
the reviewed party (a county's staff, billing and billing supervisor; a program's manager and reviewer)
reads only its own; anyone else reads none. Another party's review by id is a 404."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from peercert.accounts.permissions import county_ids, program_ids
from peercert.billing.selectors import log_beneficiary_reads
from peercert.integrity import permissions
from peercert.integrity.models.reviews import (
    AWAITING_PARTY,
    OPEN_REVIEW_STATUSES,
    CorrectiveActionItem,
    CorrectiveActionStatus,
    Review,
    ReviewEvidence,
    ReviewRecord,
    ReviewStatus,
)

__all__ = [
    "access_corrective_action",
    "access_review",
    "access_review_evidence",
    "access_review_record",
    "corrective_actions_due",
    "review_items",
    "review_list",
    "review_records",
    "reviews_to_follow_up",
]


def _scope(qs: QuerySet, actor, prefix: str = "") -> QuerySet:
    if permissions.can_read_all_reviews(actor):
        return qs
    counties = permissions.review_county_ids(actor)
    programs = permissions.review_program_ids(actor)
    if not counties and not programs:
        return qs.none()
    return qs.filter(Q(**{f"{prefix}county_id__in": counties}) | Q(**{f"{prefix}program_id__in": programs}))


def review_list(actor, *, status: str | None = None) -> QuerySet[Review]:
    """The reviews the actor may read, newest first, with their plan's counts."""
    qs = _scope(Review.objects.select_related("county", "program"), actor)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        item_count=Count("items", distinct=True),
        open_items=Count("items", filter=Q(items__status__in=AWAITING_PARTY), distinct=True),
    ).order_by("-created_at", "-id")


def access_review(actor, review_id) -> Review:
    review = (
        _scope(Review.objects.select_related("county", "program", "created_by"), actor).filter(pk=review_id).first()
    )
    if review is None:
        raise Http404
    return review


def access_review_record(actor, record_id) -> ReviewRecord:
    record = _scope(ReviewRecord.objects.select_related("review"), actor, "review__").filter(pk=record_id).first()
    if record is None:
        raise Http404
    return record


def access_corrective_action(actor, item_id) -> CorrectiveActionItem:
    item = (
        _scope(CorrectiveActionItem.objects.select_related("review", "owner", "finding"), actor, "review__")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    return item


def access_review_evidence(actor, evidence_id) -> ReviewEvidence:
    evidence = (
        _scope(ReviewEvidence.objects.select_related("item__review"), actor, "item__review__")
        .filter(pk=evidence_id)
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


def review_records(actor, review: Review) -> list[ReviewRecord]:
    """The review's sampled records with the record each points at, in the seed's order. A sampled
    service line names a beneficiary, so showing them is an access event for each."""
    records = list(
        review.records.select_related(
            "employment__person",
            "employment__provider",
            "supervision__supervisor",
            "supervision__employment__person",
            "service_line",
            "application__person",
            "certification__person",
            "found_by",
        ).order_by("kind", "position")
    )
    log_beneficiary_reads(
        actor,
        [r.service_line.beneficiary_id for r in records if r.service_line_id],
        what=f"monitoring review {review.pk}",
    )
    return records


def review_items(review: Review) -> list[CorrectiveActionItem]:
    return list(
        review.items.select_related("owner", "finding", "responded_by", "decided_by")
        .prefetch_related("evidence")
        .order_by("due_on", "id")
    )


def reviews_to_follow_up(actor) -> QuerySet[Review]:
    """For DHCS: open reviews waiting on DHCS (to sample, to find, to issue, a response to decide, or a
    plan fully accepted and ready to close), excluding reviews of a party the actor works for."""
    if not permissions.can_run_reviews(actor):
        return Review.objects.none()
    qs = Review.objects.filter(status__in=OPEN_REVIEW_STATUSES).annotate(
        responded=Count("items", filter=Q(items__status=CorrectiveActionStatus.RESPONDED), distinct=True),
        unaccepted=Count("items", filter=~Q(items__status=CorrectiveActionStatus.ACCEPTED), distinct=True),
    )
    qs = qs.filter(
        Q(status__in=[ReviewStatus.PLANNED, ReviewStatus.SAMPLED])
        | Q(status=ReviewStatus.CORRECTIVE_ACTION, responded__gt=0)
        | Q(status=ReviewStatus.CORRECTIVE_ACTION, unaccepted=0)
    )
    mine_c, mine_p = county_ids(actor), program_ids(actor)
    if mine_c:
        qs = qs.exclude(county_id__in=mine_c)
    if mine_p:
        qs = qs.exclude(program_id__in=mine_p)
    return qs.select_related("county", "program").order_by("created_at", "id")


def corrective_actions_due(actor, *, county_id: int | None = None, program_id: int | None = None):
    """For the reviewed party: plan items waiting for its answer (open or sent back), soonest due first."""
    qs = CorrectiveActionItem.objects.filter(
        status__in=AWAITING_PARTY, review__status=ReviewStatus.CORRECTIVE_ACTION
    ).select_related("review")
    counties = permissions.review_county_ids(actor)
    programs = permissions.review_program_ids(actor)
    if county_id is not None:
        counties = counties & {county_id}
        programs = set()
    if program_id is not None:
        programs = programs & {program_id}
        counties = set() if county_id is None else counties
    if not counties and not programs:
        return qs.none()
    return qs.filter(Q(review__county_id__in=counties) | Q(review__program_id__in=programs)).order_by("due_on", "id")


# --- for oversight dashboards ---


def open_corrective_actions_by_county() -> dict[int | None, int]:
    """Corrective action items issued and not yet accepted, per reviewed county (None: the program's).
    One aggregate query; for DHCS's program-quality dashboard."""
    open_statuses = [s for s in CorrectiveActionStatus.values if s not in ("draft", "accepted")]
    return dict(
        CorrectiveActionItem.objects.filter(status__in=open_statuses)
        .values("review__county_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("review__county_id", "n")
    )


__all__ += ["open_corrective_actions_by_county"]  # noqa: PLE0605
