"""Services for beneficiaries and their monthly Medi-Cal eligibility.

County billing staff add and change their own county's beneficiaries and record each month's
verification: by hand (with a reference), from the county's monthly eligibility file (CSV or XLSX),
or from an X12 271 response. A correction supersedes the row it corrects, which is kept. Imports are
all-or-nothing, name each problem's line (or segment), and are idempotent: the same file twice adds
nothing. Nothing here writes a beneficiary's name into a log line, an audit event or a message
beyond the county's own import result.
"""

import csv
import datetime
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from peercert.accounts.models import County
from peercert.billing import x12_eligibility
from peercert.billing.audit import AuditAction
from peercert.billing.models import (
    AccessChannel,
    Beneficiary,
    BeneficiaryAccess,
    EligibilityImport,
    EligibilityMonth,
    EligibilitySource,
)
from peercert.billing.permissions import can_work_county
from peercert.billing.signals import announce_eligibility_corrected
from peercert.core import clock, metrics
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.tabular import cell, check_tabular_upload, header_key, parse_date, read_table
from peercert.core.text import fill
from peercert.core.types import Actor

__all__ = [
    "IMPORT_COLUMNS",
    "ImportResult",
    "beneficiary_create",
    "beneficiary_update",
    "eligibility_correct",
    "eligibility_import_271",
    "eligibility_import_file",
    "eligibility_import_stream",
    "eligibility_inquiry_270",
    "eligibility_record",
    "validate_bic",
    "validate_cin",
]

CIN_RE = re.compile(r"^[0-9]{8}[A-Z]$")
BIC_RE = re.compile(r"^([0-9]{8}[A-Z])([0-9])([0-9])([0-9]{3})$")
AID_CODE_RE = re.compile(r"^[0-9A-Z]{1,3}$")
IMPORT_COLUMNS = ("cin", "month", "eligible", "aid_code", "last_name", "first_name", "date_of_birth")
REQUIRED_COLUMNS = ("cin", "month", "eligible")
YES = frozenset({"y", "yes", "true", "1", "eligible", "s", "sí", "si"})
NO = frozenset({"n", "no", "false", "0", "not eligible", "ineligible"})
# Rows written per statement group: bounded memory whatever the file's size.
BATCH_SIZE = 5000
# A refused import lists at most this many problems (and says how many there were).
MAX_ERRORS = 200
MAX_X12_BYTES = 5 * 1024 * 1024
MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?$")
BENEFICIARY_FIELDS = ("cin", "bic_id", "legal_first_name", "legal_last_name", "date_of_birth")


def _user(actor):
    return actor if actor is not None and getattr(actor, "pk", None) else None


def _require_county(actor: Actor, county_id: int) -> None:
    if actor is not None and not can_work_county(actor, county_id):
        raise ApplicationError(
            "Only the county's billing staff may change its beneficiaries and their eligibility.", code="forbidden"
        )


def _this_month() -> datetime.date:
    return clock.today().replace(day=1)


# ---- Shapes ------------------------------------------------------------------------------------


def validate_cin(value) -> str:
    """The CIN upper-cased, or a refusal saying its shape."""
    cin = str(value or "").strip().upper()
    if not CIN_RE.match(cin):
        raise ApplicationError(
            "“%(cin)s” is not a CIN: a CIN is 8 digits then a letter, like 91234567A.",
            params={"cin": cin[:20]},
            field="cin",
        )
    return cin


def validate_bic(value, cin: str) -> str:
    """The BIC ID (or blank): the CIN, a check digit, then a 4-digit Julian issue date (year digit, day 001-366)."""
    bic = str(value or "").strip().upper()
    if not bic:
        return ""
    shape = BIC_RE.match(bic)
    if not shape:
        raise ApplicationError(
            "“%(bic)s” is not a BIC ID: it is 14 characters, the CIN, a check digit and a 4-digit issue date "
            "(year digit and day of the year).",
            params={"bic": bic[:20]},
            field="bic_id",
        )
    if shape.group(1) != cin:
        raise ApplicationError(
            "The BIC ID must start with the beneficiary's CIN (%(cin)s).", params={"cin": cin}, field="bic_id"
        )
    if not 1 <= int(shape.group(4)) <= 366:
        raise ApplicationError(
            "The BIC ID's issue date ends in day %(day)s of the year; a day is 001 to 366. Check the card.",
            params={"day": shape.group(4)},
            field="bic_id",
        )
    return bic


def _validate_birth(value: datetime.date | None) -> datetime.date:
    if value is None:
        raise ApplicationError("Give the date of birth.", field="date_of_birth")
    if value > clock.today():
        raise ApplicationError("The date of birth is in the future. Check it.", field="date_of_birth")
    if value.year < 1900:
        raise ApplicationError("The date of birth is before 1900. Check it.", field="date_of_birth")
    return value


def _validate_name(value, field_name: str) -> str:
    name = " ".join(str(value or "").split())[:100]
    if not name:
        raise ApplicationError("Give the legal name as on the Medi-Cal card.", field=field_name)
    return name


def _validate_month(value: datetime.date) -> datetime.date:
    month = value.replace(day=1)
    if month > _this_month():
        raise ApplicationError(
            "Eligibility for a future month cannot be recorded; verify it once the month has begun.", field="month"
        )
    return month


def _validate_aid_code(value) -> str:
    aid = str(value or "").strip().upper()
    if aid and not AID_CODE_RE.match(aid):
        raise ApplicationError(
            "“%(aid)s” is not an aid code: up to 3 letters or digits, like 1H or M1.",
            params={"aid": aid[:10]},
            field="aid_code",
        )
    return aid


