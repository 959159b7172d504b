"""Bare benefit rows, for reads and for the tests of the parts built on them.

Workflow tests make these through the services (which check the rules); these skip the rules.
"""

import datetime
import secrets
from decimal import Decimal

import factory

from peercert.accounts.models import County
from peercert.accounts.tests.factories import PersonFactory
from peercert.benefit.models import (
    Employment,
    EmploymentStatus,
    Provider,
    ProviderKind,
    Rate,
    RateStatus,
    SupervisorAssignment,
    Webhook,
)


def county(name: str = "Los Angeles") -> County:
    return County.objects.get(name=name)


def valid_npi(seed: int) -> str:
    """A 10-digit NPI with a correct check digit (Luhn over the 80840 prefix and the first 9 digits)."""
    body = f"1{seed % 10**8:08d}"
    digits = [int(d) for d in "80840" + body]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    county = factory.LazyFunction(county)
    name = factory.Sequence(lambda n: f"Clínica Esperanza {n}")
    kind = ProviderKind.CONTRACTED
    npi = factory.Sequence(lambda n: valid_npi(4200 + n))
    address_line1 = factory.Sequence(lambda n: f"{100 + n} Cesar E Chavez Ave")
    city = "Los Angeles"
    postal_code = "90033"
    active_from = datetime.date(2022, 7, 1)
    smhs = True


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    provider = factory.SubFactory(ProviderFactory)
    county = factory.SelfAttribute("provider.county")
    position_title = "Peer Support Specialist"
    fte = Decimal("1.00")
    start_on = datetime.date(2025, 2, 1)
    smhs = True
    status = EmploymentStatus.HIRED
    hired_on = factory.SelfAttribute("start_on")


class SupervisorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisorAssignment

    supervisor = factory.SubFactory(PersonFactory)
    employment = factory.SubFactory(EmploymentFactory)
    county = factory.SelfAttribute("employment.county")
    start_on = factory.SelfAttribute("employment.start_on")
    training_due_on = factory.LazyAttribute(lambda a: a.start_on + datetime.timedelta(days=60))


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    county = factory.LazyFunction(county)
    delivery_system = "smhs"
    code = "H0038"
    amount = Decimal("41.25")
    effective_from = datetime.date(2025, 7, 1)
    status = RateStatus.APPROVED


class WebhookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Webhook

    county = factory.LazyFunction(county)
    url = factory.Sequence(lambda n: f"https://ehr{n}.example.org/peercert/events")
    secret = factory.LazyFunction(lambda: secrets.token_urlsafe(32))


# --- rates ---


class FederalAuthorityFactory(factory.django.DjangoModelFactory):
    """A bare authority covering H0038 and H0025 in SMHS from July 2022 (add code rows with `codes`)."""

    class Meta:
        model = "benefit.FederalAuthority"
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"SPA 22-{26 + n:04d}")
    kind = "spa"
    title = "Peer support services"
    approved_on = datetime.date(2022, 6, 15)
    effective_from = datetime.date(2022, 7, 1)
    smhs = True

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        if create:
            for code in extracted if extracted is not None else ("H0038", "H0025"):
                self.code_rows.create(code=code)
