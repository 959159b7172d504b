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
