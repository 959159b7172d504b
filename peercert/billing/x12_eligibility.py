"""X12 eligibility files (005010X279A1): the 271 responses a county imports, the 270 inquiry it sends.

The 271 is read segment by segment with x12sdk's streaming reader, so every problem is named by its
segment number (ISA is segment 1) and element (NM109, DTP03...). The 270 is built from x12sdk's
transaction models (which validate each segment as it is made), written out with its envelopes and
checked again: read back and re-parsed as x12sdk models, and with pyx12 when pyx12 has a map for
005010X279A1 (pyx12 4.0.0 ships none: its 5010 270/271 maps are commented out of maps.xml).

No beneficiary's name leaves this module in a message: problems name the CIN and the segment only.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from peercert.core.text import fill

IMPLEMENTATION = "005010X279A1"
CIN_RE = re.compile(r"^[0-9]{8}[A-Z]$")
# EB01 codes (005010X279A1): 1-5 are active coverage of some kind; 6-8 inactive; I is non-covered.
ACTIVE_CODES = frozenset({"1", "2", "3", "4", "5"})
INACTIVE_CODES = frozenset({"6", "7", "8", "I"})
AID_CODE_RE = re.compile(r"^[0-9A-Z]{2,3}$")
# Where an aid code may be given, besides EB05: REF*18 (plan number) or REF*6P (group number). Assumed:
# Medi-Cal's companion guide places the aid code in the 2110C loop; both are read.
AID_CODE_REFS = frozenset({"18", "6P"})
MAX_MONTHS_PER_RANGE = 24
PAYER_NAME = "CALIFORNIA DHCS MEDI-CAL"
PAYER_ID = "610442"


@dataclass
class Found:
    """One subscriber-month a 271 answered."""

    position: int  # the segment number of the subscriber's NM1
    cin: str
    month: datetime.date
    eligible: bool
    aid_code: str = ""


@dataclass
class Parsed:
    rows: list[Found] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _problem(parsed: Parsed, position: int, message: str, **params) -> None:
    parsed.errors.append((position, fill(message, params)))


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value, "%Y%m%d").date()
    except (TypeError, ValueError):
        return None


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end and len(months) < MAX_MONTHS_PER_RANGE:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _element(fields: list[str], n: int) -> str:
    return fields[n].strip() if len(fields) > n else ""


class _Subscriber:
    def __init__(self, position: int, cin: str):
        self.position = position
        self.cin = cin
        self.months: list[datetime.date] = []
        self.benefit_months: list[datetime.date] = []
        self.statuses: list[bool] = []
        self.aid_code = ""


def _segments(text: str):
    """(segment number, name, elements) through x12sdk's streaming reader; ISA is segment 1."""
    from x12sdk.io import X12SegmentReader

    with X12SegmentReader(text) as reader:
        for number, (name, elements) in enumerate(reader.segments(), start=1):
            yield number, name.strip(), elements


def parse_271(text: str, *, this_month: datetime.date) -> Parsed:
    """Each subscriber's CIN (NM1*IL, NM108 MI), its EB eligibility and month(s) (DTP*307 or 291).

    A month after this_month is refused. Nothing is returned as rows when there are errors' callers
    decide; the importer refuses the whole file on any error.
    """
    parsed = Parsed()
    text = text.replace("\r", "")
    if not text.startswith("ISA") or len(text) < 106:
        _problem(parsed, 1, gettext_noop("The file does not start with an ISA segment, so it is not an X12 file."))
        return parsed
    subscriber: _Subscriber | None = None
    seen_st = False

    def close():
        nonlocal subscriber
        if subscriber is None:
            return
        current = subscriber
        subscriber = None
        if not current.statuses:
            _problem(
                parsed,
                current.position,
                gettext_noop(
                    "Segment %(n)s: the subscriber with CIN %(cin)s has no EB segment saying whether they are eligible."
                ),
                n=current.position,
                cin=current.cin,
            )
            return
        months = current.benefit_months or current.months
        if not months:
            _problem(
                parsed,
                current.position,
                gettext_noop(
                    "Segment %(n)s: the subscriber with CIN %(cin)s has no DTP*307 or DTP*291 naming the month."
                ),
                n=current.position,
                cin=current.cin,
            )
            return
        eligible = any(current.statuses)
        for month in dict.fromkeys(months):
            parsed.rows.append(
                Found(current.position, current.cin, month, eligible, current.aid_code if eligible else "")
            )

    try:
        for number, name, el in _segments(text):
            if name == "GS" and _element(el, 8) != IMPLEMENTATION:
                _problem(
                    parsed,
                    number,
                    gettext_noop(
                        "Segment %(n)s (GS), element GS08: the file is %(found)s, not %(want)s (a 271 response)."
                    ),
                    n=number,
                    found=_element(el, 8) or "?",
                    want=IMPLEMENTATION,
                )
                return parsed
            if name == "ST":
                seen_st = True
                if _element(el, 1) != "271":
                    _problem(
                        parsed,
                        number,
                        gettext_noop("Segment %(n)s (ST), element ST01: the transaction is %(found)s, not a 271."),
                        n=number,
                        found=_element(el, 1) or "?",
                    )
                    return parsed
            elif name in ("HL", "SE"):
                close()
            elif name == "NM1" and _element(el, 1) == "IL":
                close()
                cin = _element(el, 9).upper()
                if _element(el, 8) != "MI":
                    _problem(
                        parsed,
                        number,
                        gettext_noop(
                            "Segment %(n)s (NM1), element NM108: the subscriber's id must be qualified MI (member id)."
                        ),
                        n=number,
                    )
                elif not CIN_RE.match(cin):
                    _problem(
                        parsed,
                        number,
                        gettext_noop(
                            "Segment %(n)s (NM1), element NM109: “%(cin)s” is not a CIN (8 digits, then a letter)."
                        ),
                        n=number,
                        cin=cin[:20],
                    )
                else:
                    subscriber = _Subscriber(number, cin)
            elif subscriber is None:
                continue
            elif name == "DTP" and _element(el, 1) in ("307", "291"):
                _read_dtp(parsed, subscriber, number, el, this_month)
            elif name == "EB":
                code = _element(el, 1)
                if code in ACTIVE_CODES or code in INACTIVE_CODES:
                    subscriber.statuses.append(code in ACTIVE_CODES)
                    aid = _element(el, 5).upper()
                    if aid and AID_CODE_RE.match(aid):
                        subscriber.aid_code = aid
                elif not code:
                    _problem(
                        parsed,
                        number,
                        gettext_noop("Segment %(n)s (EB), element EB01: the eligibility code is missing."),
                        n=number,
                    )
            elif name == "REF" and _element(el, 1) in AID_CODE_REFS:
                aid = _element(el, 2).upper()
                if AID_CODE_RE.match(aid):
                    subscriber.aid_code = aid
        close()
    except (ValueError, IndexError, UnicodeError):
        _problem(parsed, 1, gettext_noop("The file could not be read as X12: its ISA segment is damaged."))
        return parsed
    if not seen_st:
        _problem(parsed, 1, gettext_noop("The file has no ST segment: it holds no 271 transaction."))
    return parsed


