"""Bulk verification: up to 5,000 certification numbers answered at once, by anyone.

An employer, a health plan or an EHR sends numbers (each optionally with the name it expects)
as a CSV upload or as JSON, and gets back each one's public record: status, expiry,
specializations, public disciplinary actions, and whether the name matches. Every line is
answered or reported on its own line: a malformed number or one sent twice is named by line
and the rest are still answered.

The answer costs a fixed number of SQL statements whatever the count (the certifications by
current number with their specializations, the former numbers still unmatched, then their
public disciplinary actions), so 5,000 numbers cost about what 5 do.

County staff seeing their own employees at once comes with the benefit app: it will call
`verify_items` with the numbers of the county's hires (no code for it here yet).
"""

import json
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext, gettext_noop

from peercert.certification.models import Certification, CertificationNumberRecord, CertificationStatus
from peercert.core.text import fill, fold
from peercert.core.vocabulary import Specialization
from peercert.discipline.selectors import public_actions_for_certifications
from peercert.registry.selectors import number_candidates, specialization_codes

MAX_ITEMS = 5000
MAX_NUMBER_LENGTH = 30
MAX_NAME_LENGTH = 200
COLUMNS = ("number", "name")
# What a number may hold: letters, digits, spaces, hyphens, dots and underscores, with at least one digit.
NUMBER_CHARACTERS = re.compile(r"[A-Za-z0-9 ._-]*\d[A-Za-z0-9 ._-]*")

PROBLEM_MALFORMED = "malformed"
PROBLEM_DUPLICATE = "duplicate"
PROBLEM_NOT_FOUND = "not_found"
CSV_HEADER = (
    "line",
    "number",
    "found",
    "current_number",
    "name",
    "status",
    "status_label",
    "issued_on",
    "expires_on",
    "specializations",
    "disciplinary_actions",
    "name_given",
    "name_matches",
    "problem",
    "message",
)


@dataclass(frozen=True)
class Item:
    line: int
    number: str
    name: str = ""


