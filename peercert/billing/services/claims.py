"""Claims out and remittance in: 837P claim files (validated by pyx12 before anyone may download them),
the batch's submission, replacement and void claims, the state's 835 posted to the lines it pays, and
worked denials.
"""

import hashlib
import logging
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.billing import permissions, x12_835_in, x12_837_out
from peercert.billing.audit import AuditAction
from peercert.billing.models import (
    BATCH_TRANSITIONS,
    AccessChannel,
    BatchSource,
    BatchStatus,
    BeneficiaryAccess,
    ClaimFile,
    ClaimFrequency,
    PaymentOutcome,
    Remittance,
    RemittanceLine,
    ServiceBatch,
    ServiceLine,
)
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_users
from peercert.core.transitions import transition
from peercert.core.types import Actor

__all__ = [
    "ClaimFileInvalid",
    "batch_submit",
    "claim_file_build",
    "claim_file_correct",
    "claim_file_download",
    "denial_work",
    "remittance_import",
]

logger = logging.getLogger(__name__)
BATCH = gettext_noop("service batch")
BILLED = x12_837_out.BILLED_STATUSES
MAX_ICN = 999_999_999
# Advisory lock key for handing out interchange control numbers one at a time (PostgreSQL).
ICN_LOCK = 837_005_010


class ClaimFileInvalid(Exception):
    """pyx12 refused a file we built: a bug, shown to staff as pyx12's messages, never a file."""

    def __init__(self, batch_id: int, messages: list[str]):
        super().__init__(f"837P for batch {batch_id} failed pyx12 validation ({len(messages)} messages)")
        self.batch_id = batch_id
        self.messages = messages


def _ensure_works(actor: Actor, county_id: int) -> None:
    if actor is not None and not permissions.can_work_county(actor, county_id):
        raise ApplicationError(
            "Only this county's billing staff may do this.", code="own_matter"
        )  # 403: the record is readable, the act is not theirs


