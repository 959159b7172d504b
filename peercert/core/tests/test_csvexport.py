import csv
import datetime
import io

import pytest

from peercert.core.csvexport import csv_text, safe_cell, stream_rows


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'])
def test_formula_starts_get_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Ana López", "", "'already", " =spaced", 42, -3, None, datetime.date(2026, 3, 6)])
def test_other_values_are_unchanged(value):
    assert safe_cell(value) == value


def test_stream_rows_and_csv_text_defuse_every_cell():
    streamed = "".join(stream_rows(["name", "n"], [["=evil()", -5], ["ok", "-5"]]))
    assert list(csv.reader(io.StringIO(streamed))) == [["name", "n"], ["'=evil()", "-5"], ["ok", "'-5"]]
    assert csv_text([["@x", "y"]]) == "'@x,y\r\n"
