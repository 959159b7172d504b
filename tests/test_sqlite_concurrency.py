"""Issue 11 finding 8: concurrent writers on SQLite failed with "database is locked".

The suite's own SQLite database is in memory, so these tests start a subprocess that opens a real
file through config/settings.py (DATABASE_URL=sqlite:///...) and runs 8 threads of 10
read-then-write transactions each (tests/sqlite_writers.py).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking only")


def run_writers(tmp_path, mode: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'writers.sqlite3'}",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "sqlite_writers.py"), mode],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_concurrent_read_then_write_transactions_all_succeed_with_the_settings(tmp_path):
    assert run_writers(tmp_path, "settings") == "ok 80"


def test_the_old_deferred_options_lose_writes_under_the_same_load(tmp_path):
    """The control: the same load fails with the options the settings had, so the test above is not hollow."""
    assert run_writers(tmp_path, "deferred").startswith("failed")
