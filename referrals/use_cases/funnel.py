"""The referral funnel report for a period, grouped one way, limited to what the caller may see."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from audit.log import record
from directory.extensions import db
from referrals.funnel import (
    COUNTS,
    GROUP_COLUMNS,
    STAGE_EVENTS,
    funnel_row,
    referral_path,
    suppress,
)
from referrals.listing import visible_filter
from referrals.models import Referral, ReferralEvent

UNKNOWN = "unknown"


def _sent_in(start: date, end: date, tz: ZoneInfo):
    """Ids of referrals first sent between local dates `start` and `end`, both included."""
    # In UTC, as stored: SQLite compares the text, and would drop a local offset.
    low = datetime.combine(start, time(), tz).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(), tz).astimezone(UTC)
    return (
        select(ReferralEvent.referral_id)
        .where(ReferralEvent.type == "send")
        .group_by(ReferralEvent.referral_id)
        .having(func.min(ReferralEvent.at) >= low, func.min(ReferralEvent.at) < high)
    )


def _counts(actor, key, sent) -> dict[str, dict[str, int]]:
    """Referrals reaching each stage per group, counted by the database."""
    rows = db.session.execute(
        select(key, ReferralEvent.type, func.count(func.distinct(ReferralEvent.referral_id)))
        .join(Referral, Referral.id == ReferralEvent.referral_id)
        .where(visible_filter(actor), Referral.id.in_(sent))
        .where(ReferralEvent.type.in_(STAGE_EVENTS.values()))
        .group_by(key, ReferralEvent.type)
    )
    by_event = {event: stage for stage, event in STAGE_EVENTS.items()}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for value, event, n in rows:
        counts[UNKNOWN if value is None else str(value)][by_event[event]] = n
    return counts


def _timing_paths(actor, key, sent) -> dict[str, list]:
    """Each referral's path per group, from its send and schedule events."""
    rows = db.session.execute(
        select(key, ReferralEvent)
        .join(Referral, Referral.id == ReferralEvent.referral_id)
        .where(visible_filter(actor), Referral.id.in_(sent))
        .where(ReferralEvent.type.in_(("send", "schedule")))
    )
    events: dict[tuple[str, int], list] = defaultdict(list)
    for value, event in rows:
        events[(UNKNOWN if value is None else str(value), event.referral_id)].append(event)
    paths: dict[str, list] = defaultdict(list)
    for (group, _), found in events.items():
        paths[group].append(referral_path(found))
    return paths


def funnel_figures(actor, group_by: str, start: date, end: date, tz: ZoneInfo):
    """Funnel rows per group and in total, before any cell is withheld."""
    key = getattr(Referral, GROUP_COLUMNS[group_by])
    sent = _sent_in(start, end, tz)
    counts = _counts(actor, key, sent)
    paths = _timing_paths(actor, key, sent)
    groups = []
    for group in sorted(counts):
        row = funnel_row(paths.get(group, []), tz) | counts[group]
        groups.append({"key": group, **row})
    everyone = [path for found in paths.values() for path in found]
    total = funnel_row(everyone, tz)
    total.update({c: sum(counts[g][c] for g in counts) for c in COUNTS})
    return groups, total


def funnel_report(actor, group_by: str, start: date, end: date, tz: ZoneInfo) -> dict:
    """Funnel rows per group and in total, small cells withheld; the access is audited."""
    groups, total = funnel_figures(actor, group_by, start, end, tz)
    withheld = suppress(groups, total)
    record(actor, "read", "referral_funnel", f"{group_by}:{start}:{end}")
    db.session.commit()
    return {"groups": groups, "total": total, "suppressed": withheld}
