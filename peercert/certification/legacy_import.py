"""Program staff import past decisions (grandparenting and others made before PeerCert) from a file.

One row is one past application. Each row passes the same checks as a record entered by
hand (services.historical_record_build); the whole file is checked before anything is
written, every problem is reported with its line number, and nothing is saved unless every
line is good. Re-importing a file is refused line by line ("already recorded"), so it
changes nothing. Reads and writes are set-based: a few queries whatever the file's size.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_noop

from peercert.accounts.audit import AccountsAuditAction
from peercert.accounts.models import CertificationProgram, County, Person
from peercert.certification.audit import AuditAction
from peercert.certification.models import Application
from peercert.certification.permissions import can_review_in
from peercert.certification.services import HistoricalRecord, historical_already_recorded, historical_record_build
from peercert.core import clock, csvexport
from peercert.core.audit import audit_record_many
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_picker
from peercert.core.tabular import (
    DEFAULT_MAX_BYTES,
    cell,
    check_tabular_upload,
    parse_date,
    parse_decimal,
    read_table,
)
from peercert.core.text import fold
from peercert.core.types import Actor

REQUIRED_COLUMNS = (
    "legal_first_name",
    "legal_last_name",
    "date_of_birth",
    "email",
    "pathway",
    "status",
    "submitted_on",
    "decided_on",
)
OPTIONAL_COLUMNS = (
    "legal_middle_name",
    "reason",
    "peer_work_hours",
    "employed_as_peer_on_cutoff",
    "ce_hours",
    "ce_law_ethics_hours",
    "county",
)
COLUMNS = (
    "legal_first_name",
    "legal_middle_name",
    "legal_last_name",
    "date_of_birth",
    "email",
    "pathway",
    "status",
    "submitted_on",
    "decided_on",
    "reason",
    "peer_work_hours",
    "employed_as_peer_on_cutoff",
    "ce_hours",
    "ce_law_ethics_hours",
    "county",
)
EXAMPLE_ROW = (
    "María",
    "José",
    "Hernández",
    "1980-03-14",
    "maria.hernandez@example.org",
    "grandparenting",
    "approved",
    "2022-05-02",
    "2022-06-20",
    "",
    "2400",
    "yes",
    "22",
    "6",
    "Fresno",
)
MAX_ROWS = 5000
MAX_BYTES = DEFAULT_MAX_BYTES
CHUNK = 500
NAME_MAX = 100
YES = {"yes", "y", "true", "1", "si", "sí"}
NO = {"no", "n", "false", "0"}
ACTION = AuditAction.APPLICATION_ENTER_HISTORICAL


@dataclass
class ImportedLine:
    line: int
    person: Person
    record: HistoricalRecord


@dataclass
class ImportResult:
    filename: str
    sha256: str
    lines: list[ImportedLine] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, message))

    new_people: list[Person] = field(default_factory=list)  # not yet on file: the import creates them

    @property
    def people(self) -> list[Person]:
        """Everyone the file names, once each, in file order."""
        seen, out = set(), []
        for item in self.lines:
            if id(item.person) not in seen:
                seen.add(id(item.person))
                out.append(item.person)
        return out


class LegacyImportError(ApplicationError):
    """A file with problems. Carries the whole report so the page can list every line."""

    def __init__(self, result: ImportResult):
        super().__init__(
            gettext_noop("The file has %(count)s problem(s). Nothing was saved."),
            params={"count": len(result.errors)},
            code="invalid",
        )
        self.result = result


def template_csv() -> str:
    """The header row and one example row, for staff to fill in."""
    return csvexport.csv_text([COLUMNS, EXAMPLE_ROW])


def _yes_no(value) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    word = fold(str(value))
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(str(value))


def _county_key(name: str) -> str:
    key = fold(name)
    return key[: -len(" county")] if key.endswith(" county") else key


@dataclass
class _Row:
    line: int
    email: str
    names: tuple[str, str, str]
    born: datetime.date
    values: dict
    ok: bool


def _parse_row(line: int, cells: list, col: dict, counties: dict, result: ImportResult) -> _Row | None:
    """One line's values, typed; problems go to result. None when the line cannot go further."""
    problems = []

    def text(name: str) -> str:
        value = cell(cells, col.get(name))
        return "" if value is None else str(value).strip()

    for name in REQUIRED_COLUMNS:
        if not text(name):
            problems.append(f"“{name}” is missing.")
    names = (text("legal_first_name"), text("legal_middle_name"), text("legal_last_name"))
    if any(len(n) > NAME_MAX for n in names):
        problems.append(f"Names are limited to {NAME_MAX} characters.")
    email = text("email").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"“{email}” is not an email address.")

    def parsed(names: tuple[str, ...], parse, hint: str) -> dict:
        """{column: value or None}; an unreadable cell becomes a problem naming the column."""
        values = {}
        for name in names:
            try:
                values[name] = parse(cell(cells, col.get(name)))
            except ValueError as exc:
                values[name] = None
                problems.append(f"{name} “{exc}” {hint}")
        return values

    dates = parsed(("date_of_birth", "submitted_on", "decided_on"), parse_date, "is not a date (use YYYY-MM-DD).")
    hours = parsed(("peer_work_hours", "ce_hours", "ce_law_ethics_hours"), parse_decimal, "is not a number.")
    answers = {k: v for k, v in hours.items() if v is not None}
    try:
        employed = _yes_no(cell(cells, col.get("employed_as_peer_on_cutoff")))
    except ValueError as exc:
        problems.append(f"employed_as_peer_on_cutoff “{exc}” must be yes or no.")
    else:
        if employed is not None:
            answers["employed_as_peer_on_cutoff"] = employed
    county_name = text("county")
    if county_name:
        county = counties.get(_county_key(county_name))
        if county is None:
            problems.append(f"County “{county_name}” is not one of California's 58 counties.")
        else:
            answers["county"] = county
    for p in problems:
        result.error(line, p)
    if problems and (not email or dates["date_of_birth"] is None):
        return None
    values = {
        "pathway": text("pathway").lower(),
        "status": text("status").lower(),
        "submitted_on": dates["submitted_on"],
        "decided_on": dates["decided_on"],
        "reason": text("reason"),
        **answers,
    }
    return _Row(line=line, email=email, names=names, born=dates["date_of_birth"], values=values, ok=not problems)


