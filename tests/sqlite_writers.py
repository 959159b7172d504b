"""Run many writers at once against a SQLite file, through Django's backend with the project's settings.

Used by test_sqlite_concurrency.py in a subprocess, so the database is a real file and the
settings are the ones config/settings.py builds from DATABASE_URL (not the test suite's in-memory
database). Each transaction reads and then writes, as a registration does, with a short pause
between: the window in which a DEFERRED transaction loses its read snapshot.

Usage: python tests/sqlite_writers.py [settings|deferred]   (prints "ok N" or "failed N: <errors>")
"""

import os
import sys
import threading
import time
from pathlib import Path

THREADS = 8
TRANSACTIONS = 10

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

if sys.argv[1:] == ["deferred"]:
    # The options before issue 11: WAL and a timeout, but transactions that begin DEFERRED.
    settings.DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER NOT NULL)")
    cursor.execute("DELETE FROM counter")
    cursor.execute("INSERT INTO counter (n) VALUES (0)")
connection.close()

errors: list[str] = []
start = threading.Barrier(THREADS)


def writer():
    start.wait()
    try:
        for _ in range(TRANSACTIONS):
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    (n,) = cursor.fetchone()
                    time.sleep(0.005)
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
            except Exception as exc:  # noqa: BLE001 - the errors are the result
                errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


threads = [threading.Thread(target=writer) for _ in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter")
    (total,) = cursor.fetchone()
if errors:
    print(f"failed {total}: {len(errors)} errors, first: {errors[0]}")  # noqa: T201
else:
    print(f"ok {total}")  # noqa: T201
