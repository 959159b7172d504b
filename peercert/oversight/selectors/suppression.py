"""Small-cell suppression for every figure PeerCert publishes (CalHHS Data De-Identification
Guidelines; CMS cell-size policy). Pure functions: no database, no clock, no request.

A CountTable is a grid of counts (its *parts*), optionally with a published total per row, per column
and overall. `suppress(table, threshold=11)` returns a PublishedTable where:

- primary suppression: every count from 1 to threshold-1 is withheld, totals included; zero is shown;
- complementary suppression: in every line (a row's parts with its total, a column's parts with its
  total, the row totals with the grand total, the column totals with the grand total) a withheld
  value must not be recoverable by subtraction: a line never has exactly one withheld value, and when
  its total is published the withheld parts sum to at least the threshold. When a line fails, the
  next-smallest published non-zero part is withheld too (or, when none is left, the line's total);
  this repeats until every line holds;
- rates and percentages computed from a withheld count (numerator or denominator) are withheld;
- a value may carry a key naming the quantity it is ("peers/state"); `suppress_together` withholds a
  key everywhere once any table withholds it, so tables published together agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "CountTable",
    "PublishedTable",
    "RateSpec",
    "suppress",
    "suppress_together",
]

# A position in the grid: ("cell", r, c), ("row_total", r), ("column_total", c), ("grand_total",).
Position = tuple


@dataclass(frozen=True)
class RateSpec:
    """A derived column, per row (and for the totals row): numerator / denominator * scale.

    numerator: a part column index, or "total" (the row's total).
    denominator: a part column index, "total", or "external" (one number per row in `external`,
    e.g. Medi-Cal members; None where unknown: the rate is then "not available", not "suppressed").
    """

    key: str
    label: str
    numerator: int | str
    denominator: int | str
    scale: int = 100
    places: int = 1
    external: tuple[int | None, ...] | None = None
    external_total: int | None = None


@dataclass(frozen=True)
class CountTable:
    key: str
    title: str
    row_header: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]
    row_totals: bool = False
    column_totals: bool = False
    total_label: str = "Total"
    row_total_label: str | None = None  # the total column's heading, when it differs from the total row's
    rates: tuple[RateSpec, ...] = ()
    # Keys naming the same quantity in other tables: {position: key}.
    keys: dict = field(default_factory=dict)
    row_keys: tuple[str, ...] | None = None  # stable ids of the rows (county codes, months)
    column_keys: tuple[str, ...] | None = None

    def __post_init__(self):
        if len(self.values) != len(self.rows):
            raise ValueError("one row of values per row label")
        for row in self.values:
            if len(row) != len(self.columns):
                raise ValueError("one value per column in every row")
            for v in row:
                if not isinstance(v, int) or v < 0:
                    raise ValueError("counts are whole numbers, zero or more")


@dataclass
class PublishedTable:
    """What may be shown: each value is an int, or None with its position in `suppressed`."""

    key: str
    title: str
    row_header: str
    rows: list[str]
    row_keys: list[str]
    columns: list[dict]  # {"key", "label", "kind": "count" | "total" | "rate"}
    cells: list[list[dict]]  # per row, per column: {"value": int | str | None, "suppressed": bool}
    total_row: list[dict] | None
    total_label: str
    suppressed_keys: set[str] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "row_header": self.row_header,
            "columns": self.columns,
            "rows": [
                {"key": key, "label": label, "values": values}
                for key, label, values in zip(self.row_keys, self.rows, self.cells, strict=True)
            ],
            "total": None if self.total_row is None else {"label": self.total_label, "values": self.total_row},
        }

    def csv_rows(self, *, withheld: str, not_available: str) -> list[list]:
        """Header then one list per row (then the total row), withheld cells as the word given."""

        def show(cell):
            if cell["suppressed"]:
                return withheld
            return not_available if cell["value"] is None else cell["value"]

        out = [[self.row_header, *[c["label"] for c in self.columns]]]
        out += [[label, *[show(c) for c in row]] for label, row in zip(self.rows, self.cells, strict=True)]
        if self.total_row is not None:
            out.append([self.total_label, *[show(c) for c in self.total_row]])
        return out


def _positions(table: CountTable) -> dict[Position, int]:
    n_rows, n_cols = len(table.rows), len(table.columns)
    values: dict[Position, int] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            values[("cell", r, c)] = table.values[r][c]
    if table.row_totals:
        for r in range(n_rows):
            values[("row_total", r)] = sum(table.values[r])
    if table.column_totals:
        for c in range(n_cols):
            values[("column_total", c)] = sum(table.values[r][c] for r in range(n_rows))
    if table.row_totals and table.column_totals:
        values[("grand_total",)] = sum(sum(row) for row in table.values)
    return values


def _lines(table: CountTable) -> list[tuple[list[Position], Position | None]]:
    """Each additive relation as (parts, total): the total is None when it is not published."""
    n_rows, n_cols = len(table.rows), len(table.columns)
    lines = []
    if n_cols > 1 or table.row_totals:
        for r in range(n_rows):
            lines.append(([("cell", r, c) for c in range(n_cols)], ("row_total", r) if table.row_totals else None))
    if n_rows > 1 or table.column_totals:
        for c in range(n_cols):
            lines.append(
                ([("cell", r, c) for r in range(n_rows)], ("column_total", c) if table.column_totals else None)
            )
    if table.row_totals and table.column_totals:
        lines.append(([("row_total", r) for r in range(n_rows)], ("grand_total",)))
        lines.append(([("column_total", c) for c in range(n_cols)], ("grand_total",)))
    return lines


def _complete(values: dict[Position, int], lines, withheld: set[Position], threshold: int) -> None:
    """Withhold more values until no line gives one away (changes `withheld` in place)."""
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            if total is None:
                # Without a published total nothing in this line can be subtracted out.
                continue
            while True:
                hidden = [p for p in parts if p in withheld]
                total_hidden = total in withheld
                if total_hidden:
                    # The total is unknown: it is recoverable only when every part is shown.
                    if hidden or values[total] == 0:
                        break
                    need = True
                else:
                    hidden_sum = sum(values[p] for p in hidden)
                    need = bool(hidden) and (len(hidden) == 1 or hidden_sum < threshold)
                if not need:
                    break
                candidates = sorted(
                    (values[p], i, p) for i, p in enumerate(parts) if p not in withheld and values[p] > 0
                )
                if candidates:
                    withheld.add(candidates[0][2])
                elif not total_hidden:
                    withheld.add(total)
                else:  # pragma: no cover - every part shown and none non-zero means the total is 0
                    break
                changed = True


def _round(value: Decimal, places: int) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def suppress(
    table: CountTable, *, threshold: int, forced: Iterable[str] = (), forced_positions: Iterable[Position] = ()
) -> PublishedTable:
    """The table as it may be published (see the module's docstring). `forced` are keys another
    published table withholds; the same quantity is withheld here too."""
    if threshold < 1:
        raise ValueError("the threshold is a count of at least 1")
    values = _positions(table)
    forced = set(forced)
    withheld = {p for p, v in values.items() if 0 < v < threshold}
    withheld |= {p for p, key in table.keys.items() if key in forced and p in values}
    withheld |= {p for p in forced_positions if p in values}
    _complete(values, _lines(table), withheld, threshold)
    return _publish(table, values, withheld)


def suppress_together(tables: Sequence[CountTable], *, threshold: int) -> list[PublishedTable]:
    """Suppress tables published side by side so a quantity in two of them is withheld in both."""
    forced: set[str] = set()
    while True:
        published = [suppress(t, threshold=threshold, forced=forced) for t in tables]
        found = set().union(*(p.suppressed_keys for p in published)) if published else set()
        if found <= forced:
            return published
        forced |= found


def _cell(value, suppressed: bool) -> dict:
    return {"value": None if suppressed else value, "suppressed": suppressed}


def _publish(table: CountTable, values: dict, withheld: set) -> PublishedTable:
    n_rows, n_cols = len(table.rows), len(table.columns)
    columns = [
        {"key": (table.column_keys or table.columns)[c], "label": table.columns[c], "kind": "count"}
        for c in range(n_cols)
    ]
    if table.row_totals:
        columns.append({"key": "total", "label": table.row_total_label or table.total_label, "kind": "total"})
    columns += [{"key": rate.key, "label": rate.label, "kind": "rate"} for rate in table.rates]

    def pick(row_pos: dict[str, Position], which, external):
        pos = row_pos.get("total") if which == "total" else row_pos.get(which)
        if which == "external":
            return external, False
        if pos is None or pos not in values:
            return None, False
        return values[pos], pos in withheld

    def rate_cell(rate: RateSpec, row_pos: dict, external):
        num, num_hidden = pick(row_pos, rate.numerator, external)
        den, den_hidden = pick(row_pos, rate.denominator, external)
        if num_hidden or den_hidden:
            return _cell(None, True)
        if num is None or not den:
            return _cell(None, False)
        return _cell(_round(Decimal(num) * rate.scale / Decimal(den), rate.places), False)

    cells = []
    for r in range(n_rows):
        row = [_cell(values[("cell", r, c)], ("cell", r, c) in withheld) for c in range(n_cols)]
        positions = {c: ("cell", r, c) for c in range(n_cols)}
        if table.row_totals:
            row.append(_cell(values[("row_total", r)], ("row_total", r) in withheld))
            positions["total"] = ("row_total", r)
        for rate in table.rates:
            row.append(rate_cell(rate, positions, rate.external[r] if rate.external is not None else None))
        cells.append(row)

    total_row = None
    if table.column_totals:
        total_row = [_cell(values[("column_total", c)], ("column_total", c) in withheld) for c in range(n_cols)]
        positions = {c: ("column_total", c) for c in range(n_cols)}
        if table.row_totals:
            total_row.append(_cell(values[("grand_total",)], ("grand_total",) in withheld))
            positions["total"] = ("grand_total",)
        for rate in table.rates:
            total_row.append(rate_cell(rate, positions, rate.external_total))

    return PublishedTable(
        key=table.key,
        title=table.title,
        row_header=table.row_header,
        rows=list(table.rows),
        row_keys=[str(k) for k in (table.row_keys or table.rows)],
        columns=columns,
        cells=cells,
        total_row=total_row,
        total_label=table.total_label,
        suppressed_keys={key for pos, key in table.keys.items() if pos in withheld},
    )
