"""The funnel's tallies: whole months from the rollup where it is exact, the rest per row."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select, true

from directory.extensions import db
from referrals.funnel_tally import Tally
from referrals.listing import plan_member_filter
from referrals.report_scope import rollup_scope
from referrals.rollup import DIMENSIONS, VALUES
from referrals.summary_models import ReferralRollup as R
from referrals.use_cases.funnel_summary import summary_tallies

# A "stages" cell's counts, named as Tally.counts names them.
CELLS = ("sent", *VALUES[1:])


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first whole month in [start, end] and the month after the last, or None if none."""
    first = start if start.day == 1 else _next_month(start)
    after = (end + timedelta(days=1)).replace(day=1)
    return (first, after) if first < after else None


def _edges(start: date, end: date, months: tuple[date, date]) -> list[tuple[date, date]]:
    """The days of [start, end] outside the whole months."""
    first, after = months
    edges = [(start, first - timedelta(days=1))] if start < first else []
    return edges + ([(after, end)] if after <= end else [])


def _other_zone(dimension: str, months: tuple[date, date], tz: ZoneInfo) -> bool:
    """Whether cells kept in another zone lie near the months (theirs are other months)."""
    first, after = months
    found = select(R.zone).where(
        # Two ranges rather than !=, so the primary key (zone first) finds none fast.
        (R.zone < tz.key) | (R.zone > tz.key),
        R.dimension == dimension,
        R.month >= _previous_month(first),
        R.month <= after,
        R.n > 0,
    )
    return db.session.execute(found.limit(1)).first() is not None


def _rolled_up(dimension: str, months: tuple, tz: ZoneInfo, plans, tallies: dict) -> None:
    """Fold the rollup's cells of the months (of `plans`' members, else all) into tallies."""
    first, after = months
    query = (
        select(R.measure, R.group_key, R.days, R.in_time)
        .add_columns(*(func.sum(getattr(R, name)) for name in VALUES))
        .where(R.zone == tz.key, R.dimension == dimension, R.month >= first, R.month < after)
        .group_by(R.measure, R.group_key, R.days, R.in_time)
    )
    if plans is None:
        query = query.where(R.all_plans.is_(True))
    else:
        query = query.where(R.all_plans.is_(False), R.plan_id.in_(plans), R.plan_member.is_(True))
    for measure, key, days, in_time, n, *reached in db.session.execute(query):
        if not n:
            continue  # a cell counted down to nothing: no referral of that group
        if measure == "stages":
            tallies[key].counts.update(dict(zip(CELLS, (n, *reached), strict=True)))
        else:
            getattr(tallies[key], measure)[(days, bool(in_time))] += n


def _fold(tallies: dict, more: dict) -> None:
    for key, tally in more.items():
        tallies[key].add(tally)


def funnel_tallies(actor, group_by: str, start: date, end: date, tz: ZoneInfo) -> dict:
    """Tally per group of the referrals sent in the period, visible to `actor`."""
    scope = rollup_scope(actor) if current_app.config.get("FUNNEL_ROLLUP", True) else None
    months = whole_months(start, end)
    if (
        scope is None
        or group_by not in DIMENSIONS
        or months is None
        or _other_zone(group_by, months, tz)
    ):
        # Practice scoping, clinician keys, no whole month, or months counted in another zone:
        # the rollup cannot answer exactly, the summary rows can.
        return summary_tallies(actor, group_by, start, end, tz)
    tallies: dict[str, Tally] = defaultdict(Tally)
    _rolled_up(group_by, months, tz, scope.plans, tallies)
    counted = true() if scope.plans is None else plan_member_filter(scope.plans)
    for low, high in _edges(start, end, months):
        _fold(tallies, summary_tallies(actor, group_by, low, high, tz, counted))
    if scope.apart is not None:
        _fold(tallies, summary_tallies(actor, group_by, start, end, tz, scope.apart))
    return tallies