# ---- Beneficiaries -----------------------------------------------------------------------------


def _beneficiary_values(data: dict) -> dict:
    cin = validate_cin(data.get("cin"))
    return {
        "cin": cin,
        "bic_id": validate_bic(data.get("bic_id"), cin),
        "legal_first_name": _validate_name(data.get("legal_first_name"), "legal_first_name"),
        "legal_last_name": _validate_name(data.get("legal_last_name"), "legal_last_name"),
        "date_of_birth": _validate_birth(data.get("date_of_birth")),
    }


def _taken(values: dict, exclude_pk: int | None = None) -> None:
    others = Beneficiary.objects.exclude(pk=exclude_pk) if exclude_pk else Beneficiary.objects.all()
    if others.filter(cin=values["cin"]).exists():
        # Neutral wording: the CIN may be another county's beneficiary, which this county may not see.
        raise ApplicationError(
            "The CIN %(cin)s is already recorded. Search for it; if it is not this county's beneficiary, ask "
            "DHCS to confirm the county of responsibility.",
            params={"cin": values["cin"]},
            code="duplicate",
            field="cin",
        )
    if values["bic_id"] and others.filter(bic_id=values["bic_id"]).exists():
        raise ApplicationError(
            "That BIC ID is already recorded for another beneficiary.", code="duplicate", field="bic_id"
        )


def _changed_fields(before: dict, after: dict) -> list[str]:
    return sorted(k for k in after if before.get(k) != after[k])


@transaction.atomic
def beneficiary_create(*, actor: Actor, county: County, **data) -> Beneficiary:
    """Add a county's beneficiary.

    Preconditions: the actor is billing staff of the county; CIN 8 digits and a letter (upper-cased),
    BIC ID (optional) the CIN, a check digit and a Julian issue date; legal names given; born between
    1900 and today; CIN and BIC ID not already recorded.
    Side effects: audited as beneficiary.create naming the fields set (never their values: PHI).
    """
    _require_county(actor, county.pk)
    values = _beneficiary_values(data)
    _taken(values)
    beneficiary = Beneficiary(county=county, created_by=_user(actor), **values)
    try:
        with transaction.atomic():
            beneficiary.save()
    except IntegrityError:
        raise ApplicationError(
            "The CIN %(cin)s was just recorded by someone else. Search for it.",
            params={"cin": values["cin"]},
            code="duplicate",
            field="cin",
        ) from None
    audit_record(
        actor=actor,
        action=AuditAction.BENEFICIARY_CREATE,
        obj=beneficiary,
        after={"fields": sorted(k for k, v in values.items() if v), "county": county.pk},
    )
    return beneficiary


@transaction.atomic
def beneficiary_update(*, actor: Actor, beneficiary: Beneficiary, **data) -> Beneficiary:
    """Correct a beneficiary's CIN, BIC ID, legal name or date of birth (the county never changes here).

    Preconditions: as beneficiary_create. Side effects: audited as beneficiary.update naming the fields changed.
    """
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    _require_county(actor, beneficiary.county_id)
    values = _beneficiary_values(data)
    _taken(values, exclude_pk=beneficiary.pk)
    before = {k: getattr(beneficiary, k) for k in BENEFICIARY_FIELDS}
    changed = _changed_fields(before, values)
    if not changed:
        return beneficiary
    for name in changed:
        setattr(beneficiary, name, values[name])
    beneficiary.save(update_fields=[*changed, "updated_at"])
    audit_record(actor=actor, action=AuditAction.BENEFICIARY_UPDATE, obj=beneficiary, after={"changed": changed})
    return beneficiary


# ---- One month by hand -------------------------------------------------------------------------


def _month_snapshot(row: EligibilityMonth) -> dict:
    return {
        "month": row.month.isoformat(),
        "eligible": row.eligible,
        "aid_code": row.aid_code,
        "source": row.source,
        "reference": row.reference,
    }


def _manual_reference(value) -> str:
    reference = " ".join(str(value or "").split())[:100]
    if not reference:
        raise ApplicationError(
            "Give the reference of the check (the AEVS transaction number, or the letter or call it came from).",
            field="reference",
        )
    return reference


@transaction.atomic
def eligibility_record(
    *,
    actor: Actor,
    beneficiary: Beneficiary,
    month: datetime.date,
    eligible: bool,
    aid_code: str = "",
    reference: str,
) -> EligibilityMonth:
    """Record a month's eligibility checked by hand.

    Preconditions: the actor is billing staff of the beneficiary's county; the month has begun; no current
    verification of that month (correct it instead); a reference.
    Side effects: audited as eligibility.record.
    """
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    _require_county(actor, beneficiary.county_id)
    month = _validate_month(month)
    aid_code = _validate_aid_code(aid_code) if eligible else ""
    reference = _manual_reference(reference)
    if EligibilityMonth.objects.filter(beneficiary=beneficiary, month=month, superseded_at__isnull=True).exists():
        raise ApplicationError(
            "This month is already verified. Correct that verification instead of adding another.",
            code="duplicate",
            field="month",
        )
    row = EligibilityMonth.objects.create(
        beneficiary=beneficiary,
        month=month,
        eligible=eligible,
        aid_code=aid_code,
        source=EligibilitySource.MANUAL,
        reference=reference,
        verified_at=clock.now(),
        verified_by=_user(actor),
    )
    audit_record(actor=actor, action=AuditAction.ELIGIBILITY_RECORD, obj=row, after=_month_snapshot(row))
    return row


