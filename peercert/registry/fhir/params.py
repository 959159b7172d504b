"""Reading FHIR search parameters: every value checked, every refusal a message a person can act on.

A refusal is a FhirError, which the views answer with an OperationOutcome (400, or 404 for an
unknown id). Messages are gettext_noop keys filled in the reader's language (core.text.fill).
"""

import base64
import binascii
import datetime
import re
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_noop

from peercert.certification.services import NUMBER_PREFIX
from peercert.core.text import fill

DEFAULT_COUNT = 20
MAX_COUNT = 200
MAX_TEXT = 100
MAX_VALUES = 50  # comma-separated values in one identifier or _id
# Parameters every search takes besides its own: the response format and pretty-printing.
COMMON = {"_format", "_pretty"}
JSON_FORMATS = {"json", "application/json", "application/fhir+json", "application/json+fhir"}

_DATE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
_PREFIXES = ("eq", "ge", "gt", "le", "lt")
_NUMBER = re.compile(r"^([A-Z]*)(\d+)$")
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


class FhirError(Exception):
    def __init__(self, message: str, params: dict | None = None, *, status: int = 400, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.params = params or {}
        self.status = status
        self.code = code

    def text(self) -> str:
        return fill(self.message, self.params)


@dataclass
class Search:
    """A search as parsed: filters for the queries, plus what the paging links need."""

    filters: dict = field(default_factory=dict)
    count: int = DEFAULT_COUNT
    cursor: tuple[str, str] | None = None  # ("after" | "before", key)
    with_total: bool = True  # _total=none leaves Bundle.total out, and its count with it
    query: list[tuple[str, str]] = field(default_factory=list)  # the search's own parameters, for links


def _one(query, name: str, *, longest: int = MAX_TEXT * 4) -> str:
    values = query.getlist(name)
    if len(values) > 1:
        raise FhirError(
            gettext_noop("Give %(name)s once: it was given %(times)s times."), {"name": name, "times": len(values)}
        )
    value = values[0]
    if "\x00" in value:
        # The site's middleware refuses NUL before any view (web.middleware) except where a path is
        # left to answer in its own format; PostgreSQL cannot compare text holding one either way.
        raise FhirError(
            gettext_noop("The value of %(name)s holds an invisible NUL character. Retype it and search again."),
            {"name": name},
        )
    if len(value) > longest:
        raise FhirError(gettext_noop("The value of %(name)s is too long. Shorten it and search again."), {"name": name})
    return value


def _text(query, name: str) -> str:
    value = _one(query, name).strip()
    if len(value) > MAX_TEXT:
        raise FhirError(
            gettext_noop("%(name)s can be at most %(max)s characters. Shorten it and search again."),
            {"name": name, "max": MAX_TEXT},
        )
    if not value:
        raise FhirError(gettext_noop("%(name)s is empty. Give a value or leave it out."), {"name": name})
    return value


def _count(query) -> int:
    raw = _one(query, "_count").strip()
    if not raw.isdigit() or len(raw) > 4 or not 0 <= int(raw) <= MAX_COUNT:
        raise FhirError(
            gettext_noop("_count must be a whole number from 0 to %(max)s; “%(value)s” is not."),
            {"max": MAX_COUNT, "value": raw[:20]},
        )
    return int(raw)


def encode_cursor(direction: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{direction}:{key}".encode()).decode().rstrip("=")


def _cursor(query) -> tuple[str, str]:
    raw = _one(query, "_cursor").strip()
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    direction, _, key = decoded.partition(":")
    if direction not in ("after", "before") or not key or len(key) > 64 or "\x00" in key:
        raise FhirError(
            gettext_noop("The page link is not one this server made. Start the search again from its first page.")
        )
    return direction, key


def normalize_number(text: str) -> str:
    """A certification number as people type it: “193”, “pss000193” and “PSS-000193” are PSS-000193.

    Letters and digits are kept, anything else (spaces, hyphens) dropped; digits alone take the
    program's prefix, and fewer than six digits are padded to six, as numbers are issued.
    """
    compact = re.sub(r"[^A-Z0-9]", "", text.upper())
    found = _NUMBER.match(compact)
    if not found:
        return text.strip().upper()
    letters, digits = found.groups()
    return f"{letters or NUMBER_PREFIX.rstrip('-')}-{digits.zfill(6)}"


def _tokens(query, name: str, *, systems: set[str]) -> list[str]:
    """Comma-separated token values; a value with a system that is not one of ours matches nothing."""
    raw = _one(query, name, longest=MAX_VALUES * 100).strip()
    values = [v.strip() for v in raw.split(",")]
    if len(values) > MAX_VALUES or not all(values):
        raise FhirError(
            gettext_noop("Give %(name)s as 1 to %(max)s values separated by commas, none of them empty."),
            {"name": name, "max": MAX_VALUES},
        )
    out = []
    for value in values:
        if "|" in value:
            given_system, _, value = value.partition("|")
            if not value:
                raise FhirError(gettext_noop("Give %(name)s as system|value or just the value."), {"name": name})
            if given_system and given_system not in systems:
                continue  # another system's identifier: no match here
        out.append(value)
    return out


def _bound(raw: str) -> tuple[str, datetime.datetime, datetime.datetime]:
    """(prefix, start, end) of a FHIR date value: the range its precision covers, end excluded."""
    prefix = raw[:2] if raw[:2] in _PREFIXES else "eq"
    value = raw[2:] if raw[:2] in _PREFIXES else raw
    if raw[:2].isalpha() and raw[:2] not in _PREFIXES:
        raise FhirError(
            gettext_noop("_lastUpdated takes the prefixes eq, ge, gt, le and lt; “%(prefix)s” is not one of them."),
            {"prefix": raw[:2]},
        )
    found = _DATE.match(value)
    if not found:
        raise FhirError(
            gettext_noop(
                "_lastUpdated must be a date or a time such as 2026-03-01 or 2026-03-01T08:30:00Z; “%(value)s” is not."
            ),
            {"value": value[:40]},
        )
    parts = found.groupdict()
    if parts["hour"] is not None and parts["zone"] is None:
        raise FhirError(
            gettext_noop("Add a time zone to %(value)s, such as Z for UTC or -08:00 for Pacific time."),
            {"value": value[:40]},
        )
    if parts["zone"] is None:
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)  # a date alone is a day in California
    elif parts["zone"] == "Z":
        zone = datetime.UTC
    else:
        sign = 1 if parts["zone"][0] == "+" else -1
        hours, minutes = int(parts["zone"][1:3]), int(parts["zone"][4:6])
        if hours > 14 or minutes > 59:
            raise FhirError(gettext_noop("The time zone in %(value)s is not a real one."), {"value": value[:40]})
        zone = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
    try:
        year = int(parts["year"])
        if parts["month"] is None:
            start = datetime.datetime(year, 1, 1, tzinfo=zone)
            end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
        elif parts["day"] is None:
            month = int(parts["month"])
            start = datetime.datetime(year, month, 1, tzinfo=zone)
            end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
        else:
            day = datetime.date(year, int(parts["month"]), int(parts["day"]))
            if parts["hour"] is None:
                start = datetime.datetime(day.year, day.month, day.day, tzinfo=zone)
                end = start + datetime.timedelta(days=1)
            else:
                fraction = parts["fraction"]
                start = datetime.datetime(
                    day.year,
                    day.month,
                    day.day,
                    int(parts["hour"]),
                    int(parts["minute"]),
                    int(parts["second"] or 0),
                    int((fraction or "0").ljust(6, "0")),
                    tzinfo=zone,
                )
                if parts["second"] is None:
                    step = datetime.timedelta(minutes=1)
                elif fraction is None:
                    step = datetime.timedelta(seconds=1)
                else:
                    step = datetime.timedelta(microseconds=10 ** (6 - len(fraction)))
                end = start + step
    except (ValueError, OverflowError):
        raise FhirError(gettext_noop("%(value)s is not a real date or time."), {"value": value[:40]}) from None
    return prefix, start, end


def last_updated(query) -> dict:
    """_lastUpdated, once or twice (a range): the updated_at lookups it stands for."""
    values = query.getlist("_lastUpdated")
    if len(values) > 2:
        raise FhirError(gettext_noop("Give _lastUpdated at most twice (a start and an end)."))
    lookups = {}
    for raw in values:
        if len(raw) > 60:
            raise FhirError(
                gettext_noop("The value of %(name)s is too long. Shorten it and search again."),
                {"name": "_lastUpdated"},
            )
        prefix, start, end = _bound(raw.strip())
        if prefix == "eq":
            found = {"updated_at__gte": start, "updated_at__lt": end}
        elif prefix == "ge":
            found = {"updated_at__gte": start}
        elif prefix == "gt":
            found = {"updated_at__gte": end}
        elif prefix == "le":
            found = {"updated_at__lt": end}
        else:  # lt
            found = {"updated_at__lt": start}
        for lookup, moment in found.items():
            # Two bounds on one side: the tighter one holds.
            if lookup in lookups:
                moment = max(moment, lookups[lookup]) if lookup == "updated_at__gte" else min(moment, lookups[lookup])
            lookups[lookup] = moment
    return lookups


def check_format(query) -> None:
    if "_format" in query and _one(query, "_format").strip().lower() not in JSON_FORMATS:
        raise FhirError(
            gettext_noop("This server answers in JSON only: leave _format out or give _format=json."),
            status=406,
            code="not-supported",
        )


def parse_search(query, *, allowed: set[str], resource_type: str, system_for: dict[str, set[str]]) -> Search:
    """Check a search's query string against the parameters its resource takes.

    allowed: the resource's own parameters. system_for: the systems each token parameter accepts
    (an empty set for a token that takes none, such as _id).
    """
    names = set(query.keys())
    unknown = sorted(n for n in names - allowed - COMMON - {"_count", "_cursor", "_lastUpdated", "_total"})
    if unknown:
        raise FhirError(
            gettext_noop("%(resource)s cannot be searched by %(names)s. It can be searched by %(allowed)s."),
            {
                "resource": resource_type,
                "names": ", ".join(n[:40].replace("\x00", "") for n in unknown[:5]),
                "allowed": ", ".join(sorted(allowed | {"_lastUpdated", "_count", "_total"})),
            },
            code="not-supported",
        )
    check_format(query)
    search = Search()
    if "_count" in names:
        search.count = _count(query)
    if "_cursor" in names:
        search.cursor = _cursor(query)
    if "_total" in names:
        total = _one(query, "_total").strip()
        if total not in ("none", "estimate", "accurate"):
            raise FhirError(
                gettext_noop("_total must be none, estimate or accurate; “%(value)s” is not."), {"value": total[:20]}
            )
        # An estimate costs what the accurate count costs here, so it is the accurate count.
        search.with_total = total != "none"
        search.query.append(("_total", total))
    for name in sorted(allowed & names):
        key = name.split(":")[0]
        if name in system_for:
            search.filters[key] = _tokens(query, name, systems=system_for[name])
        else:
            search.filters[key] = _text(query, name)
        search.query.append((name, query.get(name)))
    if "_lastUpdated" in names:
        search.filters["last_updated"] = last_updated(query)
        search.query += [("_lastUpdated", v) for v in query.getlist("_lastUpdated")]
    return search


def check_id(value: str) -> str:
    if not _ID.match(value):
        raise FhirError(
            gettext_noop("There is no resource with the id %(id)s."), {"id": value[:64]}, status=404, code="not-found"
        )
    return value
