"""Reading the listing change log (directory.models.changes) from where a reader left off.

SQLite has one writer at a time, so sequence numbers are in commit order and "everything after
the last one read" is exact. PostgreSQL hands out sequence numbers before commit, so a late
commit can land below one already read; there the reader keeps the snapshot's xmin (no
transaction older than it is still running) and re-reads every row from transactions at or
after it, skipping the ones it has seen.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

# Rows are pruned once this old; a reader that has not looked for half as long starts over.
KEEP_SECONDS = 24 * 3600
STALE_READER_SECONDS = KEEP_SECONDS / 2


@dataclass(frozen=True)
class Position:
    """Where a reader is in the log."""

    seq: int = 0  # SQLite: the last sequence number read
    horizon: int | None = None  # PostgreSQL: snapshot xmin at the last read
    seen: frozenset[int] = frozenset()  # PostgreSQL: seqs read from transactions >= horizon


@dataclass(frozen=True)
class Changes:
    """What changed since a position: some clinicians, or possibly every listing."""

    clinicians: frozenset[int]
    everything: bool
    position: Position


@dataclass(frozen=True)
class Peek:
    """A cheap look from the request's own connection."""

    changed: bool
    local: bool  # the connection's open transaction has listing writes of its own


class SqliteFeed:
    """Sequence numbers are commit-ordered: read what is above the last one."""

    def start(self, connection: Connection) -> Position:
        """The position of a reader about to read the whole directory."""
        found = connection.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = 'listing_change'")
        ).scalar()
        return Position(seq=found or 0)

    def _top(self, connection: Connection) -> int:
        # A driver call: this runs on every search, and SQLAlchemy's compile step costs more.
        return connection.exec_driver_sql("SELECT max(seq) FROM listing_change").scalar() or 0

    def peek(self, connection: Connection, position: Position) -> Peek:
        """Changed when the newest row is not the one last read."""
        top = self._top(connection)
        return Peek(changed=top != position.seq, local=False)

    def local(self, session_connection: Connection, committed: Position) -> bool:
        """True when the session sees rows that committed readers do not (its own writes)."""
        return self._top(session_connection) > committed.seq

    def read(self, connection: Connection, position: Position, lost: bool = False) -> Changes:
        """Rows after `position` (committed ones, on a connection of the reader's own)."""
        rows = connection.execute(
            text("SELECT seq, clinician_id FROM listing_change WHERE seq > :seq ORDER BY seq"),
            {"seq": position.seq},
        ).all()
        top = rows[-1][0] if rows else self._top(connection)
        gap = bool(rows) and position.seq > 0 and rows[0][0] > position.seq + 1
        everything = gap or top < position.seq or any(r[1] is None for r in rows)
        everything = everything or lost
        ids = frozenset(r[1] for r in rows if r[1] is not None)
        return Changes(ids, everything, Position(seq=max(top, position.seq)))


_PG_WINDOW = text(
    "WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin) "
    "SELECT s.xmin, c.seq, c.clinician_id, c.txid FROM s "
    "LEFT JOIN listing_change c ON c.txid >= :horizon"
)
_PG_PEEK = text(
    "SELECT seq, txid = pg_current_xact_id_if_assigned()::text::bigint "
    "FROM listing_change WHERE txid >= :horizon"
)


class PostgresFeed:
    """Sequence numbers are not commit-ordered: re-read from the oldest running transaction."""

    def start(self, connection: Connection) -> Position:
        """The position of a reader about to read the whole directory."""
        return self._advance(connection, Position(horizon=0), full=True).position

    def peek(self, connection: Connection, position: Position) -> Peek:
        """Changed when a row from a recent transaction has not been read yet."""
        rows = connection.execute(_PG_PEEK, {"horizon": position.horizon}).all()
        return Peek(
            changed=any(seq not in position.seen for seq, _ in rows),
            local=any(bool(mine) for _, mine in rows),
        )

    def local(self, session_connection: Connection, committed: Position) -> bool:
        """True when the session's open transaction wrote listing rows."""
        return self.peek(session_connection, committed).local

    def read(self, connection: Connection, position: Position, lost: bool = False) -> Changes:
        """Rows not read yet, and the new horizon."""
        return self._advance(connection, position, full=False, lost=lost)

    def _advance(self, connection, position: Position, full: bool, lost: bool = False) -> Changes:
        horizon = position.horizon or 0
        if full:  # only the rows at or after the current xmin matter from now on
            horizon = connection.execute(
                text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            ).scalar()
        rows = connection.execute(_PG_WINDOW, {"horizon": horizon}).all()
        xmin = rows[0][0]
        fresh = [r for r in rows if r[1] is not None and r[1] not in position.seen]
        ids = frozenset(r[2] for r in fresh if r[2] is not None)
        everything = not full and (lost or any(r[2] is None for r in fresh))
        seen = frozenset(r[1] for r in rows if r[1] is not None and r[3] >= xmin)
        return Changes(ids, everything, Position(horizon=xmin, seen=seen))


def stale(looked_at: float) -> bool:
    """True when a reader last looked so long ago that rows it needs may be pruned."""
    return time.monotonic() - looked_at > STALE_READER_SECONDS


def feed_for(dialect: str):
    """The feed reader for a database dialect."""
    if dialect == "sqlite":
        return SqliteFeed()
    if dialect == "postgresql":
        return PostgresFeed()
    raise NotImplementedError(f"listing change feed on {dialect}")


_FIRST_KEPT = text(
    "SELECT coalesce((SELECT min(seq) FROM listing_change WHERE changed_at >= :cutoff), "
    "(SELECT max(seq) FROM listing_change))"
)
PRUNE_BATCH = 50_000  # rows a transaction: a big delete would hold SQLite's write lock long


def prune(engine: Engine, cutoff: datetime) -> int:
    """Delete rows logged before `cutoff` in short transactions, always keeping the newest."""
    with engine.connect() as connection:
        first = connection.execute(_FIRST_KEPT, {"cutoff": cutoff}).scalar()
        low = connection.execute(text("SELECT min(seq) FROM listing_change")).scalar()
    removed = 0
    while first is not None and low is not None and low < first:
        high = min(low + PRUNE_BATCH, first)
        with engine.begin() as connection:
            result = connection.execute(
                text("DELETE FROM listing_change WHERE seq >= :low AND seq < :high"),
                {"low": low, "high": high},
            )
        removed += result.rowcount or 0
        low = high
    return removed
