"""Service batches and lines, their imports (CSV, XLSX, the EHR's 837P) and the gate's runs.

A batch is created open, filled (one line at a time or from one file), then checked by the gate
(billing/gate.py): small batches at once, large ones by a background task with progress. Held lines
can be corrected and the batch checked again; a county billing supervisor may override a hold.
"""

import datetime
import hashlib
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from peercert.billing import gate, permissions
from peercert.billing.audit import AuditAction
from peercert.billing.models import (
    BATCH_TRANSITIONS,
    CIN_PATTERN,
    LINE_TRANSITIONS,
    BatchSource,
    BatchStatus,
    Beneficiary,
    LineHold,
    LineStatus,
    ServiceBatch,
    ServiceLine,
)
from peercert.billing.units import units_for
from peercert.billing.x12_837_in import errors_message, looks_like_x12, parse_837p
from peercert.core import clock, metrics, tabular
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.text import fill
from peercert.core.transitions import transition

__all__ = [
    "BACKGROUND_THRESHOLD",
    "IMPORT_COLUMNS",
    "MAX_FILE_BYTES",
    "batch_check",
    "batch_create",
    "batch_import",
    "batch_gate_failed",
    "batch_run_gate",
    "line_add",
    "line_correct",
    "line_override",
]

BATCH = gettext_noop("service batch")
LINE = gettext_noop("service line")
# Batches with more lines than this are checked by a background task, with a progress bar.
BACKGROUND_THRESHOLD = 5_000
MAX_FILE_BYTES = 60 * 1024 * 1024
MAX_837_LINES = 250_000
IMPORT_COLUMNS = (
    "rendering_npi",
    "certification_number",
    "cin",
    "service_date",
    "minutes",
    "code",
    "delivery_system",
    "place_of_service",
    "modifiers",
    "group_size",
    "reference",
)
SYSTEMS = ("smhs", "dmc", "dmc_ods")
GROUP_CODES = ("H0025",)
CODE = re.compile(r"^[A-Z0-9]{5}$")
MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
POS = re.compile(r"^[0-9]{2}$")
CIN = re.compile(CIN_PATTERN)
NPI = re.compile(r"^[0-9]{10}$")


def _check_county(actor, county_id: int) -> None:
    if actor is None:
        return  # the system: an import job, the demo
    if not permissions.can_work_county(actor, county_id):
        raise ApplicationError("Only this county's billing staff may change its service batches.", code="forbidden")


def _lock(batch: ServiceBatch) -> ServiceBatch:
    return ServiceBatch.objects.select_for_update().get(pk=batch.pk)


def _check_open(batch: ServiceBatch) -> None:
    if batch.status not in (BatchStatus.OPEN, BatchStatus.CHECKED):
        raise ApplicationError(
            "This batch is %(status)s: lines can be added or changed only while it is open or checked.",
            params={"status": batch.get_status_display().lower()},
            code="state",
        )


# ---- Finding employments and beneficiaries, for many lines at once ----------------------------


class _Finder:
    """The county's employments by NPI and person, and beneficiaries by CIN, read once per import."""

    def __init__(self, county_id: int):
        from peercert.benefit import selectors as benefit_selectors  # noqa: F401 - the contract we build on

        self.county_id = county_id
        self._by_npi: dict[str, list[tuple]] | None = None
        self._person_of_number: dict[str, int | None] = {}
        self._by_person: dict[int, list[tuple]] | None = None

    def _employments(self):
        rows = ServiceLine._meta.get_field("employment").related_model.objects.filter(county_id=self.county_id)
        return rows.values_list("pk", "individual_npi", "person_id", "start_on", "end_on", "status").order_by("pk")

    def _load(self) -> None:
        self._by_npi, self._by_person = {}, {}
        for row in self._employments():
            if row[1]:
                self._by_npi.setdefault(row[1], []).append(row)
            self._by_person.setdefault(row[2], []).append(row)

    @staticmethod
    def _pick(rows: list[tuple], day: datetime.date | None) -> int | None:
        if not rows:
            return None
        for pk, _npi, _person, start, end, status in rows:
            if day and status != "ended" and start <= day and (end is None or end >= day):
                return pk
        for pk, _npi, _person, start, end, _status in rows:
            if day and start <= day and (end is None or end >= day):
                return pk
        return rows[-1][0]

    def by_npi(self, npi: str, day: datetime.date | None) -> int | None:
        if self._by_npi is None:
            self._load()
        return self._pick(self._by_npi.get(npi, []), day)

    def by_certification(self, number: str, day: datetime.date | None) -> int | None:
        from peercert.certification import selectors as certification_selectors

        if number not in self._person_of_number:
            found = certification_selectors.certification_by_number(number)
            self._person_of_number[number] = found.person_id if found else None
        person_id = self._person_of_number[number]
        if person_id is None:
            return None
        if self._by_person is None:
            self._load()
        return self._pick(self._by_person.get(person_id, []), day)

    def beneficiaries(self, cins) -> dict[str, int]:
        cins = sorted({c for c in cins if c})
        found: dict[str, int] = {}
        for start in range(0, len(cins), 5000):
            found.update(
                Beneficiary.objects.filter(county_id=self.county_id, cin__in=cins[start : start + 5000]).values_list(
                    "cin", "pk"
                )
            )
        return found


