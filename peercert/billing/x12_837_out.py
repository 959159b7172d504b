"""The 837P (005010X222A1) a county sends the state: built from a batch's billable lines, or rebuilt
from the EHR's own 837P less the held lines, then validated by pyx12 before anyone may download it.

Shape of a built file (one interchange, one group, one transaction):

    ISA / GS / ST / BHT
    1000A submitter (the county)  1000B receiver (Short-Doyle/Medi-Cal)
    2000A billing provider (the employment's provider: name, NPI, address)
      2000B subscriber (the beneficiary, by CIN: NM1*IL ... MI) with 2010BB payer
        2300 claim: one per beneficiary per date of service per billing provider
          2400 service lines (SV1 HC:code:modifiers, charge, UN units, place of service, DTP*472)
          2420A rendering provider per line (the peer's individual NPI, taxonomy 175T00000X)

One claim per beneficiary per date (not per batch) keeps each claim a single day, so a denial or a
void touches only that day's services, and the rendering provider goes on each line because two
peers may serve the same beneficiary on the same day.

Our claim id (CLM01) is ``<batch id>L<first line id>``: the 835 hands it back in CLP01 and
``claim_lines`` finds the claim's lines from it. Each line also carries REF*6R = the line's id.

Rows are read from a values() queryset in chunks and written segment by segment, so a large batch
is never held as model objects.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from peercert.benefit.selectors import rate_in_force_subquery
from peercert.billing.models import ClaimFrequency, LineStatus, ServiceBatch, ServiceLine

BILLED_STATUSES = (LineStatus.BILLABLE, LineStatus.OVERRIDDEN)
PEER_TAXONOMY = "175T00000X"  # Peer Specialist (assumed for every rendering peer)
CHUNK = 2000

ELEMENT, COMPONENT, REPETITION, TERMINATOR = "*", ":", "^", "~"
_CLAIM_ID = re.compile(r"^(\d+)L(\d+)$")
_SAFE = re.compile(r"[*:^~\r\n]")


def setting(name: str, default: str) -> str:
    return str(getattr(settings, name, default))


def receiver_id() -> str:
    return setting("BILLING_X12_RECEIVER_ID", "SDMC")


def receiver_name() -> str:
    return setting("BILLING_X12_RECEIVER_NAME", "SHORT-DOYLE MEDI-CAL")


def payer_id() -> str:
    return setting("BILLING_X12_PAYER_ID", "SDMC")


def payer_name() -> str:
    return setting("BILLING_X12_PAYER_NAME", "CALIFORNIA DHCS SHORT-DOYLE MEDI-CAL")


def usage_indicator() -> str:
    return setting("BILLING_X12_USAGE", "P")  # P production, T test


def diagnosis_code() -> str:
    # A built claim needs one diagnosis (HI*ABK); the county's line has none, so a program default.
    return setting("BILLING_X12_DIAGNOSIS", "Z658")


def tax_id() -> str:
    # 2010AA REF*EI is required; providers carry no EIN in benefit yet, so a settings value.
    return setting("BILLING_X12_BILLING_TAX_ID", "000000000")


def clean(value) -> str:
    """An element value in X12's character set: ASCII (accents folded), no delimiter, upper case."""
    folded = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode("ascii")
    return _SAFE.sub(" ", folded).strip().upper()


def split_modifiers(value: str) -> list[str]:
    tokens = [t for t in re.split(r"[^A-Za-z0-9]+", value or "") if t]
    out: list[str] = []
    for token in tokens:
        out.extend(token[i : i + 2].upper() for i in range(0, len(token), 2))
    return out[:4]


def claim_id_for(batch_id: int, first_line_id: int) -> str:
    return f"{batch_id}L{first_line_id}"


def parse_claim_id(value: str) -> tuple[int, int] | None:
    match = _CLAIM_ID.match(value or "")
    return (int(match[1]), int(match[2])) if match else None


def money(value) -> str:
    amount = Decimal(value or 0).quantize(Decimal("0.01"))
    text = format(amount, "f")
    return text[:-3] if text.endswith(".00") else text.rstrip("0")


