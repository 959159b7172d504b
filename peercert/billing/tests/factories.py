"""Bare billing rows, for reads and for the tests of the parts built on them (the services check the rules)."""

import datetime

import factory
from django.utils import timezone

from peercert.benefit.tests.factories import EmploymentFactory, county
from peercert.billing.models import (
    BatchSource,
    Beneficiary,
    EligibilityMonth,
    EligibilitySource,
    ServiceBatch,
    ServiceLine,
)


def cin_for(n: int) -> str:
    return f"{90000000 + n:08d}{'ABCDEFGHJKLMNPQRSTUVWXYZ'[n % 24]}"


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    county = factory.LazyFunction(county)
    cin = factory.Sequence(cin_for)
    legal_first_name = factory.Iterator(["Guadalupe", "Thanh", "Keanu", "Soledad", "Armen", "Yesenia"])
    legal_last_name = factory.Iterator(["Ramírez", "Trần", "Kahale", "Ochoa", "Petrosyan", "Lozano"])
    date_of_birth = datetime.date(1979, 5, 4)


class EligibilityMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityMonth

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    month = datetime.date(2026, 10, 1)
    eligible = True
    aid_code = "1H"
    source = EligibilitySource.COUNTY_FILE
    verified_at = factory.LazyFunction(timezone.now)


class ServiceBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceBatch

    county = factory.LazyFunction(county)
    source = BatchSource.MANUAL


class ServiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLine

    batch = factory.SubFactory(ServiceBatchFactory)
    county = factory.SelfAttribute("batch.county")
    employment = factory.SubFactory(EmploymentFactory, provider__county=factory.SelfAttribute("...county"))
    beneficiary = factory.SubFactory(BeneficiaryFactory, county=factory.SelfAttribute("..county"))
    cin = factory.SelfAttribute("beneficiary.cin")
    service_date = datetime.date(2026, 10, 14)
    minutes = 60
    units = 4
    code = "H0038"
    delivery_system = "smhs"
    place_of_service = "11"


# --- claims ---


def billed_batch(*, county_name: str = "Los Angeles", lines: int = 3, held: int = 1, **batch_fields) -> ServiceBatch:
    """A checked batch with `lines` billable lines (one beneficiary, consecutive days, a Los Angeles-style
    rate in force) and `held` held lines."""
    from peercert.benefit.tests.factories import RateFactory
    from peercert.billing.models import BatchStatus, LineStatus

    where = county(county_name)
    batch = ServiceBatchFactory(
        county=where,
        status=BatchStatus.CHECKED,
        checked_at=timezone.now() - datetime.timedelta(hours=1),
        **batch_fields,
    )
    if not RateFactory._meta.model.objects.filter(county=where, code="H0038", status="approved").exists():
        RateFactory(county=where)
    beneficiary = BeneficiaryFactory(county=where)
    for i in range(lines):
        ServiceLineFactory(
            batch=batch,
            beneficiary=beneficiary,
            status=LineStatus.BILLABLE,
            service_date=datetime.date(2026, 10, 1 + i),
            modifiers="HQ" if i % 2 else "",
            source_position=i + 1,
        )
    for i in range(held):
        ServiceLineFactory(
            batch=batch, beneficiary=beneficiary, status=LineStatus.HELD, service_date=datetime.date(2026, 10, 20 + i)
        )
    return batch


# --- gate ---


def billable_world(county_name: str = "Los Angeles", *, npi_seed: int = 7100, day=datetime.date(2026, 10, 14)) -> dict:
    """Everything one H0038 SMHS service on `day` needs to pass the gate: a hired peer with an active
    certification, an individual NPI, a trained supervisor, a directing professional; a beneficiary
    verified eligible for the month; an approved county rate; a federal authority (the code table is
    seeded). Returns the rows, so a test can break one rule at a time."""
    from peercert.benefit.models import DirectingProfessional
    from peercert.benefit.tests.factories import (
        FederalAuthorityFactory,
        ProviderFactory,
        RateFactory,
        SupervisorAssignmentFactory,
        valid_npi,
    )
    from peercert.certification.tests.factories import CertificationFactory
    from peercert.training.models import CurriculumKind
    from peercert.training.tests.factories import (
        CompletionFactory,
        CurriculumFactory,
        CurriculumVersionFactory,
        OfferingFactory,
    )

    the_county = county(county_name)
    provider = ProviderFactory(county=the_county, npi=valid_npi(npi_seed + 50_000))
    employment = EmploymentFactory(provider=provider, individual_npi=valid_npi(npi_seed))
    certification = CertificationFactory(person=employment.person)
    assignment = SupervisorAssignmentFactory(employment=employment)
    version = CurriculumVersionFactory(curriculum=CurriculumFactory(kind=CurriculumKind.SUPERVISOR))
    CompletionFactory(
        person=assignment.supervisor,
        offering=OfferingFactory(curriculum_version=version),
        completed_on=datetime.date(2025, 3, 1),
    )
    direction = DirectingProfessional.objects.create(
        employment=employment,
        name="Dra. Inés Robles",
        credential_kind="licensed",
        license_type="LCSW",
        license_number="LCSW 88123",
        issuing_board="Board of Behavioral Sciences",
        start_on=employment.start_on,
    )
    beneficiary = BeneficiaryFactory(county=the_county)
    eligibility = EligibilityMonthFactory(beneficiary=beneficiary, month=day.replace(day=1))
    rate = RateFactory(county=the_county)
    from peercert.benefit.models import FederalAuthority

    authority = FederalAuthority.objects.filter(smhs=True, code_rows__code="H0038").first() or FederalAuthorityFactory()
    return {
        "county": the_county,
        "provider": provider,
        "employment": employment,
        "certification": certification,
        "assignment": assignment,
        "direction": direction,
        "beneficiary": beneficiary,
        "eligibility": eligibility,
        "rate": rate,
        "authority": authority,
        "day": day,
    }


def line_data(world: dict, **overrides) -> dict:
    """A line's input (as a form or a file row gives it) for the world's peer and beneficiary."""
    data = {
        "employment": world["employment"].pk,
        "cin": world["beneficiary"].cin,
        "service_date": world["day"],
        "minutes": 60,
        "code": "H0038",
        "delivery_system": "smhs",
        "place_of_service": "11",
        "modifiers": "",
        "group_size": None,
        "reference": "",
    }
    return {**data, **overrides}
