"""Reading tabular files (CSV or XLSX) that people upload: rosters, past records.

Every row keeps the line number the person sees in their spreadsheet (the header is line 1),
so an import can name each problem's line. Nothing here knows what the columns mean.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext, gettext_noop

from peercert.core.errors import ApplicationError
from peercert.core.text import fill
from peercert.core.uploads import detect_kind, empty_file, size_params

# One pair of limits for every import (rosters, past records, exam vendor files); an import may
# pass lower ones. Both are checked before the work they bound: the size before the file is read,
# the rows while it is read (reading stops at the first row past the limit).
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
# An .xlsx is a zip: 144 KB of it can unpack to gigabytes of repeated <row> elements. The sizes the
# zip declares for its parts (which zipfile also enforces while unpacking) must stay under this.
XLSX_MAX_UNPACKED = 100 * 1024 * 1024
XLSX_MAX_PARTS = 1000
XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# openpyxl reads a sheet element by element (about a microsecond each), and scans a whole sheet
# that declares no <dimension> as soon as the workbook opens, so the sheets' tags are counted first
# (a fast byte count) and a sheet past the row limit, or with more tags than this, is never opened.
XLSX_MAX_TAGS = 4_000_000
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
# Columns read from each spreadsheet row: a sheet may declare 16,384 columns, padded with blanks.
MAX_COLUMNS = 200
XLSX_SIGNATURE = b"PK\x03\x04"


def header_key(name) -> str:
    """'Date of Birth', 'date-of-birth' and 'DATE_OF_BIRTH' all read as 'date_of_birth'."""
    return "_".join(str(name or "").strip().lower().replace("-", " ").split())


def _is_xlsx(content: bytes, filename: str) -> bool:
    # By contents: a CSV whose first cell starts with "PK" is still a CSV.
    return content.startswith(XLSX_SIGNATURE)


def _line_of(content: bytes, offset: int) -> int:
    return content.count(b"\n", 0, offset) + 1


def check_tabular_content(
    content: bytes,
    name: str,
    *,
    kinds: tuple[str, ...] = ("csv", "xlsx"),
    field: str | None = "file",
    max_unpacked: int = XLSX_MAX_UNPACKED,
) -> None:
    """Refuse, by its contents and before any parsing, a file that is not a CSV or XLSX we can read safely.

    An .xlsx must be a zip holding a workbook whose parts unpack to at most max_unpacked bytes; a CSV
    must be UTF-8 text without NUL bytes (and not a PDF or image with a new name).
    """
    wrong = ApplicationError(
        "“%(name)s” is not a CSV or Excel (.xlsx) file (its contents were checked, not its "
        "name). Save it as CSV UTF-8 or .xlsx.",
        params={"name": name},
        field=field,
    )
    if content.startswith(XLSX_SIGNATURE):
        if "xlsx" not in kinds:
            raise ApplicationError(
                "“%(name)s” is not a CSV file (its contents were checked, not its name). Save it as CSV UTF-8.",
                params={"name": name},
                field=field,
            )
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                parts = archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError):
            raise wrong from None
        names = {part.filename for part in parts}
        if len(parts) > XLSX_MAX_PARTS or not all(required in names for required in XLSX_REQUIRED_PARTS):
            raise wrong
        if sum(part.file_size for part in parts) > max_unpacked:
            raise ApplicationError(
                "“%(name)s” unpacks to more than %(limit)s MB, more than any file within the "
                "row limit. Split the file and upload each part.",
                params={"name": name, "limit": max_unpacked // (1024 * 1024)},
                field=field,
            )
        return
    if name.lower().endswith(".xlsx") or detect_kind(content[:8192]) is not None or "csv" not in kinds:
        raise wrong
    nul = content.find(b"\x00")
    if nul >= 0:
        raise ApplicationError(
            "“%(name)s” has a NUL byte on line %(line)s, so it is not a text (CSV) file. "
            "Save it as CSV UTF-8 or .xlsx.",
            params={"name": name, "line": _line_of(content, nul)},
            field=field,
        )
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            "“%(name)s” is not UTF-8 text (line %(line)s). Save it as CSV UTF-8 or as .xlsx.",
            params={"name": name, "line": _line_of(content, exc.start)},
            field=field,
        ) from None


def check_tabular_upload(
    upload, *, max_bytes: int = DEFAULT_MAX_BYTES, kinds: tuple[str, ...] = ("csv", "xlsx"), field: str | None = "file"
) -> bytes:
    """Refuse empty, oversized or non-tabular uploads by their size and contents; return the bytes.

    Like core.uploads.validate_upload for documents. The size is checked before the file is read,
    and no more than max_bytes + 1 bytes are ever read, whatever size the upload claims.
    """
    name = getattr(upload, "name", None) or gettext("the file")
    max_bytes = min(max_bytes, DEFAULT_MAX_BYTES)
    size = getattr(upload, "size", None)
    if not size:
        raise empty_file(name, field)
    too_big = ApplicationError(
        "“%(name)s” is %(size)s MB; the limit is %(limit)s MB. Split the file and upload each part.",
        params=size_params(name, max(size, max_bytes + 1), max_bytes),
        field=field,
    )
    if size > max_bytes:
        raise too_big
    upload.seek(0)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise too_big
    if not content:
        raise empty_file(name, field)
    check_tabular_content(content, name, kinds=kinds, field=field)
    return content


def _unreadable_workbook(filename: str, exc: Exception) -> ApplicationError:
    return ApplicationError(
        "“%(name)s” could not be read as an Excel workbook (%(problem)s). Save it as .xlsx or .csv and try again.",
        params={"name": filename, "problem": exc.__class__.__name__},
        field="file",
    )


def read_rows(content: bytes, filename: str, *, max_lines: int | None = None) -> Iterator[tuple[int, list]]:
    """(line number, cells) for each line, header first, read one at a time. Raises ApplicationError if unreadable.

    The caller stops when it has read enough; max_lines also refuses a sheet whose declared size is
    larger before a row of it is read.
    """
    if _is_xlsx(content, filename):
        yield from _xlsx_rows(content, filename, max_lines)
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(
            "“%(name)s” is not a UTF-8 text file. Save it as CSV UTF-8 or as .xlsx.",
            params={"name": filename},
            field="file",
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ApplicationError(
                "Line %(line)s of “%(name)s” could not be read as CSV (%(problem)s).",
                params={"line": line, "name": filename, "problem": str(exc)},
                field="file",
            ) from None
        yield line, cells
        line = reader.line_num + 1


def _xlsx_rows(content: bytes, filename: str, max_lines: int | None) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    if max_lines is not None:
        _count_sheet_rows(content, filename, max_lines)
    try:
        # read_only streams the sheet's XML: memory stays flat however many rows the sheet has.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise _unreadable_workbook(filename, exc) from None
    try:
        if not book.worksheets:
            return
        sheet = book.worksheets[0]
        declared = _declared_rows(sheet)
        if max_lines is not None and declared is not None and declared > max_lines:
            raise TooManyRows(declared)
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        line = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 - a broken sheet part fails while it is read
                raise _unreadable_workbook(filename, exc) from None
            line += 1
            yield line, list(row)
    finally:
        book.close()


def _count_sheet_rows(content: bytes, filename: str, max_lines: int) -> None:
    """Count each worksheet's <row> tags while unpacking it in chunks; stop at the first past the limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _unreadable_workbook(filename, exc) from None
    with archive:
        tags = 0
        for part in archive.infolist():
            if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
                continue
            rows, tail = 0, b""
            with archive.open(part) as stream:
                while chunk := stream.read(1 << 20):
                    # A tag split between two chunks is counted once: the tail carries the last few bytes over.
                    data = tail + chunk
                    rows += len(ROW_TAG.findall(data, 0, max(len(data) - 64, 0)))
                    tags += data.count(b"<", 0, max(len(data) - 64, 0))
                    tail = data[max(len(data) - 64, 0) :]
                    if rows > max_lines:
                        raise TooManyRows(rows)
                    if tags > XLSX_MAX_TAGS:
                        raise ApplicationError(
                            "“%(name)s” has more cells than we read in one file. Split the file and upload each part.",
                            params={"name": filename},
                            field="file",
                        )
            rows += len(ROW_TAG.findall(tail))
            if rows > max_lines:
                raise TooManyRows(rows)


