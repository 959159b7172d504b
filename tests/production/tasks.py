"""A slow task for the worker tests: it writes when it starts and when it ends, so a test can tell
whether a task ran, ran again after its worker was killed, or finished twice."""

import time
from pathlib import Path

from django_tasks import task


@task()
def slow_marker(label: str, seconds: float, log: str) -> str:
    with Path(log).open("a") as handle:
        handle.write(f"start {label}\n")
    time.sleep(seconds)
    with Path(log).open("a") as handle:
        handle.write(f"end {label}\n")
    return label
