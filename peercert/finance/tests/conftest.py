import pytest

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.finance import services
from peercert.finance.signals import invoice_settled


@pytest.fixture
def staff(db):
    return user_with_role(Role.PROGRAM_MANAGER)


@pytest.fixture
def peer(db):
    return user_with_role(Role.PEER)


@pytest.fixture
def other_peer(db):
    return user_with_role(Role.PEER)


@pytest.fixture
def make_invoice(peer):
    counter = iter(range(1, 10_000))

    def make(payer=None, fee_code="fee_application", **kwargs):
        payer = payer or peer.person
        kwargs.setdefault("reference_type", "test.application")
        kwargs.setdefault("reference_id", next(counter))
        return services.invoice_create(actor=None, payer=payer, fee_code=fee_code, **kwargs)

    return make


@pytest.fixture
def settled_events():
    """Invoices announced by invoice_settled during the test."""
    seen = []

    def receiver(sender, invoice, **kwargs):
        seen.append(invoice.pk)

    invoice_settled.connect(receiver, weak=False)
    yield seen
    invoice_settled.disconnect(receiver)