def _people_by_email(emails: set[str]) -> dict[str, list[Person]]:
    found: dict[str, list[Person]] = {}
    ordered = sorted(emails)
    for i in range(0, len(ordered), CHUNK):
        for person in Person.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=ordered[i : i + CHUNK]
        ):
            found.setdefault(person.email_lower, []).append(person)
    return found


def validate_legacy_file(
    *, actor: Actor, program, content: bytes, filename: str, today: datetime.date | None = None
) -> ImportResult:
    """Check a whole file of past decisions and build (unsaved) what it would save. Writes nothing.

    Errors carry the file's line numbers (the header is line 1).
    """
    today = today or clock.today()
    result = ImportResult(filename=filename, sha256=hashlib.sha256(content).hexdigest())
    table = read_table(
        content,
        filename,
        known=COLUMNS,
        max_rows=MAX_ROWS,
        no_rows=gettext_noop("The file has a header but no records."),
    )
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if table.columns and missing:
        table.errors.append(
            (table.header_line, f"Missing column(s): {', '.join(missing)}. Download the template to see every column.")
        )
    if table.errors:
        result.errors = table.errors
        return result

    counties = {_county_key(c.name): c for c in County.objects.all()}
    rows = [r for r in (_parse_row(n, cells, table.columns, counties, result) for n, cells in table.body) if r]
    on_file = _people_by_email({r.email for r in rows})
    rules_for = rules_picker(older_use_first=True)

    new_people: dict[str, tuple[Person, int]] = {}
    keyed = []  # (row, person, key) for rows that built
    seen: dict[tuple, int] = {}
    for row in rows:
        matches = on_file.get(row.email, [])
        if len(matches) > 1:
            result.error(
                row.line,
                f"More than one person on file has the email {row.email}. Enter this record by "
                "hand from the person's page.",
            )
            continue
        if matches:
            person = matches[0]
            if person.date_of_birth and person.date_of_birth != row.born:
                result.error(
                    row.line,
                    f"{person.full_name} ({row.email}) is on file born "
                    f"{person.date_of_birth:%Y-%m-%d}, not {row.born:%Y-%m-%d}. Check the date.",
                )
                continue
        elif row.email in new_people:
            person, first_line = new_people[row.email]
            if (person.date_of_birth, person.legal_first_name, person.legal_middle_name, person.legal_last_name) != (
                row.born,
                *row.names,
            ):
                result.error(row.line, f"Line {first_line} gives a different name or date of birth for {row.email}.")
                continue
        else:
            first, middle, last = row.names
            person = Person(
                legal_first_name=first,
                legal_middle_name=middle,
                legal_last_name=last,
                date_of_birth=row.born,
                email=row.email,
            )
            person.search_name = person.folded_name()
            new_people[row.email] = (person, row.line)
        key = (row.email, row.values["pathway"], row.values["decided_on"])
        if key[2] is not None and key in seen:
            result.error(
                row.line, f"Line {seen[key]} already has this person's {key[1]} decision of {key[2]:%Y-%m-%d}."
            )
            continue
        seen[key] = row.line
        if not row.ok:
            continue
        record, errors = historical_record_build(
            actor=actor,
            person=person,
            program=program,
            today=today,
            rules_for=rules_for,
            legal_names=row.names,
            date_of_birth=row.born,
            **row.values,
        )
        for e in errors:
            result.error(row.line, e.message)
        if record is not None:
            keyed.append(ImportedLine(line=row.line, person=person, record=record))

    already = historical_already_recorded(
        program,
        [
            (i.person.pk, i.record.application.pathway, i.record.application.decided_at.date())
            for i in keyed
            if i.person.pk is not None
        ],
    )
    for item in keyed:
        key = (item.person.pk, item.record.application.pathway, item.record.application.decided_at.date())
        if item.person.pk is not None and key in already:
            result.error(
                item.line,
                f"Already recorded (application {already[key]}): {item.person.full_name}'s "
                f"{key[1]} decision of {key[2]:%Y-%m-%d}. Remove the line.",
            )
        else:
            result.lines.append(item)
    result.new_people = [p for p in result.people if p.pk is None]
    result.errors.sort(key=lambda e: e[0])
    return result


