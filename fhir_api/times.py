"""FHIR instants out, and `_lastUpdated` comparisons in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from directory.models.verification import as_utc

# eq ne gt lt ge le sa eb ap are FHIR's prefixes; a date search without one means eq.
_PREFIXED = re.compile(r"^(eq|ne|gt|lt|ge|le|sa|eb)?(\d{4}(?:-\d{2}(?:-\d{2})?)?(?:T.*)?)$")
_SUPPORTED = {"eq", "gt", "lt", "ge", "le", "sa", "eb"}


def instant(moment: datetime | None) -> str | None:
    """A FHIR instant in UTC ("2024-05-01T12:00:00.123456+00:00")."""
    return as_utc(moment).astimezone(UTC).isoformat() if moment else None


@dataclass(frozen=True)
class DateRange:
    """A search value: the moments [start, end) it covers, and the comparison asked for."""

    prefix: str
    start: datetime
    end: datetime


def _bounds(text: str) -> tuple[datetime, datetime]:
    """The interval a FHIR date or dateTime of some precision covers, in UTC."""
    if len(text) == 4:
        start = datetime(int(text), 1, 1, tzinfo=UTC)
        return start, start.replace(year=start.year + 1)
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:7])
        start = datetime(year, month, 1, tzinfo=UTC)
        following = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        return start, following
    if len(text) == 10:
        start = datetime.fromisoformat(text).replace(tzinfo=UTC)
        return start, start + timedelta(days=1)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a dateTime with a time needs a time zone")
    moment = moment.astimezone(UTC)
    step = timedelta(microseconds=1) if moment.microsecond else timedelta(seconds=1)
    return moment, moment + step


def parse_date_range(value: str) -> DateRange:
    """`ge2024-01-01`, `lt2024-05-01T10:00:00Z`...; ValueError when not one."""
    found = _PREFIXED.match(value.strip())
    if not found:
        raise ValueError("not a FHIR date, e.g. ge2024-01-01 or lt2024-05-01T10:00:00Z")
    prefix = found.group(1) or "eq"
    if prefix not in _SUPPORTED:
        raise ValueError(f"prefix {prefix} is not supported here")
    try:
        start, end = _bounds(found.group(2))
    except (ValueError, OverflowError) as err:
        raise ValueError("not a valid date") from err
    if not 1 < start.year < 9999:
        raise ValueError("not a valid date")
    return DateRange(prefix, start, end)


def date_clause(column, wanted: DateRange):
    """The SQL comparison of a timestamp column with a search value."""
    start, end = wanted.start, wanted.end
    return {
        "eq": (column >= start) & (column < end),
        "gt": column >= end,
        "sa": column >= end,
        "ge": column >= start,
        "lt": column < start,
        "eb": column < start,
        "le": column < end,
    }[wanted.prefix]
