"""Benchmark: the discipline daily jobs and the state export over a statewide-sized record.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_discipline .venv/bin/python bench/discipline.py [actions]

Builds a throw-away test database, generates complaints and corrective actions set-based
(bulk_create), half of them overdue and a slice of them starting today, then times
corrective_actions_escalate, discipline_execute_due (each twice: the second run must change
nothing), and the CSV export, printing the time and the number of SQL statements of each.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build(n: int, today: datetime.date):
    from peercert.accounts.models import CertificationProgram, Person
    from peercert.discipline.models import ActionKind, ActionStatus, Complaint, ComplaintStatus, DisciplinaryAction

    program = CertificationProgram.objects.get(code="statewide")
    people = Person.objects.bulk_create(
        [
            Person(legal_first_name="Peer", legal_last_name=f"Número {i}", search_name=f"peer numero {i}")
            for i in range(n)
        ]
    )
    complaints = Complaint.objects.bulk_create(
        [
            Complaint(
                number=f"C-BENCH-{i:06d}",
                program=program,
                respondent_kind="peer",
                respondent_person=p,
                complainant_name="Bench Complainant",
                channel="online",
                incident_on=today - datetime.timedelta(days=60),
                incident_description="Benchmark case",
                received_on=today - datetime.timedelta(days=50),
                status=ComplaintStatus.DECIDED,
                outcome="corrective_action",
                findings="x",
                provisions=["scope"],
                ack_due_on=today,
                investigation_due_on=today,
                rules_version="bench",
            )
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )
    actions = []
    for i, c in enumerate(complaints):
        # half overdue, a tenth starting today (scheduled), the rest on time
        scheduled = i % 10 == 0
        actions.append(
            DisciplinaryAction(
                complaint=c,
                kind=ActionKind.CORRECTIVE_ACTION,
                person_id=c.respondent_person_id,
                status=ActionStatus.SCHEDULED if scheduled else ActionStatus.IN_EFFECT,
                effective_on=today if scheduled else today - datetime.timedelta(days=40),
                due_on=today - datetime.timedelta(days=1) if i % 2 else today + datetime.timedelta(days=30),
                decided_on=today - datetime.timedelta(days=40),
                rules_version="bench",
            )
        )
    DisciplinaryAction.objects.bulk_create(actions, batch_size=2000)


def timed(label, func):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - started
    print(f"{label:<45} {elapsed * 1000:9.1f} ms {len(queries):6d} SQL  -> {result}")
    return result


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from peercert.accounts.roles import Role
        from peercert.accounts.tests.factories import user_with_role
        from peercert.discipline import selectors, services

        today = datetime.date(2026, 3, 6)
        started = time.perf_counter()
        build(n, today)
        print(
            f"built {n} complaints and corrective actions in {time.perf_counter() - started:.1f} s "
            f"({connection.vendor})"
        )
        timed("corrective_actions_escalate (first run)", lambda: services.corrective_actions_escalate(today))
        timed("corrective_actions_escalate (second run)", lambda: services.corrective_actions_escalate(today))
        timed("discipline_execute_due (first run)", lambda: services.discipline_execute_due(today))
        timed("discipline_execute_due (second run)", lambda: services.discipline_execute_due(today))
        analyst = user_with_role(Role.DHCS_ANALYST)
        timed(
            "CSV export rows (all records)",
            lambda: sum(1 for _ in selectors.export_rows(actor=analyst, flt=selectors.RecordFilter())),
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
