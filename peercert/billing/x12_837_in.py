"""Reading the county EHR's own 837P (005010X222A1/A2) into service lines.

The file is streamed segment by segment with x12sdk's reader (never loaded into models as a whole),
bounded in size before it is read. For each service line (SV1) we keep its claim (CLM01), its line
number (LX01), its date (DTP*472), the subscriber's CIN (NM1*IL, MI), the rendering provider's NPI
(NM1*82 XX at line level, else claim level, else the billing provider's NM1*85), the procedure with
its modifiers, units or minutes, charge, and the place of service (CLM05-1).

Malformed files are refused as a whole: every problem names its segment number (counted from the ISA,
which is segment 1), the segment and the element, and nothing is saved.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext, gettext_noop
from x12sdk.io import X12SegmentReader

from peercert.billing.models import CIN_PATTERN
from peercert.billing.units import UNIT_MINUTES
from peercert.core.text import fill

ISA_LENGTH = 106
MAX_ERRORS = 20
IMPLEMENTATIONS = ("005010X222A1", "005010X222A2")
CODE = re.compile(r"^[A-Z0-9]{5}$")
MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
POS = re.compile(r"^[0-9]{2}$")
NPI = re.compile(r"^[0-9]{10}$")
CIN = re.compile(CIN_PATTERN)


def looks_like_x12(content: bytes) -> bool:
    return content.lstrip()[:3] == b"ISA"


@dataclass
class Parsed837:
    lines: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    segments: int = 0


class _Problems:
    def __init__(self, parsed: Parsed837):
        self.parsed = parsed

    def add(self, number: int, segment: str, element: str, message: str, params: dict | None = None) -> None:
        if len(self.parsed.errors) >= MAX_ERRORS:
            return
        where = fill(
            gettext_noop("Segment %(number)s (%(segment)s), element %(element)s"),
            {"number": number, "segment": segment, "element": element},
        )
        self.parsed.errors.append(f"{where}: {fill(message, params or {})}")


def _element(fields: list[str], index: int) -> str:
    return fields[index].strip() if index < len(fields) else ""


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def parse_837p(content: bytes) -> Parsed837:
    """The service lines of an 837P, or the file's problems by segment (then lines is empty)."""
    parsed = Parsed837()
    problems = _Problems(parsed)
    try:
        text = content.decode("ascii")
    except UnicodeDecodeError:
        try:
            text = content.decode("latin-1")
        except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes anything
            text = ""
    text = text.lstrip()
    if not text.startswith("ISA") or len(text) < ISA_LENGTH:
        problems.add(
            1,
            "ISA",
            "ISA01",
            gettext_noop("The file does not start with a complete ISA segment: it is not an X12 file."),
        )
        return parsed
    terminator = text[ISA_LENGTH - 1]
    if terminator not in "\r\n":
        text = text.replace("\r", "").replace("\n", "")
    if terminator.isalnum() or text[3].isalnum():
        problems.add(1, "ISA", "ISA16", gettext_noop("The ISA segment's delimiters are not readable."))
        return parsed
    component = text[104]

    lines: list[dict] = []
    billing_npi = ""
    subscriber_cin = ""
    claim: dict | None = None
    line: dict | None = None
    st_count = 0
    saw_st = False
    number = 0
    version_ok = False

    def finish_line():
        nonlocal line
        if line is not None:
            if line.get("service_date") is None and claim is not None and claim.get("service_date"):
                line["service_date"] = claim["service_date"]
            if line.get("service_date") is None:
                problems.add(
                    line["source_position"],
                    "SV1",
                    "DTP03",
                    gettext_noop("The service line has no date of service (DTP*472)."),
                )
            npi = line.pop("line_npi", "") or (claim or {}).get("rendering_npi", "") or billing_npi
            line["rendering_npi"] = npi
            lines.append(line)
        line = None

    with X12SegmentReader(text) as reader:
        for name, fields in reader.segments():
            if not name.strip():
                continue
            number += 1
            if saw_st:
                st_count += 1
            if name == "ISA":
                continue
            if name == "GS":
                version_ok = _element(fields, 8) in IMPLEMENTATIONS
                if not version_ok:
                    problems.add(
                        number,
                        "GS",
                        "GS08",
                        gettext_noop("The version is “%(version)s”; an 837P must be 005010X222A1 or A2."),
                        {"version": _element(fields, 8)},
                    )
            elif name == "ST":
                saw_st, st_count = True, 1
                if _element(fields, 1) != "837":
                    problems.add(
                        number,
                        "ST",
                        "ST01",
                        gettext_noop("The transaction is a %(kind)s, not an 837 claim."),
                        {"kind": _element(fields, 1)},
                    )
            elif name == "SE":
                finish_line()
                declared = _element(fields, 1)
                if not declared.isdigit() or int(declared) != st_count:
                    problems.add(
                        number,
                        "SE",
                        "SE01",
                        gettext_noop("SE01 says %(declared)s segments but the transaction has %(count)s."),
                        {"declared": declared, "count": st_count},
                    )
                saw_st = False
                claim = None
            elif name == "HL":
                finish_line()
                claim = None
                level = _element(fields, 3)
                if level == "22":
                    subscriber_cin = ""
            elif name == "NM1":
                entity = _element(fields, 1)
                qualifier, ident = _element(fields, 8), _element(fields, 9)
                if entity == "85":
                    billing_npi = ident if qualifier == "XX" else ""
                elif entity == "IL":
                    if qualifier != "MI" or not CIN.match(ident):
                        problems.add(
                            number,
                            "NM1",
                            "NM109",
                            gettext_noop(
                                "The subscriber's member ID “%(cin)s” is not a CIN (8 digits then a letter, qualifier MI)."
                            ),
                            {"cin": ident[:20]},
                        )
                    subscriber_cin = ident
                elif entity == "82":
                    if qualifier != "XX" or not NPI.match(ident):
                        problems.add(
                            number,
                            "NM1",
                            "NM109",
                            gettext_noop("The rendering provider's NPI “%(npi)s” is not 10 digits with qualifier XX."),
                            {"npi": ident[:20]},
                        )
                    if line is not None:
                        line["line_npi"] = ident
                    elif claim is not None:
                        claim["rendering_npi"] = ident
            elif name == "CLM":
                finish_line()
                claim_id = _element(fields, 1)
                place = _element(fields, 5).split(component)[0] if _element(fields, 5) else ""
                if not claim_id or len(claim_id) > 38:
                    problems.add(
                        number,
                        "CLM",
                        "CLM01",
                        gettext_noop("The claim has no submitter identifier (1 to 38 characters)."),
                    )
                if not POS.match(place):
                    problems.add(number, "CLM", "CLM05-1", gettext_noop("The place of service must be two digits."))
                if not subscriber_cin:
                    problems.add(
                        number, "CLM", "CLM01", gettext_noop("The claim comes before any subscriber (NM1*IL).")
                    )
                claim = {
                    "id": claim_id,
                    "place": place,
                    "cin": subscriber_cin,
                    "rendering_npi": "",
                    "service_date": None,
                }
            elif name == "LX":
                finish_line()
                lx = _element(fields, 1)
                if claim is None:
                    problems.add(number, "LX", "LX01", gettext_noop("A service line comes before its claim (CLM)."))
                if not lx.isdigit():
                    problems.add(number, "LX", "LX01", gettext_noop("The line number must be a whole number."))
                line = {
                    "source_claim_id": (claim or {}).get("id", ""),
                    "source_line_number": int(lx) if lx.isdigit() else None,
                    "source_position": number,
                    "cin": (claim or {}).get("cin", ""),
                    "place_of_service": (claim or {}).get("place", ""),
                    "service_date": None,
                }
            elif name == "SV1":
                if line is None:
                    problems.add(
                        number, "SV1", "SV101", gettext_noop("A service (SV1) comes before its line number (LX).")
                    )
                    continue
                _service(fields, component, number, line, problems)
                line["source_position"] = number
            elif name == "DTP":
                qualifier, fmt, value = _element(fields, 1), _element(fields, 2), _element(fields, 3)
                if qualifier != "472":
                    continue
                day = _date(value[:8]) if fmt in ("D8", "RD8") else None
                if day is None:
                    problems.add(
                        number,
                        "DTP",
                        "DTP03",
                        gettext_noop("“%(value)s” is not a date (CCYYMMDD)."),
                        {"value": value[:20]},
                    )
                elif line is not None:
                    line["service_date"] = day
                elif claim is not None:
                    claim["service_date"] = day
            elif name == "REF" and line is not None and _element(fields, 1) == "6R":
                line["county_reference"] = _element(fields, 2)[:50]
        finish_line()
    if not version_ok and not parsed.errors:
        problems.add(1, "GS", "GS08", gettext_noop("The file has no 837P functional group (GS)."))
    if not lines and not parsed.errors:
        problems.add(number, "SE", "SE01", gettext_noop("The file has no service lines (SV1)."))
    parsed.segments = number
    parsed.lines = [] if parsed.errors else lines
    return parsed


