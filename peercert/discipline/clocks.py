"""Deadline arithmetic for case clocks."""

import datetime


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    """The day `days` working days after `start`, skipping Saturdays and Sundays.

    State holidays are not skipped: no public holiday calendar is kept yet, so the clock
    can only be early, never late, which is the safe side for an acknowledgement deadline.
    """
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day
