"""Each report defined once: its name, the kinds of period it covers, its parameters, its formats and the
fields of every table it holds (the data dictionary page reads the same definitions).

A definition's build(context) returns its tables as TableData, each already in a stable order, computed
by a fixed number of aggregate queries through the lower apps' selectors (never a loop over rows).
Registered here by code: certification, billing, annual, evaluation.
"""

import calendar
import contextlib
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from peercert.core.errors import ApplicationError
from peercert.oversight.models.reports import PeriodKind, ReportFormat


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    fields: tuple[Field, ...]
    description: str = ""


@dataclass
class TableData:
    spec: Table
    rows: list[tuple]


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.FISCAL_YEAR:
            return f"FY {self.start.year}-{str(self.end.year)[2:]}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        return str(self.start.year)

    def year_before(self) -> "Period":
        return Period(self.kind, _shift_year(self.start), _shift_year(self.end))


def _shift_year(day: datetime.date) -> datetime.date:
    if day.month == 2 and day.day == 29:
        return datetime.date(day.year - 1, 2, 28)
    # The last day of a February stays the last day.
    if day.month == 2 and day.day == 28 and calendar.isleap(day.year - 1):
        return datetime.date(day.year - 1, 2, 29)
    return day.replace(year=day.year - 1)


def period_of(kind: str, year: int, part: int | None = None) -> Period:
    """The period of a kind: a month (part 1-12) or quarter (part 1-4) of a year, the calendar year, or the
    state fiscal year that starts on July 1 of `year` (FY 2025-26 starts July 1, 2025)."""
    if kind not in PeriodKind.values:
        raise ApplicationError(
            "Choose the kind of period: month, quarter, fiscal year or calendar year.", field="period_kind"
        )
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ApplicationError("Enter a year between 2000 and 2100.", field="year")
    if kind == PeriodKind.MONTH:
        if part is None or not 1 <= part <= 12:
            raise ApplicationError("Enter the month as a number from 1 to 12.", field="part")
        last = calendar.monthrange(year, part)[1]
        return Period(kind, datetime.date(year, part, 1), datetime.date(year, part, last))
    if kind == PeriodKind.QUARTER:
        if part is None or not 1 <= part <= 4:
            raise ApplicationError("Enter the quarter as a number from 1 to 4.", field="part")
        first_month = 3 * (part - 1) + 1
        last = calendar.monthrange(year, first_month + 2)[1]
        return Period(kind, datetime.date(year, first_month, 1), datetime.date(year, first_month + 2, last))
    if kind == PeriodKind.FISCAL_YEAR:
        return Period(kind, datetime.date(year, 7, 1), datetime.date(year + 1, 6, 30))
    return Period(kind, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def last_fiscal_year_start(today: datetime.date) -> int:
    """The year the last ended state fiscal year began in."""
    return today.year - 1 if today.month >= 7 else today.year - 2


@dataclass(frozen=True)
class Context:
    """What a report is built for: its period, the counties it covers (None: every county)."""

    period: Period
    county_ids: tuple[int, ...] | None
    progress: Callable[[int, int], None] = lambda done, total: None


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    description: str
    period_kinds: tuple[str, ...]
    formats: tuple[str, ...]
    tables: tuple[Table, ...]
    build: Callable[[Context], list[TableData]]
    # Whether a county parameter applies (billing and evaluation are by county; certification is statewide).
    takes_county: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


REGISTRY: dict[str, Definition] = {}


def register(definition: Definition) -> Definition:
    REGISTRY[definition.code] = definition
    return definition


def definition(code: str) -> Definition:
    _load()
    try:
        return REGISTRY[code]
    except KeyError:
        raise ApplicationError("There is no report called “%(code)s”.", params={"code": code}, field="report") from None


def definitions() -> list[Definition]:
    _load()
    return [REGISTRY[code] for code in ("certification", "billing", "annual", "evaluation") if code in REGISTRY]


def _load() -> None:
    if REGISTRY:
        return
    from peercert.oversight.reports import annual, billing, certification, evaluation  # noqa: F401


ALL_FORMATS = (ReportFormat.CSV, ReportFormat.XLSX)
F = Field
COUNTY_FIELDS = (
    F("county_code", _("County code"), _("The county's two-digit code (01 to 58); blank for the whole state.")),
    F("county", _("County"), _("The county's name, or Statewide.")),
)


@contextlib.contextmanager
def report_session():
    """Give the report's aggregates room to sort and hash in memory on PostgreSQL (the default 4 MB
    work_mem spills a statewide GROUP BY with unique-beneficiary counts to disk, about ten times slower),
    for this connection only and only while the report is built. settings.REPORT_WORK_MEM, default 256MB."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    work_mem = getattr(settings, "REPORT_WORK_MEM", "256MB")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, false)", [work_mem])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET work_mem")
