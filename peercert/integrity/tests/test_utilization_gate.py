"""The gate applies utilization rules set-based: each kind alone, all together, the stricter of statewide
and county, effective dates, lines billed in other batches counted first, one statement per kind."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peercert.benefit.tests.factories import EmploymentFactory, county
from peercert.billing import hooks, services
from peercert.billing.models import LineHold, LineStatus
from peercert.billing.tests.factories import BeneficiaryFactory, ServiceBatchFactory, ServiceLineFactory
from peercert.integrity.models.utilization import RuleKind, UtilizationRule
from peercert.integrity.tests.factories import UtilizationRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    # 00:05 Pacific on 2 November 2026: UTC is already later that day; the gate's timely filing reads today.
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 5, tzinfo=datetime.UTC), tick=False):
        yield


DAY = datetime.date(2026, 10, 14)


def check(batch):
    """The county's check of the batch, as billing staff press it (the gate at once, in this transaction)."""
    batch.refresh_from_db()
    return services.batch_check(actor=None, batch=batch, at_once=True)


def holds(batch, code):
    """{line id: detail} of the batch's holds with this code."""
    return dict(LineHold.objects.filter(line__batch=batch, code=code).values_list("line_id", "detail"))


@pytest.fixture
def la():
    return county("Los Angeles")


@pytest.fixture
def peer(la):
    return EmploymentFactory(provider__county=la)


@pytest.fixture
def beneficiary(la):
    return BeneficiaryFactory(county=la)


def line(batch, peer, beneficiary, *, units=4, code="H0038", day=DAY, **kw):
    return ServiceLineFactory(
        batch=batch,
        employment=peer,
        beneficiary=beneficiary,
        units=units,
        minutes=units * 15,
        code=code,
        service_date=day,
        **kw,
    )


def test_the_statewide_peer_day_default_is_seeded_as_a_rule():
    rule = UtilizationRule.objects.get(county__isnull=True, kind=RuleKind.PEER_DAY_UNITS)
    assert (rule.limit, rule.version, rule.effective_to) == (32, 1, None)


def test_beneficiary_day_units_holds_the_lines_past_the_limit_by_id(la, peer, beneficiary):
    rule = UtilizationRuleFactory(limit=8, name="H0038 per beneficiary day")
    batch = ServiceBatchFactory(county=la)
    first = line(batch, peer, beneficiary, units=4)
    second = line(batch, peer, beneficiary, units=4)
    third = line(batch, peer, beneficiary, units=1)
    other_day = line(batch, peer, beneficiary, units=4, day=DAY + datetime.timedelta(days=1))
    other_code = line(batch, peer, beneficiary, units=4, code="H0025")

    check(batch)

    held = holds(batch, "utilization_beneficiary_day_units")
    assert set(held) == {third.pk}
    assert held[third.pk] == f"Rule {rule.pk} v1: H0038 per beneficiary day (limit 8)"
    third.refresh_from_db()
    assert third.status == LineStatus.HELD
    assert not {first.pk, second.pk, other_day.pk, other_code.pk} & set(held)


def test_lines_billed_in_another_batch_count_first(la, peer, beneficiary):
    UtilizationRuleFactory(limit=8)
    earlier = ServiceBatchFactory(county=la)
    line(earlier, peer, beneficiary, units=6, status=LineStatus.BILLABLE)
    line(earlier, peer, beneficiary, units=6, status=LineStatus.HELD)  # not billed: does not count
    batch = ServiceBatchFactory(county=la)
    fits = line(batch, peer, beneficiary, units=2)
    over = line(batch, peer, beneficiary, units=1)

    check(batch)

    assert set(holds(batch, "utilization_beneficiary_day_units")) == {over.pk}
    assert fits.pk not in holds(batch, "utilization_beneficiary_day_units")