@transaction.atomic
def eligibility_correct(
    *, actor: Actor, verification: EligibilityMonth, eligible: bool, aid_code: str = "", reference: str, reason: str
) -> EligibilityMonth:
    """Correct a month's current verification: a new manual row supersedes it (the old one is kept).

    Preconditions: billing staff of the county; the row is still current; a reference and a reason; the
    correction changes something.
    Side effects: the old row's superseded_at and superseded_by are set; audited as eligibility.correct.
    """
    old = EligibilityMonth.objects.select_for_update().select_related("beneficiary").get(pk=verification.pk)
    _require_county(actor, old.beneficiary.county_id)
    if old.superseded_at is not None:
        raise ApplicationError(
            "This verification was already corrected. Open the beneficiary again to see the current one.", code="state"
        )
    aid_code = _validate_aid_code(aid_code) if eligible else ""
    reference = _manual_reference(reference)
    reason = " ".join(str(reason or "").split())[:2000]
    if not reason:
        raise ApplicationError("Say why the verification is corrected.", field="reason")
    if old.eligible == eligible and old.aid_code == aid_code:
        raise ApplicationError(
            "The correction says what the verification already says. Change eligible or the aid code.",
            field="eligible",
        )
    now = clock.now()
    before = _month_snapshot(old)
    old.superseded_at = now
    old.save(update_fields=["superseded_at", "updated_at"])
    new = EligibilityMonth.objects.create(
        beneficiary=old.beneficiary,
        month=old.month,
        eligible=eligible,
        aid_code=aid_code,
        source=EligibilitySource.MANUAL,
        reference=reference,
        verified_at=now,
        verified_by=_user(actor),
    )
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    announce_eligibility_corrected(
        beneficiary_id=old.beneficiary_id, month=old.month, reference=f"eligibility month {new.pk}", actor=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.ELIGIBILITY_CORRECT,
        obj=new,
        before=before,
        after={**_month_snapshot(new), "corrects": old.pk},
        reason=reason,
    )
    return new


# ---- Imports -----------------------------------------------------------------------------------


@dataclass
class Row:
    """One verified month to import, and where it came from (line or segment number)."""

    position: int
    cin: str
    month: datetime.date
    eligible: bool
    aid_code: str = ""
    last_name: str = ""
    first_name: str = ""
    date_of_birth: datetime.date | None = None


@dataclass
class ImportResult:
    record: EligibilityImport | None = None
    already: bool = False
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    beneficiaries_added: int = 0
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0


class _Refused(Exception):
    def __init__(self, result: ImportResult):
        self.result = result


def _refusal(result: ImportResult, unit: str) -> ApplicationError:
    """The import's refusal: its message says how many problems; extra carries them by line or segment."""
    return ApplicationError(
        "Nothing was imported: %(count)s problem(s) in the file. Fix them and import the whole file again.",
        params={"count": result.error_count},
        extra={"errors": result.errors, "unit": unit, "error_count": result.error_count},
    )


def _error(result: ImportResult, position: int, message: str, **params) -> None:
    result.error_count += 1
    if len(result.errors) < MAX_ERRORS:
        result.errors.append((position, fill(message, params) if params else fill(message, {})))


