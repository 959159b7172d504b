from decimal import Decimal

import factory

from peercert.accounts.tests.factories import PersonFactory
from peercert.finance.models import Invoice, InvoiceStatus, Scholarship


class InvoiceFactory(factory.django.DjangoModelFactory):
    """A bare invoice row, for reads. Workflow tests make invoices through the services."""

    class Meta:
        model = Invoice

    payer = factory.SubFactory(PersonFactory)
    fee_code = "fee_application"
    amount = Decimal("100.00")
    rules_version = "2021.1"
    reference_type = "test.application"
    reference_id = factory.Sequence(str)
    description = "Application fee"
    status = InvoiceStatus.OPEN


class ScholarshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scholarship

    person = factory.SubFactory(PersonFactory)
    fund_name = "Fondo Comunitario de Becas"
    amount = Decimal("150.00")
    remaining = factory.SelfAttribute("amount")
    fee_codes = factory.LazyFunction(list)