def _read_dtp(parsed: Parsed, subscriber: _Subscriber, number: int, el: list[str], this_month: datetime.date) -> None:
    kind, value = _element(el, 2), _element(el, 3)
    if kind == "D8":
        day = _date(value)
        start = end = day
    elif kind == "RD8" and "-" in value:
        first, _, last = value.partition("-")
        start, end = _date(first), _date(last)
    else:
        start = end = None
    if start is None or end is None or end < start:
        _problem(
            parsed,
            number,
            gettext_noop(
                "Segment %(n)s (DTP), element DTP03: “%(value)s” is not a date (CCYYMMDD) or range (CCYYMMDD-CCYYMMDD)."
            ),
            n=number,
            value=value[:20],
        )
        return
    if start.replace(day=1) > this_month:
        _problem(
            parsed,
            number,
            gettext_noop("Segment %(n)s (DTP), element DTP03: eligibility for a future month cannot be recorded."),
            n=number,
        )
        return
    # A range reaching past this month (coverage through the end of the year) is recorded up to this month.
    months = _months(start, min(end, this_month))
    target = subscriber.benefit_months if subscriber.statuses else subscriber.months
    target.extend(months)


# ---- 270 out -------------------------------------------------------------------------------------


@dataclass
class Member:
    cin: str
    last_name: str
    first_name: str
    date_of_birth: datetime.date


