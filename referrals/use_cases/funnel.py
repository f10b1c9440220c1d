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
    follow_up_row,
    funnel_row,
    referral_path,
    suppress,
)
from referrals.listing import visible_filter
from referrals.models import Referral, ReferralEvent
from referrals.use_cases.funnel_keys import derived_keys, follow_up_cases

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
        .where(ReferralEvent.type.in_(("send", "acknowledge", "schedule")))
    )
    events: dict[tuple[str, int], list] = defaultdict(list)
    for value, event in rows:
        events[(UNKNOWN if value is None else str(value), event.referral_id)].append(event)
    paths: dict[str, list] = defaultdict(list)
    for (group, _), found in events.items():
        paths[group].append(referral_path(found))
    return paths


def _regroup(found: dict[str, list], relabel: dict[str, str]) -> dict[str, list]:
    """Per-referral lists (keyed by referral id) gathered under each referral's group."""
    grouped: dict[str, list] = defaultdict(list)
    for referral_id, items in found.items():
        grouped[relabel.get(referral_id, UNKNOWN)] += items
    return grouped


def _regroup_counts(counts: dict[str, dict[str, int]], relabel: dict[str, str]) -> dict:
    grouped: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for referral_id, cells in counts.items():
        row = grouped[relabel.get(referral_id, UNKNOWN)]
        for column, n in cells.items():
            row[column] += n
    return grouped


def _gathered(actor, group_by: str, sent, tz: ZoneInfo):
    """Stage counts, timing paths and follow-up cases per group."""
    if group_by in GROUP_COLUMNS:
        key = getattr(Referral, GROUP_COLUMNS[group_by])
        return (
            _counts(actor, key, sent),
            _timing_paths(actor, key, sent),
            follow_up_cases(actor, key, sent, tz),
        )
    # Worked out per referral in Python (a band, a category set, a ZIP's county), then gathered.
    relabel = derived_keys(group_by, actor, sent, tz)
    return (
        _regroup_counts(_counts(actor, Referral.id, sent), relabel),
        _regroup(_timing_paths(actor, Referral.id, sent), relabel),
        _regroup(follow_up_cases(actor, Referral.id, sent, tz), relabel),
    )


def funnel_figures(actor, group_by: str, start: date, end: date, tz: ZoneInfo):
    """Funnel rows per group and in total, before any cell is withheld."""
    counts, paths, cases = _gathered(actor, group_by, _sent_in(start, end, tz), tz)
    groups = []
    for group in sorted(counts):
        row = funnel_row(paths.get(group, []), tz) | counts[group]
        groups.append({"key": group, **row, **follow_up_row(cases.get(group, []))})
    total = funnel_row([path for found in paths.values() for path in found], tz)
    total.update({c: sum(counts[g][c] for g in counts) for c in COUNTS})
    total.update(follow_up_row([case for found in cases.values() for case in found]))
    return groups, total


def funnel_report(actor, group_by: str, start: date, end: date, tz: ZoneInfo) -> dict:
    """Funnel rows per group and in total, small cells withheld; the access is audited."""
    groups, total = funnel_figures(actor, group_by, start, end, tz)
    withheld = suppress(groups, total)
    record(actor, "read", "referral_funnel", f"{group_by}:{start}:{end}")
    db.session.commit()
    return {"groups": groups, "total": total, "suppressed": withheld}