def _service(fields: list[str], component: str, number: int, line: dict, problems: _Problems) -> None:
    procedure = _element(fields, 1).split(component)
    qualifier = procedure[0] if procedure else ""
    code = procedure[1].strip() if len(procedure) > 1 else ""
    modifiers = [m.strip() for m in procedure[2:6] if m.strip()]
    if qualifier != "HC" or not CODE.match(code):
        problems.add(number, "SV1", "SV101", gettext_noop("The procedure must be HC with a 5-character HCPCS code."))
    for modifier in modifiers:
        if not MODIFIER.match(modifier):
            problems.add(
                number,
                "SV1",
                "SV101",
                gettext_noop("The modifier “%(modifier)s” is not two characters."),
                {"modifier": modifier[:10]},
            )
    try:
        charge = Decimal(_element(fields, 2) or "x")
        if not charge.is_finite() or charge < 0:
            raise InvalidOperation
    except InvalidOperation:
        problems.add(number, "SV1", "SV102", gettext_noop("The charge must be an amount of 0 or more."))
        charge = None
    measure, quantity = _element(fields, 3), _element(fields, 4)
    try:
        amount = Decimal(quantity)
        if not amount.is_finite() or amount < 0 or amount != amount.to_integral_value():
            raise InvalidOperation
        amount = int(amount)
    except InvalidOperation:
        problems.add(number, "SV1", "SV104", gettext_noop("The quantity must be a whole number of 0 or more."))
        amount = 0
    if measure == "MJ":
        minutes = amount
    elif measure == "UN":
        # Units as the EHR counted them: recorded as 15 minutes each, which gives the same units back.
        minutes = amount * UNIT_MINUTES
    else:
        problems.add(number, "SV1", "SV103", gettext_noop("The unit of measure must be UN (units) or MJ (minutes)."))
        minutes = 0
    if minutes <= 0 and measure in ("UN", "MJ"):
        problems.add(number, "SV1", "SV104", gettext_noop("A service must last more than 0 minutes."))
    line.update(
        code=code,
        modifiers=":".join(modifiers),
        minutes=minutes,
        charge_billed=charge,
    )
    if _element(fields, 5) and POS.match(_element(fields, 5)):
        line["place_of_service"] = _element(fields, 5)


def errors_message(errors: list[str]) -> str:
    return (
        gettext("The 837P file was not imported; nothing was saved. Fix these and upload it again:")
        + " "
        + "; ".join(errors)
    )