# ---- One line's fields, checked the same way for a form, a file row or an API ---------------


def _clean_fields(data: dict) -> tuple[dict, list[str]]:
    """The line's own fields from loose input, and what is wrong with them (plain messages)."""
    problems: list[str] = []
    out: dict = {}
    cin = str(data.get("cin") or "").strip().upper()
    if not CIN.match(cin):
        problems.append(fill(gettext_noop("The CIN “%(cin)s” must be 8 digits then a letter."), {"cin": cin[:20]}))
    out["cin"] = cin[:9]
    day = data.get("service_date")
    if not isinstance(day, datetime.date):
        try:
            day = tabular.parse_date(day)
        except ValueError:
            day = None
    if day is None:
        problems.append(gettext("Give the date of service (YYYY-MM-DD or M/D/YYYY)."))
    elif day > clock.today():
        problems.append(gettext("The date of service is in the future."))
    out["service_date"] = day
    try:
        minutes = int(str(data.get("minutes") if data.get("minutes") is not None else "").strip())
    except ValueError:
        minutes = None
    if minutes is None or minutes <= 0 or minutes > 24 * 60:
        problems.append(gettext("Minutes must be a whole number from 1 to 1440."))
    out["minutes"] = minutes or 0
    code = str(data.get("code") or "").strip().upper()
    if not CODE.match(code):
        problems.append(gettext("The code must be a 5-character HCPCS code, such as H0038."))
    out["code"] = code[:5]
    system = str(data.get("delivery_system") or "").strip().lower().replace("-", "_")
    if system not in SYSTEMS:
        problems.append(gettext("The delivery system must be smhs, dmc or dmc_ods."))
    out["delivery_system"] = system[:10]
    place = str(data.get("place_of_service") or "").strip()
    if len(place) == 1 and place.isdigit():
        place = "0" + place
    if not POS.match(place):
        problems.append(gettext("The place of service must be a two-digit code, such as 11."))
    out["place_of_service"] = place[:2]
    raw = str(data.get("modifiers") or "").strip().upper()
    modifiers = [m for m in re.split(r"[\s,:;]+", raw) if m]
    if len(modifiers) > 4 or any(not MODIFIER.match(m) for m in modifiers):
        problems.append(gettext("Give up to four two-character modifiers, separated by commas."))
    out["modifiers"] = ":".join(modifiers)[:11]
    size = data.get("group_size")
    if size in (None, ""):
        size = None
    else:
        try:
            size = int(str(size).strip())
        except ValueError:
            size = -1
        if size < 2 or size > 99:
            problems.append(gettext("The group size must be a whole number from 2 to 99."))
            size = None
    if code in GROUP_CODES and size is None and not any("group size" in p for p in problems):
        problems.append(fill(gettext_noop("A group service (%(code)s) needs its group size."), {"code": code}))
    out["group_size"] = size
    reference = str(data.get("reference") or data.get("county_reference") or "").strip()
    if len(reference) > 50:
        problems.append(gettext("The county's reference is at most 50 characters."))
    out["county_reference"] = reference[:50]
    return out, problems