@dataclass
class Built:
    content: str
    line_count: int
    total_charge: Decimal
    claim_count: int
    line_ids: list[int] = field(default_factory=list)


class Writer:
    """Counts segments between ST and SE while writing them."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.in_transaction = 0

    def seg(self, *elements) -> None:
        while len(elements) > 1 and elements[-1] in ("", None):
            elements = elements[:-1]
        self.out.write(ELEMENT.join("" if e is None else str(e) for e in elements))
        self.out.write(TERMINATOR + "\n")
        if self.in_transaction:
            self.in_transaction += 1

    def raw(self, text: str) -> None:
        self.out.write(text + TERMINATOR + "\n")
        if self.in_transaction:
            self.in_transaction += 1


def isa(w: Writer, *, sender: str, receiver: str, icn: int, now: datetime.datetime) -> None:
    w.seg(
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        clean(sender)[:15].ljust(15),
        "ZZ",
        clean(receiver)[:15].ljust(15),
        now.strftime("%y%m%d"),
        now.strftime("%H%M"),
        REPETITION,
        "00501",
        f"{icn:09d}",
        "0",
        usage_indicator(),
        COMPONENT,
    )


def _rows(batch: ServiceBatch, lines=None) -> Iterator[dict]:
    qs = lines if lines is not None else ServiceLine.objects.filter(batch=batch, status__in=BILLED_STATUSES)
    qs = qs.annotate(
        rate_amount=rate_in_force_subquery(
            county="county_id", system="delivery_system", code="code", day="service_date", field="amount"
        )
    ).order_by("employment__provider_id", "beneficiary_id", "service_date", "id")
    fields = (
        "id",
        "employment__provider_id",
        "employment__provider__name",
        "employment__provider__npi",
        "employment__provider__address_line1",
        "employment__provider__city",
        "employment__provider__postal_code",
        "employment__individual_npi",
        "employment__person__legal_first_name",
        "employment__person__legal_last_name",
        "beneficiary_id",
        "beneficiary__cin",
        "beneficiary__legal_first_name",
        "beneficiary__legal_last_name",
        "beneficiary__date_of_birth",
        "service_date",
        "units",
        "code",
        "modifiers",
        "place_of_service",
        "charge",
        "rate_amount",
    )
    # Keyset pagination in the same order: memory stays at one chunk however large the batch.
    yield from qs.values(*fields).iterator(chunk_size=CHUNK)


def unbillable_lines(batch: ServiceBatch) -> Q:
    """Billed lines that cannot go on a claim: no peer (employment) or no beneficiary found."""
    return Q(batch=batch, status__in=BILLED_STATUSES) & (Q(employment__isnull=True) | Q(beneficiary__isnull=True))


def line_charge(row: dict) -> Decimal:
    if row.get("charge") is not None:
        return Decimal(row["charge"])
    return (Decimal(row["rate_amount"] or 0) * row["units"]).quantize(Decimal("0.01"))


def _claims(rows: Iterable[dict]) -> Iterator[list[dict]]:
    """Group the ordered rows into claims: provider, beneficiary, date."""
    current: list[dict] = []
    key = None
    for row in rows:
        row_key = (row["employment__provider_id"], row["beneficiary_id"], row["service_date"])
        if current and row_key != key:
            yield current
            current = []
        key = row_key
        current.append(row)
    if current:
        yield current


def build_from_lines(
    batch: ServiceBatch,
    *,
    icn: int,
    now: datetime.datetime,
    county_name: str,
    county_code: str,
    frequency: str = ClaimFrequency.ORIGINAL,
    payer_claim_control_number: str = "",
    lines=None,
) -> Built:
    """The 837P of the batch's billed lines (or the given queryset of them)."""
    sender = f"CO{county_code}"
    w = Writer()
    isa(w, sender=sender, receiver=receiver_id(), icn=icn, now=now)
    w.seg("GS", "HC", sender, receiver_id(), now.strftime("%Y%m%d"), now.strftime("%H%M"), icn, "X", "005010X222A1")
    w.in_transaction = 1
    w.seg("ST", "837", "0001", "005010X222A1")
    w.seg("BHT", "0019", "00", f"B{batch.pk}I{icn}", now.strftime("%Y%m%d"), now.strftime("%H%M"), "CH")
    w.seg("NM1", "41", "2", clean(f"{county_name} COUNTY BEHAVIORAL HEALTH")[:60], "", "", "", "", "46", sender)
    w.seg("PER", "IC", "BILLING OFFICE", "TE", setting("BILLING_X12_SUBMITTER_PHONE", "9165550100"))
    w.seg("NM1", "40", "2", receiver_name(), "", "", "", "", "46", receiver_id())

    hl = 0
    provider_hl = None
    current_provider = current_subscriber = None
    total = Decimal("0")
    line_count = claim_count = 0
    line_ids: list[int] = []
    for claim in _claims(_rows(batch, lines)):
        first = claim[0]
        if first["employment__provider_id"] != current_provider:
            current_provider, current_subscriber = first["employment__provider_id"], None
            hl += 1
            provider_hl = hl
            w.seg("HL", hl, "", "20", "1")
            w.seg("PRV", "BI", "PXC", setting("BILLING_X12_BILLING_TAXONOMY", "261QM0801X"))
            w.seg("NM1", "85", "2", clean(first["employment__provider__name"])[:60], "", "", "", "", "XX",
                  first["employment__provider__npi"])  # fmt: skip
            w.seg("N3", clean(first["employment__provider__address_line1"])[:55])
            zipcode = re.sub(r"\D", "", first["employment__provider__postal_code"] or "")
            zipcode = (zipcode + "9999")[:9] if len(zipcode) == 5 else zipcode[:9]
            w.seg("N4", clean(first["employment__provider__city"])[:30], "CA", zipcode)
            w.seg("REF", "EI", tax_id())
        if first["beneficiary_id"] != current_subscriber:
            current_subscriber = first["beneficiary_id"]
            hl += 1
            w.seg("HL", hl, provider_hl, "22", "0")
            w.seg("SBR", "P", "18", "", "", "", "", "", "", "MC")
            w.seg("NM1", "IL", "1", clean(first["beneficiary__legal_last_name"])[:60],
                  clean(first["beneficiary__legal_first_name"])[:35], "", "", "", "MI", first["beneficiary__cin"])  # fmt: skip
            w.seg("DMG", "D8", first["beneficiary__date_of_birth"].strftime("%Y%m%d"), "U")
            w.seg("NM1", "PR", "2", payer_name()[:60], "", "", "", "", "PI", payer_id())
        charges = [line_charge(row) for row in claim]
        claim_total = sum(charges, Decimal("0"))
        pos = first["place_of_service"] or "11"
        w.seg("CLM", claim_id_for(batch.pk, first["id"]), money(claim_total), "", "",
              COMPONENT.join([pos, "B", frequency]), "Y", "A", "Y", "Y")  # fmt: skip
        if frequency != ClaimFrequency.ORIGINAL:
            w.seg("REF", "F8", clean(payer_claim_control_number))
        w.seg("HI", f"ABK{COMPONENT}{diagnosis_code()}")
        claim_count += 1
        for number, (row, charge) in enumerate(zip(claim, charges, strict=True), start=1):
            procedure = COMPONENT.join(["HC", clean(row["code"]), *split_modifiers(row["modifiers"])])
            w.seg("LX", number)
            w.seg("SV1", procedure, money(charge), "UN", row["units"], row["place_of_service"] or "", "", "1")
            w.seg("DTP", "472", "D8", row["service_date"].strftime("%Y%m%d"))
            w.seg("REF", "6R", row["id"])
            w.seg("NM1", "82", "1", clean(row["employment__person__legal_last_name"])[:60],
                  clean(row["employment__person__legal_first_name"])[:35], "", "", "", "XX",
                  row["employment__individual_npi"] or first["employment__provider__npi"])  # fmt: skip
            w.seg("PRV", "PE", "PXC", PEER_TAXONOMY)
            line_count += 1
            line_ids.append(row["id"])
        total += claim_total
    segments = w.in_transaction  # ST..(last) counted; SE counts itself
    w.in_transaction = 0
    w.seg("SE", segments, "0001")
    w.seg("GE", "1", icn)
    w.seg("IEA", "1", f"{icn:09d}")
    return Built(w.out.getvalue(), line_count, total, claim_count, line_ids)