def _name_key(text: str) -> str:
    """A name folded for comparison: accents, case, hyphens and punctuation do not count."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


_NOT_WORD = re.compile(r"[^\w]+")


def _holder_keys(first: str, middle: str, last: str, preferred: str) -> set[str]:
    first, middle, last, preferred = (_name_key(p) for p in (first, middle, last, preferred))
    keys = {f"{first} {last}", f"{last} {first}"}
    if middle:
        keys |= {f"{first} {middle} {last}", f"{last} {first} {middle}"}
    if preferred:
        keys.add(f"{preferred} {last}")
    return keys


def name_matches(given: str, person) -> bool:
    """Whether a name someone typed is the holder's: first and last name (with or without the
    middle name, in either order), or the preferred name with the last name, accent- and case-folded."""
    given_key = _name_key(given)
    return bool(given_key) and given_key in _holder_keys(
        person.legal_first_name, person.legal_middle_name, person.legal_last_name, person.preferred_name
    )


def is_malformed(number: str) -> bool:
    number = (number or "").strip()
    return not number or len(number) > MAX_NUMBER_LENGTH or not NUMBER_CHARACTERS.fullmatch(number)


def items_from_table(table) -> tuple[list[Item], list[tuple[int, str]]]:
    """Items from a core.tabular Table (header `number`, optional `name`), and file-level problems."""
    if table.errors:
        return [], table.errors
    if "number" not in table.columns:
        return [], [
            (
                table.header_line,
                gettext("The first line must name a column “number” (and, if you like, a column “name”)."),
            )
        ]
    number_at, name_at = table.columns["number"], table.columns.get("name")
    items = []
    for line, cells in table.body:
        number = cells[number_at] if number_at < len(cells) else ""
        name = cells[name_at] if name_at is not None and name_at < len(cells) else ""
        items.append(Item(line=line, number=str(number or "").strip(), name=str(name or "").strip()))
    return items, []


@dataclass(frozen=True, slots=True)
class Found:
    """The public columns of one certification that bulk verification answers with."""

    pk: int
    number: str
    status: str
    issued_on: object
    expires_on: object
    person_id: int
    first: str
    middle: str
    last: str
    preferred: str
    specialization_codes: str | None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first, self.middle, self.last) if p)


FOUND_COLUMNS = (
    "pk",
    "number",
    "status",
    "issued_on",
    "expires_on",
    "person_id",
    "person__legal_first_name",
    "person__legal_middle_name",
    "person__legal_last_name",
    "person__preferred_name",
    "codes",
)


def one_parameter_list(values) -> RawSQL:
    """A list of strings for `__in` as one bound parameter (a PostgreSQL array, a JSON array in SQLite).

    15,000 candidate numbers as separate parameters cost Django more to prepare than the database
    takes to answer, and come close to SQLite's limit on parameters; one parameter costs neither.
    """
    values = sorted(values)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::text[])", [values])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])


def _lookup(keys: set[str]) -> dict[str, Found]:
    """{number: certification} for current numbers, then for former numbers still unmatched.

    Plain tuples (values_list), not model instances: building 5,000 certifications with their
    people costs several times the queries themselves.
    """
    if not keys:
        return {}
    rows = (
        Certification.objects.filter(number__in=one_parameter_list(keys))
        .order_by()
        .annotate(codes=specialization_codes())
        .values_list(*FOUND_COLUMNS)
    )
    found = {row[1]: Found(*row) for row in rows}
    former = keys - set(found)
    if former:
        records = (
            CertificationNumberRecord.objects.filter(number__in=one_parameter_list(former))
            .annotate(codes=specialization_codes("certification_id"))
            .order_by("id")
            .values_list("number", *(f"certification__{c}" for c in FOUND_COLUMNS[:-1]), "codes")
        )
        for number, *row in records:
            found[number.upper()] = Found(*row)  # the latest record wins (ordered by id)
    return found


def verify_items(items: list[Item]) -> dict:
    """Answer every item: {"count", "found", "problems", "results": [one dict per item, in line order]}.

    The caller has already refused more than MAX_ITEMS items. A number sent twice is answered
    on its first line and reported on the others; a malformed one is reported and not looked up.
    """
    candidates: dict[int, list[str]] = {}
    first_line: dict[str, int] = {}
    problems: dict[int, tuple[str, str]] = {}
    for item in items:
        if is_malformed(item.number):
            problems[item.line] = (
                PROBLEM_MALFORMED,
                fill(
                    gettext_noop(
                        "Line %(line)s: “%(number)s” is not a certification number. Numbers look like "
                        "PSS-000193 (letters, a hyphen and digits)."
                    ),
                    {"line": item.line, "number": item.number[:40]},
                ),
            )
            continue
        keys = number_candidates(item.number)
        if keys[0] in first_line:
            problems[item.line] = (
                PROBLEM_DUPLICATE,
                fill(
                    gettext_noop("Line %(line)s: %(number)s is already on line %(first)s; it is answered there."),
                    {"line": item.line, "number": keys[0], "first": first_line[keys[0]]},
                ),
            )
            continue
        first_line[keys[0]] = item.line
        candidates[item.line] = keys
    found = _lookup({k for keys in candidates.values() for k in keys})
    matched = {}
    for line, keys in candidates.items():
        cert = next((found[k] for k in keys if k in found), None)
        if cert is not None:
            matched[line] = cert
    actions = public_actions_for_certifications({c.pk: c for c in matched.values()}.values())
    status_labels = {s.value: str(s.label) for s in CertificationStatus}
    specialization_labels = {s.value: str(s.label) for s in Specialization}
    results = []
    for item in items:
        row = {
            "line": item.line,
            "number": item.number,
            "found": False,
            "current_number": None,
            "name": None,
            "status": None,
            "status_label": None,
            "issued_on": None,
            "expires_on": None,
            "specializations": [],
            "disciplinary_actions": [],
            "name_given": item.name or None,
            "name_matches": None,
            "problem": None,
            "message": None,
        }
        cert = matched.get(item.line)
        if item.line in problems:
            row["problem"], row["message"] = problems[item.line]
        elif cert is None:
            row["problem"] = PROBLEM_NOT_FOUND
            row["message"] = fill(
                gettext_noop("Line %(line)s: no certification has the number %(number)s."),
                {"line": item.line, "number": candidates[item.line][0]},
            )
        else:
            codes = sorted(filter(None, (cert.specialization_codes or "").split(",")))
            row.update(
                found=True,
                current_number=cert.number,
                name=cert.full_name,
                status=cert.status,
                status_label=status_labels[cert.status],
                issued_on=cert.issued_on,
                expires_on=cert.expires_on,
                specializations=[{"code": s, "label": specialization_labels[s]} for s in codes],
                disciplinary_actions=[
                    {"action": a.kind_label, "effective_on": a.effective_on, "summary": a.summary}
                    for a in actions.get(cert.pk, [])
                ],
                name_matches=(_name_key(item.name) in _holder_keys(cert.first, cert.middle, cert.last, cert.preferred))
                if item.name
                else None,
            )
        results.append(row)
    return {
        "count": len(results),
        "found": sum(1 for r in results if r["found"]),
        "problems": sum(1 for r in results if r["problem"]),
        "results": results,
    }


def csv_rows(answer: dict):
    """The answer as CSV rows (after CSV_HEADER), for core.csvexport."""
    for r in answer["results"]:
        yield [
            r["line"],
            r["number"],
            "yes" if r["found"] else "no",
            r["current_number"] or "",
            r["name"] or "",
            r["status"] or "",
            r["status_label"] or "",
            r["issued_on"].isoformat() if r["issued_on"] else "",
            r["expires_on"].isoformat() if r["expires_on"] else "",
            "; ".join(s["code"] for s in r["specializations"]),
            "; ".join(
                " ".join(
                    filter(
                        None, [a["action"], a["effective_on"].isoformat() if a["effective_on"] else "", a["summary"]]
                    )
                )
                for a in r["disciplinary_actions"]
            ),
            r["name_given"] or "",
            "" if r["name_matches"] is None else ("yes" if r["name_matches"] else "no"),
            r["problem"] or "",
            r["message"] or "",
        ]