def _new_line(
    batch: ServiceBatch, fields: dict, *, employment_id, beneficiary_id, npi: str = "", **extra
) -> ServiceLine:
    return ServiceLine(
        batch_id=batch.pk,
        county_id=batch.county_id,
        employment_id=employment_id,
        beneficiary_id=beneficiary_id,
        rendering_npi=npi,
        units=units_for(fields["minutes"]),
        **fields,
        **extra,
    )


# ---- Batches ----------------------------------------------------------------------------------


@transaction.atomic
def batch_create(*, actor, county) -> ServiceBatch:
    """An empty batch for lines entered by hand."""
    county_id = getattr(county, "pk", county)
    _check_county(actor, county_id)
    batch = ServiceBatch.objects.create(county_id=county_id, source=BatchSource.MANUAL, created_by=actor)
    audit_record(actor=actor, action=AuditAction.BATCH_CREATE, obj=batch, after={"source": batch.source})
    return batch


@transaction.atomic
def line_add(*, actor, batch: ServiceBatch, data: dict) -> ServiceLine:
    """Add one line to an open (or checked: it reopens) batch. The peer's employment is one of the
    county's (data["employment"] an id); the beneficiary is found by CIN (unknown: kept, and held)."""
    batch = _lock(batch)
    _check_county(actor, batch.county_id)
    _check_open(batch)
    fields, problems = _clean_fields(data)
    if problems:
        message = " ".join(problems)
        raise ApplicationError(message)
    finder = _Finder(batch.county_id)
    employment_id = _employment_of_county(batch.county_id, data.get("employment"))
    beneficiary_id = finder.beneficiaries([fields["cin"]]).get(fields["cin"])
    position = (batch.line_count or 0) + 1
    line = _new_line(
        batch, fields, employment_id=employment_id, beneficiary_id=beneficiary_id, source_position=position
    )
    line.save()
    _reopen(batch)
    batch.line_count = position
    batch.save(update_fields=["line_count", "status", "updated_at"])
    audit_record(actor=actor, action=AuditAction.LINE_ADD, obj=line, after={"batch": batch.pk, "code": line.code})
    return line


def _employment_of_county(county_id: int, employment_id) -> int:
    model = ServiceLine._meta.get_field("employment").related_model
    try:
        pk = int(employment_id)
    except (TypeError, ValueError):
        pk = None
    if pk is None or not model.objects.filter(pk=pk, county_id=county_id).exists():
        raise ApplicationError("Choose one of this county's employed peers.", field="employment")
    return pk


def _reopen(batch: ServiceBatch) -> None:
    if batch.status == BatchStatus.CHECKED:
        transition(batch, BatchStatus.OPEN, allowed=BATCH_TRANSITIONS, noun=BATCH)


