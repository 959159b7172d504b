"""Benchmark: a testing vendor's result file for a statewide sitting, then scoring and item analysis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_exams .venv/bin/python bench/exams.py [candidates]

Builds a throw-away test database (test_<name>), generates the data set-based (bulk_create), times
vendor_results_import (validate + write + score + decide, all or nothing) for N candidates x 120 items,
the re-import of the same file (must change nothing), and form_analyse, then drops the database.
"""

import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def build(n_candidates: int):
    from peercert.accounts.models import CertificationProgram, Person, RoleAssignment, User
    from peercert.core import clock
    from peercert.core.vocabulary import ExamContentArea
    from peercert.exams.models import (
        Attempt,
        BlueprintRow,
        ExamAuthorization,
        ExamForm,
        ExamSession,
        FormItem,
        Item,
        Registration,
    )

    program = CertificationProgram.objects.get(code="statewide")
    admin = User.objects.create(email="bench-exams@bench.example")
    RoleAssignment.objects.create(user=admin, role="exam_administrator", program=program)
    items = Item.objects.bulk_create(
        [
            Item(
                program=program,
                code=f"B-{i:04d}",
                content_area=ExamContentArea.values[i % 8],
                stem=f"Q{i}",
                options=["a", "b", "c", "d"],
                key=i % 4,
                status="approved",
            )
            for i in range(120)
        ]
    )
    form = ExamForm.objects.create(program=program, code="bench", name="Bench", status="published", cut_score=70)
    BlueprintRow.objects.bulk_create(
        [BlueprintRow(form=form, content_area=a, item_count=15) for a in ExamContentArea.values]
    )
    FormItem.objects.bulk_create([FormItem(form=form, item=it, position=i) for i, it in enumerate(items, 1)])
    session = ExamSession.objects.create(
        program=program,
        form=form,
        delivery="online",
        starts_at=clock.now(),
        minutes=150,
        rules_version="bench",
        capacity=n_candidates,
        proctor=admin,
    )
    people = Person.objects.bulk_create(
        [
            Person(legal_first_name="Candidate", legal_last_name=str(i), search_name=f"candidate {i}")
            for i in range(n_candidates)
        ]
    )
    until = clock.today() + datetime.timedelta(days=300)
    auths = ExamAuthorization.objects.bulk_create(
        [
            ExamAuthorization(
                person=p, valid_until=until, attempts_paid=1, attempts_used=1, reference="bench", rules_version="bench"
            )
            for p in people
        ]
    )
    regs = Registration.objects.bulk_create(
        [
            Registration(session=session, person=p, authorization=a, status="checked_in", photo_id_confirmed=True)
            for p, a in zip(people, auths, strict=True)
        ]
    )
    Attempt.objects.bulk_create(
        [
            Attempt(registration=r, person_id=r.person_id, form=form, taken_on=clock.today(), rules_version="bench")
            for r in regs
        ]
    )
    # Each candidate has an ability; each item a difficulty: answers look like a real sitting.
    rng = random.Random(7)
    out = io.StringIO()
    out.write("candidate_id,form,item_id,answer\n")
    for p in people:
        ability = rng.gauss(0.7, 0.12)
        for i, it in enumerate(items):
            right = rng.random() < min(0.98, max(0.05, ability + (i % 10 - 5) * 0.03))
            choice = it.key if right else (it.key + 1 + rng.randrange(3)) % 4
            out.write(f"{p.pk},bench,{it.code},{'ABCD'[choice]}\n")
    return admin, form, out.getvalue()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from peercert.exams import services
        from peercert.exams.models import Attempt

        t0 = time.perf_counter()
        admin, form, text = build(n)
        t1 = time.perf_counter()
        print(f"database: {connection.vendor}; candidates: {n}; rows in the vendor file: {n * 120:,}")
        print(f"generate data set-based: {t1 - t0:.2f} s")
        summary = services.vendor_results_import(actor=admin, text=text)
        t2 = time.perf_counter()
        passed = Attempt.objects.filter(result="passed").count()
        print(
            f"vendor import (validate, write {summary['answers']:,} answers, score, decide): {t2 - t1:.2f} s "
            f"({summary['answers'] / (t2 - t1):,.0f} rows/s); passed {passed} of {n}"
        )
        again = services.vendor_results_import(actor=admin, text=text)
        t3 = time.perf_counter()
        print(f"re-import of the same file (changes nothing: {again}): {t3 - t2:.2f} s")
        stats = services.form_analyse(actor=None, form=form)
        t4 = time.perf_counter()
        print(
            f"item analysis over {stats['attempts']} attempts x 120 items: {t4 - t3:.2f} s; "
            f"KR-20 {stats['kr20']}; flagged {stats['flagged']}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