def _parse_month(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    shape = MONTH_RE.match(str(value or "").strip())
    if not shape:
        return None
    try:
        return datetime.date(int(shape.group(1)), int(shape.group(2)), 1)
    except ValueError:
        return None


def _parse_row(result: ImportResult, line: int, get, this_month: datetime.date) -> Row | None:
    """A file row made a Row, or None with its problems recorded (the row's name never in a message)."""
    ok = True
    cin = str(get("cin") or "").strip().upper()
    if not CIN_RE.match(cin):
        _error(result, line, gettext_noop("“%(cin)s” is not a CIN (8 digits, then a letter)."), cin=cin[:20])
        ok = False
    month = _parse_month(get("month"))
    if month is None:
        _error(
            result,
            line,
            gettext_noop("The month “%(value)s” is not a month (YYYY-MM)."),
            value=str(get("month") or "")[:20],
        )
        ok = False
    elif month > this_month or month.year < 1990:
        _error(
            result,
            line,
            gettext_noop("Eligibility for %(month)s cannot be recorded: it is a future month or before 1990."),
            month=f"{month:%Y-%m}",
        )
        ok = False
    raw = str(get("eligible") or "").strip().lower()
    if raw in YES:
        eligible = True
    elif raw in NO:
        eligible = False
    else:
        _error(result, line, gettext_noop("Eligible must be Y or N, not “%(value)s”."), value=raw[:20])
        ok = False
        eligible = False
    aid = str(get("aid_code") or "").strip().upper()
    if aid and not AID_CODE_RE.match(aid):
        _error(result, line, gettext_noop("“%(aid)s” is not an aid code (up to 3 letters or digits)."), aid=aid[:10])
        ok = False
    last = " ".join(str(get("last_name") or "").split())[:100]
    first = " ".join(str(get("first_name") or "").split())[:100]
    dob = None
    raw_dob = get("date_of_birth")
    if raw_dob not in (None, ""):
        try:
            dob = parse_date(raw_dob)
        except ValueError:
            _error(result, line, gettext_noop("The date of birth is not a date (YYYY-MM-DD or M/D/YYYY)."))
            ok = False
        else:
            if dob is not None and (dob > clock.today() or dob.year < 1900):
                _error(result, line, gettext_noop("The date of birth is in the future or before 1900."))
                ok = False
    if not ok:
        return None
    return Row(line, cin, month, eligible, aid if eligible else "", last, first, dob)


class _Writer:
    """Writes an import's rows batch by batch, each batch in a few set-based statements."""

    def __init__(self, *, actor: Actor, county: County, record: EligibilityImport, source: str, unit: str):
        self.actor = actor
        self.county = county
        self.record = record
        self.source = source
        self.unit = unit
        self.result = ImportResult(record=record)
        self.now = clock.now()
        self.user = _user(actor)

    def write(self, rows: list[Row]) -> None:
        result = self.result
        result.rows += len(rows)
        cins = {r.cin for r in rows}
        known = dict(
            (cin, (pk, county_id))
            for pk, cin, county_id in Beneficiary.objects.filter(cin__in=cins).values_list("pk", "cin", "county_id")
        )
        new: dict[str, Beneficiary] = {}
        usable: list[Row] = []
        for row in rows:
            if row.cin in known:
                if known[row.cin][1] != self.county.pk:
                    _error(
                        result,
                        row.position,
                        gettext_noop(
                            "CIN %(cin)s is not this county's beneficiary. Ask DHCS to confirm the county of responsibility."
                        ),
                        cin=row.cin,
                    )
                    continue
            elif row.cin not in new:
                if not (row.last_name and row.first_name and row.date_of_birth):
                    _error(
                        result,
                        row.position,
                        gettext_noop(
                            "CIN %(cin)s is not a beneficiary yet: give last_name, first_name and date_of_birth to add them."
                        ),
                        cin=row.cin,
                    )
                    continue
                new[row.cin] = Beneficiary(
                    county=self.county,
                    cin=row.cin,
                    legal_first_name=row.first_name,
                    legal_last_name=row.last_name,
                    date_of_birth=row.date_of_birth,
                    created_by=self.user,
                )
            usable.append(row)
        if new:
            Beneficiary.objects.bulk_create(new.values(), batch_size=BATCH_SIZE)
            result.beneficiaries_added += len(new)
            known.update(
                (cin, (pk, county_id))
                for pk, cin, county_id in Beneficiary.objects.filter(cin__in=list(new)).values_list(
                    "pk", "cin", "county_id"
                )
            )
        if not usable:
            return
        ids = {known[r.cin][0] for r in usable}
        months = {r.month for r in usable}
        current = {
            (b, m): (pk, eligible, aid, imported_from)
            for pk, b, m, eligible, aid, imported_from in EligibilityMonth.objects.filter(
                beneficiary_id__in=ids, month__in=months, superseded_at__isnull=True
            ).values_list("pk", "beneficiary_id", "month", "eligible", "aid_code", "imported_from_id")
        }
        adds: list[EligibilityMonth] = []
        replaced: list[int] = []
        in_batch: set[tuple[int, datetime.date]] = set()
        for row in usable:
            key = (known[row.cin][0], row.month)
            existing = current.get(key)
            if key in in_batch or (existing and existing[3] == self.record.pk):
                _error(
                    result,
                    row.position,
                    gettext_noop("CIN %(cin)s and month %(month)s are on an earlier line of this file too."),
                    cin=row.cin,
                    month=f"{row.month:%Y-%m}",
                )
                continue
            in_batch.add(key)
            if existing and existing[1] == row.eligible and existing[2] == row.aid_code:
                result.unchanged += 1
                continue
            if existing:
                replaced.append(existing[0])
                result.changed += 1
            else:
                result.added += 1
            adds.append(
                EligibilityMonth(
                    beneficiary_id=key[0],
                    month=row.month,
                    eligible=row.eligible,
                    aid_code=row.aid_code,
                    source=self.source,
                    imported_from=self.record,
                    verified_at=self.now,
                    verified_by=self.user,
                )
            )
        if result.error_count:
            return  # the import will be refused; writing more is wasted work
        if replaced:
            EligibilityMonth.objects.filter(pk__in=replaced).update(superseded_at=self.now, updated_at=self.now)
        EligibilityMonth.objects.bulk_create(adds, batch_size=BATCH_SIZE)
        if replaced:
            # Each superseded row points at the row that replaced it (one statement).
            from django.db.models import OuterRef, Subquery

            EligibilityMonth.objects.filter(pk__in=replaced).update(
                superseded_by=Subquery(
                    EligibilityMonth.objects.filter(
                        beneficiary_id=OuterRef("beneficiary_id"),
                        month=OuterRef("month"),
                        superseded_at__isnull=True,
                    ).values("pk")[:1]
                )
            )

    def finish(self) -> ImportResult:
        result = self.result
        if result.error_count:
            raise _Refused(result)
        if not result.rows:
            _error(result, 1, gettext_noop("The file has no rows to import."))
            raise _Refused(result)
        self.record.rows = result.rows
        self.record.save(update_fields=["rows", "updated_at"])
        audit_record(
            actor=self.actor,
            action=AuditAction.ELIGIBILITY_IMPORT,
            obj=self.record,
            after={
                "source": self.source,
                "rows": result.rows,
                "added": result.added,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "beneficiaries_added": result.beneficiaries_added,
            },
        )
        return result


def _batched(rows: Iterable[Row | None]) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        if row is None:
            continue
        batch.append(row)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _already(county: County, sha: str) -> ImportResult | None:
    existing = EligibilityImport.objects.filter(county=county, sha256=sha).first()
    return ImportResult(record=existing, already=True) if existing else None


def _header_problems(columns: dict[str, int]) -> list[tuple[int, str]]:
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if not missing:
        return []
    return [
        (
            1,
            fill(
                gettext_noop("The file needs the column(s) %(missing)s. The columns we read are: %(known)s."),
                {"missing": ", ".join(missing), "known": ", ".join(IMPORT_COLUMNS)},
            ),
        )
    ]


@metrics.timed("eligibility_import_file")
def eligibility_import_file(*, actor: Actor, county: County, upload) -> ImportResult:
    """Import the county's monthly eligibility file (CSV or XLSX, within core.tabular's 5 MB and 20,000 rows).

    Columns: cin, month (YYYY-MM), eligible (Y/N), aid_code, last_name, first_name, date_of_birth. An
    unknown CIN adds the beneficiary when the name and date of birth are given. A month already verified
    the same way is unchanged; verified differently, the file's row supersedes it.
    Preconditions: billing staff of the county. All-or-nothing: any problem refuses the whole file, each
    problem named by its line. The same file (same sha256) again adds nothing and says so.
    Side effects: audited as eligibility.import with the counts.
    """
    _require_county(actor, county.pk)
    content = check_tabular_upload(upload)
    sha = hashlib.sha256(content).hexdigest()
    if already := _already(county, sha):
        return already
    name = getattr(upload, "name", "") or "eligibility"
    table = read_table(content, name, known=IMPORT_COLUMNS)
    problems = table.errors or _header_problems(table.columns)
    this_month = _this_month()
    columns = table.columns
    result_holder = ImportResult()

    def rows():
        for line, cells in table.body:
            yield _parse_row(result_holder, line, lambda key, c=cells: cell(c, columns.get(key)), this_month)

    return _run_with_parse_errors(
        actor=actor,
        county=county,
        source=EligibilitySource.COUNTY_FILE,
        name=name,
        sha=sha,
        rows=rows,
        parse_result=result_holder,
        pre_errors=problems,
        unit="line",
    )


def _run_with_parse_errors(*, actor, county, source, name, sha, rows, parse_result, pre_errors, unit):
    """_run, with the per-row parse problems (collected while the rows stream) merged into the writer's."""
    try:
        with transaction.atomic():
            record = EligibilityImport.objects.create(
                county=county, source=source, original_name=name[:255], sha256=sha, uploaded_by=_user(actor)
            )
            writer = _Writer(actor=actor, county=county, record=record, source=source, unit=unit)
            writer.result = parse_result
            parse_result.record = record
            for position, message in pre_errors or []:
                _error(parse_result, position, message)
            if not parse_result.error_count:
                for batch in _batched(rows()):
                    writer.write(batch)
            parse_result.errors.sort(key=lambda e: e[0])
            return writer.finish()
    except _Refused as refused:
        raise _refusal(refused.result, unit) from None
    except IntegrityError:
        already = _already(county, sha)
        if already:
            return already
        raise


@metrics.timed("eligibility_import_stream")
def eligibility_import_stream(*, actor: Actor, county: County, path: str, name: str = "") -> ImportResult:
    """Import a county eligibility CSV of any size from disk (the import_eligibility command).

    The interactive upload keeps core.tabular's 5 MB / 20,000-row limits; this path streams the file
    instead: hashed in chunks, read line by line, written BATCH_SIZE rows at a time, so memory stays
    flat for a million rows. Same rules, same all-or-nothing transaction, same idempotence.
    """
    _require_county(actor, county.pk)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    sha = digest.hexdigest()
    if already := _already(county, sha):
        return already
    result_holder = ImportResult()
    this_month = _this_month()
    handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below, after the rows are read
    try:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except (StopIteration, csv.Error, UnicodeDecodeError):
            header = []
        keys = [header_key(h) for h in header]
        columns = {k: i for i, k in reversed(list(enumerate(keys))) if k}
        problems = _header_problems(columns)
        unknown = [h for h, k in zip(header, keys, strict=False) if k and k not in IMPORT_COLUMNS]
        if unknown:
            problems.append(
                (
                    1,
                    fill(
                        gettext_noop("Unknown column(s): %(unknown)s. The columns we read are: %(known)s."),
                        {"unknown": ", ".join(unknown)[:200], "known": ", ".join(IMPORT_COLUMNS)},
                    ),
                )
            )
        index = [columns.get(c) for c in IMPORT_COLUMNS]
        if not problems and _use_copy() and len(set(keys)) == len(keys) and all(keys):
            handle.close()
            return _stream_postgres(
                actor=actor, county=county, path=path, name=name or path.rsplit("/", 1)[-1], sha=sha, columns=keys
            )

        def rows():
            line = 1
            try:
                for cells in reader:
                    line = reader.line_num
                    if not any(c.strip() for c in cells):
                        continue
                    values = {
                        c: (cells[i] if i is not None and i < len(cells) else None)
                        for c, i in zip(IMPORT_COLUMNS, index, strict=True)
                    }
                    yield _parse_row(result_holder, line, values.get, this_month)
            except (csv.Error, UnicodeDecodeError):
                _error(result_holder, line + 1, gettext_noop("This line could not be read as UTF-8 CSV."))

        return _run_with_parse_errors(
            actor=actor,
            county=county,
            source=EligibilitySource.COUNTY_FILE,
            name=name or path.rsplit("/", 1)[-1],
            sha=sha,
            rows=rows,
            parse_result=result_holder,
            pre_errors=problems,
            unit="line",
        )
    finally:
        handle.close()


def _use_copy() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def _read_x12_upload(upload) -> bytes:
    name = getattr(upload, "name", None) or "the file"
    size = getattr(upload, "size", None) or 0
    if not size:
        raise ApplicationError("“%(name)s” is empty. Choose the file again.", params={"name": name}, field="file")
    if size > MAX_X12_BYTES:
        raise ApplicationError(
            "“%(name)s” is larger than %(limit)s MB. Split it and import each part.",
            params={"name": name, "limit": MAX_X12_BYTES // (1024 * 1024)},
            field="file",
        )
    upload.seek(0)
    content = upload.read(MAX_X12_BYTES + 1)
    if len(content) > MAX_X12_BYTES:
        raise ApplicationError(
            "“%(name)s” is larger than %(limit)s MB. Split it and import each part.",
            params={"name": name, "limit": MAX_X12_BYTES // (1024 * 1024)},
            field="file",
        )
    return content


@metrics.timed("eligibility_import_271")
def eligibility_import_271(*, actor: Actor, county: County, upload) -> ImportResult:
    """Import an X12 271 eligibility response (005010X279A1, at most 5 MB).

    Each subscriber (NM1*IL, id qualified MI) is a CIN of the county; each EB says eligible (1-5) or not
    (6-8, I); DTP*307 or DTP*291 names the month or range (a range past this month stops at it); an aid
    code is read from EB05 or REF*18 / REF*6P when there is one.
    Preconditions and side effects as eligibility_import_file; problems are named by segment number.
    """
    _require_county(actor, county.pk)
    content = _read_x12_upload(upload)
    sha = hashlib.sha256(content).hexdigest()
    if already := _already(county, sha):
        return already
    name = getattr(upload, "name", "") or "271"
    try:
        text = content.decode("ascii")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            "“%(name)s” is not an X12 file: byte %(at)s is not plain text.",
            params={"name": name, "at": exc.start},
            field="file",
        ) from None
    parsed = x12_eligibility.parse_271(text, this_month=_this_month())
    result_holder = ImportResult()

    def rows():
        for found in parsed.rows:
            yield Row(found.position, found.cin, found.month, found.eligible, found.aid_code)

    return _run_with_parse_errors(
        actor=actor,
        county=county,
        source=EligibilitySource.X12_271,
        name=name,
        sha=sha,
        rows=rows,
        parse_result=result_holder,
        pre_errors=parsed.errors,
        unit="segment",
    )


def eligibility_inquiry_270(*, actor: Actor, county: County, month: datetime.date) -> tuple[str, int]:
    """The 270 inquiry for every beneficiary of the county with service lines in the month and no current
    verification of it, validated before it is returned. Returns (file text, member count).

    Preconditions: billing staff of the county; the month has begun; someone to ask about.
    Side effects: an access event (channel export) for every beneficiary in the file.
    """
    from peercert.billing.selectors.eligibility import inquiry_beneficiaries

    _require_county(actor, county.pk)
    month = _validate_month(month)
    members = list(inquiry_beneficiaries(county.pk, month)[:5000])
    if not members:
        raise ApplicationError(
            "Every beneficiary served in %(month)s is already verified for it: there is nobody to ask about.",
            params={"month": f"{month:%Y-%m}"},
            field="month",
        )
    now = clock.now()
    text = x12_eligibility.build_270(
        county_name=county.name,
        county_code=county.code,
        members=[
            x12_eligibility.Member(b.cin, b.legal_last_name, b.legal_first_name, b.date_of_birth) for b in members
        ],
        month=month,
        created=timezone.localtime(now),
        control_number=int(now.timestamp()) % 1_000_000_000,
    )
    problems = x12_eligibility.validate_270(text)
    if problems:
        raise ApplicationError(
            "The 270 file failed its check, so it was not offered for download (this is a fault in PeerCert; "
            "tell the help desk): %(problems)s",
            params={"problems": "; ".join(problems)[:500]},
            code="conflict",
        )
    BeneficiaryAccess.objects.bulk_create(
        [
            BeneficiaryAccess(
                at=now, user=_user(actor), beneficiary=b, channel=AccessChannel.EXPORT, what="270 inquiry"
            )
            for b in members
        ]
    )
    return text, len(members)


# ---- The streaming import on PostgreSQL: COPY into a staging table, then set-based SQL ----------

STAGE = "billing_eligibility_stage"
NORMAL = "billing_eligibility_normal"
# One problem per line, in the order _parse_row checks them. Dates of birth are ISO (YYYY-MM-DD) here.
_PROBLEMS_SQL = f"""
SELECT line + 1, problem, left(coalesce(CASE problem WHEN 'cin' THEN cin WHEN 'month' THEN month
  WHEN 'future' THEN month WHEN 'eligible' THEN eligible WHEN 'aid' THEN aid_code END, ''), 20) FROM (
  SELECT line, CASE
    WHEN upper(btrim(coalesce(cin, ''))) !~ '^[0-9]{{8}}[A-Z]$' THEN 'cin'
    WHEN btrim(coalesce(month, '')) !~ '^[0-9]{{4}}-(0?[1-9]|1[0-2])$' THEN 'month'
    WHEN to_date(btrim(month) || '-01', 'YYYY-MM-DD') > %(this_month)s
      OR substr(btrim(month), 1, 4)::int < 1990 THEN 'future'
    WHEN lower(btrim(coalesce(eligible, ''))) <> ALL(%(yes_no)s) THEN 'eligible'
    WHEN upper(btrim(coalesce(aid_code, ''))) !~ '^[0-9A-Z]{{0,3}}$' THEN 'aid'
    WHEN btrim(coalesce(date_of_birth, '')) <> '' AND NOT CASE
      WHEN btrim(date_of_birth) ~ '^(19|20)[0-9]{{2}}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
      THEN substr(btrim(date_of_birth), 9, 2)::int <= extract(day from make_date(
        substr(btrim(date_of_birth), 1, 4)::int, substr(btrim(date_of_birth), 6, 2)::int, 1)
        + interval '1 month' - interval '1 day')
      ELSE false END THEN 'dob'
    WHEN btrim(coalesce(date_of_birth, '')) <> '' AND btrim(date_of_birth)::date > %(today)s THEN 'dob_range'
  END AS problem,
  cin, month, eligible, aid_code
  FROM {STAGE}
  -- A row already in the file's usual shape passes one regular expression and three comparisons, so the
  -- checks above run only on the few rows that are not (a million rows: seconds less). Passing this
  -- implies every check above passes; NULL anywhere falls through to them (IS NOT TRUE).
  WHERE (
    (cin || ',' || month || ',' || coalesce(aid_code, '') || ',' || coalesce(date_of_birth, '')) ~
      '^[0-9]{{8}}[A-Z],[0-9]{{4}}-(0[1-9]|1[0-2]),[0-9A-Z]{{0,3}},((19|20)[0-9]{{2}}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8]))?$'
    AND month COLLATE "C" BETWEEN '1990-01' AND %(this_month_text)s
    AND coalesce(date_of_birth, '') COLLATE "C" <= %(today_text)s
    AND eligible = ANY(%(yes_no_shapes)s)
  ) IS NOT TRUE
) checked WHERE problem IS NOT NULL ORDER BY line LIMIT {MAX_ERRORS}
"""
_PROBLEM_MESSAGES = {
    "cin": gettext_noop("“%(cin)s” is not a CIN (8 digits, then a letter)."),
    "month": gettext_noop("The month “%(value)s” is not a month (YYYY-MM)."),
    "future": gettext_noop("Eligibility for %(month)s cannot be recorded: it is a future month or before 1990."),
    "eligible": gettext_noop("Eligible must be Y or N, not “%(value)s”."),
    "aid": gettext_noop("“%(aid)s” is not an aid code (up to 3 letters or digits)."),
    "dob": gettext_noop("The date of birth is not a date (YYYY-MM-DD or M/D/YYYY)."),
    "dob_range": gettext_noop("The date of birth is in the future or before 1900."),
}
# Normalized rows: the CIN, the month as a date, eligible as a boolean.
_NORMAL = f"""
  SELECT line, upper(btrim(cin)) AS cin, to_date(btrim(month) || '-01', 'YYYY-MM-DD') AS month,
         lower(btrim(eligible)) = ANY(%(yes)s) AS eligible,
         CASE WHEN lower(btrim(eligible)) = ANY(%(yes)s) THEN upper(btrim(coalesce(aid_code, ''))) ELSE '' END AS aid,
         nullif(btrim(coalesce(last_name, '')), '') AS last_name, nullif(btrim(coalesce(first_name, '')), '') AS first_name,
         nullif(btrim(coalesce(date_of_birth, '')), '')::date AS dob
  FROM {STAGE}
"""


def _copy_problem(exc) -> tuple[int, str]:
    """A COPY failure (a short row, bad UTF-8) as (line, message); PostgreSQL names the line in its context."""
    context = getattr(getattr(exc, "diag", None), "context", "") or ""
    match = re.search(r"line (\d+)", context)
    return (int(match.group(1)) if match else 1), fill(gettext_noop("This line could not be read as UTF-8 CSV."), {})


def _stream_postgres(*, actor, county, path, name, sha, columns: list[str]) -> ImportResult:
    import psycopg
    from django.db import connection

    result = ImportResult()
    now = clock.now()
    user = _user(actor)
    this_month = _this_month()
    beneficiaries = Beneficiary._meta.db_table
    months = EligibilityMonth._meta.db_table
    today = clock.today()
    params = {
        "yes": sorted(YES),
        "yes_no": sorted(YES | NO),
        "this_month": this_month,
        "today": today,
        # The fast path's exact spellings (the checks themselves trim and lower-case).
        "yes_no_shapes": sorted({shape for v in YES | NO for shape in (v, v.upper(), v.capitalize())}),
        "this_month_text": f"{this_month:%Y-%m}",
        "today_text": f"{today:%Y-%m-%d}",
    }
    try:
        with transaction.atomic():
            record = EligibilityImport.objects.create(
                county=county,
                source=EligibilitySource.COUNTY_FILE,
                original_name=name[:255],
                sha256=sha,
                uploaded_by=user,
            )
            result.record = record
            with connection.cursor() as cursor:
                # ON COMMIT DROP ends them with the import; inside an outer transaction (tests), drop them here.
                cursor.execute(f"DROP TABLE IF EXISTS {STAGE}, {NORMAL}")
                cursor.execute(
                    f"CREATE TEMP TABLE {STAGE} (cin text, month text, eligible text, aid_code text, last_name text, "
                    "first_name text, date_of_birth text, extra text, line bigint GENERATED ALWAYS AS IDENTITY) ON COMMIT DROP"
                )
                # Columns the file has, in its order; a column we do not read was refused with the header.
                target = ", ".join(columns)
                try:
                    with transaction.atomic(), open(path, "rb") as source:
                        with cursor.cursor.copy(
                            f"COPY {STAGE} ({target}) FROM STDIN WITH (FORMAT csv, HEADER true)"
                        ) as copy:
                            while chunk := source.read(1 << 20):
                                copy.write(chunk)
                except (
                    psycopg.errors.DataError,
                    psycopg.errors.BadCopyFileFormat,
                    psycopg.errors.CharacterNotInRepertoire,
                ) as exc:
                    _error(result, *_copy_problem(exc.__cause__ or exc))
                    raise _Refused(result) from None
                except Exception as exc:  # noqa: BLE001 - Django wraps psycopg's errors
                    cause = exc.__cause__
                    if isinstance(cause, psycopg.errors.DataError | psycopg.errors.BadCopyFileFormat):
                        _error(result, *_copy_problem(cause))
                        raise _Refused(result) from None
                    raise
                cursor.execute(f"ANALYZE {STAGE}")
                cursor.execute(f"SELECT count(*) FROM {STAGE}")
                result.rows = cursor.fetchone()[0]
                cursor.execute(_PROBLEMS_SQL, params)
                for line, problem, value in cursor.fetchall():
                    _error(result, line, _PROBLEM_MESSAGES[problem], cin=value, value=value, aid=value, month=value)
                if result.error_count:
                    raise _Refused(result)
                # The file normalized once (CIN, month as a date, eligible as a boolean), for every step below.
                cursor.execute(f"CREATE TEMP TABLE {NORMAL} ON COMMIT DROP AS {_NORMAL}", params)
                cursor.execute(f"CREATE INDEX ON {NORMAL} (cin)")
                cursor.execute(f"ANALYZE {NORMAL}")
                # Lookups over the whole file: repeats, other counties' CINs, unknown CINs without a name.
                cursor.execute(
                    f"""
                    WITH n AS (SELECT * FROM {NORMAL})
                    SELECT line + 1, kind, cin, month FROM (
                      SELECT line, 'repeat' AS kind, cin, month,
                             row_number() OVER (PARTITION BY cin, month ORDER BY line) AS nth FROM n
                    ) r WHERE nth > 1
                    UNION ALL
                    SELECT n.line + 1, 'other_county', n.cin, n.month FROM n JOIN {beneficiaries} b ON b.cin = n.cin
                      WHERE b.county_id <> %(county)s
                    UNION ALL
                    SELECT n.line + 1, 'unknown', n.cin, n.month FROM n
                      WHERE NOT EXISTS (SELECT 1 FROM {beneficiaries} b WHERE b.cin = n.cin)
                        AND NOT EXISTS (SELECT 1 FROM n k WHERE k.cin = n.cin AND k.last_name IS NOT NULL
                                        AND k.first_name IS NOT NULL AND k.dob IS NOT NULL)
                    ORDER BY 1 LIMIT {MAX_ERRORS}
                    """,
                    {**params, "county": county.pk},
                )
                messages = {
                    "repeat": gettext_noop("CIN %(cin)s and month %(month)s are on an earlier line of this file too."),
                    "other_county": gettext_noop(
                        "CIN %(cin)s is not this county's beneficiary. Ask DHCS to confirm the county of responsibility."
                    ),
                    "unknown": gettext_noop(
                        "CIN %(cin)s is not a beneficiary yet: give last_name, first_name and date_of_birth to add them."
                    ),
                }
                for line, kind, cin, month in cursor.fetchall():
                    _error(result, line, messages[kind], cin=cin, month=f"{month:%Y-%m}")
                if result.error_count:
                    raise _Refused(result)
                cursor.execute(
                    f"""
                    INSERT INTO {beneficiaries} (created_at, updated_at, county_id, cin, bic_id, legal_first_name,
                                                 legal_last_name, date_of_birth, created_by_id)
                    SELECT DISTINCT ON (cin) %(now)s, %(now)s, %(county)s, cin, '', left(first_name, 100),
                           left(last_name, 100), dob, %(user)s
                    FROM {NORMAL} n
                    WHERE last_name IS NOT NULL AND first_name IS NOT NULL AND dob IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM {beneficiaries} b WHERE b.cin = n.cin)
                    ORDER BY cin, line
                    """,
                    {**params, "now": now, "county": county.pk, "user": getattr(user, "pk", None)},
                )
                result.beneficiaries_added = cursor.rowcount
                cursor.execute(
                    f"""
                    UPDATE {months} m SET superseded_at = %(now)s, updated_at = %(now)s
                    FROM {NORMAL} n JOIN {beneficiaries} b ON b.cin = n.cin
                    WHERE m.beneficiary_id = b.id AND m.month = n.month AND m.superseded_at IS NULL
                      AND (m.eligible <> n.eligible OR m.aid_code <> n.aid)
                    """,
                    {"now": now},
                )
                result.changed = cursor.rowcount
                cursor.execute(
                    f"""
                    INSERT INTO {months} (created_at, updated_at, beneficiary_id, month, eligible, aid_code, source,
                                          reference, imported_from_id, verified_at, verified_by_id)
                    SELECT %(now)s, %(now)s, b.id, n.month, n.eligible, n.aid, %(source)s, '', %(record)s,
                           %(now)s, %(user)s
                    FROM {NORMAL} n JOIN {beneficiaries} b ON b.cin = n.cin
                    WHERE NOT EXISTS (SELECT 1 FROM {months} m WHERE m.beneficiary_id = b.id
                                      AND m.month = n.month AND m.superseded_at IS NULL)
                    """,
                    {
                        "now": now,
                        "source": EligibilitySource.COUNTY_FILE,
                        "record": record.pk,
                        "user": getattr(user, "pk", None),
                    },
                )
                written = cursor.rowcount
                result.added = written - result.changed
                result.unchanged = result.rows - written
                if result.changed:
                    cursor.execute(
                        f"""
                        UPDATE {months} old SET superseded_by_id = new.id FROM {months} new
                        WHERE old.superseded_at = %(now)s AND old.superseded_by_id IS NULL
                          AND new.imported_from_id = %(record)s AND new.beneficiary_id = old.beneficiary_id
                          AND new.month = old.month AND new.superseded_at IS NULL
                        """,
                        {"now": now, "record": record.pk},
                    )
            writer = _Writer(
                actor=actor, county=county, record=record, source=EligibilitySource.COUNTY_FILE, unit="line"
            )
            writer.result = result
            return writer.finish()
    except _Refused as refused:
        raise _refusal(refused.result, "line") from None
    except IntegrityError:
        already = _already(county, sha)
        if already:
            return already
        raise