def test_peer_day_counts_across_providers_and_counties(la, peer, beneficiary):
    # The seeded statewide 32 applies; the same person works for a Fresno provider too.
    fresno = county("Fresno")
    elsewhere = EmploymentFactory(person=peer.person, provider__county=fresno)
    billed = ServiceBatchFactory(county=fresno)
    line(
        billed,
        elsewhere,
        BeneficiaryFactory(county=fresno),
        units=24,
        status=LineStatus.OVERRIDDEN,
        override_reason="Crisis day, documented",
    )
    batch = ServiceBatchFactory(county=la)
    ok = line(batch, peer, beneficiary, units=8)
    over = line(batch, peer, BeneficiaryFactory(county=la), units=1)
    other_peer = line(batch, EmploymentFactory(provider__county=la), beneficiary, units=30)

    check(batch)

    held = holds(batch, "utilization_peer_day_units")
    assert set(held) == {over.pk}
    assert "limit 32" in held[over.pk] and " v1:" in held[over.pk]
    assert ok.pk not in held and other_peer.pk not in held


def test_lockout_holds_the_later_code_of_the_pair(la, peer, beneficiary):
    rule = UtilizationRuleFactory(kind=RuleKind.LOCKOUT, code="H0025", other_code="H0038", limit=None, name="Lockout")
    batch = ServiceBatchFactory(county=la)
    first = line(batch, peer, beneficiary, code="H0038")
    locked = line(batch, peer, beneficiary, code="H0025")
    another_beneficiary = line(batch, peer, BeneficiaryFactory(county=la), code="H0025")

    check(batch)

    held = holds(batch, "utilization_lockout")
    assert set(held) == {locked.pk}
    assert held[locked.pk] == f"Rule {rule.pk} v1: Lockout (limit -)"
    assert first.pk not in held and another_beneficiary.pk not in held


def test_lockout_against_a_line_billed_earlier_holds_the_new_line(la, peer, beneficiary):
    UtilizationRuleFactory(kind=RuleKind.LOCKOUT, code="H0025", other_code="H0038", limit=None)
    earlier = ServiceBatchFactory(county=la)
    line(earlier, peer, beneficiary, code="H0025", status=LineStatus.BILLABLE)
    batch = ServiceBatchFactory(county=la)
    new = line(batch, peer, beneficiary, code="H0038")

    check(batch)

    assert set(holds(batch, "utilization_lockout")) == {new.pk}


def test_monthly_frequency_counts_services_in_the_month(la, peer, beneficiary):
    UtilizationRuleFactory(kind=RuleKind.MONTHLY_FREQUENCY, limit=2, code="H0038")
    batch = ServiceBatchFactory(county=la)
    lines = [line(batch, peer, beneficiary, units=1, day=datetime.date(2026, 10, d)) for d in (3, 10, 17)]
    next_month = line(batch, peer, beneficiary, units=1, day=datetime.date(2026, 11, 1))

    check(batch)

    assert set(holds(batch, "utilization_monthly_frequency")) == {lines[2].pk}
    assert next_month.pk not in holds(batch, "utilization_monthly_frequency")


def test_the_stricter_of_statewide_and_county_applies(la, peer, beneficiary):
    UtilizationRuleFactory(limit=8, name="Statewide")
    local = UtilizationRuleFactory(limit=6, county=la, name="Los Angeles")
    batch = ServiceBatchFactory(county=la)
    line(batch, peer, beneficiary, units=4)
    over_local = line(batch, peer, beneficiary, units=3)
    # A Fresno line on the same terms is under the statewide 8 only.
    fresno = county("Fresno")
    fresno_batch = ServiceBatchFactory(county=fresno)
    fresno_peer, fresno_beneficiary = EmploymentFactory(provider__county=fresno), BeneficiaryFactory(county=fresno)
    line(fresno_batch, fresno_peer, fresno_beneficiary, units=4)
    fresno_second = line(fresno_batch, fresno_peer, fresno_beneficiary, units=3)

    check(batch)
    check(fresno_batch)

    held = holds(batch, "utilization_beneficiary_day_units")
    assert set(held) == {over_local.pk} and f"Rule {local.pk} v1: Los Angeles" in held[over_local.pk]
    assert fresno_second.pk not in holds(fresno_batch, "utilization_beneficiary_day_units")


def test_only_the_rule_in_force_on_the_date_of_service_applies(la, peer, beneficiary):
    UtilizationRuleFactory(limit=4, effective_from=datetime.date(2026, 1, 1), effective_to=datetime.date(2026, 10, 13))
    batch = ServiceBatchFactory(county=la)
    before = [line(batch, peer, beneficiary, units=4, day=datetime.date(2026, 10, 13)) for _ in range(2)]
    on_day = [line(batch, peer, beneficiary, units=4) for _ in range(2)]

    check(batch)

    assert set(holds(batch, "utilization_beneficiary_day_units")) == {before[1].pk}
    assert not {x.pk for x in on_day} & set(holds(batch, "utilization_beneficiary_day_units"))


