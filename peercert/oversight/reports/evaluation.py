"""The 1115 evaluation extract (42 CFR 431.424): a measure table for the demonstration's evaluation design,
de-identified for the package DHCS sends to federal partners (no names, no CIN, no person-level row; counts
below ProgramRules small_cell_suppression withheld, and the rates built from them)."""

from django.utils.translation import gettext_lazy as _

from peercert.billing import selectors as billing_selectors
from peercert.certification import selectors as certification_selectors
from peercert.core.rules import rules_on
from peercert.oversight.models.reports import PeriodKind, ReportFormat
from peercert.oversight.reports import Context, Definition, Field, Table, TableData, register
from peercert.oversight.reports._common import STATEWIDE, county_names, ratio

F = Field
SUPPRESSED = "suppressed"

MEASURES = Table(
    "measures",
    _("Evaluation measures"),
    (
        F("measure_id", _("Measure id")),
        F("definition", _("Definition")),
        F("county_code", _("County code"), _("Blank for the whole state.")),
        F("county", _("County")),
        F(
            "numerator",
            _("Numerator"),
            _("“suppressed” when 1 to the suppression threshold less one, or needed to hide one that is."),
        ),
        F("denominator", _("Denominator")),
        F("baseline_period", _("Baseline period"), _("The same period a year before.")),
        F("baseline_value", _("Baseline value")),
        F("current_period", _("Current period")),
        F("current_value", _("Current value")),
        F(
            "comparison_group",
            _("Comparison group"),
            _("Named where the evaluation design names one; blank otherwise."),
        ),
    ),
)
ABOUT = Table(
    "about",
    _("About this extract"),
    (F("item", _("Item")), F("value", _("Value"))),
)

DEFINITIONS = {
    "PSS-1": "Active certified peer support specialists per 100,000 Medi-Cal members (members: county reference table on the period's last day)",
    "PSS-2": "Medi-Cal beneficiaries receiving peer support services per 1,000 Medi-Cal members",
    "PSS-3": "Peer support services per beneficiary served",
}
COMPARISON = {
    # The design compares counties that bill peer services with the statewide figure; no other group is named.
    "PSS-1": "Statewide",
    "PSS-2": "Statewide",
    "PSS-3": "",
}


def _figures(period, county_ids) -> dict:
    """{county_id or None: {"certified": n, "members": n, "beneficiaries": n, "services": n}} in a fixed number of queries."""
    from peercert.oversight.selectors.reports import members_by_county

    certified = certification_selectors.certification_counts_for_report(
        on_date=period.end,
        by=("county",),
        statuses=[certification_selectors.CertificationStatus.ACTIVE],
        county_ids=county_ids,
    )
    members = members_by_county(period.end)
    served = billing_selectors.billing_beneficiaries_for_report(
        start=period.start, end=period.end, county_ids=county_ids
    )
    figures: dict = {}
    for row in certified:
        if row["county"] is not None:
            figures.setdefault(row["county"], {})["certified"] = row["certifications"]
    for county_id, count in members.items():
        if county_ids is None or county_id in county_ids:
            figures.setdefault(county_id, {})["members"] = count
    for row in served["by_county"]:
        figures.setdefault(row["county_id"], {}).update(beneficiaries=row["beneficiaries"], services=row["services"])
    statewide = {
        "certified": sum(r["certifications"] for r in certified),
        "members": sum(f.get("members", 0) for f in figures.values()),
        "beneficiaries": served["total"],
        "services": sum(r["services"] for r in served["by_county"]),
    }
    return {"counties": figures, "state": statewide}


def _measures(figures: dict) -> dict:
    """{measure id: (numerator, denominator, value)} for one county's (or the state's) figures."""
    certified, members = figures.get("certified", 0), figures.get("members", 0)
    beneficiaries, services = figures.get("beneficiaries", 0), figures.get("services", 0)
    return {
        "PSS-1": (certified, members, ratio(certified, members, scale=100_000, places="0.1")),
        "PSS-2": (beneficiaries, members, ratio(beneficiaries, members, scale=1_000, places="0.01")),
        "PSS-3": (services, beneficiaries, ratio(services, beneficiaries)),
    }


def small(value, threshold: int) -> bool:
    return isinstance(value, int) and 0 < value < threshold


