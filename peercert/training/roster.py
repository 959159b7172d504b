"""Reading and checking a roster file (CSV or XLSX) before anything is saved.

validate_roster reads no more than a handful of queries whatever the file's size: people are
matched in chunks of dates of birth, certification numbers through one hook call, and the
course's existing completions in one query.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_noop

from peercert.accounts.models import Person
from peercert.core.errors import ApplicationError
from peercert.core.tabular import DEFAULT_MAX_ROWS, cell, parse_date, parse_decimal, read_table
from peercert.core.text import fold
from peercert.core.vocabulary import CECategory
from peercert.training import hooks
from peercert.training.models import Completion, OfferingStatus, VersionStatus

NAME_COLUMNS = ("first_name", "last_name", "date_of_birth")
ID_COLUMN = "certification_number"
OPTIONAL_COLUMNS = ("completed_on", "ce_category", "email", "notes")
KNOWN_COLUMNS = (ID_COLUMN, *NAME_COLUMNS, "hours", *OPTIONAL_COLUMNS)
MAX_ROWS = DEFAULT_MAX_ROWS
CHUNK = 500


@dataclass
class RosterRow:
    line: int
    person_id: int
    person_label: str
    hours: Decimal
    completed_on: datetime.date
    ce_category: str
    is_new: bool = True


@dataclass
class RosterResult:
    sha256: str
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.rows if r.is_new)

    @property
    def already_count(self) -> int:
        return sum(1 for r in self.rows if not r.is_new)

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, message))


class RosterError(ApplicationError):
    """A roster with problems. Carries the whole report so the page can list every line."""

    def __init__(self, result: RosterResult):
        super().__init__(
            gettext_noop("The roster has %(count)s problem(s). Nothing was saved."),
            params={"count": len(result.errors)},
            code="invalid",
        )
        self.result = result


CATEGORY_WORDS = (
    {fold(v): v for v in CECategory.values}
    | {fold(str(label)): v for v, label in CECategory.choices}
    | {
        "law and ethics": CECategory.LAW_AND_ETHICS,
        "law & ethics": CECategory.LAW_AND_ETHICS,
        "ethics": CECategory.LAW_AND_ETHICS,
    }
)


def validate_roster(offering, *, content: bytes, filename: str, today: datetime.date) -> RosterResult:
    """Check a whole roster for one course and say, line by line, what would be saved.

    Nothing is written. Errors carry the file's line numbers (the header is line 1).
    """
    from peercert.training.services import check_completion_values

    result = RosterResult(sha256=hashlib.sha256(content).hexdigest())
    version = offering.curriculum_version
    if version.status not in (VersionStatus.APPROVED, VersionStatus.SUPERSEDED):
        result.error(
            0,
            f"The course teaches {version}, which DHCS has not approved "
            f"(“{version.get_status_display()}”). Completions cannot be recorded for it.",
        )
    if offering.status == OfferingStatus.CANCELLED:
        result.error(0, "This course was cancelled; it has no completions.")
    table = read_table(
        content,
        filename,
        known=KNOWN_COLUMNS,
        max_rows=MAX_ROWS,
        no_rows=gettext_noop("The file has a header but no people."),
    )
    header_line, col = table.header_line, table.columns
    has_number = ID_COLUMN in col
    has_names = all(c in col for c in NAME_COLUMNS)
    if col and "hours" not in col:
        table.errors.append((header_line, "The column “hours” is missing."))
    if col and not has_number and not has_names:
        missing = [c for c in NAME_COLUMNS if c not in col]
        table.errors.append(
            (
                header_line,
                f"Each person needs “{ID_COLUMN}”, or “first_name”, “last_name” and "
                f"“date_of_birth”. Missing: {', '.join(missing)}.",
            )
        )
    if table.errors:
        result.errors += table.errors
        return result
    body = table.body

    default_category = version.curriculum.ce_category
    default_date = min(offering.ends_on, today)
    parsed = []  # (line, number, name_key, hours, completed_on, category)
    for line, cells in body:
        problems = []
        number = str(cell(cells, col.get(ID_COLUMN)) or "").strip() if has_number else ""
        name_key = None
        if not number:
            first = cell(cells, col.get("first_name"))
            last = cell(cells, col.get("last_name"))
            try:
                dob = parse_date(cell(cells, col.get("date_of_birth")))
            except ValueError as exc:
                dob = None
                problems.append(f"Date of birth “{exc}” is not a date (use YYYY-MM-DD).")
            if not (first and last and dob):
                if not problems:
                    problems.append("Give a certification number, or first name, last name and date of birth.")
            else:
                name_key = (fold(str(first)), fold(str(last)), dob)
        try:
            hours = parse_decimal(cell(cells, col.get("hours")))
        except ValueError as exc:
            hours = None
            problems.append(f"Hours “{exc}” is not a number.")
        else:
            if hours is not None and hours != hours.quantize(Decimal("0.01")):
                problems.append(f"Hours “{hours}” has more than two decimal places.")
        try:
            completed_on = parse_date(cell(cells, col.get("completed_on"))) or default_date
        except ValueError as exc:
            completed_on = None
            problems.append(f"Completion date “{exc}” is not a date (use YYYY-MM-DD).")
        if not any(p.startswith("Hours") for p in problems) and completed_on is not None:
            problems += check_completion_values(offering, hours=hours, completed_on=completed_on, today=today)
        raw_category = cell(cells, col.get("ce_category"))
        category = default_category
        if raw_category not in (None, ""):
            category = CATEGORY_WORDS.get(fold(str(raw_category)))
            if category is None:
                problems.append(f"CE category “{raw_category}” is unknown; use general or law_ethics.")
        for p in problems:
            result.error(line, p)
        parsed.append((line, number, name_key, hours, completed_on, category, not problems))

    # Who the rows name, in a few set-based queries.
    numbers = {p[1] for p in parsed if p[1]}
    by_number = hooks.person_ids_for_certification_numbers(numbers)
    dobs = sorted({p[2][2] for p in parsed if p[2]})
    by_name: dict[tuple, list[int]] = {}
    labels: dict[int, str] = {}
    for i in range(0, len(dobs), CHUNK):
        for pid, first, last, dob in Person.objects.filter(date_of_birth__in=dobs[i : i + CHUNK]).values_list(
            "pk", "legal_first_name", "legal_last_name", "date_of_birth"
        ):
            by_name.setdefault((fold(first), fold(last), dob), []).append(pid)
            labels[pid] = f"{first} {last}"
    number_ids = set(by_number.values()) - set(labels)
    for i in range(0, len(number_ids), CHUNK):
        chunk = list(number_ids)[i : i + CHUNK]
        for pid, first, last in Person.objects.filter(pk__in=chunk).values_list(
            "pk", "legal_first_name", "legal_last_name"
        ):
            labels[pid] = f"{first} {last}"
    already = set(Completion.objects.filter(offering=offering).values_list("person_id", flat=True))

    seen: dict[int, int] = {}
    for line, number, name_key, hours, completed_on, category, ok in parsed:
        person_id = None
        if number:
            person_id = by_number.get(number)
            if person_id is None:
                if not hooks.certification_lookup_available():
                    result.error(
                        line,
                        f"Certification number {number} cannot be checked here yet. Use first name, "
                        "last name and date of birth instead.",
                    )
                else:
                    result.error(line, f"No one holds certification number {number}.")
        elif name_key:
            matches = by_name.get(name_key, [])
            if not matches:
                result.error(
                    line,
                    f"No one named {name_key[0].title()} {name_key[1].title()} born "
                    f"{name_key[2]:%Y-%m-%d} is on file. Check the spelling and date, or ask the "
                    "person to create an account.",
                )
            elif len(matches) > 1:
                result.error(
                    line,
                    f"More than one person is named {name_key[0].title()} {name_key[1].title()} "
                    f"born {name_key[2]:%Y-%m-%d}. Use their certification number.",
                )
            else:
                person_id = matches[0]
        if person_id is None:
            continue
        if person_id in seen:
            result.error(line, f"The same person is already on line {seen[person_id]}.")
            continue
        seen[person_id] = line
        if ok:
            result.rows.append(
                RosterRow(
                    line=line,
                    person_id=person_id,
                    person_label=labels.get(person_id, ""),
                    hours=hours,
                    completed_on=completed_on,
                    ce_category=category,
                    is_new=person_id not in already,
                )
            )
    result.errors.sort(key=lambda e: e[0])
    return result