def test_a_delivery_system_filter_limits_the_rule_to_that_system(la, peer, beneficiary):
    UtilizationRuleFactory(limit=4, delivery_system="dmc")
    batch = ServiceBatchFactory(county=la)
    smhs = [line(batch, peer, beneficiary, units=4) for _ in range(2)]
    dmc = [line(batch, peer, beneficiary, units=4, delivery_system="dmc") for _ in range(1)]

    check(batch)

    held = set(holds(batch, "utilization_beneficiary_day_units"))
    assert held == {dmc[0].pk}  # the SMHS lines come first and the DMC line passes the 4 units
    assert not {x.pk for x in smhs} & held


def test_every_rule_together_each_breach_its_own_code(la, peer, beneficiary):
    UtilizationRuleFactory(limit=8)
    UtilizationRuleFactory(kind=RuleKind.LOCKOUT, code="H0025", other_code="H0038", limit=None)
    UtilizationRuleFactory(kind=RuleKind.MONTHLY_FREQUENCY, limit=3, code="H0038")
    batch = ServiceBatchFactory(county=la)
    a = line(batch, peer, beneficiary, units=8)
    b = line(batch, peer, beneficiary, units=8)  # beneficiary-day (16 > 8)
    c = line(batch, peer, beneficiary, units=8, code="H0025")  # lockout
    d = line(batch, peer, BeneficiaryFactory(county=la), units=9, code="H0025")  # peer-day: 8 + 8 + 8 + 9 = 33 > 32
    e = line(batch, peer, beneficiary, units=1, day=datetime.date(2026, 10, 20))
    f = line(batch, peer, beneficiary, units=1, day=datetime.date(2026, 10, 21))  # 4th H0038 of the month

    check(batch)

    assert set(holds(batch, "utilization_beneficiary_day_units")) == {b.pk}
    assert set(holds(batch, "utilization_lockout")) == {c.pk}
    assert set(holds(batch, "utilization_peer_day_units")) == {d.pk}
    assert set(holds(batch, "utilization_monthly_frequency")) == {f.pk}
    assert a.pk not in LineHold.objects.filter(code__startswith="utilization_").values_list("line_id", flat=True)
    assert e.pk not in LineHold.objects.filter(code__startswith="utilization_").values_list("line_id", flat=True)
    # the gate names each code with its plain message
    assert "utilization_lockout" in hooks.UTILIZATION_REASONS


def test_checking_again_gives_the_same_holds(la, peer, beneficiary):
    UtilizationRuleFactory(limit=8)
    batch = ServiceBatchFactory(county=la)
    for _ in range(3):
        line(batch, peer, beneficiary, units=4)
    check(batch)
    first = holds(batch, "utilization_beneficiary_day_units")
    check(batch)
    assert holds(batch, "utilization_beneficiary_day_units") == first and len(first) == 1


def _statements(batch) -> int:
    with CaptureQueriesContext(connection) as ctx:
        check(batch)
    return len(ctx.captured_queries)


def test_statement_count_does_not_grow_with_the_lines(la, peer, beneficiary):
    UtilizationRuleFactory(limit=8)
    UtilizationRuleFactory(kind=RuleKind.LOCKOUT, code="H0025", other_code="H0038", limit=None)
    UtilizationRuleFactory(kind=RuleKind.MONTHLY_FREQUENCY, limit=3, code="H0038")
    warm = ServiceBatchFactory(county=la)
    line(warm, peer, beneficiary, units=4, day=DAY - datetime.timedelta(days=7))
    check(warm)
    small = ServiceBatchFactory(county=la)
    for _ in range(3):
        line(small, peer, beneficiary, units=4)
    large = ServiceBatchFactory(county=la)
    for i in range(30):
        line(large, peer, beneficiary, units=4, day=DAY + datetime.timedelta(days=1 + i % 5))
    assert _statements(small) == _statements(large)
    assert len(LineHold.objects.filter(line__batch=large, code__startswith="utilization_")) > 0
