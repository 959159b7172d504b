"""Exam times as people read them: in America/Los_Angeles and in the reader's language.

A session starting at 01:00 UTC on December 17 is "December 16, 2026, 5:00 PM" in English and
"16 de diciembre de 2026, 17:00" in Spanish. Never strftime a stored (UTC) value for a person.
LocalTime is for messages filled later (errors, notifications, e-mails): it is written when the
message is, in the language active then (core.tell writes each message in its reader's language).
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import get_language

__all__ = ["LocalTime", "local_clock", "local_datetime"]


def _clock_format() -> str:
    # English readers in California use the 12-hour clock; Spanish readers the 24-hour one.
    return "H:i" if (get_language() or "en").startswith("es") else "g:i A"


def local_clock(value: datetime.datetime) -> str:
    """The time of day only ("5:00 PM" / "17:00"), in Pacific time."""
    return formats.date_format(timezone.localtime(value), _clock_format())


def local_datetime(value: datetime.datetime) -> str:
    """The day and the time ("December 16, 2026, 5:00 PM" / "16 de diciembre de 2026, 17:00")."""
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATE_FORMAT')}, {formats.date_format(local, _clock_format())}"


class LocalTime:
    """A time to put among a message's params: written in Pacific time when the message is."""

    def __init__(self, value: datetime.datetime, *, clock_only: bool = False):
        self.value, self.clock_only = value, clock_only

    def __str__(self) -> str:
        return local_clock(self.value) if self.clock_only else local_datetime(self.value)

    def __repr__(self) -> str:
        return f"LocalTime({self.value!r})"
