"""CSV that people open in a spreadsheet: every export writes through here.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets, so a legal name typed as `=HYPERLINK(...)` would run (or leak the
sheet's contents) on the desk of whoever opens the export (OWASP "CSV injection"). Such cells get
a leading apostrophe, which the spreadsheet shows as plain text. Numbers and dates are written as
they are: only text a person typed can carry a formula.
"""

import csv
import datetime
import io
from collections.abc import Iterable

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value to write into a cell, defused when text would be read as a formula. A date and
    time is written in Pacific time ("2026-12-01 18:30:00", America/Los_Angeles), never as the
    UTC value the database keeps."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


class SafeWriter:
    """csv.writer with every cell passed through safe_cell. writerow returns what the target's write returns."""

    def __init__(self, target=None, **kwargs):
        self._writer = csv.writer(target if target is not None else _Echo(), **kwargs)

    def writerow(self, row: Iterable):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def stream_rows(header: Iterable, rows: Iterable[Iterable]):
    """CSV lines, one at a time, for a StreamingHttpResponse: the header first, every cell made safe."""
    writer = SafeWriter()
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def csv_text(rows: Iterable[Iterable], *, lineterminator: str = "\r\n") -> str:
    """A whole small CSV as text (templates, reports), every cell made safe."""
    out = io.StringIO()
    SafeWriter(out, lineterminator=lineterminator).writerows(rows)
    return out.getvalue()