def _x12_name(value: str, limit: int) -> str:
    """Upper-case letters, digits, spaces and hyphens: the X12 basic character set, no delimiters."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").upper()
    return re.sub(r"[^A-Z0-9 \-]", "", plain).strip()[:limit] or "UNKNOWN"


def build_270(
    *,
    county_name: str,
    county_code: str,
    members: list[Member],
    month: datetime.date,
    created: datetime.datetime,
    control_number: int,
) -> str:
    """A 270 asking, for every member, their Medi-Cal eligibility (EQ*30) for the month (DTP*291 RD8)."""
    from x12sdk.io import write_transactions
    from x12sdk.support import count_segments
    from x12sdk.v5010.segments import DmgSegment, SeSegment
    from x12sdk.v5010.x12_270_005010X279A1 import loops
    from x12sdk.v5010.x12_270_005010X279A1 import segments as seg
    from x12sdk.v5010.x12_270_005010X279A1.transaction_set import EligibilityInquiry

    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    period = f"{start:%Y%m%d}-{end:%Y%m%d}"
    st_number = f"{control_number % 10000:04d}"
    subscribers = []
    for index, member in enumerate(members, start=3):
        subscribers.append(
            loops.Loop2000C(
                hl_segment=seg.Loop2000CHlSegment(
                    hierarchical_id_number=str(index),
                    hierarchical_parent_id_number="2",
                    hierarchical_level_code="22",
                    hierarchical_child_code="0",
                ),
                trn_segment=[
                    {
                        "trace_type_code": "1",
                        "reference_identification_1": f"{control_number}{index:07d}"[-30:],
                        "originating_company_identifier": f"9{county_code:0>9}"[:10],
                    }
                ],
                loop_2100c=loops.Loop2100C(
                    nm1_segment=seg.Loop2100CNm1Segment(
                        entity_identifier_code="IL",
                        entity_type_qualifier="1",
                        name_last_or_organization_name=_x12_name(member.last_name, 60),
                        name_first=_x12_name(member.first_name, 35),
                        identification_code_qualifier="MI",
                        identification_code=member.cin,
                    ),
                    dmg_segment=DmgSegment(
                        date_time_period_format_qualifier="D8", date_time_period=f"{member.date_of_birth:%Y%m%d}"
                    ),
                    dtp_segment=seg.Loop2100DtpSegment(
                        date_time_qualifier="291", date_time_period_format_qualifier="RD8", date_time_period=period
                    ),
                    loop_2110c=[loops.Loop2110C(eq_segment=seg.Loop2110EqSegment(service_type_code=["30"]))],
                ),
            )
        )
    structure = {
        "header": loops.Header(
            st_segment=seg.HeaderStSegment(
                transaction_set_identifier_code="270",
                transaction_set_control_number=st_number,
                implementation_convention_reference=IMPLEMENTATION,
            ),
            bht_segment=seg.HeaderBhtSegment(
                hierarchical_structure_code="0022",
                transaction_set_purpose_code="13",
                submitter_transactional_identifier=f"{control_number:09d}",
                transaction_set_creation_date=f"{created:%Y%m%d}",
                transaction_set_creation_time=f"{created:%H%M}",
            ),
        ),
        "loop_2000a": [
            loops.Loop2000A(
                hl_segment=seg.Loop2000AHlSegment(
                    hierarchical_id_number="1", hierarchical_level_code="20", hierarchical_child_code="1"
                ),
                loop_2100a=loops.Loop2100A(
                    nm1_segment=seg.Loop2100ANm1Segment(
                        entity_identifier_code="PR",
                        entity_type_qualifier="2",
                        name_last_or_organization_name=PAYER_NAME,
                        identification_code_qualifier="PI",
                        identification_code=PAYER_ID,
                    )
                ),
                loop_2000b=[
                    loops.Loop2000B(
                        hl_segment=seg.Loop2000BHlSegment(
                            hierarchical_id_number="2",
                            hierarchical_parent_id_number="1",
                            hierarchical_level_code="21",
                            hierarchical_child_code="1",
                        ),
                        loop_2100b=loops.Loop2100B(
                            nm1_segment=seg.Loop2100BNm1Segment(
                                entity_identifier_code="1P",
                                entity_type_qualifier="2",
                                name_last_or_organization_name=_x12_name(f"{county_name} COUNTY BEHAVIORAL HEALTH", 60),
                                identification_code_qualifier="SV",
                                identification_code=f"CA{county_code:0>2}",
                            )
                        ),
                        loop_2000c=subscribers,
                    )
                ],
            )
        ],
    }
    placeholder = dict(
        structure, footer={"se_segment": {"transaction_segment_count": 1, "transaction_set_control_number": st_number}}
    )
    structure["footer"] = loops.Footer(
        se_segment=SeSegment(
            transaction_segment_count=count_segments(placeholder), transaction_set_control_number=st_number
        )
    )
    inquiry = EligibilityInquiry(**structure)
    return write_transactions(
        [inquiry],
        sender_id=f"CA{county_code:0>2}BH",
        receiver_id="DHCSMEDICAL",
        sender_qualifier="ZZ",
        receiver_qualifier="ZZ",
        interchange_control_number=str(control_number % 1_000_000_000),
        group_control_number=str(control_number % 1_000_000_000 or 1),
        created=created,
        usage_indicator="P",
    )


def validate_270(text: str) -> list[str]:
    """Problems with a built 270, empty when it is sound: x12sdk's models re-read it, then pyx12 when it can."""
    problems: list[str] = []
    try:
        from x12sdk.io import X12ModelReader

        with X12ModelReader(text) as reader:
            models = list(reader.models())
        if len(models) != 1 or type(models[0]).__name__ != "EligibilityInquiry":
            problems.append(f"x12sdk read back {len(models)} transactions, not one 270")
    except Exception as exc:  # noqa: BLE001 - any failure to re-read is a problem to show staff
        problems.append(f"x12sdk: {exc.__class__.__name__}: {str(exc)[:500]}")
    problems.extend(pyx12_problems(text))
    return problems


def pyx12_has_map(fic: str, vriic: str) -> bool:
    import pyx12.map_index

    return pyx12.map_index.map_index().get_filename("00501", vriic, fic) is not None


def pyx12_problems(text: str) -> list[str]:
    """pyx12's errors for the file; none when pyx12 has no map for its implementation (see module doc)."""
    import json
    import logging

    import pyx12.params
    import pyx12.x12n_document

    if not pyx12_has_map("HS", IMPLEMENTATION):
        return []
    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    out = io.StringIO()
    ok = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(text), None, None, fd_json=out)
    if ok:
        return []
    try:
        report = json.loads(out.getvalue() or "{}")
    except ValueError:
        report = {}
    return [f"pyx12: {json.dumps(report)[:1000]}"]
