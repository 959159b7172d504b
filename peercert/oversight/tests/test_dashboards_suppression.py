"""Small-cell suppression, property-based: for any table, nothing published is 1-10, nothing withheld
can be recovered by subtraction from a published total, zeros are shown, and rates built on a withheld
count are withheld."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peercert.oversight.selectors.dashboards import CountTable, RateSpec, suppress, suppress_together

THRESHOLD = 11


@st.composite
def tables(draw):
    n_rows = draw(st.integers(min_value=1, max_value=7))
    n_cols = draw(st.integers(min_value=1, max_value=5))
    # Mostly small counts, so suppression happens often; some large ones and many zeros.
    count = st.one_of(st.just(0), st.integers(1, 12), st.integers(0, 400))
    values = tuple(tuple(draw(count) for _ in range(n_cols)) for _ in range(n_rows))
    row_totals = draw(st.booleans())
    column_totals = draw(st.booleans())
    rates = ()
    if draw(st.booleans()):
        external = tuple(draw(st.one_of(st.none(), st.integers(1, 10**6))) for _ in range(n_rows))
        rates = (
            RateSpec(key="per", label="per", numerator=0, denominator="external", scale=100_000, external=external),
        )
        if n_cols > 1:
            rates += (RateSpec(key="share", label="share", numerator=0, denominator=1),)
        if row_totals:
            rates += (RateSpec(key="pct", label="pct", numerator=0, denominator="total"),)
    return CountTable(
        key="t",
        title="t",
        row_header="r",
        rows=tuple(f"r{i}" for i in range(n_rows)),
        columns=tuple(f"c{j}" for j in range(n_cols)),
        values=values,
        row_totals=row_totals,
        column_totals=column_totals,
        rates=rates,
    )


def _grid(table, published):
    """(true value, shown value or None) per position, and the additive lines, for the checks."""
    n_rows, n_cols = len(table.rows), len(table.columns)
    cells = {(r, c): (table.values[r][c], published.cells[r][c]) for r in range(n_rows) for c in range(n_cols)}
    row_total = {}
    if table.row_totals:
        for r in range(n_rows):
            row_total[r] = (sum(table.values[r]), published.cells[r][n_cols])
    col_total, grand = {}, None
    if table.column_totals:
        for c in range(n_cols):
            col_total[c] = (sum(table.values[r][c] for r in range(n_rows)), published.total_row[c])
        if table.row_totals:
            grand = (sum(map(sum, table.values)), published.total_row[n_cols])
    lines = []
    for r in range(n_rows):
        lines.append(([cells[(r, c)] for c in range(n_cols)], row_total.get(r)))
    for c in range(n_cols):
        lines.append(([cells[(r, c)] for r in range(n_rows)], col_total.get(c)))
    if grand is not None:
        lines.append((list(row_total.values()), grand))
        lines.append((list(col_total.values()), grand))
    everything = list(cells.values()) + list(row_total.values()) + list(col_total.values()) + ([grand] if grand else [])
    return everything, lines


@settings(max_examples=400, deadline=None)
@given(tables())
def test_no_published_count_is_between_1_and_10_and_zeros_are_shown(table):
    published = suppress(table, threshold=THRESHOLD)
    everything, _lines = _grid(table, published)
    for true, shown in everything:
        if shown["suppressed"]:
            assert shown["value"] is None
            assert true != 0, "a zero is never withheld"
        else:
            assert shown["value"] == true, "a shown count is the true count"
            assert not (1 <= true < THRESHOLD), f"{true} was published"


@settings(max_examples=400, deadline=None)
@given(tables())
def test_nothing_withheld_is_recoverable_from_a_published_total(table):
    published = suppress(table, threshold=THRESHOLD)
    _everything, lines = _grid(table, published)
    for parts, total in lines:
        hidden = [true for true, shown in parts if shown["suppressed"]]
        if total is None:
            continue
        total_true, total_shown = total
        if total_shown["suppressed"]:
            # A withheld total must not be the sum of parts that are all shown.
            assert hidden or total_true == 0
            continue
        # Published total minus published parts = the sum of the withheld parts.
        recovered = total_shown["value"] - sum(shown["value"] for _true, shown in parts if not shown["suppressed"])
        assert recovered == sum(hidden)
        assert len(hidden) != 1, "one withheld value would equal the total minus the others"
        assert not hidden or sum(hidden) >= THRESHOLD, "the withheld values together would be known to be small"


@settings(max_examples=300, deadline=None)
@given(tables())
def test_a_rate_built_on_a_withheld_count_is_withheld(table):
    published = suppress(table, threshold=THRESHOLD)
    n_cols = len(table.columns)
    first_rate = n_cols + (1 if table.row_totals else 0)
    for row in published.cells:
        for i, rate in enumerate(table.rates):
            cell = row[first_rate + i]
            used = [row[rate.numerator]]
            if rate.denominator == "total":
                used.append(row[n_cols])
            elif isinstance(rate.denominator, int):
                used.append(row[rate.denominator])
            if any(u["suppressed"] for u in used):
                assert cell["suppressed"] and cell["value"] is None
            else:
                assert not cell["suppressed"]


def _county_table(values, key_total="peers/state"):
    return CountTable(
        key="county",
        title="c",
        row_header="County",
        rows=tuple(f"County {i}" for i in range(len(values))),
        columns=("Certified peers",),
        values=tuple((v,) for v in values),
        column_totals=True,
        keys={("column_total", 0): key_total},
    )


def test_one_small_county_takes_the_next_smallest_with_it():
    published = suppress(_county_table([40, 3, 25, 0, 60]), threshold=THRESHOLD)
    shown = [row[0] for row in published.cells]
    assert [c["suppressed"] for c in shown] == [False, True, True, False, False]
    assert shown[3]["value"] == 0
    assert published.total_row[0]["value"] == 128


def test_withheld_values_that_sum_under_the_threshold_take_another():
    # 2 + 3 = 5 would be known from the total: the next smallest (20) goes too.
    published = suppress(_county_table([2, 3, 20, 50]), threshold=THRESHOLD)
    assert [row[0]["suppressed"] for row in published.cells] == [True, True, True, False]


def test_the_threshold_comes_from_the_caller():
    published = suppress(_county_table([5, 30, 30]), threshold=5)
    assert [row[0]["suppressed"] for row in published.cells] == [False, False, False]


def test_a_rate_from_a_withheld_count_is_withheld_and_one_without_a_denominator_is_not_available():
    table = CountTable(
        key="county",
        title="c",
        row_header="County",
        rows=("A", "B", "C"),
        columns=("Certified peers",),
        values=((4,), (31,), (62,)),
        rates=(
            RateSpec(
                key="per_100k",
                label="per 100,000",
                numerator=0,
                denominator="external",
                scale=100_000,
                external=(20_000, 100_000, None),
            ),
        ),
    )
    published = suppress(table, threshold=THRESHOLD)
    assert published.cells[0][1] == {"value": None, "suppressed": True}
    assert published.cells[1][1] == {"value": str(Decimal("31.0")), "suppressed": False}
    assert published.cells[2][1] == {"value": None, "suppressed": False}


def test_tables_published_together_withhold_a_shared_quantity_in_both():
    # Peers by county: 3 is withheld, and 25 with it (the next smallest).
    keys = {("cell", i, 0): f"peers/county/{i}" for i in range(3)}
    county = CountTable(
        key="county",
        title="c",
        row_header="County",
        rows=("A", "B", "C"),
        columns=("Certified peers",),
        values=((40,), (3,), (25,)),
        column_totals=True,
        keys=keys,
    )
    # The same peers split by whether they hold a specialization, with each county's total: alone,
    # county C's 25 would be published here, and county table's withheld 25 read off it.
    split = CountTable(
        key="split",
        title="s",
        row_header="County",
        rows=("A", "B", "C"),
        columns=("With a specialization", "Without"),
        values=((20, 20), (1, 2), (12, 13)),
        row_totals=True,
        keys={("row_total", i): f"peers/county/{i}" for i in range(3)},
    )
    alone = suppress(split, threshold=THRESHOLD)
    assert not alone.cells[2][2]["suppressed"]
    a, b = suppress_together([county, split], threshold=THRESHOLD)
    assert a.cells[2][0]["suppressed"]
    assert b.cells[2][2]["suppressed"], "the same county total is withheld in every table that shows it"
    assert sum(cell["suppressed"] for cell in b.cells[2][:2]) >= 1, "and it cannot be added back from its parts"


def test_bad_tables_are_refused():
    with pytest.raises(ValueError):
        CountTable(key="x", title="x", row_header="x", rows=("a",), columns=("b",), values=((-1,),))
    with pytest.raises(ValueError):
        suppress(_county_table([1]), threshold=0)
