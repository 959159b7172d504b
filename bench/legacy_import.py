"""Benchmark: check and import a generated file of past decisions; print time and SQL statements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_legacy .venv/bin/python bench/legacy_import.py [rows]

Builds its own database (migrations; half the people already on file, made with bulk_create),
then times the check alone (validate_legacy_file) and the import (legacy_records_import) of a
CSV with one past grandparenting decision per line (5,000 lines, the file limit, by default),
then the same file again, which is refused line by line and saves nothing. The statement
counts show the import is set-based: they grow with the number of 500-row chunks, not rows.
"""

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from _support import in_test_database, timed  # noqa: E402
from django.db import connection  # noqa: E402


def run(rows: int) -> None:
    import time_machine
    from django.core.files.uploadedfile import SimpleUploadedFile

    from peercert.accounts.models import Person, RoleAssignment, User
    from peercert.accounts.roles import Role
    from peercert.accounts.selectors import statewide_program
    from peercert.certification.legacy_import import LegacyImportError, legacy_records_import, validate_legacy_file
    from peercert.certification.models import Application

    program = statewide_program()
    staff = User.objects.create(email="bench-reviewer@bench.example")
    RoleAssignment.objects.create(user=staff, role=Role.PROGRAM_REVIEWER, program=program)
    firsts = ["María", "José", "Nguyễn", "Siobhán", "Zoë", "Renée", "Tomás", "Anaïs", "Thảo", "Gurpreet"]
    lasts = ["Hernández", "Núñez", "Trần", "Ó Briain", "Peña", "Castañeda", "Kaur", "Møller", "Okafor", "Ibáñez"]
    counties = ["Fresno", "Los Angeles", "Humboldt", "Imperial", "San Diego", "Alpine", "Kern", "Modoc"]
    born = [datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 12000) for i in range(rows)]
    names = [(f"{firsts[i % 10]}", lasts[(i // 10) % 10] + f"-{i}") for i in range(rows)]
    existing = [
        Person(
            legal_first_name=names[i][0],
            legal_last_name=names[i][1],
            date_of_birth=born[i],
            email=f"past{i}@bench.example",
            search_name="",
        )
        for i in range(0, rows, 2)
    ]
    for person in existing:
        person.search_name = person.folded_name()
    Person.objects.bulk_create(existing, batch_size=1000)

    lines = [
        "legal_first_name,legal_last_name,date_of_birth,email,pathway,status,submitted_on,decided_on,"
        "peer_work_hours,employed_as_peer_on_cutoff,ce_hours,ce_law_ethics_hours,county"
    ]
    for i in range(rows):
        submitted = datetime.date(2022, 2, 1) + datetime.timedelta(days=i % 300)
        lines.append(
            f"{names[i][0]},{names[i][1]},{born[i]:%Y-%m-%d},past{i}@bench.example,grandparenting,approved,"
            f"{submitted:%Y-%m-%d},{submitted + datetime.timedelta(days=30):%Y-%m-%d},"
            f"{2000 + i % 500},yes,{20 + i % 5},6,{counties[i % len(counties)]}"
        )
    content = ("\n".join(lines) + "\n").encode()

    def upload():
        return SimpleUploadedFile("past-decisions.csv", content, content_type="text/csv")

    with time_machine.travel(datetime.datetime(2026, 11, 30, 18, tzinfo=datetime.UTC), tick=False):
        print(
            f"file of {rows} lines ({len(content) / 1024:.0f} KiB), {len(existing)} people already on file, "
            f"database {connection.vendor}"
        )
        checked = timed(
            "check only (validate_legacy_file)",
            lambda: validate_legacy_file(actor=staff, program=program, content=content, filename="past-decisions.csv"),
        )
        assert not checked.errors, checked.errors[:5]
        result = timed(
            "import (legacy_records_import)",
            lambda: legacy_records_import(actor=staff, program=program, upload=upload()),
        )
        assert len(result.lines) == rows, result
        assert Application.objects.filter(entered_by_staff=True).count() == rows
        again = timed(
            "same file again (refused, saves nothing)",
            lambda: legacy_records_import(actor=staff, program=program, upload=upload()),
            expect=LegacyImportError,
        )
        assert isinstance(again, LegacyImportError) and len(again.result.errors) == rows
        print(
            f"applications now {Application.objects.filter(entered_by_staff=True).count()}, "
            f"people created {rows - len(existing)}"
        )


if __name__ == "__main__":
    in_test_database(run, int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
