"""Benchmark: written parts left open at the deadline, handed in and scored in one sweep.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_exams .venv/bin/python bench/exams_deadline.py [candidates]
    .venv/bin/python bench/exams_deadline.py            # SQLite, 2,000 candidates x 120 answers

Builds its own test database (bench/_support.in_test_database): the sitting of bench/exams.py with every
attempt started and answered, then left open past its deadline. Times exams.services.attempts_close_overdue
(one locking read, one UPDATE, one audit insert, the grouped scoring queries, the notifications), then the
same sweep again (must find nothing), and prints statements and the process's peak memory. The statement
count must not grow with the number of candidates (checked by tests too).
"""

import datetime
import os
import random
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from bench._support import in_test_database, timed  # noqa: E402


def run(n: int) -> None:
    from bench.exams import build
    from peercert.core import clock
    from peercert.exams import services
    from peercert.exams.models import Answer, Attempt, FormItem, ScaleConversion

    _admin, form, _csv = build(n)
    ScaleConversion.objects.bulk_create(
        [ScaleConversion(form=form, raw=r, scaled=round(r * 100 / 120)) for r in range(121)]
    )
    now = clock.now()
    started = now - datetime.timedelta(minutes=200)
    Attempt.objects.filter(form=form).update(
        status="in_progress", started_at=started, deadline_at=started + datetime.timedelta(minutes=150)
    )
    items = list(FormItem.objects.filter(form=form).select_related("item"))
    rng = random.Random(11)
    rows = []
    for attempt_id in Attempt.objects.filter(form=form).values_list("pk", flat=True):
        for fi in items:
            right = rng.random() < 0.72
            rows.append(
                Answer(
                    attempt_id=attempt_id,
                    item=fi.item,
                    choice=fi.item.key if right else (fi.item.key + 1) % 4,
                    answered_at=started,
                )
            )
        if len(rows) >= 50_000:
            Answer.objects.bulk_create(rows, batch_size=10_000)
            rows = []
    Answer.objects.bulk_create(rows, batch_size=10_000)
    closed = timed(f"sweep {n} open attempts", lambda: services.attempts_close_overdue(now=now))
    again = timed("the same sweep again", lambda: services.attempts_close_overdue(now=now))
    scored = Attempt.objects.filter(form=form, status="scored", auto_submitted=True).count()
    print(f"closed {len(closed)}, again {len(again)}, scored {scored}")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    in_test_database(run, int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
