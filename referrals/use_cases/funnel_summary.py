"""The funnel's counts and day histograms per group, read from the referral summary table."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import True_, func, select, tuple_

from directory.extensions import db
from referrals.funnel import COUNTS
from referrals.funnel_tally import Tally
from referrals.models import Referral
from referrals.report_scope import report_filter
from referrals.summary import summaries
from referrals.summary_models import ReferralSummary as S

UNKNOWN = "unknown"
# group_by -> the summary column holding each referral's key.
SUMMARY_KEYS = {
    "plan": S.plan_id,
    "language": S.language,
    "clinician": S.clinician_id,
    "kind": S.kind,
    "urgency": S.urgency,
    "race_ethnicity": S.race_ethnicity,
    "age_band": S.age_band,
    "county_type": S.county_type,
}
# Tally histogram -> the summary's (days, came in time) columns it counts.
HISTOGRAMS = {
    "booked": ("days_to_appointment", "appointment_in_time"),
    "answered": ("days_to_acknowledge", "acknowledged_in_time"),
}


def _label(value) -> str:
    return UNKNOWN if value is None else str(value)


def sent_between(actor, start: date, end: date, tz: ZoneInfo, visible=None) -> list:
    """WHERE clauses: summary rows first sent between local `start` and `end`, visible to actor.

    `visible`: a filter on referrals to use instead of the actor's (referrals.report_scope).
    """
    # In UTC, as stored: SQLite compares the text, and would drop a local offset.
    low = datetime.combine(start, time(), tz).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(), tz).astimezone(UTC)
    clauses = [S.sent_at >= low, S.sent_at < high]
    visible = report_filter(actor) if visible is None else visible
    if not isinstance(visible, True_):
        clauses.append(S.referral_id.in_(select(Referral.id).where(visible)))
    return clauses


# What each counted cell of a group counts, after "sent" (every row).
COUNTED = {
    **{stage: getattr(S, stage).is_(True) for stage in COUNTS[1:]},
    "positive_screens": S.positive_screen_on.is_not(None),
    "follow_up_7_days": S.follow_up_7_days.is_(True),
    "follow_up_30_days": S.follow_up_30_days.is_(True),
}
# Which rows a grouped row counts: GROUPING(days to appointment, days to acknowledge).
STAGES, BOOKED, ANSWERED = 3, 1, 2
WHICH = {BOOKED: "booked", ANSWERED: "answered"}


def _grouped_sets(key, where: list):
    """PostgreSQL: stage counts and both histograms per group and zone in one pass."""
    (booked, booked_ok), (answered, answered_ok) = (
        (getattr(S, c) for c in columns) for columns in HISTOGRAMS.values()
    )
    stages = [func.count().filter(clause) for clause in COUNTED.values()]
    sets = func.grouping_sets(
        tuple_(key, S.zone),
        tuple_(key, S.zone, booked, booked_ok),
        tuple_(key, S.zone, answered, answered_ok),
    )
    rows = db.session.execute(
        select(func.grouping(booked, answered), key, S.zone, booked, booked_ok, answered)
        .add_columns(answered_ok, func.count(), *stages)
        .where(*where)
        .group_by(sets)
    )
    for which, value, zone, b_days, b_ok, a_days, a_ok, n, *reached in rows:
        days, ok = (b_days, b_ok) if which == BOOKED else (a_days, a_ok)
        yield which, value, zone, days, ok, n, reached


def _grouped_apart(key, where: list):
    """Elsewhere (SQLite has no GROUPING SETS): the same rows from three queries."""
    stages = [func.count().filter(clause) for clause in COUNTED.values()]
    counted = select(key, S.zone, func.count(), *stages).where(*where).group_by(key, S.zone)
    for value, zone, n, *reached in db.session.execute(counted):
        yield STAGES, value, zone, None, None, n, reached
    for which, name in WHICH.items():
        days, in_time = (getattr(S, column) for column in HISTOGRAMS[name])
        rows = db.session.execute(
            select(key, S.zone, days, in_time, func.count())
            .where(*where)
            .group_by(key, S.zone, days, in_time)
        )
        for value, zone, day, ok, n in rows:
            yield which, value, zone, day, ok, n, []


def _tallied(key, where: list, tz: ZoneInfo, tallies: dict[str, Tally]) -> bool:
    """Fold the grouped rows of `tz` into tallies; whether rows of another zone were seen."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    other_zone = False
    for which, value, zone, days, ok, n, reached in (
        _grouped_sets(key, where) if postgres else _grouped_apart(key, where)
    ):
        if zone != tz.key:
            other_zone = True
        elif which == STAGES:
            cells = dict(zip(("sent", *COUNTED), (n, *reached), strict=True))
            tallies[_label(value)].counts.update(cells)
        elif days is not None:
            getattr(tallies[_label(value)], WHICH[which])[(days, bool(ok))] += n
    return other_zone


def _recounted(group_by: str, where: list, tz: ZoneInfo, tallies: dict) -> None:
    """Fold in rows kept in another time zone, worked out again in `tz`."""
    ids = list(db.session.scalars(select(S.referral_id).where(*where, S.zone != tz.key)))
    column = SUMMARY_KEYS[group_by].key
    for row in summaries(db.session.connection(), ids, tz):
        tally = tallies[_label(row[column])]
        screened = row["positive_screen_on"] is not None
        cells = {c: int(row[c]) for c in (*COUNTS[1:], "follow_up_7_days", "follow_up_30_days")}
        tally.counts.update({"sent": 1, "positive_screens": int(screened)} | cells)
        for name, (days, in_time) in HISTOGRAMS.items():
            if row[days] is not None:
                getattr(tally, name)[(row[days], row[in_time])] += 1


def summary_tallies(actor, group_by: str, start: date, end: date, tz: ZoneInfo, visible=None):
    """Tally per group of the referrals sent in the period, with rows of another zone redone."""
    where = sent_between(actor, start, end, tz, visible)
    key = SUMMARY_KEYS[group_by]
    tallies: dict[str, Tally] = defaultdict(Tally)
    if _tallied(key, where, tz, tallies):
        _recounted(group_by, where, tz, tallies)
    return tallies
