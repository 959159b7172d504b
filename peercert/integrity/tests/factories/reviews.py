"""Factories for integrity's reviews part."""

import datetime

import factory
from django.core.files.base import ContentFile

from peercert.accounts.models import CertificationProgram, County
from peercert.core import samples
from peercert.integrity.models.reviews import (
    COUNTY_KINDS,
    PROGRAM_KINDS,
    CorrectiveActionItem,
    CorrectiveActionStatus,
    FindingCategory,
    FindingOutcome,
    RecordKind,
    Review,
    ReviewEvidence,
    ReviewParty,
    ReviewRecord,
    ReviewStatus,
)

__all__ = [
    "CorrectiveActionItemFactory",
    "ReviewFactory",
    "evidence_for",
    "program_review",
    "review_with_plan",
]


class ReviewFactory(factory.django.DjangoModelFactory):
    """A planned review of Los Angeles County over January to October 2026, every county kind in scope."""

    class Meta:
        model = Review

    party = ReviewParty.COUNTY
    county = factory.LazyFunction(lambda: County.objects.get(name="Los Angeles"))
    program = None
    title = factory.Sequence(lambda n: f"Los Angeles peer services monitoring review {2026 + n}")
    scope = factory.LazyFunction(lambda: list(COUNTY_KINDS))
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 10, 31)
    status = ReviewStatus.PLANNED
    seed = 20261
    created_by = None


def program_review(**kwargs) -> Review:
    program = kwargs.pop("program", None) or CertificationProgram.objects.order_by("id").first()
    return ReviewFactory(
        party=ReviewParty.PROGRAM,
        county=None,
        program=program,
        title=kwargs.pop("title", "Certification program monitoring review 2026"),
        scope=list(PROGRAM_KINDS),
        **kwargs,
    )


class CorrectiveActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorrectiveActionItem

    review = factory.SubFactory(ReviewFactory, status=ReviewStatus.CORRECTIVE_ACTION)
    description = "Keep a signed supervision log for every peer, reviewed monthly by the supervisor."
    due_on = datetime.date(2026, 12, 15)
    status = CorrectiveActionStatus.OPEN


def review_with_plan(*, owner, employment, created_by=None, item_status=CorrectiveActionStatus.OPEN, **kwargs):
    """A Los Angeles review in corrective action: one sampled employment found not compliant and one plan item."""
    review = ReviewFactory(status=ReviewStatus.CORRECTIVE_ACTION, created_by=created_by, **kwargs)
    record = ReviewRecord.objects.create(
        review=review,
        kind=RecordKind.EMPLOYMENT,
        position=1,
        employment=employment,
        outcome=FindingOutcome.NOT_COMPLIANT,
        category=FindingCategory.SUPERVISION,
        note="No supervision log for March to June.",
    )
    extra = {}
    if item_status in (CorrectiveActionStatus.RESPONDED, CorrectiveActionStatus.ACCEPTED):
        extra = {
            "response": "Supervision logs are now kept in the EHR.",
            "responded_at": review.created_at,
            "responded_by": owner,
        }
    item = CorrectiveActionItemFactory(review=review, finding=record, owner=owner, status=item_status, **extra)
    return review, record, item


def evidence_for(item, *, uploaded_by=None, name="supervision-log.pdf") -> ReviewEvidence:
    evidence = ReviewEvidence(item=item, kind="pdf", original_name=name, size=len(samples.PDF), uploaded_by=uploaded_by)
    evidence.file.save(name, ContentFile(samples.PDF, name=name), save=False)
    evidence.save()
    return evidence