@transaction.atomic
def legacy_records_import(*, actor: Actor, program, upload) -> ImportResult:
    """Save every past decision in an uploaded file, all or nothing.

    Preconditions: actor reviews in the program; the file is a CSV or XLSX within MAX_BYTES
    (checked by its contents); every line passes validate_legacy_file (else LegacyImportError
    with the whole report, and nothing is saved). Side effects: people
    not yet on file are created (no user account); one Application per line with
    entered_by_staff; one audit event per application and per person created, naming the
    file and its sha256.
    """
    if not can_review_in(actor, program.pk):
        raise ApplicationError("Only staff of the program may import past records.", code="forbidden")
    # One import per program at a time, so two uploads of one file cannot both pass the check.
    CertificationProgram.objects.select_for_update().filter(pk=program.pk).first()
    content, filename = check_tabular_upload(upload, max_bytes=MAX_BYTES), upload.name
    result = validate_legacy_file(actor=actor, program=program, content=content, filename=filename)
    if result.errors:
        raise LegacyImportError(result)
    ensure_not_own_matter(actor, *(item.person.pk for item in result.lines), what="record")
    reason = f"imported from {filename} (sha256 {result.sha256})"
    people = result.new_people
    Person.objects.bulk_create(people, batch_size=CHUNK)
    applications = [item.record.application for item in result.lines]
    Application.objects.bulk_create(applications, batch_size=CHUNK)
    audit_record_many(
        actor=actor,
        action=AccountsAuditAction.PERSON_CREATE,
        object_type="accounts.person",
        reason=reason,
        rows=[
            (p.pk, p.full_name, None, {"email": p.email, "date_of_birth": p.date_of_birth.isoformat()}) for p in people
        ],
    )
    audit_record_many(
        actor=actor,
        action=ACTION,
        object_type=Application._meta.label_lower,
        reason=reason,
        rows=[
            (item.record.application.pk, str(item.record.application), None, item.record.audit_after)
            for item in result.lines
        ],
    )
    return result
