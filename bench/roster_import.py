"""Benchmark: check and import a generated 5,000-row roster; print time and SQL statements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_training .venv/bin/python bench/roster_import.py [rows]

Builds its own database (migrations, then data made set-based with bulk_create), runs the
preview (validate_roster) and the commit (roster_commit) once each, then the same file again
to show the re-upload adds nothing. Leaves the test database behind it as Django's test
runner does (dropped at the end).
"""

import datetime
import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from _support import in_test_database, timed  # noqa: E402
from django.db import connection  # noqa: E402


def run(rows: int) -> None:
    from peercert.accounts.models import Person, RoleAssignment, TrainingEntity, User
    from peercert.accounts.roles import Role
    from peercert.training import services
    from peercert.training.models import Completion, Curriculum, CurriculumVersion, Offering
    from peercert.training.roster import validate_roster

    entity = TrainingEntity.objects.create(name="Bench Training Entity")
    staff = User.objects.create(email="bench-staff@bench.example")
    RoleAssignment.objects.create(user=staff, role=Role.TRAINING_STAFF, training_entity=entity)
    curriculum = Curriculum.objects.create(title="Bench CE", kind="continuing_education")
    version = CurriculumVersion.objects.create(curriculum=curriculum, number=1, hours=Decimal("6"), status="approved")
    offering = Offering.objects.create(
        training_entity=entity,
        curriculum_version=version,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 1, 6),
        hours=Decimal("6"),
        language="en",
        modality="virtual",
        capacity=rows,
        accommodation_contact="bench",
    )
    firsts = ["María", "José", "Nguyễn", "Siobhán", "Zoë", "Renée", "Tomás", "Anaïs", "Thảo", "Gurpreet"]
    lasts = ["Hernández", "Núñez", "Trần", "Ó Briain", "Peña", "Castañeda", "Kaur", "Møller", "Okafor", "Ibáñez"]
    base = datetime.date(1960, 1, 1)
    people = [
        Person(
            legal_first_name=f"{firsts[i % 10]}{i}",
            legal_last_name=lasts[(i // 10) % 10],
            date_of_birth=base + datetime.timedelta(days=i % 15000),
            search_name="",
        )
        for i in range(rows)
    ]
    Person.objects.bulk_create(people, batch_size=1000)
    lines = ["first_name,last_name,date_of_birth,hours,ce_category"]
    for p in people:
        lines.append(f"{p.legal_first_name},{p.legal_last_name},{p.date_of_birth:%Y-%m-%d},6,general")
    content = ("\n".join(lines) + "\n").encode()
    today = datetime.date(2026, 2, 1)

    import time_machine

    with time_machine.travel(datetime.datetime(2026, 2, 1, 18, tzinfo=datetime.UTC), tick=False):
        print(f"roster of {rows} rows ({len(content) / 1024:.0f} KiB), database {connection.vendor}")
        result = timed(
            "preview (validate_roster)",
            lambda: validate_roster(offering, content=content, filename="roster.csv", today=today),
        )
        assert not result.errors, result.errors[:5]
        timed(
            "commit (roster_commit)",
            lambda: services.roster_commit(actor=staff, offering=offering, content=content, filename="roster.csv"),
        )
        assert Completion.objects.filter(offering=offering).count() == rows
        upload, again = timed(
            "same roster again (adds nothing)",
            lambda: services.roster_commit(actor=staff, offering=offering, content=content, filename="roster.csv"),
        )
        assert upload is None and again.already_count == rows
        print(f"completions now {Completion.objects.filter(offering=offering).count()}")


if __name__ == "__main__":
    in_test_database(run, int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
