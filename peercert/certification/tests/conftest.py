"""Fixtures for certification tests.

Until the finance app is merged, `finance` stands in for it with an in-memory double that
follows the contract in the helper brief (invoice_create, invoice_for, is_settled). Once
finance.services exists the real one is used and `pay` records a payment through it.
"""

import importlib.util
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from peercert.certification import fees

REAL_FINANCE = importlib.util.find_spec("peercert.finance.services") is not None


@dataclass
class FakeInvoice:
    pk: int
    payer: object
    fee_code: str
    reference_type: str
    reference_id: str
    scholarship_eligible: bool
    amount: Decimal = Decimal("0")
    settled: bool = False


@dataclass
class FakeFinance:
    invoices: list = field(default_factory=list)

    # services
    def invoice_create(self, *, actor, payer, fee_code, reference_type, reference_id, description="",
                       scholarship_eligible=True):
        from peercert.core.errors import ApplicationError

        if any(i.reference_type == reference_type and i.reference_id == str(reference_id) and i.fee_code == fee_code
               and not i.settled for i in self.invoices):
            raise ApplicationError("An open invoice already exists.", code="duplicate")
        invoice = FakeInvoice(len(self.invoices) + 1, payer, fee_code, reference_type, str(reference_id),
                              scholarship_eligible)
        self.invoices.append(invoice)
        return invoice

    # selectors
    def invoice_for(self, *, reference_type, reference_id, fee_code=None):
        found = [i for i in self.invoices if i.reference_type == reference_type and i.reference_id == str(reference_id)
                 and (fee_code is None or i.fee_code == fee_code)]
        return found[-1] if found else None

    def is_settled(self, invoice):
        return invoice.settled


@pytest.fixture(autouse=True)
def finance(monkeypatch):
    if REAL_FINANCE:
        yield None
        return
    fake = FakeFinance()
    monkeypatch.setattr(fees, "_finance", lambda: (fake, fake))
    yield fake


@pytest.fixture
def pay(finance):
    """pay(application): settle the application fee."""

    def settle(application):
        invoice = fees.application_invoice(application)
        assert invoice is not None, "no application invoice"
        if finance is not None:
            invoice.settled = True
            return invoice
        from peercert.finance import services

        return services.invoice_waive(actor=None, invoice=invoice, reason="test")

    return settle
