"""Reading tabular files (CSV or XLSX) that people upload: rosters, past records.

Every row keeps the line number the person sees in their spreadsheet (the header is line 1),
so an import can name each problem's line. Nothing here knows what the columns mean.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

from peercert.core.errors import ApplicationError
from peercert.core.uploads import detect_kind, empty_file, size_params

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
XLSX_SIGNATURE = b"PK\x03\x04"


def header_key(name) -> str:
    """'Date of Birth', 'date-of-birth' and 'DATE_OF_BIRTH' all read as 'date_of_birth'."""
    return "_".join(str(name or "").strip().lower().replace("-", " ").split())


def read_rows(content: bytes, filename: str) -> list[tuple[int, list]]:
    """(line number, cells) for every line, header first. Raises ApplicationError if unreadable."""
    if content[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            raise ApplicationError("“%(name)s” could not be read as an Excel workbook (%(problem)s). "
                                   "Save it as .xlsx or .csv and try again.",
                                   params={"name": filename, "problem": exc.__class__.__name__}, field="file") from None
        sheet = book.worksheets[0]
        out = [(i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        book.close()
        return out
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError("“%(name)s” is not a UTF-8 text file. Save it as CSV UTF-8 or as .xlsx.",
                               params={"name": filename}, field="file") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    out = []
    line = 1
    for cells in reader:
        out.append((line, cells))
        line = reader.line_num + 1
    return out


def check_tabular_upload(upload, *, max_bytes: int = DEFAULT_MAX_BYTES, field: str | None = "file") -> bytes:
    """Refuse empty, oversized or non-tabular files by their contents; return the bytes.

    Like core.uploads.validate_upload for documents: an .xlsx must be a zip container, a .csv
    must be text (no NUL bytes, not a PDF or image with a new name).
    """
    name = getattr(upload, "name", None) or gettext("the file")
    size = getattr(upload, "size", None)
    if not size:
        raise empty_file(name, field)
    if size > max_bytes:
        raise ApplicationError("“%(name)s” is %(size)s MB; the limit is %(limit)s MB. "
                               "Split the file and upload each part.", params=size_params(name, size, max_bytes),
                               field=field)
    upload.seek(0)
    content = upload.read()
    head = content[:8192]
    wrong = ApplicationError("“%(name)s” is not a CSV or Excel (.xlsx) file (its contents were checked, not its "
                             "name). Save it as CSV UTF-8 or .xlsx.", params={"name": name}, field=field)
    if head.startswith(XLSX_SIGNATURE):
        return content
    if name.lower().endswith(".xlsx") or b"\x00" in head or detect_kind(head) is not None:
        raise wrong
    return content


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


def read_table(content: bytes, filename: str, *, known: tuple[str, ...], max_rows: int,
               no_rows: str = "The file has a header but no rows.") -> Table:
    """Read the file, check its header against the known columns and its size against max_rows.

    Blank lines are dropped (their numbers are kept by the others). When errors is not empty
    the body is not to be read.
    """
    table = Table()
    lines = [(n, cells) for n, cells in read_rows(content, filename)
             if any(c not in (None, "") and str(c).strip() for c in cells)]
    if not lines:
        table.errors.append((1, "The file is empty. The first line must name the columns."))
        return table
    table.header_line, header = lines[0]
    keys = [header_key(h) for h in header]
    unknown = [str(h) for h, k in zip(header, keys, strict=False) if k and k not in known]
    if unknown:
        table.errors.append((table.header_line, f"Unknown column(s): {', '.join(unknown)}. The columns we read are: "
                                                f"{', '.join(known)}."))
    repeated = sorted({k for k in keys if k and keys.count(k) > 1})
    if repeated:
        table.errors.append((table.header_line, f"Column(s) named twice: {', '.join(repeated)}."))
    table.columns = {k: i for i, k in reversed(list(enumerate(keys))) if k}
    body = lines[1:]
    if len(body) > max_rows:
        table.errors.append((table.header_line, f"The file has {len(body)} rows; the limit is {max_rows}. Split it."))
    elif not body:
        table.errors.append((table.header_line, no_rows))
    else:
        table.body = body
    return table
