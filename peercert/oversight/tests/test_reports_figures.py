"""Each report's figures on a small known dataset."""

import datetime

import pytest
import time_machine

from peercert.oversight.models.reports import PeriodKind
from peercert.oversight.reports import Context, definition, period_of
from peercert.oversight.tests.factories.reports import known_dataset

pytestmark = pytest.mark.django_db
FY = period_of(PeriodKind.FISCAL_YEAR, 2025)


def _table(tables, name):
    return next(t for t in tables if t.spec.name == name)


@time_machine.travel(datetime.datetime(2026, 8, 1, 7, 5, tzinfo=datetime.UTC), tick=False)
def test_billing_report_figures_by_county_system_code_and_month():
    world = known_dataset()
    tables = definition("billing").build(Context(FY, None))
    totals = dict(_table(tables, "totals").rows)
    assert totals["services"] == world["la_lines"] + world["fresno_lines"]
    assert totals["units"] == 3 * 4 + 2 + 1
    assert str(totals["amount_billed"]) == "175.00"
    assert str(totals["amount_paid"]) == "120.00"
    assert str(totals["amount_denied"]) == "25.00"
    assert totals["lines_denied"] == 1
    assert totals["unique_beneficiaries"] == 3
    services = _table(tables, "services").rows
    la_sept = [r for r in services if r[1] == "Los Angeles" and r[3] == "H0038" and r[4] == datetime.date(2025, 9, 1)]
    assert len(la_sept) == 1 and la_sept[0][5] == 3 and la_sept[0][7] == 1
    workforce = {r[1]: r for r in _table(tables, "workforce").rows}
    # Los Angeles: the peer hired in August 2025 and its supervisor; Fresno: two peers hired before the year.
    assert workforce["Los Angeles"][2:6] == (1, 1, 1, 1)
    assert workforce["Fresno"][2:5] == (2, 0, 0)


@time_machine.travel(datetime.datetime(2026, 8, 1, 7, 5, tzinfo=datetime.UTC), tick=False)
def test_billing_report_for_one_county_holds_only_that_county():
    world = known_dataset()
    tables = definition("billing").build(Context(FY, (world["fresno"].pk,)))
    assert {r[1] for r in _table(tables, "services").rows} == {"Fresno"}
    assert dict(_table(tables, "totals").rows)["services"] == 1


@time_machine.travel(datetime.datetime(2026, 8, 1, 7, 5, tzinfo=datetime.UTC), tick=False)
def test_certification_report_counts_and_extract_has_no_names():
    known_dataset()
    tables = definition("certification").build(Context(FY, None))
    assert dict(_table(tables, "by_status").rows) == {"active": 15, "revoked": 1}
    by_county = {(r[1], r[2]): r[3] for r in _table(tables, "by_county").rows}
    assert by_county[("Los Angeles", "active")] == 12 and by_county[("Fresno", "active")] == 3
    demographics = {(q, a): n for q, a, n in _table(tables, "demographics").rows}
    assert demographics[("veteran", "yes")] == 1
    assert demographics[("veteran", "prefer_not")] == 1
    assert demographics[("veteran", "not_answered")] == 13
    extract = _table(tables, "person_extract")
    assert len(extract.rows) == 16
    assert [f.name for f in extract.spec.fields] == [
        "certification_number",
        "status",
        "issued_on",
        "expires_on",
        "county_code",
        "pathway",
        "specializations",
        "language",
    ]


@time_machine.travel(datetime.datetime(2026, 8, 1, 7, 5, tzinfo=datetime.UTC), tick=False)
def test_evaluation_measures_per_100k_and_suppression():
    known_dataset()
    tables = definition("evaluation").build(Context(FY, None))
    rows = {(r[0], r[3]): r for r in _table(tables, "measures").rows}
    # Fresno's 3 certified peers are a small cell: withheld with its rate.
    fresno = rows[("PSS-1", "Fresno")]
    assert fresno[4] == "suppressed" and fresno[9] == "suppressed"
    # Los Angeles's 12 would give Fresno's away from the statewide 15: withheld too (complementary).
    la = rows[("PSS-1", "Los Angeles")]
    assert la[4] == "suppressed" and la[9] == "suppressed" and la[5] == 3_900_000
    # Beneficiaries: 2 in Los Angeles, 1 in Fresno: both small, never shown.
    assert rows[("PSS-2", "Los Angeles")][4] == "suppressed"
    # 15 active of 4,420,000 members statewide: 0.3 per 100,000.
    statewide = rows[("PSS-1", "Statewide")]
    assert statewide[4] == 15 and statewide[5] == 4_420_000 and str(statewide[9]) == "0.3"
    names = " ".join(str(c) for r in _table(tables, "measures").rows for c in r)
    assert "CIN" not in names


@time_machine.travel(datetime.datetime(2026, 8, 1, 7, 5, tzinfo=datetime.UTC), tick=False)
def test_annual_report_trends_against_the_year_before():
    known_dataset()
    tables = definition("annual").build(Context(FY, None))
    trends = {r[0]: r for r in _table(tables, "trends").rows}
    assert trends["services"][1:4] == (1, 5, 4)
    assert str(trends["services"][4]) == "400.0"
    assert trends["active_certifications"][2] == 15


@time_machine.travel(datetime.datetime(2026, 8, 1, 7, 5, tzinfo=datetime.UTC), tick=False)
def test_billing_report_counts_the_overpaid_lines_from_integrity():
    from decimal import Decimal

    from peercert.billing.models import ServiceLine
    from peercert.integrity.models import FactKind, Overpayment, OverpaymentLine

    world = known_dataset()
    line = ServiceLine.objects.filter(county=world["la"], paid_amount__gt=0).order_by("id").first()
    overpayment = Overpayment.objects.create(
        county=world["la"], identified_on=datetime.date(2026, 1, 10), due_on=datetime.date(2026, 3, 11)
    )
    OverpaymentLine.objects.create(
        overpayment=overpayment,
        line=line,
        county=world["la"],
        service_date=line.service_date,
        code=line.code,
        delivery_system=line.delivery_system,
        amount=Decimal("40.00"),
        reason_code="certification_not_active",
        fact_kind=FactKind.CERTIFICATION_STATUS,
        fact_reference="status change 1",
        identified_on=datetime.date(2026, 1, 10),
    )
    totals = dict(_table(definition("billing").build(Context(FY, None)), "totals").rows)
    assert str(totals["amount_overpaid"]) == "40.00"
    assert totals["lines_overpaid"] == 1
    # Identified outside the year: not in this year's report.
    tables = definition("billing").build(Context(period_of(PeriodKind.FISCAL_YEAR, 2024), None))
    assert str(dict(_table(tables, "totals").rows)["amount_overpaid"]) in ("0", "0.00")