def suppress_column(cells: list, threshold: int) -> set[int]:
    """Indexes of a column's counts to withhold, by the same small-cell suppression as the public dashboard
    (selectors/suppression.py): counts from 1 to threshold-1, and complementary cells so that none can be
    found by subtracting from the column's total. A cell that is not a count is never withheld."""
    from peercert.oversight.selectors.suppression import CountTable, suppress

    counts = tuple((v if isinstance(v, int) and v >= 0 else 0,) for v in cells)
    if not counts:
        return set()
    table = CountTable(
        key="measure",
        title="",
        row_header="",
        rows=tuple(str(i) for i in range(len(counts))),
        columns=("count",),
        values=counts,
        column_totals=True,
    )
    published = suppress(table, threshold=threshold)
    return {i for i, row in enumerate(published.cells) if row[0]["suppressed"]}


def build(context: Context) -> list[TableData]:
    period, counties = context.period, context.county_ids
    threshold = rules_on(period.end).small_cell_suppression
    names = county_names()
    baseline_period = period.year_before()
    now = _figures(period, counties)
    context.progress(1, 3)
    then = _figures(baseline_period, counties)
    context.progress(2, 3)
    county_list = sorted(set(now["counties"]) | set(then["counties"]), key=lambda pk: names.get(pk, ("", ""))[1])
    rows = []
    for measure_id, definition in DEFINITIONS.items():
        block = []
        for county_id in county_list:
            current = _measures(now["counties"].get(county_id, {}))[measure_id]
            baseline = _measures(then["counties"].get(county_id, {}))[measure_id]
            code, name = names.get(county_id, ("", str(county_id)))
            block.append(
                [
                    measure_id,
                    definition,
                    code,
                    name,
                    current[0],
                    current[1],
                    baseline_period.label,
                    baseline[2],
                    period.label,
                    current[2],
                    COMPARISON[measure_id],
                    baseline[0],
                ]
            )
        # Numerators and baseline numerators are counts of people or services: withhold small ones, and
        # every value built from one. The statewide row is published, so complementary suppression applies.
        for column, value_column in ((4, 9), (11, 7)):
            for index in suppress_column([row[column] for row in block], threshold):
                block[index][value_column] = SUPPRESSED
                if column == 4:
                    block[index][4] = SUPPRESSED
        state_now = _measures(now["state"])[measure_id]
        state_then = _measures(then["state"])[measure_id]
        state_row = [
            "",
            STATEWIDE,
            state_now[0],
            state_now[1],
            baseline_period.label,
            state_then[2],
            period.label,
            state_now[2],
            "",
        ]
        if small(state_now[0], threshold):
            state_row[2], state_row[7] = SUPPRESSED, SUPPRESSED
        if small(state_then[0], threshold):
            state_row[5] = SUPPRESSED
        rows.extend(tuple(row[:11]) for row in block)
        rows.append((measure_id, definition, *state_row))
    about = [
        ("regulation", "42 CFR 431.424 evaluation design; California 1115 demonstration"),
        ("current_period", f"{period.start.isoformat()} to {period.end.isoformat()}"),
        ("baseline_period", f"{baseline_period.start.isoformat()} to {baseline_period.end.isoformat()}"),
        ("small_cell_threshold", threshold),
        (
            "suppression",
            "Counts from 1 to the threshold less one are withheld, with every value computed from them; "
            "when one cell of a measure is withheld, the next-smallest is withheld too so it cannot be found from the total. Zero is shown.",
        ),
        ("de_identification", "No names, CINs, dates of birth or person-level rows; counties and periods only."),
    ]
    context.progress(3, 3)
    return [TableData(MEASURES, rows), TableData(ABOUT, about)]


DEFINITION = register(
    Definition(
        code="evaluation",
        name=_("1115 evaluation extract"),
        description=_(
            "The measure table for the demonstration's evaluation design (42 CFR 431.424), de-identified and with "
            "small cells suppressed: the package DHCS sends to federal partners."
        ),
        period_kinds=(PeriodKind.FISCAL_YEAR, PeriodKind.CALENDAR_YEAR),
        formats=(ReportFormat.CSV, ReportFormat.XLSX),
        tables=(MEASURES, ABOUT),
        build=build,
        takes_county=True,
    )
)