# ---- The EHR's own file, less the held lines -----------------------------------------------------


def read_segments(text: str) -> tuple[list[list[str]], str, str]:
    """Every segment of an X12 text as its element lists, with the element and component separators."""
    from x12sdk.io import X12SegmentReader

    with X12SegmentReader(text) as reader:
        element = reader.delimiters.element_separator
        component = reader.delimiters.component_separator
        segments = [fields for _name, fields in reader.segments() if fields and fields[0].strip()]
    for fields in segments:
        fields[0] = fields[0].strip().upper()
    return segments, element, component


def rebuild_less_held(
    text: str, *, keep: set[tuple[str, int]], icn: int, charges: dict[tuple[str, int], Decimal] | None = None
) -> Built:
    """The EHR's 837P less every service line not in ``keep`` ((CLM01, LX01) pairs).

    Claims left with no line are dropped, then subscribers and billing providers left with no claim;
    HL numbers, CLM02 and SE01 are recomputed, and the envelope gets our interchange number.
    """
    segments, el, comp = read_segments(text)
    out = io.StringIO()
    term = TERMINATOR + "\n"

    def emit(fields: list[str]) -> None:
        out.write(el.join(fields) + term)

    line_count = claim_count = 0
    total = Decimal("0")
    i = 0
    n = len(segments)
    while i < n:
        seg = segments[i]
        sid = seg[0]
        if sid == "ISA":
            seg = list(seg)
            seg[13] = f"{icn:09d}"
            emit(seg)
            i += 1
        elif sid == "GS":
            seg = list(seg)
            seg[6] = str(icn)
            emit(seg)
            i += 1
        elif sid == "GE":
            emit([seg[0], seg[1] if len(seg) > 1 else "1", str(icn)])
            i += 1
        elif sid == "IEA":
            emit([seg[0], seg[1] if len(seg) > 1 else "1", f"{icn:09d}"])
            i += 1
        elif sid == "ST":
            j = i
            while j < n and segments[j][0] != "SE":
                j += 1
            body, lines, claims, charge = _filter_transaction(segments[i + 1 : j], keep, charges, el, comp)
            line_count += lines
            claim_count += claims
            total += charge
            emit(seg)
            for fields in body:
                emit(fields)
            control = segments[j][2] if j < n and len(segments[j]) > 2 else seg[2]
            emit(["SE", str(len(body) + 2), control])
            i = j + 1
        else:
            emit(seg)
            i += 1
    return Built(out.getvalue(), line_count, total, claim_count)


