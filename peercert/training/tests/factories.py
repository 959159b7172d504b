import datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.tests.factories import PersonFactory, TrainingEntityFactory
from peercert.core import samples
from peercert.training.models import (
    AccommodationRequest,
    CEActivity,
    Completion,
    Curriculum,
    CurriculumKind,
    CurriculumVersion,
    Enrollment,
    EnrollmentStatus,
    Modality,
    Offering,
    ProviderApplication,
    ProviderStatus,
    VersionStatus,
)

PDF_BYTES = samples.PDF


def pdf_file(name="provider-form.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class ProviderApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderApplication

    training_entity = factory.SubFactory(TrainingEntityFactory)
    training_type = CurriculumKind.CORE
    language = "en"
    status = ProviderStatus.SUBMITTED
    submitted_at = factory.LazyFunction(lambda: datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC))
    fee_settled = True  # most tests are not about the fee


class ApprovedProviderFactory(ProviderApplicationFactory):
    status = ProviderStatus.APPROVED
    approved_from = datetime.date(2025, 1, 1)
    approved_until = datetime.date(2030, 12, 31)


class CurriculumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Curriculum

    title = factory.Sequence(lambda n: f"Curriculum {n}")
    kind = CurriculumKind.CONTINUING_EDUCATION


class CurriculumVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CurriculumVersion

    curriculum = factory.SubFactory(CurriculumFactory)
    number = factory.Sequence(lambda n: n + 1)
    hours = Decimal("6")
    status = VersionStatus.APPROVED


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    training_entity = factory.SubFactory(TrainingEntityFactory)
    curriculum_version = factory.SubFactory(CurriculumVersionFactory)
    starts_on = datetime.date(2026, 3, 2)
    ends_on = datetime.date(2026, 3, 3)
    hours = Decimal("6")
    language = "en"
    modality = Modality.VIRTUAL
    capacity = 20
    cost = Decimal("0")
    accommodation_contact = "Ana Peña, ana@example.org"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    offering = factory.SubFactory(OfferingFactory)
    person = factory.SubFactory(PersonFactory)
    status = EnrollmentStatus.ENROLLED


class CompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Completion

    offering = factory.SubFactory(OfferingFactory)
    person = factory.SubFactory(PersonFactory)
    completed_on = factory.LazyAttribute(lambda o: o.offering.ends_on)
    hours = factory.LazyAttribute(lambda o: o.offering.hours)
    ce_category = "general"
    idempotency_key = factory.LazyAttribute(lambda o: Completion.key_for(o.person.pk, o.offering.pk))


class AccommodationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccommodationRequest

    offering = factory.SubFactory(OfferingFactory)
    person = factory.SubFactory(PersonFactory)
    needs = "Large-print handouts"
    document = factory.LazyFunction(pdf_file)


class CEActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CEActivity

    person = factory.SubFactory(PersonFactory)
    title = "Ética y límites profesionales"
    provider_name = "Colegio Comunitario"
    completed_on = datetime.date(2026, 2, 1)
    hours = Decimal("3")
    ce_category = "law_ethics"
    evidence = factory.LazyFunction(lambda: pdf_file("certificate.pdf"))
