"""Tabular uploads are bounded before they are parsed (issue 11, finding 7).

Times are CPU seconds of this process (time.process_time), so a busy shared machine does not
make them flaky.
"""

import io
import time
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from peercert.core import tabular
from peercert.core.errors import ApplicationError
from peercert.core.tabular import DEFAULT_MAX_BYTES, check_tabular_upload, read_table

KNOWN = ("a", "b")


def big_xlsx(rows: int, header=KNOWN, dimension: str | None = None, filler: bytes | None = None) -> bytes:
    """A real workbook whose first sheet is written by hand: repeated <row>s compress to almost nothing."""
    book = Workbook()
    book.active.append(list(header))
    base = io.BytesIO()
    book.save(base)
    source = zipfile.ZipFile(io.BytesIO(base.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, source.read(info))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(
                b"<sheetData><row>"
                + b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % h.encode() for h in header)
                + b"</row>"
            )
            block = (filler or b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>') * 1000
            for _ in range(rows // 1000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_million_row_xlsx_is_refused_fast_with_the_row_limit():
    content = big_xlsx(1_000_000)
    assert len(content) < 400_000
    started = time.process_time()
    table = read_table(content, "huge.xlsx", known=KNOWN, max_rows=5000)
    assert time.process_time() - started < 2
    assert not table.body
    assert [m for _line, m in table.errors] == [
        tabular.too_many_rows_message(5000, 5001)
    ] or "the limit is 5000" in table.errors[0][1]


def test_a_million_row_xlsx_declaring_its_dimension_is_refused_too():
    content = big_xlsx(1_000_000, dimension="A1:B1000001")
    started = time.process_time()
    table = read_table(content, "huge.xlsx", known=KNOWN, max_rows=5000)
    assert time.process_time() - started < 2
    assert "the limit is 5000" in table.errors[0][1]


def test_a_sheet_of_blank_rows_stops_too():
    content = big_xlsx(200_000, filler=b"<row/>")
    started = time.process_time()
    table = read_table(content, "blank.xlsx", known=KNOWN, max_rows=50)
    assert time.process_time() - started < 2
    assert "the limit is 50" in table.errors[0][1]


def test_a_file_at_the_limit_is_read():
    table = read_table(big_xlsx(5000), "ok.xlsx", known=KNOWN, max_rows=5000)
    assert not table.errors and len(table.body) == 5000
    csv_table = read_table(b"a,b\n" + b"x,1\n" * 5000, "ok.csv", known=KNOWN, max_rows=5000)
    assert not csv_table.errors and len(csv_table.body) == 5000


def test_a_csv_past_the_limit_stops_at_the_limit_plus_one():
    table = read_table(b"a,b\n" + b"x,1\n" * 5001, "big.csv", known=KNOWN, max_rows=5000)
    assert table.errors == [(1, tabular.too_many_rows_message(5000, 5002))]


def test_a_zip_bomb_is_refused_from_its_declared_sizes():
    content = big_xlsx(1_000_000, filler=b"<row>" + b" " * 200 + b"</row>")
    assert len(content) < 2_000_000
    with mock.patch("openpyxl.load_workbook") as opened, pytest.raises(ApplicationError, match="unpacks to more"):
        read_table(content, "bomb.xlsx", known=KNOWN)
    opened.assert_not_called()


class CountingUpload:
    """An upload that records what was read from it."""

    def __init__(self, name: str, content: bytes, size: int | None = None):
        self.name, self._file, self.size, self.bytes_read = name, io.BytesIO(content), size or len(content), 0

    def seek(self, offset):
        self._file.seek(offset)

    def read(self, n=-1):
        data = self._file.read(n)
        self.bytes_read += len(data)
        return data


def test_twelve_megabytes_are_refused_before_reading_or_parsing():
    upload = CountingUpload("roster.csv", b"a,b\n" + b"x,1\n" * (3 * 1024 * 1024))
    assert upload.size > 12 * 1024 * 1024
    with mock.patch.object(tabular, "read_rows") as parsed, pytest.raises(ApplicationError, match="the limit is 5 MB"):
        check_tabular_upload(upload)
    assert upload.bytes_read == 0
    parsed.assert_not_called()


def test_an_upload_lying_about_its_size_is_still_read_no_further_than_the_limit():
    upload = CountingUpload("roster.csv", b"a,b\n" + b"x,1\n" * (2 * 1024 * 1024), size=10)
    with pytest.raises(ApplicationError, match="the limit is 5 MB"):
        check_tabular_upload(upload)
    assert upload.bytes_read == DEFAULT_MAX_BYTES + 1


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"a,b\nx,1\ny\x00,2\n", "NUL byte on line 3"),
        (b"a,b\n\xff\xfe,1\n", r"not UTF-8 text \(line 2\)"),
        (b"%PDF-1.7\n", "not a CSV or Excel"),
        (b"PK\x03\x04not really a zip", "not a CSV or Excel"),
    ],
)
def test_contents_are_checked_before_parsing(content, problem):
    with mock.patch.object(tabular, "read_rows") as parsed, pytest.raises(ApplicationError, match=problem):
        read_table(content, "file.csv", known=KNOWN)
    parsed.assert_not_called()
    with pytest.raises(ApplicationError, match=problem):
        check_tabular_upload(SimpleUploadedFile("file.csv", content))


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ApplicationError, match="not a CSV or Excel"):
        check_tabular_upload(SimpleUploadedFile("file.xlsx", out.getvalue()))


def test_a_csv_starting_with_pk_is_read_as_csv():
    table = read_table(b"a,b\nPKx,1\n", "file.csv", known=KNOWN, max_rows=10)
    assert not table.errors and table.body == [(2, ["PKx", "1"])]


def test_a_huge_csv_field_is_a_line_error_not_a_crash():
    with pytest.raises(ApplicationError, match="Line 2"):
        read_table(b'a,b\n"' + b"x" * 200_000 + b'",1\n', "file.csv", known=KNOWN)