def _next_icn() -> int:
    """The next interchange control number: unique and increasing across every county's files."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ICN_LOCK])
    last = ClaimFile.objects.aggregate(last=Max("interchange_control_number"))["last"] or 0
    if last >= MAX_ICN:
        raise ApplicationError(
            "Interchange control numbers have run out (999999999). Ask the system administrator to start a new series.",
            code="conflict",
        )
    return last + 1


def _store(*, actor, batch, built, icn, frequency, replaces="", reason="") -> ClaimFile:
    result = x12_837_out.validate(built.content)
    if not result.ok:
        # Never the messages in the log: pyx12 quotes element values, which can be a member's CIN.
        logger.error("837P for batch %s failed pyx12 validation with %s messages", batch.pk, len(result.messages))
        raise ClaimFileInvalid(batch.pk, result.messages or ["pyx12 refused the file without a message."])
    return ClaimFile.objects.create(
        batch=batch,
        frequency=frequency,
        interchange_control_number=icn,
        content=built.content,
        sha256=hashlib.sha256(built.content.encode()).hexdigest(),
        line_count=built.line_count,
        total_charge=built.total_charge,
        validated_at=clock.now(),
        replaces_claim_control_number=replaces,
        reason=reason,
        created_by=actor,
    )


def _county_labels(batch: ServiceBatch) -> tuple[str, str]:
    from peercert.accounts.models import County

    county = County.objects.get(pk=batch.county_id)
    return county.name, county.code


@transaction.atomic
def claim_file_build(*, actor: Actor, batch: ServiceBatch) -> ClaimFile:
    """Build the batch's 837P of its billable and overridden lines, validate it with pyx12 and store it.

    Preconditions: the actor works the batch's county; the batch is checked (not open, being checked
    or already submitted); it has at least one billed line and every billed line has its peer and
    beneficiary. For a batch from the EHR's 837P the file is the EHR's, less the held lines.
    Side effects: a ClaimFile with the next interchange control number, audited. Raises
    ClaimFileInvalid (nothing stored) when pyx12 finds errors.
    """
    batch = ServiceBatch.objects.select_for_update().get(pk=batch.pk)
    _ensure_works(actor, batch.county_id)
    if batch.status != BatchStatus.CHECKED:
        raise ApplicationError(
            "Claims are built from a checked batch, and this one is “%(status)s”. "
            "Run the gate on it first; a submitted batch keeps the files it has.",
            params={"status": BatchStatus(batch.status).label},
            code="state",
        )
    billed = ServiceLine.objects.filter(batch=batch, status__in=BILLED)
    if not billed.exists():
        raise ApplicationError(
            "No line of this batch is billable, so there is nothing to claim. Correct the held lines and run the gate again.",
            code="state",
        )
    missing = ServiceLine.objects.filter(x12_837_out.unbillable_lines(batch)).count()
    if missing:
        raise ApplicationError(
            "%(count)s billable lines have no peer or no beneficiary on record, so they cannot go on a claim. "
            "Correct them and run the gate again.",
            params={"count": missing},
            code="state",
        )
    icn = _next_icn()
    if batch.source == BatchSource.X12_837P and batch.source_file:
        built = _rebuild_from_source(batch, billed, icn)
    else:
        name, code = _county_labels(batch)
        built = x12_837_out.build_from_lines(batch, icn=icn, now=clock.now(), county_name=name, county_code=code)
    claim_file = _store(actor=actor, batch=batch, built=built, icn=icn, frequency=ClaimFrequency.ORIGINAL)
    audit_record(
        actor=actor,
        action=AuditAction.CLAIM_FILE_BUILD,
        obj=claim_file,
        after={
            "batch": batch.pk,
            "interchange_control_number": icn,
            "lines": built.line_count,
            "claims": built.claim_count,
            "total_charge": str(built.total_charge),
        },
    )
    return claim_file


def _rebuild_from_source(batch: ServiceBatch, billed, icn: int):
    keep = {
        (claim_id, number)
        for claim_id, number in billed.exclude(source_claim_id="").values_list("source_claim_id", "source_line_number")
        if number is not None
    }
    try:
        with batch.source_file.open("rb") as handle:
            text = handle.read().decode("ascii", errors="strict")
    except (OSError, ValueError):
        raise ApplicationError(
            "The EHR's 837P this batch came from can no longer be read, so its clean file cannot be rebuilt. "
            "Import the EHR's file again.",
            code="state",
        ) from None
    return x12_837_out.rebuild_less_held(text, keep=keep, icn=icn)


@transaction.atomic
def claim_file_download(*, actor: Actor, claim_file: ClaimFile) -> ClaimFile:
    """Record that the actor downloaded the file (who, which file, when). Readers may download."""
    if actor is not None:
        readable = permissions.readable_county_ids(actor)
        if readable is not None and claim_file.batch.county_id not in readable:
            raise ApplicationError("You may not download this county's claim files.", code="own_matter")
    _record_export(actor, claim_file)
    audit_record(
        actor=actor,
        action=AuditAction.CLAIM_FILE_DOWNLOAD,
        obj=claim_file,
        after={"batch": claim_file.batch_id, "interchange_control_number": claim_file.interchange_control_number},
    )
    return claim_file


def _record_export(actor, claim_file: ClaimFile) -> None:
    """The file names its beneficiaries (NM1*IL): one access event for each, as for any read of them."""
    lines = ServiceLine.objects.filter(batch_id=claim_file.batch_id, status__in=BILLED)
    if claim_file.replaces_claim_control_number:
        lines = ServiceLine.objects.filter(
            county_id=claim_file.batch.county_id, payer_claim_control_number=claim_file.replaces_claim_control_number
        )
    ids = lines.exclude(beneficiary__isnull=True).order_by().values_list("beneficiary_id", flat=True).distinct()
    at = clock.now()
    what = f"837P claim file {claim_file.interchange_control_number}"
    BeneficiaryAccess.objects.bulk_create(
        (
            BeneficiaryAccess(at=at, user=actor, beneficiary_id=pk, channel=AccessChannel.EXPORT, what=what)
            for pk in ids.iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )


@transaction.atomic
def batch_submit(*, actor: Actor, batch: ServiceBatch) -> ServiceBatch:
    """Mark the batch's claims as sent to the state: from now on nothing in it changes.

    Preconditions: the actor works the county; the batch is checked; an original claim file was
    built after the batch was last checked (the file sent is the file of this gate result).
    Side effects: status submitted, submitted_at; audited; the county's billing staff are told.
    """
    batch = ServiceBatch.objects.select_for_update().get(pk=batch.pk)
    _ensure_works(actor, batch.county_id)
    files = ClaimFile.objects.filter(batch=batch, frequency=ClaimFrequency.ORIGINAL)
    if batch.checked_at is not None:
        files = files.filter(created_at__gte=batch.checked_at)
    if batch.status == BatchStatus.CHECKED and not files.exists():
        raise ApplicationError("Build and download the batch's claim file before marking it submitted.", code="state")
    before = transition(batch, BatchStatus.SUBMITTED, allowed=BATCH_TRANSITIONS, noun=BATCH)
    batch.submitted_at = clock.now()
    batch.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.BATCH_SUBMIT,
        obj=batch,
        before={"status": before},
        after={"status": batch.status, "submitted_at": batch.submitted_at.isoformat()},
    )
    _tell_county(
        batch.county_id,
        actor,
        subject=gettext_noop("Batch %(batch)s submitted"),
        body=gettext_noop("The claims of service batch %(batch)s were marked as sent to the state."),
        params={"batch": batch.pk},
        link=reverse("billing:claims_batch", args=[batch.pk]),
    )
    return batch


def _tell_county(county_id: int, actor, **message) -> None:
    from peercert.accounts.models import User
    from peercert.accounts.roles import Role

    users = (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=[Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR],
            role_assignments__county_id=county_id,
        )
        .exclude(pk=getattr(actor, "pk", None))
        .select_related("person")
        .distinct()
    )
    tell_users(users, **message)


@transaction.atomic
def claim_file_correct(*, actor: Actor, line: ServiceLine, frequency: str, reason: str) -> ClaimFile:
    """A replacement (7) or void (8) of the paid claim holding ``line``, naming its payer claim
    control number (REF*F8). The claim's lines go out as they stand (a submitted batch never changes).

    Preconditions: the actor works the county; the line was paid or adjusted by an 835 that gave a
    payer claim control number; a reason is given. Side effects: a validated ClaimFile, audited.
    """
    line = ServiceLine.objects.select_for_update().select_related("batch").get(pk=line.pk)
    _ensure_works(actor, line.county_id)
    if frequency not in (ClaimFrequency.REPLACEMENT, ClaimFrequency.VOID):
        raise ApplicationError("Choose a replacement or a void.", field="frequency")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say why the claim is replaced or voided.", field="reason")
    if (
        line.remittance_status not in (PaymentOutcome.PAID, PaymentOutcome.ADJUSTED)
        or not line.payer_claim_control_number
    ):
        raise ApplicationError(
            "Only a paid claim can be replaced or voided, and the state's 835 has not paid this line. "
            "Import the 835 that pays it first.",
            code="state",
        )
    control = line.payer_claim_control_number
    lines = ServiceLine.objects.filter(county_id=line.county_id, payer_claim_control_number=control, status__in=BILLED)
    icn = _next_icn()
    name, code = _county_labels(line.batch)
    built = x12_837_out.build_from_lines(
        line.batch,
        icn=icn,
        now=clock.now(),
        county_name=name,
        county_code=code,
        frequency=frequency,
        payer_claim_control_number=control,
        lines=lines,
    )
    claim_file = _store(
        actor=actor, batch=line.batch, built=built, icn=icn, frequency=frequency, replaces=control, reason=reason[:500]
    )
    audit_record(
        actor=actor,
        action=AuditAction.CLAIM_FILE_CORRECT,
        obj=claim_file,
        after={
            "frequency": frequency,
            "replaces_claim_control_number": control,
            "lines": built.line_count,
            "interchange_control_number": icn,
        },
        reason=reason,
    )
    return claim_file


# ---- Remittance in -------------------------------------------------------------------------------


def _read_upload(upload) -> bytes:
    limit = x12_835_in.max_bytes()
    size = getattr(upload, "size", None)
    if not size:
        raise ApplicationError("The file is empty. Choose the 835 file the state sent.", field="file")
    if size > limit:
        raise ApplicationError(
            "The file is larger than %(limit)s MB. Send one 835 payment at a time.",
            params={"limit": limit // (1024 * 1024)},
            field="file",
        )
    upload.seek(0)
    return upload.read(limit + 1)


def _in_chunks(values, size: int = 900):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _ClaimIndex:
    """The county's billed lines for every claim of an 835, read in a few set-based queries (not one
    per claim): by the payer's control number for a claim it already knows, by our claim id (CLP01:
    the batch and the claim's first line, then its provider, beneficiary and date), or by the EHR's
    claim id kept from its 837P."""

    def __init__(self, county_id: int, claims: list[x12_835_in.ClaimPayment]):
        base = ServiceLine.objects.filter(county_id=county_id, status__in=BILLED).select_related("employment")
        self.by_control: dict[str, list[ServiceLine]] = {}
        controls = {c.payer_claim_control_number for c in claims if c.payer_claim_control_number}
        for chunk in _in_chunks(controls):
            for line in base.filter(payer_claim_control_number__in=chunk).order_by("id"):
                self.by_control.setdefault(line.payer_claim_control_number, []).append(line)
        self.by_ours: dict[str, list[ServiceLine]] = {}
        ours = {c.claim_id: x12_837_out.parse_claim_id(c.claim_id) for c in claims}
        ours = {claim_id: parsed for claim_id, parsed in ours.items() if parsed}
        anchors: dict[int, ServiceLine] = {}
        for chunk in _in_chunks({first for _batch, first in ours.values()}):
            anchors.update((line.pk, line) for line in base.filter(pk__in=chunk))
        keys = {}
        for claim_id, (batch_id, first_id) in ours.items():
            anchor = anchors.get(first_id)
            if anchor is not None and anchor.batch_id == batch_id and anchor.employment_id:
                keys[(batch_id, anchor.employment.provider_id, anchor.beneficiary_id, anchor.service_date)] = claim_id
        grouped: dict[tuple, list[ServiceLine]] = {}
        for chunk in _in_chunks({key[0] for key in keys}, 50):
            for line in base.filter(batch_id__in=chunk, employment__isnull=False).order_by("id").iterator(2000):
                key = (line.batch_id, line.employment.provider_id, line.beneficiary_id, line.service_date)
                if key in keys:
                    grouped.setdefault(key, []).append(line)
        for key, claim_id in keys.items():
            self.by_ours[claim_id] = grouped.get(key, [])
        self.by_source: dict[str, list[ServiceLine]] = {}
        sources = {c.claim_id for c in claims if c.claim_id not in self.by_ours}
        for chunk in _in_chunks(sources):
            found = base.filter(source_claim_id__in=chunk, batch__claim_files__isnull=False).distinct()
            latest: dict[str, int] = {}
            rows = list(found.order_by("source_line_number", "id"))
            for line in rows:
                latest[line.source_claim_id] = max(latest.get(line.source_claim_id, 0), line.batch_id)
            for line in rows:
                if line.batch_id == latest[line.source_claim_id]:
                    self.by_source.setdefault(line.source_claim_id, []).append(line)

    def lines(self, claim: x12_835_in.ClaimPayment) -> list[ServiceLine] | None:
        if claim.payer_claim_control_number and self.by_control.get(claim.payer_claim_control_number):
            return self.by_control[claim.payer_claim_control_number]
        return self.by_ours.get(claim.claim_id) or self.by_source.get(claim.claim_id) or None


def _match(service: x12_835_in.ServicePayment, candidates: list[ServiceLine]) -> ServiceLine | None:
    """The line a service payment pays: by the line id we sent (REF*6R), then procedure and
    modifiers, then procedure alone."""
    if service.line_ref:
        for line in candidates:
            if str(line.pk) == service.line_ref:
                return line
    mods = service.modifiers
    for line in candidates:
        if line.code == service.procedure and x12_837_out.split_modifiers(line.modifiers) == mods:
            return line
    for line in candidates:
        if line.code == service.procedure:
            return line
    return None


def _outcome(service: x12_835_in.ServicePayment) -> str:
    if service.paid <= 0:
        return PaymentOutcome.DENIED
    if service.paid < service.charge or service.adjustments:
        return PaymentOutcome.ADJUSTED
    return PaymentOutcome.PAID


def _codes(adjustments) -> str:
    return " ".join(f"{group}-{reason}" for group, reason, _amount in adjustments)[:200]


@transaction.atomic
def remittance_import(*, actor: Actor, county, upload) -> tuple[Remittance, bool]:
    """Post the state's 835 to the county's lines. Returns (remittance, created).

    All or nothing: a malformed file (by segment and element), a payment that does not balance
    (BPR02 must equal the sum of CLP04 less the PLB adjustments), a claim naming no line we sent, or a
    service payment matching no line of its claim refuses the whole file and saves nothing. The
    same file twice adds nothing (created is False). Side effects: a Remittance with its lines; each
    line's remittance status, paid amount and date, and the payer's claim control number; audited.
    """
    county_id = getattr(county, "pk", county)
    _ensure_works(actor, county_id)
    data = _read_upload(upload)
    digest = hashlib.sha256(data).hexdigest()
    existing = Remittance.objects.filter(county_id=county_id, sha256=digest).first()
    if existing is not None:
        return existing, False
    try:
        parsed = x12_835_in.parse(data)
    except x12_835_in.X12Error as error:
        raise ApplicationError(error.message, params=error.params, field="file") from None

    expected = parsed.claims_paid - parsed.provider_adjustments
    if parsed.payment_amount != expected:
        raise ApplicationError(
            "The 835 does not balance: its payment (BPR02) is %(payment)s, but its claims pay %(claims)s "
            "less %(adjustments)s of provider adjustments, which is %(expected)s. Ask the state for a corrected file.",
            params={
                "payment": parsed.payment_amount,
                "claims": parsed.claims_paid,
                "adjustments": parsed.provider_adjustments,
                "expected": expected,
            },
            field="file",
        )
    for claim in parsed.claims:
        services_paid = sum((s.paid for s in claim.services), Decimal("0"))
        if claim.services and services_paid != claim.paid:
            raise ApplicationError(
                "Segment %(number)s (CLP): claim %(claim)s pays %(paid)s, but its service payments add up to %(services)s.",
                params={
                    "number": claim.segment,
                    "claim": claim.claim_id,
                    "paid": claim.paid,
                    "services": services_paid,
                },
                field="file",
            )

    matched: list[tuple[x12_835_in.ClaimPayment, x12_835_in.ServicePayment, ServiceLine]] = []
    unknown: list[str] = []
    index = _ClaimIndex(county_id, parsed.claims)
    used: set[int] = set()
    for claim in parsed.claims:
        candidates = index.lines(claim)
        if not candidates:
            unknown.append(claim.claim_id)
            continue
        free = [line for line in candidates if line.pk not in used]
        for service in claim.services:
            line = _match(service, free)
            if line is None:
                raise ApplicationError(
                    "Segment %(number)s (SVC): the payment for %(procedure)s matches no line of claim %(claim)s.",
                    params={"number": service.segment, "procedure": service.procedure, "claim": claim.claim_id},
                    field="file",
                )
            free.remove(line)
            used.add(line.pk)
            matched.append((claim, service, line))
    if unknown:
        shown = ", ".join(unknown[:20]) + (" …" if len(unknown) > 20 else "")
        raise ApplicationError(
            "The 835 names %(count)s claims this county never sent: %(claims)s. Nothing was posted; "
            "check that the file is this county's.",
            params={"count": len(unknown), "claims": shown},
            field="file",
        )

    remittance = Remittance.objects.create(
        county_id=county_id,
        original_name=(getattr(upload, "name", "") or "remittance.835")[:255],
        sha256=digest,
        payer_name=parsed.payer_name,
        trace_number=parsed.trace_number,
        payment_amount=parsed.payment_amount,
        paid_on=parsed.paid_on,
        line_count=len(matched),
        uploaded_by=actor,
    )
    rows, lines = [], []
    for claim, service, line in matched:
        adjustments = service.adjustments or claim.adjustments
        status = _outcome(service)
        rows.append(
            RemittanceLine(
                remittance=remittance,
                line=line,
                payer_claim_control_number=claim.payer_claim_control_number,
                procedure=service.procedure,
                modifiers=":".join(service.modifiers)[:11],
                charge=service.charge,
                paid=service.paid,
                status=status,
                adjustment_codes=_codes(adjustments),
                remark_codes=" ".join(service.remarks or claim.remarks)[:200],
            )
        )
        line.remittance_status = status
        line.paid_amount = service.paid
        line.paid_on = parsed.paid_on
        if claim.payer_claim_control_number:
            line.payer_claim_control_number = claim.payer_claim_control_number
        lines.append(line)
    RemittanceLine.objects.bulk_create(rows, batch_size=1000)
    ServiceLine.objects.bulk_update(
        lines, ["remittance_status", "paid_amount", "paid_on", "payer_claim_control_number"], batch_size=1000
    )
    denied = sum(1 for row in rows if row.status == PaymentOutcome.DENIED)
    audit_record(
        actor=actor,
        action=AuditAction.REMITTANCE_IMPORT,
        obj=remittance,
        after={
            "lines": len(rows),
            "denied": denied,
            "payment_amount": str(parsed.payment_amount),
            "trace_number": parsed.trace_number,
        },
    )
    return remittance, True


@transaction.atomic
def denial_work(*, actor: Actor, remittance_line: RemittanceLine, note: str) -> RemittanceLine:
    """Mark a denied line worked, with what was done. Preconditions: the actor works the county; the
    line was denied and is not yet worked; a note. Side effects: worked at/by and the note; audited."""
    row = RemittanceLine.objects.select_for_update().select_related("remittance").get(pk=remittance_line.pk)
    _ensure_works(actor, row.remittance.county_id)
    note = (note or "").strip()
    if not note:
        raise ApplicationError("Say what was done about the denial.", field="note")
    if row.status != PaymentOutcome.DENIED:
        raise ApplicationError("Only a denied line goes on the denials worklist.", code="state")
    if row.denial_worked_at is not None:
        raise ApplicationError("This denial was already worked.", code="state")
    row.denial_worked_at = clock.now()
    row.denial_worked_by = actor
    row.denial_note = note[:500]
    row.save(update_fields=["denial_worked_at", "denial_worked_by", "denial_note"])
    audit_record(
        actor=actor,
        action=AuditAction.DENIAL_WORK,
        obj=row,
        before={"denial_worked_at": None},
        after={"denial_worked_at": row.denial_worked_at.isoformat(), "codes": row.adjustment_codes},
        reason=row.denial_note,
    )
    return row
