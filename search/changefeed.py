"""Follow the listing change log into the search outbox, so every write reaches Elasticsearch.

Triggers (directory.models.changes) log each write to a listing, including the Core bulk
statements and loaders that the ORM outbox listener (search.outbox) never sees. The sync
worker reads the log from a stored position and queues each changed clinician that is not
already waiting, in one transaction with the new position: a crash re-reads, never skips.
When rows it needed were pruned, or a TRUNCATE emptied the listings, it queues everyone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, literal, select

from directory.extensions import db
from directory.models import Clinician
from directory.models.verification import utcnow
from matching.index.feed import STALE_READER_SECONDS, Position, feed_for
from search.models import SearchFeedPosition, SearchOutbox

log = logging.getLogger(__name__)
_CHUNK = 5000  # ids per IN list: under SQLite's bound-parameter limit
_ROW = 1  # the single position row


@dataclass(frozen=True)
class Followed:
    """What one look at the log did."""

    changed: int  # clinicians the log names (every clinician when `everything`)
    queued: int  # outbox rows written for them
    everything: bool


def current_position() -> Position:
    """Where the log is now, read in the session's transaction (before a full rebuild)."""
    connection = db.session.connection()
    return feed_for(connection.dialect.name).start(connection)


def store_position(position: Position, now: datetime | None = None) -> None:
    """Remember `position` as read (the caller commits)."""
    row = db.session.get(SearchFeedPosition, _ROW) or SearchFeedPosition(id=_ROW)
    row.seq = position.seq
    row.horizon = position.horizon
    row.seen = sorted(position.seen)
    row.read_at = now or utcnow()
    db.session.add(row)


def _stored(row: SearchFeedPosition) -> Position:
    return Position(seq=row.seq or 0, horizon=row.horizon, seen=frozenset(row.seen or ()))


def follow_changes(now: datetime | None = None) -> Followed:
    """Queue the clinicians changed since the stored position, then store the new one."""
    now = now or utcnow()
    connection = db.session.connection()
    feed = feed_for(connection.dialect.name)
    row = db.session.get(SearchFeedPosition, _ROW)
    if row is None:
        # No rebuild recorded where it began: earlier changes are unknown from here on.
        log.warning("search sync: no change-log position; starting now (run `search check`)")
        store_position(feed.start(connection), now)
        db.session.commit()
        return Followed(0, 0, False)
    lost = (now - _aware(row.read_at)).total_seconds() > STALE_READER_SECONDS
    changes = feed.read(connection, _stored(row), lost=lost)
    if changes.everything:
        everyone = _queue_everyone(now)
        followed = Followed(everyone, everyone, True)
    else:
        ids = sorted(changes.clinicians)
        followed = Followed(len(ids), _queue_waiting(ids, now), False)
    store_position(changes.position, now)
    db.session.commit()
    return followed


def _aware(moment: datetime) -> datetime:
    # SQLite hands timezone-aware columns back naive (in UTC).
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _queue_waiting(ids: list[int], now: datetime) -> int:
    """Queue each clinician unless a due row already waits for it."""
    queued = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        # A leased row (available_at in the future) may hold documents read before this
        # change, so only a due row makes a new one unnecessary.
        waiting = set(
            db.session.scalars(
                select(SearchOutbox.clinician_id).where(
                    SearchOutbox.clinician_id.in_(chunk), SearchOutbox.available_at <= now
                )
            )
        )
        rows = [
            {"clinician_id": cid, "changed_at": now, "available_at": now, "attempts": 0}
            for cid in chunk
            if cid not in waiting
        ]
        if rows:
            db.session.execute(insert(SearchOutbox), rows)
        queued += len(rows)
    return queued


def _queue_everyone(now: datetime) -> int:
    """Queue every clinician in one statement (the log cannot say who changed)."""
    everyone = select(Clinician.id, literal(now), literal(now), literal(0))
    columns = ["clinician_id", "changed_at", "available_at", "attempts"]
    result = db.session.execute(insert(SearchOutbox).from_select(columns, everyone))
    return result.rowcount or 0
