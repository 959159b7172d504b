"""The state's 835 (005010X221A1): read with x12sdk's segment reader into plain records, bounded in
size, every error naming the segment number and element; and a small builder of 835s (for the demo,
the tests and the benchmark: the state's answer to one of our own 837Ps).

Nothing here touches the database: services.claims matches and posts what this returns.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext_noop

from peercert.billing.x12_837_out import COMPONENT, Writer, clean, isa, money


def max_bytes() -> int:
    return int(getattr(settings, "BILLING_X12_MAX_BYTES", 20 * 1024 * 1024))


class X12Error(Exception):
    """A malformed file: a message (gettext_noop literal) with its params, by segment and element."""

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass
class ServicePayment:
    segment: int
    procedure: str
    modifiers: list[str]
    charge: Decimal
    paid: Decimal
    units: str = ""
    line_ref: str = ""
    adjustments: list[tuple[str, str, Decimal]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


@dataclass
class ClaimPayment:
    segment: int
    claim_id: str
    status: str
    charge: Decimal
    paid: Decimal
    payer_claim_control_number: str
    adjustments: list[tuple[str, str, Decimal]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    services: list[ServicePayment] = field(default_factory=list)


@dataclass
class Remittance835:
    payment_amount: Decimal = Decimal("0")
    paid_on: datetime.date | None = None
    trace_number: str = ""
    payer_name: str = ""
    provider_adjustments: Decimal = Decimal("0")
    claims: list[ClaimPayment] = field(default_factory=list)

    @property
    def claims_paid(self) -> Decimal:
        return sum((c.paid for c in self.claims), Decimal("0"))


def _element(seg: list[str], position: int) -> str:
    return seg[position].strip() if len(seg) > position else ""


def _amount(seg: list[str], position: int, number: int, *, required: bool = True) -> Decimal:
    raw = _element(seg, position)
    if not raw and not required:
        return Decimal("0")
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise X12Error(
            gettext_noop("Segment %(number)s (%(segment)s): element %(element)s must be an amount, not “%(value)s”."),
            number=number,
            segment=seg[0],
            element=f"{seg[0]}{position:02d}",
            value=raw[:20],
        ) from None
    if not value.is_finite() or abs(value) >= Decimal("10000000000"):
        raise X12Error(
            gettext_noop("Segment %(number)s (%(segment)s): element %(element)s is out of range."),
            number=number,
            segment=seg[0],
            element=f"{seg[0]}{position:02d}",
        )
    return value


def _date(seg: list[str], position: int, number: int) -> datetime.date | None:
    raw = _element(seg, position)
    if not raw:
        return None
    try:
        return datetime.datetime.strptime(raw, "%Y%m%d").date()
    except ValueError:
        raise X12Error(
            gettext_noop(
                "Segment %(number)s (%(segment)s): element %(element)s must be a date CCYYMMDD, not “%(value)s”."
            ),
            number=number,
            segment=seg[0],
            element=f"{seg[0]}{position:02d}",
            value=raw[:20],
        ) from None


def _adjustments(seg: list[str], number: int) -> list[tuple[str, str, Decimal]]:
    group = _element(seg, 1)
    if not group:
        raise X12Error(
            gettext_noop("Segment %(number)s (CAS): element CAS01 (the group code) is missing."), number=number
        )
    out = []
    # CAS02/03, then up to five more reason/amount/quantity triples.
    for position in range(2, 20, 3):
        reason = _element(seg, position)
        if reason:
            out.append((group, reason, _amount(seg, position + 1, number, required=False)))
    return out


def parse(data: bytes) -> Remittance835:
    """The 835 in ``data`` as records. Raises X12Error for anything malformed."""
    from x12sdk.io import X12SegmentReader

    if len(data) > max_bytes():
        raise X12Error(gettext_noop("The file is larger than %(limit)s MB."), limit=max_bytes() // (1024 * 1024))
    if b"\x00" in data:
        raise X12Error(gettext_noop("The file has NUL bytes, so it is not plain text X12."))
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise X12Error(gettext_noop("The file is not plain text X12 (it has bytes that are not ASCII).")) from None
    text = text.lstrip("\ufeff \r\n\t")
    if not text.startswith("ISA") or len(text) < 106:
        raise X12Error(
            gettext_noop("Segment 1: the file does not start with an ISA segment, so it is not an X12 file.")
        )
    try:
        with X12SegmentReader(text) as reader:
            component = reader.delimiters.component_separator
            segments = [fields for _name, fields in reader.segments()]
    except (ValueError, IndexError):
        raise X12Error(gettext_noop("Segment 1 (ISA): the interchange header cannot be read.")) from None

    result = Remittance835()
    claim: ClaimPayment | None = None
    service: ServicePayment | None = None
    transaction = None
    seen_bpr = False
    for number, seg in enumerate(segments, start=1):
        seg[0] = seg[0].strip().upper()
        sid = seg[0]
        if not sid:
            continue
        if sid == "ST":
            transaction = _element(seg, 1)
            if transaction != "835":
                raise X12Error(
                    gettext_noop(
                        "Segment %(number)s (ST): element ST01 is “%(value)s”; an 835 remittance is expected."
                    ),
                    number=number,
                    value=transaction[:10],
                )
        elif transaction is None and sid not in ("ISA", "GS", "GE", "IEA"):
            raise X12Error(
                gettext_noop("Segment %(number)s (%(segment)s) comes before any ST segment."),
                number=number,
                segment=sid[:3],
            )
        elif sid == "BPR":
            if seen_bpr:
                raise X12Error(
                    gettext_noop(
                        "Segment %(number)s (BPR): the file holds more than one payment; send one 835 per payment."
                    ),
                    number=number,
                )
            seen_bpr = True
            result.payment_amount = _amount(seg, 2, number)
            result.paid_on = _date(seg, 16, number)
        elif sid == "TRN":
            result.trace_number = _element(seg, 2)[:50]
        elif sid == "N1" and _element(seg, 1) == "PR":
            result.payer_name = _element(seg, 2)[:100]
        elif sid == "CLP":
            claim_id = _element(seg, 1)
            if not claim_id:
                raise X12Error(
                    gettext_noop("Segment %(number)s (CLP): element CLP01 (the claim id) is missing."), number=number
                )
            claim = ClaimPayment(
                segment=number,
                claim_id=claim_id[:38],
                status=_element(seg, 2),
                charge=_amount(seg, 3, number),
                paid=_amount(seg, 4, number),
                payer_claim_control_number=_element(seg, 7)[:50],
            )
            service = None
            result.claims.append(claim)
        elif sid == "SVC":
            if claim is None:
                raise X12Error(gettext_noop("Segment %(number)s (SVC) comes before any CLP claim."), number=number)
            parts = _element(seg, 1).split(component)
            if len(parts) < 2 or not parts[1]:
                raise X12Error(
                    gettext_noop("Segment %(number)s (SVC): element SVC01 must name the procedure (HC:code)."),
                    number=number,
                )
            service = ServicePayment(
                segment=number,
                procedure=parts[1].upper()[:5],
                modifiers=[p.upper() for p in parts[2:6] if p],
                charge=_amount(seg, 2, number),
                paid=_amount(seg, 3, number),
                units=_element(seg, 5),
            )
            claim.services.append(service)
        elif sid == "CAS":
            if claim is None:
                raise X12Error(gettext_noop("Segment %(number)s (CAS) comes before any CLP claim."), number=number)
            (service or claim).adjustments.extend(_adjustments(seg, number))
        elif sid == "LQ" and service is not None:
            if _element(seg, 2):
                service.remarks.append(_element(seg, 2)[:10])
        elif sid == "MOA" and claim is not None:
            claim.remarks.extend(v[:10] for v in seg[3:8] if v.strip())
        elif sid == "REF" and service is not None and _element(seg, 1) == "6R":
            service.line_ref = _element(seg, 2)[:50]
        elif sid == "PLB":
            # PLB03/04, 05/06, ...: adjustment identifier and amount; a positive amount reduces the payment.
            for position in range(4, len(seg), 2):
                result.provider_adjustments += _amount(seg, position, number, required=False)
        elif sid == "SE":
            transaction = None
    if not seen_bpr:
        raise X12Error(gettext_noop("The file has no BPR segment, so it names no payment amount."))
    if not result.claims:
        raise X12Error(gettext_noop("The file pays no claim (it has no CLP segment)."))
    return result


# ---- A builder, for the demo, the tests and the benchmark --------------------------------------


def build_835(
    *,
    claims: list[dict],
    icn: int,
    now: datetime.datetime,
    payer: str = "SHORT-DOYLE MEDI-CAL",
    payee_npi: str = "1000000004",
    trace: str = "",
    provider_adjustment: Decimal = Decimal("0"),
) -> str:
    """An 835 paying ``claims``: each {"claim_id", "payer_claim_control_number", "services": [
    {"procedure", "modifiers", "charge", "paid", "units", "line_ref", "adjustments": [(group, reason,
    amount)], "remarks": [...]}]}. BPR02 is the sum of the claims' payments less the provider adjustment."""
    paid_total = sum((Decimal(s["paid"]) for c in claims for s in c["services"]), Decimal("0")) - Decimal(
        provider_adjustment
    )
    w = Writer()
    isa(w, sender="SDMC", receiver="COUNTY", icn=icn, now=now)
    w.seg("GS", "HP", "SDMC", "COUNTY", now.strftime("%Y%m%d"), now.strftime("%H%M"), icn, "X", "005010X221A1")
    w.in_transaction = 1
    w.seg("ST", "835", "0001", "005010X221A1")
    day = now.strftime("%Y%m%d")
    w.seg("BPR", "I", money(paid_total), "C", "ACH", "CCP", "01", "999999999", "DA", "123456", "1999999999",
          "", "01", "999999999", "DA", "654321", day)  # fmt: skip
    w.seg("TRN", "1", trace or f"T{icn}", "1999999999")
    w.seg("DTM", "405", day)
    w.seg("N1", "PR", clean(payer))
    w.seg("N3", "1501 CAPITOL AVE")
    w.seg("N4", "SACRAMENTO", "CA", "958997413")
    w.seg("PER", "BL", "PROVIDER SERVICES", "TE", "9165550199")
    w.seg("N1", "PE", "COUNTY BEHAVIORAL HEALTH", "XX", payee_npi)
    w.seg("LX", "1")
    for claim in claims:
        charge = sum((Decimal(s["charge"]) for s in claim["services"]), Decimal("0"))
        paid = sum((Decimal(s["paid"]) for s in claim["services"]), Decimal("0"))
        status = "4" if paid == 0 else "1"
        w.seg("CLP", clean(claim["claim_id"]), status, money(charge), money(paid), "", "MC",
              clean(claim["payer_claim_control_number"]), "11", "1")  # fmt: skip
        w.seg("NM1", "QC", "1", "MEMBER", "", "", "", "", "MI", clean(claim.get("member_id", "00000000A")))
        for service in claim["services"]:
            procedure = COMPONENT.join(["HC", clean(service["procedure"]), *service.get("modifiers", [])])
            w.seg("SVC", procedure, money(service["charge"]), money(service["paid"]), "", service.get("units", ""))
            if service.get("service_date"):
                w.seg("DTM", "472", service["service_date"].strftime("%Y%m%d"))
            by_group: dict[str, list] = {}
            for group, reason, amount in service.get("adjustments", []):
                by_group.setdefault(group, []).extend([reason, money(amount), ""])
            for group, items in by_group.items():
                w.seg("CAS", group, *items[:-1])
            if service.get("line_ref"):
                w.seg("REF", "6R", clean(service["line_ref"]))
            for remark in service.get("remarks", []):
                w.seg("LQ", "HE", clean(remark))
    if provider_adjustment:
        w.seg("PLB", payee_npi, f"{now.year}1231", f"WO{COMPONENT}{icn}", money(provider_adjustment))
    segments = w.in_transaction
    w.in_transaction = 0
    w.seg("SE", segments, "0001")
    w.seg("GE", "1", icn)
    w.seg("IEA", "1", f"{icn:09d}")
    return w.out.getvalue()


