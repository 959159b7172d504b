"""Calendar arithmetic the program's rules use (terms, windows, look-backs).

One rule for the day that does not exist in the target month: it becomes that month's last
day, so 29 February plus a year is 28 February and 31 January plus a month is 28 (or 29)
February. Every copy PeerCert had (certification's add_months, renewal's and training's
add_years, discipline's years_before) already followed it; a term can then only end early,
never past the date the law allows.
"""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day so many months later (or earlier, for a negative count)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day so many years later (or earlier); 29 February becomes 28 February."""
    return add_months(day, 12 * years)


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    """The day `days` working days after `start`, skipping Saturdays and Sundays.

    State holidays are not skipped: no public holiday calendar is kept yet, so a clock can
    only be early, never late, which is the safe side for a deadline the program must meet.
    """
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day
