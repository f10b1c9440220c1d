"""Referral funnel: counts and time to appointment from events, with small cells withheld."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from directory.business_days import add_business_days
from directory.models.verification import as_utc
from referrals.funnel_tally import Tally, in_time_of, median_of, p90_of

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
# HEDIS-style follow-up (FUH/DSF-E): referrals with a positive screen attached, and those whose
# patient had a BH visit on the screen's day or within 7 / 30 days after it.
FOLLOW_UP_WINDOWS = (7, 30)
FOLLOW_UP_COUNTS = ("positive_screens", *(f"follow_up_{d}_days" for d in FOLLOW_UP_WINDOWS))
# Every count cell small-cell suppression covers.
CELLS = COUNTS + FOLLOW_UP_COUNTS
# group_by -> the referral attribute it groups on.
GROUP_COLUMNS = {
    "plan": "plan_id",
    "language": "patient_preferred_language",
    "clinician": "clinician_id",
    "kind": "kind",
    "urgency": "urgency",
}
# group_by values whose key is worked out per referral (referrals.demographics, county types).
DERIVED_GROUPS = ("race_ethnicity", "age_band", "county_type")
APPOINTMENT_STANDARD_DAYS = 10  # the routine BH access standard, in business days
ACKNOWLEDGE_STANDARD_DAYS = 2  # a responsive clinician answers within 2 business days
APPOINTMENT_FIGURES = (
    "median_days_to_appointment",
    "p90_days_to_appointment",
    "share_appointment_within_10_business_days",
)
ACKNOWLEDGE_FIGURES = (
    "median_days_to_acknowledge",
    "p90_days_to_acknowledge",
    "share_acknowledged_within_2_business_days",
)
# Raw counts behind the share booked in time, kept on a row for its interval (referrals.equity
# takes them off before a row is shown).
BOOKED_IN_TIME = "_booked_in_time"
BOOKED_WITH_DATE = "_booked_with_date"


@dataclass(frozen=True)
class Path:
    """What one referral went through: the stages it reached and when it was first booked."""

    stages: frozenset[str]
    sent_at: datetime | None
    first_appointment_at: datetime | None
    acknowledged_at: datetime | None = None


def referral_path(events) -> Path:
    """The stages reached by one referral, from its events (objects with type/at/appointment_at)."""
    ordered = sorted(events, key=lambda e: as_utc(e.at))
    reached = {stage for stage, event in STAGE_EVENTS.items() for e in ordered if e.type == event}
    sent_at = next((e.at for e in ordered if e.type == "send"), None)
    booked = next((e.appointment_at for e in ordered if e.type == "schedule"), None)
    acknowledged = next((e.at for e in ordered if e.type == "acknowledge"), None)
    # SQLite hands back naive UTC datetimes; PostgreSQL aware ones.
    return Path(frozenset(reached), as_utc(sent_at), as_utc(booked), as_utc(acknowledged))


def p90(values: list[int]) -> int | None:
    """The 90th percentile by nearest rank: the smallest value at least 90% are at or under."""
    return p90_of(Counter((v, False) for v in values))


def path_tally(paths: list[Path], tz: ZoneInfo) -> Tally:
    """Stage counts and days-to histograms of referral paths (the summary table's, in Python)."""
    tally = Tally(Counter({stage: sum(stage in p.stages for p in paths) for stage in COUNTS}))
    for p in paths:
        if p.sent_at and p.first_appointment_at:
            tally.booked[
                days_to(p.first_appointment_at, p.sent_at, APPOINTMENT_STANDARD_DAYS, tz)
            ] += 1
        if p.sent_at and p.acknowledged_at:
            tally.answered[
                days_to(p.acknowledged_at, p.sent_at, ACKNOWLEDGE_STANDARD_DAYS, tz)
            ] += 1
    return tally


def days_to(moment: datetime, sent_at: datetime, standard_days: int, tz: ZoneInfo) -> tuple:
    """Calendar days from sending to `moment` locally, and whether it came within the standard."""
    days = (moment.astimezone(tz).date() - sent_at.astimezone(tz).date()).days
    return days, moment <= add_business_days(sent_at, standard_days, tz)


def _figures(names: tuple[str, ...], histogram: Counter) -> tuple[dict, bool]:
    """Median, p90 and share in time under `names`, with whether a count behind them is small."""
    in_time, late = in_time_of(histogram)
    reached = in_time + late
    share = round(in_time / reached, 4) if reached else None
    values = (median_of(histogram), p90_of(histogram), share)
    # Either side of the share is a count of referrals too: a small one hides the figures.
    return dict(zip(names, values, strict=True)), any(
        0 < n < MIN_CELL for n in (reached, in_time, late)
    )


def tally_row(tally: Tally) -> dict:
    """Counts per stage, days to acknowledge and to a first appointment, the shares in time."""
    row = {stage: tally.counts[stage] for stage in COUNTS}
    figures, row["_timing_small"] = _figures(APPOINTMENT_FIGURES, tally.booked)
    row.update(figures)
    in_time, late = in_time_of(tally.booked)
    row[BOOKED_IN_TIME], row[BOOKED_WITH_DATE] = in_time, in_time + late
    figures, row["_ack_small"] = _figures(ACKNOWLEDGE_FIGURES, tally.answered)
    row.update(figures)
    return row


def funnel_row(paths: list[Path], tz: ZoneInfo) -> dict:
    """Counts per stage, days to acknowledge and to a first appointment, the shares in time."""
    return tally_row(path_tally(paths, tz))


def follow_up_row(cases: list[tuple[date, list[date]]]) -> dict:
    """Of (positive screen's local date, BH visit dates) pairs, those followed up in each window."""
    counts = {"positive_screens": len(cases)}
    for window in FOLLOW_UP_WINDOWS:
        counts[f"follow_up_{window}_days"] = sum(
            any(on <= visit <= on + timedelta(days=window) for visit in visits)
            for on, visits in cases
        )
    return follow_up_counts(counts)


def follow_up_counts(counts) -> dict:
    """The follow-up cells and shares from positive screens and those met in each window."""
    screens = counts["positive_screens"]
    row = {"positive_screens": screens}
    for window in FOLLOW_UP_WINDOWS:
        met = row[f"follow_up_{window}_days"] = counts[f"follow_up_{window}_days"]
        row[f"share_follow_up_within_{window}_days"] = round(met / screens, 4) if screens else None
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


def _hide_figures(row: dict) -> None:
    """Withhold the figures resting on a withheld or small count."""
    timing_small, ack_small = row.pop("_timing_small"), row.pop("_ack_small")
    if timing_small or row["sent"] is None or row["scheduled"] is None:
        row.update(dict.fromkeys(APPOINTMENT_FIGURES))
    if ack_small or row["sent"] is None or row["acknowledged"] is None:
        row.update(dict.fromkeys(ACKNOWLEDGE_FIGURES))
    for window in FOLLOW_UP_WINDOWS:
        if row["positive_screens"] is None or row[f"follow_up_{window}_days"] is None:
            row[f"share_follow_up_within_{window}_days"] = None


def suppress(groups: list[dict], total: dict) -> int:
    """Withhold small cells in place, and partners so none can be subtracted out; count them."""
    for row in [*groups, total]:
        row["_raw"] = {column: row[column] for column in CELLS}
        for column in CELLS:
            if _small(row[column]):
                row[column] = None
    for column in CELLS:
        _complement_column(groups, total, column)
    withheld = 0
    for row in [*groups, total]:
        withheld += sum(row[column] is None and row["_raw"][column] is not None for column in CELLS)
        _hide_figures(row)
        del row["_raw"]
    return withheld