def answer_837p(
    content: str,
    *,
    icn: int,
    now: datetime.datetime,
    deny: set[int] = frozenset(),
    denial: tuple[str, str, str] = ("CO", "16", "N290"),
    control_prefix: str = "PCN",
    provider_adjustment: Decimal = Decimal("0"),
) -> str:
    """The state's 835 for one of our own 837Ps (demo, tests, benchmark): every line paid at its
    charge, except the line ids in ``deny``, denied with the group, CARC and RARC of ``denial``. The
    payer claim control number is ``control_prefix`` + CLM01."""
    claims: dict[str, dict] = {}
    claim_id = None
    service: dict | None = None
    group, reason, remark = denial
    for raw in content.replace("\n", "").split("~"):
        seg = raw.split("*")
        if seg[0] == "CLM":
            claim_id = seg[1]
            claims[claim_id] = {
                "claim_id": claim_id,
                "payer_claim_control_number": f"{control_prefix}{claim_id}",
                "services": [],
            }
        elif seg[0] == "SV1" and claim_id is not None:
            parts = seg[1].split(COMPONENT)
            service = {
                "procedure": parts[1],
                "modifiers": parts[2:],
                "charge": Decimal(seg[2]),
                "paid": Decimal(seg[2]),
                "units": seg[4],
            }
            claims[claim_id]["services"].append(service)
        elif seg[0] == "REF" and len(seg) > 2 and seg[1] == "6R" and service is not None:
            service["line_ref"] = seg[2]
            if seg[2].isdigit() and int(seg[2]) in deny:
                service.update(paid=Decimal("0"), adjustments=[(group, reason, service["charge"])], remarks=[remark])
    return build_835(claims=list(claims.values()), icn=icn, now=now, provider_adjustment=provider_adjustment)