def _filter_transaction(body, keep, charges, el, comp):
    """The segments between ST and SE, less the dropped lines, claims and empty HL levels."""
    header: list[list[str]] = []
    hls: list[dict] = []  # {"seg": HL, "segs": [...], "claims": [{"segs": [...], "lines": [[...]]}]}
    for fields in body:
        sid = fields[0]
        if sid == "HL":
            hls.append({"seg": list(fields), "segs": [], "claims": []})
        elif not hls:
            header.append(fields)
        elif sid == "CLM":
            hls[-1]["claims"].append({"clm": list(fields), "segs": [], "lines": []})
        elif sid == "LX" and hls[-1]["claims"]:
            hls[-1]["claims"][-1]["lines"].append([fields])
        elif hls[-1]["claims"]:
            claim = hls[-1]["claims"][-1]
            (claim["lines"][-1] if claim["lines"] else claim["segs"]).append(fields)
        else:
            hls[-1]["segs"].append(fields)

    line_count = claim_count = 0
    total = Decimal("0")
    for hl in hls:
        kept_claims = []
        for claim in hl["claims"]:
            claim_id = claim["clm"][1] if len(claim["clm"]) > 1 else ""
            kept = []
            claim_total = Decimal("0")
            for lx in claim["lines"]:
                number = int(lx[0][1]) if len(lx[0]) > 1 and lx[0][1].isdigit() else 0
                if (claim_id, number) not in keep:
                    continue
                charge = (charges or {}).get((claim_id, number))
                if charge is None:
                    sv1 = next((s for s in lx if s[0] == "SV1"), None)
                    charge = Decimal(sv1[2]) if sv1 and len(sv1) > 2 and sv1[2] else Decimal("0")
                claim_total += charge
                kept.append(lx)
            if not kept:
                continue
            for number, lx in enumerate(kept, start=1):
                lx[0] = ["LX", str(number)]
            claim["clm"][2] = money(claim_total)
            claim["lines"] = kept
            kept_claims.append(claim)
            line_count += len(kept)
            claim_count += 1
            total += claim_total
        hl["claims"] = kept_claims

    # Keep an HL that has claims, or whose descendants do.
    by_id = {hl["seg"][1]: hl for hl in hls}
    alive: set[str] = set()
    for hl in hls:
        if hl["claims"]:
            node = hl
            while node is not None and node["seg"][1] not in alive:
                alive.add(node["seg"][1])
                parent = node["seg"][2] if len(node["seg"]) > 2 else ""
                node = by_id.get(parent)
    renumber: dict[str, str] = {}
    kept_hls = [hl for hl in hls if hl["seg"][1] in alive]
    for number, hl in enumerate(kept_hls, start=1):
        renumber[hl["seg"][1]] = str(number)
    has_child = {hl["seg"][2] for hl in kept_hls if len(hl["seg"]) > 2 and hl["seg"][2]}
    out = list(header)
    for hl in kept_hls:
        seg = hl["seg"] + [""] * (5 - len(hl["seg"]))
        old = seg[1]
        seg[1] = renumber[old]
        seg[2] = renumber.get(seg[2], "") if seg[2] else ""
        seg[4] = "1" if old in has_child else "0"
        out.append(seg[:5])
        out.extend(hl["segs"])
        for claim in hl["claims"]:
            out.append(claim["clm"])
            out.extend(claim["segs"])
            for lx in claim["lines"]:
                out.extend(lx)
    return out, line_count, claim_count, total


