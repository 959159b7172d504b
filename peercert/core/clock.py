"""One place that says what day and time it is, so tests and demos can travel in time.

Tests use time-machine, which moves these too; demonstrations of the daily jobs pass
--today, which is handed to the services explicitly.
"""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.now()


def today() -> datetime.date:
    return timezone.localdate(timezone.now())
