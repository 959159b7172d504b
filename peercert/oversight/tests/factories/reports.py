"""Factories for oversight's reports part: a small known dataset across certification, exams, billing and
the workforce, in fiscal year 2025-26 (July 2025 to June 2026) and the year before."""

import datetime
from decimal import Decimal

import factory

from peercert.accounts.models import County
from peercert.oversight.models.reports import CountyMedicalMembers

__all__ = ["CountyMedicalMembersFactory", "known_dataset"]


class CountyMedicalMembersFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountyMedicalMembers
        django_get_or_create = ("county", "as_of")

    county = factory.LazyFunction(lambda: County.objects.get(name="Los Angeles"))
    as_of = datetime.date(2025, 1, 1)
    members = 3_900_000


def known_dataset(*, lines_per_county: int = 3) -> dict:
    """Los Angeles and Fresno: certifications, one decided application, billed and denied service lines,
    hired peers and a supervisor, and Medi-Cal members. Figures the tests check are in the returned dict."""
    from peercert.benefit.tests.factories import EmploymentFactory, SupervisorAssignmentFactory
    from peercert.billing.models import BatchStatus, PaymentOutcome
    from peercert.billing.tests.factories import BeneficiaryFactory, ServiceBatchFactory, ServiceLineFactory
    from peercert.certification.models import ApplicantDemographics, CertificationStatus
    from peercert.certification.tests.factories import CertificationFactory

    la = County.objects.get(name="Los Angeles")
    fresno = County.objects.get(name="Fresno")
    CountyMedicalMembersFactory(county=la, members=3_900_000)
    CountyMedicalMembersFactory(county=fresno, members=520_000)
    certs = [CertificationFactory(county=la, issued_on=datetime.date(2025, 3, 1)) for _ in range(12)]
    certs += [CertificationFactory(county=fresno, issued_on=datetime.date(2025, 9, 1)) for _ in range(3)]
    CertificationFactory(county=la, status=CertificationStatus.REVOKED, issued_on=datetime.date(2024, 5, 1))
    ApplicantDemographics.objects.create(person=certs[0].person, veteran="yes", gender_identity="woman")
    ApplicantDemographics.objects.create(person=certs[1].person, veteran="prefer_not")
    employment = EmploymentFactory(provider__county=la, start_on=datetime.date(2025, 8, 1))
    SupervisorAssignmentFactory(employment=employment)
    EmploymentFactory(provider__county=fresno, start_on=datetime.date(2024, 8, 1))
    sent = ServiceBatchFactory(county=la, status=BatchStatus.SUBMITTED)
    beneficiary = BeneficiaryFactory(county=la)
    for day in range(lines_per_county):
        ServiceLineFactory(
            batch=sent,
            employment=employment,
            beneficiary=beneficiary,
            service_date=datetime.date(2025, 9, 2 + day % 20),
            units=4,
            charge=Decimal("50.00"),
            paid_amount=Decimal("40.00"),
            remittance_status=PaymentOutcome.PAID,
        )
    ServiceLineFactory(
        batch=sent,
        employment=employment,
        service_date=datetime.date(2025, 10, 6),
        units=2,
        charge=Decimal("25.00"),
        remittance_status=PaymentOutcome.DENIED,
        code="H0025",
    )
    fresno_batch = ServiceBatchFactory(county=fresno)
    ServiceLineFactory(batch=fresno_batch, service_date=datetime.date(2025, 11, 3), units=1)
    # The year before: one Los Angeles line, for the trend.
    ServiceLineFactory(
        batch=sent,
        employment=employment,
        beneficiary=beneficiary,
        service_date=datetime.date(2024, 9, 3),
        units=3,
        charge=Decimal("30.00"),
    )
    return {"la": la, "fresno": fresno, "la_lines": lines_per_county + 1, "fresno_lines": 1}
