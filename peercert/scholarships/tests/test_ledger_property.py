"""The fund ledger reconciles to the cent after any sequence of awards, partial fee payments,
tuition disbursements, early ends and expiries: committed + disbursed + remaining = budget, the
disbursed figure equals the payment and disbursement rows, and the figures match a plain model."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.errors import ApplicationError
from peercert.finance import services as finance_services
from peercert.scholarships import selectors, services
from peercert.scholarships.models import Award, AwardStatus
from peercert.scholarships.tests.conftest import TODAY

pytestmark = pytest.mark.django_db(transaction=False)

cents = st.integers(min_value=1, max_value=60_000).map(lambda c: Decimal(c) / 100)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("award"), st.integers(0, 2), cents),
        st.tuples(st.just("pay"), st.integers(0, 5), st.sampled_from(["fee_exam", "fee_application"])),
        st.tuples(st.just("disburse"), st.integers(0, 5), cents),
        st.tuples(st.just("end"), st.integers(0, 5), st.none()),
        st.tuples(st.just("expire"), st.integers(0, 5), st.none()),
    ),
    min_size=1,
    max_size=12,
)


def test_any_sequence_keeps_the_ledger_reconciled(manager, reviewer):
    from peercert.training.tests.factories import ApprovedProviderFactory, EnrollmentFactory, OfferingFactory

    peers = [user_with_role(Role.PEER) for _ in range(3)]
    entity = ApprovedProviderFactory().training_entity
    budget = Decimal("1000.00")

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=ops)
    def run(ops):
        with transaction.atomic():
            fund = services.fund_create(
                actor=None,
                name="Property fund",
                funder_kind="dhcs",
                budget=budget,
                fee_codes=["fee_exam", "fee_application"],
                covers_tuition=True,
                opens_on=TODAY,
            )
            awards: list[Award] = []
            awarded = spent = released = Decimal("0.00")
            left: dict[int, Decimal] = {}
            counter = 0
            for op, index, value in ops:
                counter += 1
                if op == "award":
                    user = peers[index]
                    application = services.application_submit(
                        actor=user, fund=fund, pathway="standard", need_statement="need", fee_codes=["fee_exam"]
                    )
                    available = budget - awarded + released
                    try:
                        award = services.application_award(
                            actor=manager,
                            application=application,
                            amount=value,
                            fee_codes=["fee_exam"],
                            covers_tuition=True,
                            expires_on=TODAY,
                        )
                    except ApplicationError as exc:
                        assert exc.code == "overspend" and value > available
                        services.application_withdraw(actor=user, application=application)
                        continue
                    assert value <= available
                    awards.append(award)
                    awarded += value
                    left[award.pk] = value
                    continue
                if not awards:
                    continue
                award = awards[index % len(awards)]
                award.refresh_from_db()
                active = award.status == AwardStatus.ACTIVE
                if op == "pay":
                    invoice = finance_services.invoice_create(
                        actor=None,
                        payer=award.person,
                        fee_code=value,
                        reference_type="property",
                        reference_id=str(counter),
                    )
                    try:
                        payment = finance_services.scholarship_apply(
                            actor=award.person.user, invoice=invoice, scholarship=award.scholarship
                        )
                    except ApplicationError:
                        assert value != "fee_exam" or left[award.pk] == 0
                        continue
                    assert payment.amount == min(left[award.pk], invoice.amount)
                    spent += payment.amount
                    left[award.pk] -= payment.amount
                elif op == "disburse":
                    offering = OfferingFactory(training_entity=entity, cost=Decimal("600.00"))
                    EnrollmentFactory(offering=offering, person=award.person)
                    try:
                        services.disbursement_record(
                            actor=reviewer, award=award, offering=offering, amount=value, paid_on=TODAY, reference="r"
                        )
                    except ApplicationError:
                        assert not active or value > left[award.pk]
                        continue
                    spent += value
                    left[award.pk] -= value
                elif op == "end":
                    try:
                        services.award_end(actor=manager, award=award, reason="ended")
                    except ApplicationError:
                        assert not active
                        continue
                    released += left[award.pk]
                    left[award.pk] = Decimal("0.00")
                elif op == "expire":
                    if not active:
                        continue
                    Award.objects.filter(pk=award.pk).update(expires_on=TODAY - datetime.timedelta(days=1))
                    services.awards_expire_due(TODAY)
                    released += left[award.pk]
                    left[award.pk] = Decimal("0.00")
                ledger = selectors.fund_ledger(fund)
                assert ledger.committed + ledger.disbursed + ledger.remaining == budget
                assert ledger.reconciles
                assert ledger.remaining >= 0
                assert ledger.disbursed == spent
                assert ledger.released == released
                assert ledger.committed == sum(left.values(), Decimal("0.00"))
                (listed,) = selectors.fund_rows(selectors.funds_with_figures(type(fund).objects.filter(pk=fund.pk)))
                assert (listed.f_committed, listed.f_disbursed, listed.f_remaining) == (
                    ledger.committed,
                    ledger.disbursed,
                    ledger.remaining,
                )
            transaction.set_rollback(True)

    run()