# ---- Validation by pyx12 ----------------------------------------------------------------------


@dataclass
class Validation:
    ok: bool
    messages: list[str]


def validate(content: str) -> Validation:
    """Run pyx12 over the file with its 5010 maps; every error it finds, by segment and element."""
    import pyx12.error_handler
    import pyx12.params
    import pyx12.x12n_document

    params = pyx12.params.ParamsBase()
    json_out = io.StringIO()
    with tempfile.NamedTemporaryFile("w", suffix=".x12", encoding="ascii", errors="replace") as handle:
        handle.write(content)
        handle.flush()
        try:
            ok = pyx12.x12n_document.x12n_document(
                param=params, src_file=handle.name, fd_997=None, fd_html=None, fd_json=json_out
            )
        except Exception as error:  # noqa: BLE001 - any pyx12 engine error is a failed validation, shown to staff
            return Validation(False, [f"pyx12: {error}"])
    return Validation(bool(ok), _messages(json_out.getvalue()))


def _messages(text: str) -> list[str]:
    try:
        doc = json.loads(text or "{}")
    except ValueError:
        return []
    found: list[str] = []

    def errs(where: str, items) -> None:
        for err in items or []:
            value = f" ({err['err_val']})" if err.get("err_val") else ""
            found.append(f"{where}: [{err.get('err_cde', '')}] {err.get('err_str', '')}{value}")

    for isa in doc.get("interchanges", []):
        errs(f"ISA (line {isa.get('cur_line')})", isa.get("errors"))
        for gs in isa.get("groups", []):
            errs(f"GS (line {gs.get('cur_line')})", gs.get("errors"))
            for st in gs.get("transactions", []):
                errs(f"ST (line {st.get('cur_line')})", st.get("errors"))
                for seg in st.get("segments", []):
                    where = f"segment {seg.get('seg_count')} ({seg.get('seg_id')})"
                    errs(where, seg.get("errors"))
                    for ele in seg.get("elements", []):
                        errs(
                            f"{where} element {seg.get('seg_id')}{int(ele.get('ele_pos') or 0):02d}", ele.get("errors")
                        )
    return found
