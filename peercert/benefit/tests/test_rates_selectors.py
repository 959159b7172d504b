"""The code table, the rate in force and the federal authority in force, on dates."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from peercert.accounts.models import County
from peercert.benefit import selectors
from peercert.benefit.models import Rate, RateKind, RateStatus
from peercert.benefit.tests.factories import FederalAuthorityFactory, RateFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def la():
    return County.objects.get(name="Los Angeles")


def test_code_table_from_the_migration():
    assert selectors.known_codes() == ["H0025", "H0038", "H0050"]
    assert selectors.code_allowed("H0038", "smhs", D(2025, 1, 1))
    assert selectors.code_allowed("H0050", "dmc_ods", D(2025, 1, 1))
    assert not selectors.code_allowed("H0050", "smhs", D(2025, 1, 1))
    assert not selectors.code_allowed("H0050", "dmc", D(2025, 1, 1))
    assert not selectors.code_allowed("H0038", "smhs", D(2022, 6, 30))  # before the table starts
    assert not selectors.code_allowed("H0038", "nonsense", D(2025, 1, 1))
    assert [c.code for c in selectors.codes_on(D(2025, 1, 1))] == ["H0025", "H0038", "H0050"]
    assert list(selectors.codes_on(D(2020, 1, 1))) == []


def approved(county, amount, start, end=None, kind=RateKind.COUNTY, system="dmc_ods", code="H0038"):
    return RateFactory(
        kind=kind,
        county=county,
        delivery_system=system,
        code=code,
        amount=Decimal(amount),
        effective_from=start,
        effective_to=end,
        status=RateStatus.APPROVED,
    )


def test_rate_in_force_precedence_on_dates(la):
    statewide = approved(None, "25.00", D(2023, 7, 1), kind=RateKind.INTERIM)
    county_interim = approved(la, "27.00", D(2024, 7, 1), D(2025, 6, 30), kind=RateKind.INTERIM)
    county_rate = approved(la, "41.25", D(2025, 1, 1), D(2025, 12, 31))
    # Not approved, or another county, or another code: never in force for this question.
    RateFactory(
        county=la, delivery_system="dmc_ods", amount="99.00", effective_from=D(2023, 1, 1), status=RateStatus.SUBMITTED
    )
    approved(County.objects.get(name="Fresno"), "50.00", D(2023, 1, 1))
    approved(la, "60.00", D(2023, 1, 1), code="H0025")

    def on(day):
        return selectors.rate_in_force(la, "dmc_ods", "H0038", day)

    assert on(D(2023, 6, 30)) is None
    assert on(D(2023, 7, 1)) == statewide
    assert on(D(2024, 7, 1)) == county_interim
    assert on(D(2025, 1, 1)) == county_rate  # the county's own rate beats its interim rate
    assert on(D(2025, 6, 30)) == county_rate
    assert on(D(2025, 12, 31)) == county_rate
    assert on(D(2026, 1, 1)) == statewide  # the county rate and its interim rate have ended
    assert selectors.rate_in_force(la.pk, "dmc_ods", "H0038", D(2026, 1, 1)) == statewide
    assert selectors.rate_in_force(la, "smhs", "H0038", D(2026, 1, 1)) is None


def test_rate_in_force_is_one_query(la):
    approved(la, "41.25", D(2025, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        selectors.rate_in_force(la, "dmc_ods", "H0038", D(2025, 3, 1))
    assert len(queries) == 1


@time_machine.travel(datetime.datetime(2026, 3, 1, 20, tzinfo=datetime.UTC), tick=False)
def test_the_set_based_form_prices_every_county_at_once(la):
    today = datetime.date(2026, 3, 1)
    fresno = County.objects.get(name="Fresno")
    statewide = approved(None, "25.00", D(2023, 7, 1), kind=RateKind.INTERIM)
    mine = approved(la, "41.25", D(2025, 7, 1))
    counties = County.objects.filter(pk__in=[la.pk, fresno.pk]).annotate(
        rate_id=selectors.rate_in_force_subquery(
            county="pk", system=Value("dmc_ods"), code=Value("H0038"), day=Value(today)
        ),
        amount=selectors.rate_in_force_subquery(
            county="pk", system=Value("dmc_ods"), code=Value("H0038"), day=Value(today), field="amount"
        ),
    )
    with CaptureQueriesContext(connection) as queries:
        found = {c.name: (c.rate_id, Decimal(str(c.amount))) for c in counties}
    assert len(queries) == 1
    assert found == {"Los Angeles": (mine.pk, Decimal("41.25")), "Fresno": (statewide.pk, Decimal("25.00"))}
    # The same answers as the one-row selector.
    for county in (la, fresno):
        assert selectors.rate_in_force(county, "dmc_ods", "H0038", today).pk == found[county.name][0]


def test_overlapping_approved_rates_treats_open_ends_as_forever(la):
    open_ended = approved(la, "41.25", D(2025, 7, 1))
    key = {"kind": RateKind.COUNTY, "county_id": la.pk, "system": "dmc_ods", "code": "H0038"}
    assert list(selectors.overlapping_approved_rates(**key, start=D(2099, 1, 1), end=None)) == [open_ended]
    assert list(selectors.overlapping_approved_rates(**key, start=D(2020, 1, 1), end=D(2025, 6, 30))) == []
    assert list(selectors.overlapping_approved_rates(**key, start=D(2020, 1, 1), end=D(2025, 7, 1))) == [open_ended]
    assert (
        list(selectors.overlapping_approved_rates(**key, start=D(2020, 1, 1), end=None, exclude_id=open_ended.pk)) == []
    )


def test_authority_in_force_by_system_code_and_date():
    spa = FederalAuthorityFactory(number="SPA 22-0026", smhs=True, dmc=True, codes=["H0038", "H0025"])
    waiver = FederalAuthorityFactory(
        number="11-W-00193/9",
        kind="waiver_1115",
        smhs=False,
        dmc_ods=True,
        effective_from=D(2023, 1, 1),
        effective_to=D(2026, 12, 31),
        codes=["H0038", "H0050"],
    )
    assert selectors.authority_in_force("smhs", "H0038", D(2022, 7, 1))
    assert not selectors.authority_in_force("smhs", "H0038", D(2022, 6, 30))
    assert selectors.authority_in_force("dmc", "H0025", D(2030, 1, 1))  # open-ended
    assert not selectors.authority_in_force("dmc_ods", "H0025", D(2024, 1, 1))  # the waiver lacks H0025
    assert not selectors.authority_in_force("smhs", "H0050", D(2024, 1, 1))  # nothing covers H0050 in SMHS
    assert selectors.authority_in_force("dmc_ods", "H0050", D(2024, 1, 1))
    assert not selectors.authority_in_force("dmc_ods", "H0050", D(2027, 1, 1))  # the waiver ended
    assert not selectors.authority_in_force("nonsense", "H0038", D(2024, 1, 1))
    assert selectors.authority_for("dmc_ods", "H0038", D(2024, 1, 1)) == waiver
    assert selectors.authority_for("smhs", "H0038", D(2024, 1, 1)) == spa
    # The set-based form agrees.
    rows = Rate.objects.none()
    assert not rows.annotate(
        ok=selectors.authority_in_force_exists(system="smhs", code=Value("H0038"), day=Value(D(2024, 1, 1)))
    ).exists()
    counties = County.objects.filter(name="Los Angeles").annotate(
        smhs=selectors.authority_in_force_exists(system="smhs", code=Value("H0038"), day=Value(D(2024, 1, 1))),
        cm=selectors.authority_in_force_exists(system="smhs", code=Value("H0050"), day=Value(D(2024, 1, 1))),
    )
    assert [(c.smhs, c.cm) for c in counties] == [(True, False)]
