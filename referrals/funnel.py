"""Referral funnel: counts and time to appointment from events, with small cells withheld."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median
from zoneinfo import ZoneInfo

from directory.business_days import add_business_days
from directory.models.verification import as_utc

# Cells counting fewer referrals than this are withheld (the CMS cell-size rule of 11).
MIN_CELL = 11
# Funnel stages, in order, and the lifecycle event that marks a referral as having reached each.
STAGE_EVENTS = {
    "sent": "send",
    "acknowledged": "acknowledge",
    "scheduled": "schedule",
    "attended": "attend",
    "declined": "decline",
    "no_show": "no_show",
    "expired": "expire",
}
COUNTS = tuple(STAGE_EVENTS)
# group_by -> the referral attribute it groups on. Race and ethnicity and county type are not
# recorded on referrals, so they are not offered.
GROUP_COLUMNS = {
    "plan": "plan_id",
    "language": "patient_preferred_language",
    "clinician": "clinician_id",
    "kind": "kind",
    "urgency": "urgency",
}
APPOINTMENT_STANDARD_DAYS = 10  # the routine BH access standard, in business days


@dataclass(frozen=True)
class Path:
    """What one referral went through: the stages it reached and when it was first booked."""

    stages: frozenset[str]
    sent_at: datetime | None
    first_appointment_at: datetime | None


def referral_path(events) -> Path:
    """The stages reached by one referral, from its events (objects with type/at/appointment_at)."""
    ordered = sorted(events, key=lambda e: as_utc(e.at))
    reached = {stage for stage, event in STAGE_EVENTS.items() for e in ordered if e.type == event}
    sent_at = next((e.at for e in ordered if e.type == "send"), None)
    booked = next((e.appointment_at for e in ordered if e.type == "schedule"), None)
    # SQLite hands back naive UTC datetimes; PostgreSQL aware ones.
    return Path(frozenset(reached), as_utc(sent_at), as_utc(booked))


def funnel_row(paths: list[Path], tz: ZoneInfo) -> dict:
    """Counts per stage, the median days to a first appointment and the share booked in time."""
    row = {stage: sum(stage in p.stages for p in paths) for stage in COUNTS}
    booked = [p for p in paths if p.sent_at and p.first_appointment_at]
    days = [
        (p.first_appointment_at.astimezone(tz).date() - p.sent_at.astimezone(tz).date()).days
        for p in booked
    ]
    in_time = [
        p
        for p in booked
        if p.first_appointment_at <= add_business_days(p.sent_at, APPOINTMENT_STANDARD_DAYS, tz)
    ]
    row["median_days_to_appointment"] = median(days) if days else None
    row["share_appointment_within_10_business_days"] = (
        round(len(in_time) / len(booked), 4) if booked else None
    )
    # Either side of the share is a count of referrals too: a small one hides the share.
    late = len(booked) - len(in_time)
    row["_timing_small"] = any(0 < n < MIN_CELL for n in (len(booked), len(in_time), late))
    return row


def _small(value) -> bool:
    """True for a count of 1 to 10 referrals (zero is shown: it identifies nobody)."""
    return value is not None and 0 < value < MIN_CELL


def _complement_column(groups: list[dict], total: dict, column: str) -> None:
    """Withhold more cells of `column` until the withheld ones together count at least 11."""
    hidden = [g for g in groups if g["_raw"][column] and g[column] is None]
    if not hidden:
        return
    while sum(g["_raw"][column] for g in hidden) < MIN_CELL:
        shown = sorted((g for g in groups if g[column]), key=lambda g: (g[column], g["key"]))
        if not shown:
            total[column] = None  # nothing left to hide behind: the total would give it away
            return
        shown[0][column] = None
        hidden.append(shown[0])


def suppress(groups: list[dict], total: dict) -> int:
    """Withhold small cells in place, and partners so none can be subtracted out; count them."""
    for row in [*groups, total]:
        row["_raw"] = {column: row[column] for column in COUNTS}
        for column in COUNTS:
            if _small(row[column]):
                row[column] = None
    for column in COUNTS:
        _complement_column(groups, total, column)
    withheld = 0
    for row in [*groups, total]:
        withheld += sum(
            row[column] is None and row["_raw"][column] is not None for column in COUNTS
        )
        if row.pop("_timing_small") or row["sent"] is None or row["scheduled"] is None:
            row["median_days_to_appointment"] = None
            row["share_appointment_within_10_business_days"] = None
        del row["_raw"]
    return withheld
