"""Awards made before the program (a free-text fund name on finance's Scholarship) become funds."""

from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps

from peercert.finance import services as finance_services
from peercert.scholarships import selectors
from peercert.scholarships.models import Award, Fund

pytestmark = pytest.mark.django_db


def test_old_fund_names_become_funds_whose_ledgers_reconcile(peer, other_peer):
    old = [
        finance_services.scholarship_award(actor=None, person=peer.person, fund_name="Valley Fund", amount="150.00"),
        finance_services.scholarship_award(
            actor=None, person=other_peer.person, fund_name="Valley Fund", amount="50.00", fee_codes=["fee_exam"]
        ),
        finance_services.scholarship_award(actor=None, person=peer.person, fund_name="Coast Grant", amount="80.00"),
    ]
    invoice = finance_services.invoice_create(
        actor=None, payer=peer.person, fee_code="fee_renewal", reference_type="old", reference_id="1"
    )
    finance_services.scholarship_apply(actor=peer, invoice=invoice, scholarship=old[0])
    import_module("peercert.scholarships.migrations.0002_funds_from_old_awards").forwards(apps, None)

    valley = Fund.objects.get(name="Valley Fund")
    assert valley.migrated and valley.funder_kind == "grant" and valley.budget == Decimal("200.00")
    assert Award.objects.filter(fund=valley).count() == 2
    ledger = selectors.fund_ledger(valley)
    assert (ledger.committed, ledger.disbursed, ledger.remaining) == (
        Decimal("120.00"),
        Decimal("80.00"),
        Decimal("0.00"),
    )
    assert ledger.reconciles
    assert Fund.objects.get(name="Coast Grant").budget == Decimal("80.00")
    # Old awards keep paying, and nobody can apply to a fund made from them.
    assert not selectors.funds_open_to(peer.person)
