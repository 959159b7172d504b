"""Billing and employment data (counties -> DHCS): employed and hired peers, supervisors and ratios;
services, units, unique beneficiaries, amounts billed, paid, denied and overpaid, by county, delivery
system, code and month. Every figure is a GROUP BY in the database; Python only lays the groups out."""

from django.utils.translation import gettext_lazy as _

from peercert.benefit import selectors as benefit_selectors
from peercert.billing import selectors as billing_selectors
from peercert.integrity import selectors as integrity_selectors
from peercert.oversight.models.reports import PeriodKind, ReportFormat
from peercert.oversight.reports import COUNTY_FIELDS, Context, Definition, Field, Table, TableData, register
from peercert.oversight.reports._common import SELECTED, STATEWIDE, county_cells, county_names, money, ratio

F = Field

SERVICES = Table(
    "services",
    _("Services by county, delivery system, code and month"),
    (
        *COUNTY_FIELDS,
        F("delivery_system", _("Delivery system"), _("smhs, dmc or dmc_ods.")),
        F("code", _("Code"), _("HCPCS code billed (H0038 peer service, H0025 skill-building group).")),
        F("month", _("Month"), _("The month of service (its first day).")),
        F("services", _("Services"), _("Service lines recorded.")),
        F("units", _("Units"), _("15-minute units.")),
        F(
            "beneficiaries",
            _("Unique beneficiaries"),
            _("Beneficiaries served in that county, system, code and month; they do not add up across rows."),
        ),
        F("billed_lines", _("Lines billed"), _("Lines in batches sent to the state as claims.")),
        F("billed_amount", _("Amount billed ($)")),
        F("paid_amount", _("Amount paid ($)"), _("From the state's 835 remittances.")),
        F("denied_lines", _("Lines denied")),
        F("denied_amount", _("Amount denied ($)"), _("Charges of the lines the state denied.")),
        F("overpaid_lines", _("Lines overpaid"), _("Lines found overpaid (integrity's overpayments).")),
        F("overpaid_amount", _("Amount overpaid ($)")),
    ),
)
BENEFICIARIES = Table(
    "beneficiaries",
    _("Unique beneficiaries by county over the whole period"),
    (
        *COUNTY_FIELDS,
        F("beneficiaries", _("Unique beneficiaries")),
        F("services", _("Services")),
        F("services_per_beneficiary", _("Services per beneficiary")),
    ),
)
WORKFORCE = Table(
    "workforce",
    _("Employed and hired peers, supervisors and ratios by county"),
    (
        *COUNTY_FIELDS,
        F(
            "employed_peers",
            _("Peers employed"),
            _("Formally hired on or before the period's last day and not ended before its first."),
        ),
        F("hired_peers", _("Peers hired"), _("Formally hired during the period.")),
        F("supervisors", _("Supervisors"), _("People assigned to supervise a peer during the period.")),
        F("peers_per_supervisor", _("Peers per supervisor"), _("Peers employed divided by supervisors.")),
    ),
)
TOTALS = Table(
    "totals",
    _("Totals for the period"),
    (F("measure", _("Measure")), F("value", _("Value"))),
)

MONEY_KEYS = ("billed", "paid", "denied", "overpaid")


def overpaid_by_key(*, start, end, county_ids) -> dict:
    """{(county_id, delivery_system, code, month): (lines, amount)} from integrity's overpayments."""
    rows = integrity_selectors.overpaid_totals(
        start=start, end=end, county_ids=list(county_ids) if county_ids is not None else None
    )
    return {(r["county_id"], r["delivery_system"], r["code"], r["month"]): (r["lines"], r["amount"]) for r in rows}