def _declared_rows(sheet) -> int | None:
    """The row count the sheet's <dimension> claims, when it claims one."""
    try:
        return sheet.max_row if sheet.max_row and sheet.max_row > 1 else None
    except Exception:  # noqa: BLE001 - a missing or odd dimension is not an error; the rows are counted anyway
        return None


class TooManyRows(Exception):
    """Raised inside read_rows when a sheet declares more rows than the caller will read."""

    def __init__(self, declared: int):
        super().__init__(declared)
        self.declared = declared


def too_many_rows_message(limit: int, line: int) -> str:
    return fill(
        gettext_noop(
            "The file has more than %(limit)s rows (it was read up to line %(line)s); the limit "
            "is %(limit)s. Split it and upload each part."
        ),
        {"limit": limit, "line": line},
    )


def cell(cells: list, index: int | None):
    """The cell at index (stripped if text), or None when the row is shorter or the column absent."""
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    return value.strip() if isinstance(value, str) else value


def parse_date(value) -> datetime.date | None:
    """A date from a spreadsheet cell: a date cell, YYYY-MM-DD, or M/D/YYYY. ValueError otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_decimal(value) -> Decimal | None:
    """A finite number from a cell, or None when blank. ValueError otherwise."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(str(value)) from None
    if not number.is_finite():
        raise ValueError(str(value))
    return number


