"""Reading the registry and its follow-up counts: visibility from the reader, every read audited."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from audit.log import record, record_reads
from directory.extensions import db
from directory.models.verification import as_utc
from referrals.errors import Denied
from referrals.use_cases import read_episode, zone
from registry.measures import (
    FOLLOW_UP_DAYS,
    INSTRUMENTS,
    Score,
    flags,
    follow_up_status,
    weeks_in_treatment,
)
from registry.models import RegistryEntry
from registry.queries import page_ids, page_where, readable_by
from registry.schemas import RegistryQuery

FOLLOW_UP_STATUSES = ("met", "missed", "open")
READER_ROLES = frozenset({"pcp", "plan_staff", "admin", "partner"})


@dataclass(frozen=True)
class Row:
    """One episode on the registry page with what the registry says about it today."""

    entry: RegistryEntry
    change: int
    weeks: int
    flags: tuple[str, ...]
    follow_up: str | None
    follow_up_by: date | None  # the last day a visit counts as follow-up


@dataclass(frozen=True)
class RegistryPage:
    """One page of the reader's registry."""

    rows: list[Row]
    total: int
    query: RegistryQuery
    today: date


def _row(entry: RegistryEntry, today: date) -> Row:
    return Row(
        entry,
        entry.latest_score - entry.baseline_score,
        weeks_in_treatment(entry.treatment_start, today),
        flags(entry, today),
        follow_up_status(entry, today),
        entry.positive_on + timedelta(days=FOLLOW_UP_DAYS) if entry.positive_on else None,
    )


def _may_read(actor) -> None:
    if actor is None or actor.role not in READER_ROLES:
        record(actor, "read", "registry", None, outcome="denied")
        db.session.commit()
        raise Denied("the registry is for practices and plan care managers", code="registry_role")


def read_registry(actor, query: RegistryQuery, today: date) -> RegistryPage:
    """One page of the episodes the reader may see, each audited as read; commits."""
    _may_read(actor)
    where = page_where(actor, query.instrument, query.flag, today)
    total = db.session.scalar(select(func.count(RegistryEntry.id)).where(*where))
    ids = db.session.scalars(page_ids(where, query.sort, query.limit, query.offset)).all()
    # The ids first (index-only), then only this page's rows with their episodes.
    loaded = db.session.scalars(
        select(RegistryEntry)
        .join(RegistryEntry.episode)
        .options(contains_eager(RegistryEntry.episode))
        .where(RegistryEntry.id.in_(ids))
    ).all()
    by_id = {entry.id: entry for entry in loaded}
    entries = [by_id[entry_id] for entry_id in ids]
    record_reads(actor, "episode", [entry.episode_id for entry in entries])
    if not entries:
        record(actor, "read", "registry", None)
    rows = [_row(entry, today) for entry in entries]
    # Detached before the commit, the rows keep their loaded values: the page renders without
    # reloading each row and its episode (the commit would expire them).
    for entry in entries:
        db.session.expunge(entry.episode)
        db.session.expunge(entry)
    db.session.commit()
    return RegistryPage(rows, total, query, today)


def follow_up_counts(actor, today: date) -> dict[str, dict[str, int]]:
    """Episodes with a positive screen, per instrument, by follow-up status; audited."""
    _may_read(actor)
    rows = db.session.execute(
        select(
            RegistryEntry.instrument, RegistryEntry.positive_on, RegistryEntry.followed_up_on
        ).where(readable_by(actor), RegistryEntry.positive_on.is_not(None))
    ).all()
    counts = Counter((row.instrument, follow_up_status(row, today)) for row in rows)
    record(actor, "read", "registry", None)
    db.session.commit()
    return {
        instrument: {status: counts[(instrument, status)] for status in FOLLOW_UP_STATUSES}
        for instrument in INSTRUMENTS
    }


def scores_by_instrument(screenings) -> dict[str, list[Score]]:
    """Registry instruments' scores from an episode record's (result, scored) pairs, in order."""
    found: dict[str, list[Score]] = {}
    for result, scored in screenings:
        if result.instrument in INSTRUMENTS:
            on = as_utc(result.created_at).astimezone(zone()).date()
            point = Score(on, scored.score, bool(scored.positive), scored.severity)
            found.setdefault(result.instrument, []).append(point)
    return found


def trajectories(actor, episode_id: int) -> dict[str, list[Score]]:
    """The episode's registry scores by instrument, oldest first, as read_episode discloses them."""
    return scores_by_instrument(read_episode(actor, episode_id).screenings)