def _month(value):
    # TruncMonth gives a date on PostgreSQL and SQLite alike for a DateField; a datetime would be cut to its day.
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def build(context: Context) -> list[TableData]:
    period, counties = context.period, context.county_ids
    names = county_names()
    steps = 4
    overpaid = overpaid_by_key(start=period.start, end=period.end, county_ids=counties)
    service_rows, totals = [], {"services": 0, "units": 0, "billed_lines": 0, "denied_lines": 0, "overpaid_lines": 0}
    amounts = {key: money(0) for key in MONEY_KEYS}
    seen = set()
    for r in billing_selectors.billing_totals_for_report(start=period.start, end=period.end, county_ids=counties):
        key = (r["county_id"], r["delivery_system"], r["code"], _month(r["month"]))
        seen.add(key)
        over_lines, over_amount = overpaid.get(key, (0, 0))
        service_rows.append(
            (
                *county_cells(names, r["county_id"]),
                r["delivery_system"],
                r["code"],
                key[3],
                r["services"],
                r["units"] or 0,
                r["beneficiaries"],
                r["billed_lines"],
                money(r["billed"]),
                money(r["paid"]),
                r["denied_lines"],
                money(r["denied"]),
                over_lines,
                money(over_amount),
            )
        )
        for name in ("services", "units", "billed_lines", "denied_lines"):
            totals[name] += r[name] or 0
        totals["overpaid_lines"] += over_lines
        for name in ("billed", "paid", "denied"):
            amounts[name] += money(r[name])
        amounts["overpaid"] += money(over_amount)
    # An overpayment on a group with no services in the period (found on a line of another period) still counts.
    for key in sorted(set(overpaid) - seen, key=lambda k: (k[0], k[1], k[2], k[3])):
        over_lines, over_amount = overpaid[key]
        service_rows.append(
            (
                *county_cells(names, key[0]),
                key[1],
                key[2],
                key[3],
                0,
                0,
                0,
                0,
                money(0),
                money(0),
                0,
                money(0),
                over_lines,
                money(over_amount),
            )
        )
        totals["overpaid_lines"] += over_lines
        amounts["overpaid"] += money(over_amount)
    context.progress(1, steps)

    served = billing_selectors.billing_beneficiaries_for_report(start=period.start, end=period.end, county_ids=counties)
    beneficiary_rows = [
        (
            *county_cells(names, r["county_id"]),
            r["beneficiaries"],
            r["services"],
            ratio(r["services"], r["beneficiaries"]),
        )
        for r in served["by_county"]
    ]
    beneficiary_rows.append(
        (
            "",
            STATEWIDE if counties is None else SELECTED,
            served["total"],
            totals["services"],
            ratio(totals["services"], served["total"]),
        )
    )
    context.progress(2, steps)

    workforce_rows, sums = [], {"employed_peers": 0, "hired_peers": 0, "supervisors": 0}
    for r in benefit_selectors.employment_counts_for_report(start=period.start, end=period.end, county_ids=counties):
        workforce_rows.append(
            (
                *county_cells(names, r["county_id"]),
                r["employed_peers"],
                r["hired_peers"],
                r["supervisors"],
                ratio(r["employed_peers"], r["supervisors"]),
            )
        )
        for name in sums:
            sums[name] += r[name]
    # A supervisor working in two counties is counted in each; the total adds the counties' figures.
    workforce_rows.append(
        (
            "",
            STATEWIDE if counties is None else SELECTED,
            sums["employed_peers"],
            sums["hired_peers"],
            sums["supervisors"],
            ratio(sums["employed_peers"], sums["supervisors"]),
        )
    )
    context.progress(3, steps)

    total_rows = [
        ("services", totals["services"]),
        ("units", totals["units"]),
        ("unique_beneficiaries", served["total"]),
        ("lines_billed", totals["billed_lines"]),
        ("amount_billed", amounts["billed"]),
        ("amount_paid", amounts["paid"]),
        ("lines_denied", totals["denied_lines"]),
        ("amount_denied", amounts["denied"]),
        ("lines_overpaid", totals["overpaid_lines"]),
        ("amount_overpaid", amounts["overpaid"]),
        ("peers_employed", sums["employed_peers"]),
        ("peers_hired", sums["hired_peers"]),
        ("supervisors", sums["supervisors"]),
    ]
    return [
        TableData(TOTALS, total_rows),
        TableData(SERVICES, service_rows),
        TableData(BENEFICIARIES, beneficiary_rows),
        TableData(WORKFORCE, workforce_rows),
    ]


DEFINITION = register(
    Definition(
        code="billing",
        name=_("Billing and employment data"),
        description=_(
            "What the counties send DHCS: employed and hired peers, supervisors and ratios; services, units, unique "
            "beneficiaries, and amounts billed, paid, denied and overpaid, by county, delivery system, code and month."
        ),
        period_kinds=tuple(PeriodKind.values),
        formats=(ReportFormat.CSV, ReportFormat.XLSX),
        tables=(TOTALS, SERVICES, BENEFICIARIES, WORKFORCE),
        build=build,
        takes_county=True,
    )
)