@dataclass
class Table:
    """A file's header and rows. errors holds (line, message) for problems with the file as a whole."""

    header_line: int = 1
    columns: dict[str, int] = field(default_factory=dict)
    body: list[tuple[int, list]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_table(
    content: bytes,
    filename: str,
    *,
    known: tuple[str, ...],
    max_rows: int = DEFAULT_MAX_ROWS,
    no_rows: str = gettext_noop("The file has a header but no rows."),
) -> Table:
    """Read the file, check its header against the known columns and its size against max_rows.

    The contents are checked first (check_tabular_content), and reading stops at the first row
    past max_rows, so a million-row file costs no more than one at the limit. Blank lines are
    dropped (their numbers are kept by the others) but counted, so a sheet of blank rows stops
    too. When errors is not empty the body is not to be read.
    """
    table = Table()
    max_rows = min(max_rows, DEFAULT_MAX_ROWS)
    check_tabular_content(content, filename)
    # Blank lines are allowed generously (spreadsheets keep formatted empty rows), but not without end.
    max_lines = 2 * max_rows + 1000
    lines = []
    try:
        for n, cells in read_rows(content, filename, max_lines=max_lines):
            if any(c not in (None, "") and str(c).strip() for c in cells):
                lines.append((n, cells))
            if n > max_lines or len(lines) > max_rows + 1:
                table.errors.append((lines[0][0] if lines else 1, too_many_rows_message(max_rows, n)))
                return table
    except TooManyRows as exc:
        table.errors.append((1, too_many_rows_message(max_rows, exc.declared)))
        return table
    if not lines:
        table.errors.append((1, gettext("The file is empty. The first line must name the columns.")))
        return table
    table.header_line, header = lines[0]
    keys = [header_key(h) for h in header]
    unknown = [str(h) for h, k in zip(header, keys, strict=False) if k and k not in known]
    if unknown:
        table.errors.append(
            (
                table.header_line,
                fill(
                    gettext_noop("Unknown column(s): %(unknown)s. The columns we read are: %(known)s."),
                    {"unknown": ", ".join(unknown), "known": ", ".join(known)},
                ),
            )
        )
    repeated = sorted({k for k in keys if k and keys.count(k) > 1})
    if repeated:
        table.errors.append(
            (
                table.header_line,
                fill(gettext_noop("Column(s) named twice: %(columns)s."), {"columns": ", ".join(repeated)}),
            )
        )
    table.columns = {k: i for i, k in reversed(list(enumerate(keys))) if k}
    body = lines[1:]
    if not body:
        table.errors.append((table.header_line, gettext(no_rows)))
    else:
        table.body = body
    return table