@transaction.atomic
def batch_import(
    *,
    actor,
    county,
    content: bytes,
    filename: str,
    delivery_system: str = "smhs",
    check: bool = True,
    at_once: bool = False,
) -> ServiceBatch:
    """A new batch from one file: the EHR's 837P, or a CSV/XLSX with IMPORT_COLUMNS. All or nothing:
    any malformed row or segment refuses the whole file (each named by line or segment number). The
    same file twice for the county adds nothing (refused, naming the batch it made). The gate runs
    at once unless check is False (large batches: as a background task)."""
    county_id = getattr(county, "pk", county)
    _check_county(actor, county_id)
    if not content:
        raise ApplicationError("“%(name)s” is empty.", params={"name": filename}, field="file")
    if len(content) > MAX_FILE_BYTES:
        raise ApplicationError(
            "“%(name)s” is larger than %(limit)s MB. Split it into smaller files.",
            params={"name": filename, "limit": MAX_FILE_BYTES // (1024 * 1024)},
            field="file",
        )
    sha = hashlib.sha256(content).hexdigest()
    earlier = ServiceBatch.objects.filter(county_id=county_id, sha256=sha).first()
    if earlier is not None:
        raise ApplicationError(
            "This file was imported already (batch %(batch)s); nothing was added.",
            params={"batch": earlier.pk},
            code="duplicate",
            field="file",
            extra={"batch_id": earlier.pk},
        )
    if delivery_system not in SYSTEMS:
        raise ApplicationError("The delivery system must be smhs, dmc or dmc_ods.", field="delivery_system")
    finder = _Finder(county_id)
    if looks_like_x12(content):
        source, kind = BatchSource.X12_837P, "x12"
        batch = ServiceBatch(
            county_id=county_id, source=source, original_name=filename[:255], sha256=sha, created_by=actor
        )
        lines = _lines_from_837(batch, content, finder, delivery_system)
    else:
        source = BatchSource.XLSX if content.startswith(tabular.XLSX_SIGNATURE) else BatchSource.CSV
        kind = "xlsx" if source == BatchSource.XLSX else "csv"
        batch = ServiceBatch(
            county_id=county_id, source=source, original_name=filename[:255], sha256=sha, created_by=actor
        )
        lines = _lines_from_table(batch, content, filename, finder)
    batch.source_kind = kind
    batch.line_count = len(lines)
    batch.save()
    if source == BatchSource.X12_837P:
        batch.source_file.save(f"{batch.pk}.x12", ContentFile(content), save=False)
        batch.save(update_fields=["source_file", "updated_at"])
    for line in lines:
        line.batch_id = batch.pk
    ServiceLine.objects.bulk_create(lines, batch_size=2000)
    audit_record(
        actor=actor,
        action=AuditAction.BATCH_IMPORT,
        obj=batch,
        after={"source": source, "lines": len(lines), "sha256": sha},
    )
    if check:
        batch_check(actor=actor, batch=batch, at_once=at_once)
        batch.refresh_from_db()
    return batch


def _lines_from_837(batch, content: bytes, finder: _Finder, system: str) -> list[ServiceLine]:
    parsed = parse_837p(content)
    if parsed.errors:
        raise ApplicationError(errors_message(parsed.errors), field="file", extra={"errors": parsed.errors})
    if len(parsed.lines) > MAX_837_LINES:
        raise ApplicationError(
            "The file has %(count)s service lines; the limit is %(limit)s. Split it into smaller files.",
            params={"count": len(parsed.lines), "limit": MAX_837_LINES},
            field="file",
        )
    today = clock.today()
    future = [
        str(row["source_position"]) for row in parsed.lines if row["service_date"] and row["service_date"] > today
    ]
    if future:
        raise ApplicationError(
            "Dates of service in the future at segment(s) %(segments)s; nothing was saved.",
            params={"segments": ", ".join(future[:20])},
            field="file",
        )
    cins = finder.beneficiaries(row["cin"] for row in parsed.lines)
    lines = []
    for row in parsed.lines:
        fields = {
            "cin": row["cin"][:9],
            "service_date": row["service_date"],
            "minutes": row["minutes"],
            "code": row["code"],
            "delivery_system": system,
            "place_of_service": row["place_of_service"],
            "modifiers": row["modifiers"],
            "group_size": None,
            "county_reference": row.get("county_reference", ""),
        }
        npi = row["rendering_npi"]
        lines.append(
            _new_line(
                batch,
                fields,
                employment_id=finder.by_npi(npi, row["service_date"]) if npi else None,
                beneficiary_id=cins.get(fields["cin"]),
                npi=npi,
                source_claim_id=row["source_claim_id"],
                source_line_number=row["source_line_number"],
                source_position=row["source_position"],
            )
        )
    return lines


def _lines_from_table(batch, content: bytes, filename: str, finder: _Finder) -> list[ServiceLine]:
    table = tabular.read_table(content, filename, known=IMPORT_COLUMNS)
    if table.errors:
        raise ApplicationError(
            "%(name)s: %(errors)s",
            params={
                "name": filename,
                "errors": "; ".join(
                    fill(gettext_noop("line %(line)s: %(problems)s"), {"line": n, "problems": m})
                    for n, m in table.errors
                ),
            },
            field="file",
        )
    columns = table.columns
    missing = [
        c for c in ("cin", "service_date", "minutes", "code", "delivery_system", "place_of_service") if c not in columns
    ]
    if "rendering_npi" not in columns and "certification_number" not in columns:
        missing.append("rendering_npi / certification_number")
    if missing:
        raise ApplicationError(
            "The file has no column(s) %(columns)s. The columns we read are: %(known)s.",
            params={"columns": ", ".join(missing), "known": ", ".join(IMPORT_COLUMNS)},
            field="file",
        )
    rows, errors = [], []
    for number, cells in table.body:
        data = {key: tabular.cell(cells, index) for key, index in columns.items()}
        fields, problems = _clean_fields(data)
        npi = str(data.get("rendering_npi") or "").strip()
        number_text = str(data.get("certification_number") or "").strip()
        if npi and not NPI.match(npi):
            problems.append(gettext("The rendering NPI must be 10 digits."))
        if not npi and not number_text:
            problems.append(gettext("Give the rendering NPI or the peer's certification number."))
        if problems:
            errors.append(
                fill(gettext_noop("line %(line)s: %(problems)s"), {"line": number, "problems": " ".join(problems)})
            )
            if len(errors) >= 20:
                break
            continue
        rows.append((number, fields, npi, number_text))
    if errors:
        raise ApplicationError(
            "The file was not imported; nothing was saved. Fix these and upload it again: %(errors)s",
            params={"errors": "; ".join(errors)},
            field="file",
            extra={"errors": errors},
        )
    cins = finder.beneficiaries(fields["cin"] for _n, fields, _npi, _num in rows)
    lines = []
    for number, fields, npi, number_text in rows:
        day = fields["service_date"]
        employment_id = finder.by_npi(npi, day) if npi else finder.by_certification(number_text, day)
        lines.append(
            _new_line(
                batch,
                fields,
                employment_id=employment_id,
                beneficiary_id=cins.get(fields["cin"]),
                npi=npi,
                source_position=number,
            )
        )
    return lines


# ---- The gate's runs --------------------------------------------------------------------------


@transaction.atomic
def batch_check(*, actor, batch: ServiceBatch, at_once: bool = False) -> ServiceBatch:
    """Run the gate over an open or checked batch: at once for a small batch, else as a background task
    (the batch shows checking with its progress). One audit event per run, with the counts."""
    from peercert.billing import tasks

    batch = _lock(batch)
    _check_county(actor, batch.county_id)
    transition(batch, BatchStatus.CHECKING, allowed=BATCH_TRANSITIONS, noun=BATCH)
    line_count = ServiceLine.objects.filter(batch_id=batch.pk).count()
    if line_count == 0:
        raise ApplicationError("The batch has no lines yet: add lines or import a file first.", code="state")
    batch.line_count = line_count
    batch.progress_done, batch.progress_total = 0, len(gate.steps(batch.pk))
    batch.save(update_fields=["status", "line_count", "progress_done", "progress_total", "updated_at"])
    if line_count > BACKGROUND_THRESHOLD and not at_once:
        actor_id = getattr(actor, "pk", None)
        transaction.on_commit(lambda: tasks.run_gate.enqueue(batch.pk, actor_id))
        return batch
    return batch_run_gate(actor=actor, batch=batch)


@transaction.atomic
def batch_run_gate(*, actor, batch: ServiceBatch, evaluated: bool = False) -> ServiceBatch:
    """The gate's evaluation of a batch being checked, then checked with its counts. batch_check calls
    it for small batches; the task runs the gate's steps itself (committing progress between them)
    and calls it with evaluated=True to count and land the batch."""
    batch = _lock(batch)
    if batch.status != BatchStatus.CHECKING:
        raise ApplicationError("This batch is not being checked.", code="state")
    before = {"by_status": batch.counts.get("by_status", {}) if batch.counts else {}}
    if evaluated:
        counts = gate.counts(batch.pk)
    else:
        with metrics.timed("billing_gate"):
            counts = gate.evaluate(batch.pk)
    transition(batch, BatchStatus.CHECKED, allowed=BATCH_TRANSITIONS, noun=BATCH)
    batch.counts = counts
    batch.checked_at = timezone.now()
    batch.progress_done = batch.progress_total
    batch.save(update_fields=["status", "counts", "checked_at", "progress_done", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.BATCH_CHECK,
        obj=batch,
        before=before,
        after={"by_status": counts["by_status"], "by_reason": counts["by_reason"]},
    )
    return batch


@transaction.atomic
def batch_gate_failed(*, batch_id: int) -> None:
    """A background run of the gate failed: the batch goes back to open, to be checked again."""
    batch = ServiceBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status == BatchStatus.CHECKING:
        transition(batch, BatchStatus.OPEN, allowed=BATCH_TRANSITIONS, noun=BATCH)
        batch.save(update_fields=["status", "updated_at"])


# ---- Correcting and overriding a held line ---------------------------------------------------

CORRECTABLE = ("minutes", "service_date", "code", "delivery_system", "cin", "employment")


@transaction.atomic
def line_correct(*, actor, line: ServiceLine, data: dict) -> ServiceLine:
    """Correct a held line's minutes, date, code, system, CIN or employment. It goes back to pending
    (its holds and any override cleared) and its batch reopens, to be checked again."""
    line = ServiceLine.objects.select_for_update().get(pk=line.pk)
    batch = _lock(line.batch)
    _check_county(actor, line.county_id)
    _check_open(batch)
    if line.status not in (LineStatus.HELD, LineStatus.OVERRIDDEN):
        raise ApplicationError("Only a held line can be corrected.", code="state")
    current = {
        "cin": line.cin,
        "service_date": line.service_date,
        "minutes": line.minutes,
        "code": line.code,
        "delivery_system": line.delivery_system,
        "place_of_service": line.place_of_service,
        "modifiers": line.modifiers,
        "group_size": line.group_size,
        "county_reference": line.county_reference,
    }
    merged = {**current, **{k: v for k, v in data.items() if k in CORRECTABLE and k != "employment"}}
    fields, problems = _clean_fields(merged)
    if problems:
        message = " ".join(problems)
        raise ApplicationError(message)
    before = {k: str(v) for k, v in current.items() if k in CORRECTABLE}
    before["employment"] = line.employment_id
    if data.get("employment") not in (None, ""):
        line.employment_id = _employment_of_county(line.county_id, data["employment"])
    for key in ("cin", "service_date", "minutes", "code", "delivery_system"):
        setattr(line, key, fields[key])
    line.units = units_for(line.minutes)
    line.beneficiary_id = _Finder(line.county_id).beneficiaries([line.cin]).get(line.cin)
    transition(line, LineStatus.PENDING, allowed=LINE_TRANSITIONS, noun=LINE)
    line.override_reason, line.overridden_by, line.overridden_at, line.charge = "", None, None, None
    line.save(
        update_fields=[
            "employment",
            "cin",
            "beneficiary",
            "service_date",
            "minutes",
            "units",
            "code",
            "delivery_system",
            "status",
            "override_reason",
            "overridden_by",
            "overridden_at",
            "charge",
            "updated_at",
        ]
    )
    LineHold.objects.filter(line_id=line.pk).delete()
    _reopen(batch)
    batch.save(update_fields=["status", "updated_at"])
    after = {k: str(getattr(line, k)) for k in CORRECTABLE if k != "employment"}
    after["employment"] = line.employment_id
    audit_record(actor=actor, action=AuditAction.LINE_CORRECT, obj=line, before=before, after=after)
    return line


@transaction.atomic
def line_override(*, actor, line: ServiceLine, reason: str) -> ServiceLine:
    """A county billing supervisor makes a held line billable, saying why (audited). Its holds stay,
    as the record of what was overridden."""
    line = ServiceLine.objects.select_for_update().get(pk=line.pk)
    batch = _lock(line.batch)
    if not permissions.can_override_hold(actor, line.county_id):
        raise ApplicationError("Only the county's billing supervisor may override a hold.", code="forbidden")
    if batch.status == BatchStatus.SUBMITTED:
        raise ApplicationError("The batch was submitted: it can no longer change.", code="state")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say why the hold is overridden.", field="reason")
    codes = sorted(line.holds.values_list("code", flat=True))
    before = transition(line, LineStatus.OVERRIDDEN, allowed=LINE_TRANSITIONS, noun=LINE)
    line.override_reason, line.overridden_by, line.overridden_at = reason[:2000], actor, timezone.now()
    line.save(update_fields=["status", "override_reason", "overridden_by", "overridden_at", "updated_at"])
    batch.counts = gate.counts(batch.pk)
    batch.save(update_fields=["counts", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.LINE_OVERRIDE,
        obj=line,
        before={"status": before, "holds": codes},
        after={"status": line.status},
        reason=reason,
    )
    return line
