"""A patient's timeline (pure): one dated entry per screening, step, return and care-plan item.

Entries are ordered by the local date they fall on, then by the moment they happened; an entry
that has only a date (a task's due date) comes after everything that happened on that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from directory.models.verification import as_utc

# Entry kinds, in the order entries at the very same moment are listed.
KINDS = (
    "screening",
    "referral_event",
    "referral_return",
    "goal_created",
    "task_created",
    "task_done",
    "task_due",
)


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: when, what kind, the row, and whether its content is shown."""

    on: date
    at: datetime | None  # None for a date-only entry (a task's due date)
    kind: str
    item: object
    referral_id: int | None
    shown: bool

    @property
    def part2(self) -> bool:
        """Is this entry a 42 CFR Part 2 record (a return, goal or task classified so)?"""
        return bool(getattr(getattr(self.item, "row", self.item), "part2", False))

    def key(self) -> tuple:
        """Sort key: day, timed before date-only, moment, then the kind's order."""
        moment = as_utc(self.at) if self.at is not None else None
        return (self.on, moment is None, moment or datetime.min, KINDS.index(self.kind))


def timed(kind: str, at: datetime, item, zone: tzinfo, referral_id=None, shown=True) -> Entry:
    """An entry that happened at a moment, dated on its local day."""
    return Entry(as_utc(at).astimezone(zone).date(), at, kind, item, referral_id, shown)


def dated(kind: str, on: date, item, shown: bool) -> Entry:
    """An entry that falls on a day (a task's due date)."""
    return Entry(on, None, kind, item, None, shown)


def in_order(entries: list[Entry]) -> list[Entry]:
    """The entries oldest first; ties keep the order they were gathered in."""
    return sorted(entries, key=Entry.key)
