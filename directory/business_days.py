"""Business-day arithmetic for access standards: weekends and US federal holidays skipped."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` (0=Monday) of the month; n=-1 for the last one."""
    days = [
        date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    return days[n if n < 0 else n - 1]


def _observed(day: date) -> date:
    """A Saturday holiday is observed on Friday, a Sunday one on Monday (5 U.S.C. 6103)."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@cache
def federal_holidays(year: int) -> frozenset[date]:
    """The eleven US federal holidays of `year`, on their observed dates."""
    fixed = [
        date(year, 1, 1),  # New Year's Day
        date(year, 6, 19),  # Juneteenth
        date(year, 7, 4),  # Independence Day
        date(year, 11, 11),  # Veterans Day
        date(year, 12, 25),  # Christmas Day
    ]
    floating = [
        _nth_weekday(year, 1, 0, 3),  # Martin Luther King Jr. Day
        _nth_weekday(year, 2, 0, 3),  # Washington's Birthday
        _nth_weekday(year, 5, 0, -1),  # Memorial Day
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 10, 0, 2),  # Columbus Day
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving Day
    ]
    return frozenset([*(_observed(d) for d in fixed), *floating])


def is_business_day(day: date, holidays: bool = True) -> bool:
    """Monday to Friday, and (unless `holidays` is False) not a federal holiday."""
    if day.weekday() >= 5:
        return False
    # A Saturday New Year's Day is observed on the last Friday of the year before.
    observed = federal_holidays(day.year) | federal_holidays(day.year + 1)
    return not (holidays and day in observed)


def add_business_days(
    start: datetime, days: int, tz: ZoneInfo | None = None, holidays: bool = True
) -> datetime:
    """The moment `days` business days after `start`, counted in local time `tz`."""
    local = start.astimezone(tz) if tz else start
    day = local.date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            counted += 1
    due = datetime.combine(day, local.timetz())
    return due.astimezone(start.tzinfo) if start.tzinfo else due
