"""What the import benchmarks share: a throw-away test database and a timed step.

Import after django.setup(). Each bench builds its data inside in_test_database, so a run
never touches the database DATABASE_URL names (Django's test runner creates test_<name>
and drops it at the end).
"""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext, get_runner, setup_test_environment


def in_test_database(run, *args) -> None:
    from django.conf import settings

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        run(*args)
    finally:
        runner.teardown_databases(old)


def timed(label: str, fn, *, expect: type[Exception] | None = None):
    """Run fn once; print seconds and SQL statements. An exception of type expect is returned, not raised."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        try:
            result = fn()
        except Exception as exc:
            if expect is None or not isinstance(exc, expect):
                raise
            result = exc
        elapsed = time.perf_counter() - start
    print(f"{label:<40} {elapsed:8.3f} s  {len(queries):5d} SQL statements")
    return result
