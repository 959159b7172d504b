"""The annual program report: the certification and the billing and employment data for a state fiscal
year, with trends against the year before (PDF with charts, and XLSX/CSV with every table)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from peercert.oversight.models.reports import PeriodKind, ReportFormat
from peercert.oversight.reports import Context, Definition, Field, Table, TableData, billing, certification, register
from peercert.oversight.reports._common import ratio

F = Field
TRENDS = Table(
    "trends",
    _("This fiscal year against the year before"),
    (
        F("measure", _("Measure")),
        F("prior_year", _("Year before")),
        F("this_year", _("This year")),
        F("change", _("Change")),
        F("change_percent", _("Change (%)"), _("Blank when the year before was zero.")),
    ),
)
# The figures the trends table follows, from the two reports' tables.
CERT_MEASURES = (
    "active_certifications",
    "applications_received",
    "applications_decided",
    "applications_within_target",
    "exam_attempts",
    "exam_passed",
    "renewed_on_time",
    "renewed_late",
    "lapsed",
    "complaints_received",
)
BILLING_MEASURES = (
    "services",
    "units",
    "unique_beneficiaries",
    "amount_billed",
    "amount_paid",
    "amount_denied",
    "amount_overpaid",
    "peers_employed",
    "peers_hired",
    "supervisors",
)


@dataclass
class ChartSpec:
    title: str
    categories: list
    series: dict


@dataclass
class Section:
    heading: str
    paragraphs: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    charts: list = field(default_factory=list)


def _table(tables, name) -> TableData:
    return next(t for t in tables if t.spec.name == name)


def certification_figures(tables) -> dict:
    status = dict(_table(tables, "by_status").rows)
    apps = _table(tables, "applications").rows[-1]
    exams = _table(tables, "exam_results").rows
    renewals = _table(tables, "renewals").rows[-1]
    discipline = dict(_table(tables, "discipline").rows)
    return {
        "active_certifications": status.get("active", 0),
        "applications_received": apps[2],
        "applications_decided": apps[3],
        "applications_within_target": apps[7],
        "exam_attempts": sum(r[1] for r in exams),
        "exam_passed": sum(r[3] for r in exams),
        "renewed_on_time": renewals[2],
        "renewed_late": renewals[3],
        "lapsed": renewals[4],
        "complaints_received": discipline.get("complaints_received", 0),
    }


def billing_figures(tables) -> dict:
    return dict(_table(tables, "totals").rows)


def build_both(context: Context):
    """Both years of both reports: (this year's tables, the year before's, this year's figures, the year before's)."""
    prior = Context(context.period.year_before(), context.county_ids)
    current_cert = certification.build(Context(context.period, context.county_ids))
    context.progress(1, 5)
    current_billing = billing.build(Context(context.period, context.county_ids))
    context.progress(2, 5)
    prior_cert = certification.build(prior)
    context.progress(3, 5)
    prior_billing = billing.build(prior)
    context.progress(4, 5)
    current = certification_figures(current_cert) | billing_figures(current_billing)
    before = certification_figures(prior_cert) | billing_figures(prior_billing)
    return current_cert, current_billing, current, before, prior_billing


def trend_rows(current: dict, before: dict) -> list[tuple]:
    rows = []
    for measure in (*CERT_MEASURES, *BILLING_MEASURES):
        now, then = current.get(measure, 0), before.get(measure, 0)
        rows.append((measure, then, now, now - then, ratio(now - then, then, scale=100, places="0.1")))
    return rows


def build(context: Context) -> list[TableData]:
    current_cert, current_billing, current, before, _prior_billing = build_both(context)
    trends = TableData(TRENDS, trend_rows(current, before))
    # The extract is for the state's certification report, not the annual summary.
    kept = [t for t in current_cert if t.spec.name != "person_extract"]
    return [trends, *kept, *current_billing]


def sections(context: Context, tables: list[TableData]) -> tuple[str, str, list[Section]]:
    """What the PDF says, from the tables build() made (and last year's monthly services for the chart)."""
    period = context.period
    prior_billing = billing.build(Context(period.year_before(), context.county_ids))
    trends = _table(tables, "trends")
    by_county = _table(tables, "by_county").rows
    active_by_county: dict = {}
    for _code, name, status, count in by_county:
        if status == "active":
            active_by_county[name] = active_by_county.get(name, 0) + count
    top = sorted(active_by_county.items(), key=lambda item: (-item[1], item[0]))[:12]
    months_now = _monthly(_table(tables, "services").rows, period.start)
    months_then = _monthly(_table(prior_billing, "services").rows, period.year_before().start)
    exams = _table(tables, "exam_results").rows
    title = f"Peer Support Specialist Program: Annual Report, {period.label}"
    subtitle = f"State fiscal year {period.start.isoformat()} to {period.end.isoformat()}, compared with {period.year_before().label}."
    parts = [
        Section("Summary", ["Each figure for this fiscal year beside the year before."], tables=[trends]),
        Section(
            "Certified peers",
            ["Active certifications at the end of the fiscal year, in the counties with the most."],
            charts=[
                ChartSpec("Active certifications by county", [n for n, _c in top], {period.label: [c for _n, c in top]})
            ],
            tables=[_table(tables, "by_status"), _table(tables, "applications")],
        ),
        Section(
            "Exams",
            ["Attempts and passes by exam form."],
            charts=[
                ChartSpec(
                    "Exam results by form",
                    [r[0] for r in exams],
                    {"Attempts": [r[1] for r in exams], "Passed": [r[3] for r in exams]},
                )
            ]
            if exams
            else [],
            tables=[_table(tables, "exam_results")],
        ),
        Section(
            "Peer services",
            ["Service lines by month of the fiscal year (July to June), this year against the year before."],
            charts=[
                ChartSpec(
                    "Services by month",
                    MONTH_NAMES,
                    {period.year_before().label: months_then, period.label: months_now},
                )
            ],
            tables=[_table(tables, "totals"), _table(tables, "workforce")],
        ),
    ]
    return title, subtitle, parts


MONTH_NAMES = ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun"]


def _monthly(service_rows, start) -> list[int]:
    totals = [0] * 12
    for row in service_rows:
        month = row[4]
        index = (month.year - start.year) * 12 + month.month - start.month
        if 0 <= index < 12:
            totals[index] += row[5]
    return totals


DEFINITION = register(
    Definition(
        code="annual",
        name=_("Annual program report"),
        description=_(
            "The certification data and the billing and employment data for a state fiscal year, with trends "
            "against the year before: a PDF with charts, and every table as a workbook."
        ),
        period_kinds=(PeriodKind.FISCAL_YEAR,),
        formats=(ReportFormat.PDF, ReportFormat.XLSX, ReportFormat.CSV),
        tables=(
            TRENDS,
            *[t for t in certification.DEFINITION.tables if t.name != "person_extract"],
            *billing.DEFINITION.tables,
        ),
        build=build,
        takes_county=False,
    )
)
