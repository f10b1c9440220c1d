"""A plan's provider arrays kept between reports, brought up to date from the listing change log.

Nothing moved: the kept places (and the rows computed from them) serve as they are. A few
clinicians changed: only theirs are re-read and replace their rows. The log pruned past the
kept position, a change to every listing, or a large change set: everything is read again.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.engine import Connection, Engine

from adequacy.compute import Providers
from matching.index.feed import Position, feed_for, stale

KEPT = 4  # (networks, state) pairs per engine: a million places, with unit vectors, ~60 MB
# Changed clinicians re-read by id up to this many; beyond, one full read is cheaper.
DELTA_MAX = 20_000
NOTHING_MOVED = np.empty((0, 3))


@dataclass(frozen=True)
class Places:
    """What the report reads for one plan and state: placed providers and telehealth types."""

    providers: dict[str, Providers]
    remote: dict[int, str]  # clinicians who count for telehealth credit, and their HSD type
    # compute.TypeRows from these places, by (type, telehealth credit): see compute.assess.
    rows: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def telehealth(self) -> set[str]:
        """HSD types with a clinician who counts for telehealth credit."""
        return set(self.remote.values())

    def replaced(self, clinicians: np.ndarray, fresh: Places) -> Places:
        """These places with the `clinicians`' own replaced by `fresh` (theirs re-read)."""
        providers, moved = {}, {}
        for kind in self.providers.keys() | fresh.providers.keys():
            old, new = self.providers.get(kind), fresh.providers.get(kind)
            if old is None:
                merged, moved[kind] = new, new.points.xyz
            else:
                merged, moved[kind] = old.replaced(clinicians, new)
            if len(merged.points.tag):
                providers[kind] = merged
        gone = set(clinicians.tolist())
        remote = {c: t for c, t in self.remote.items() if c not in gone} | fresh.remote
        # Each type's rows go on with the places moved since (counties near them are redone).
        rows = {}
        # A copy first: a report on these places may be adding rows in another thread.
        for key, found in dict(self.rows).items():
            later = found.after(moved.get(key[0], NOTHING_MOVED))
            if later is not None:
                rows[key] = later
        return Places(providers, remote, rows)


@dataclass
class _Kept:
    position: Position  # the log's position read before the places were
    places: Places
    looked_at: float = field(default_factory=time.monotonic)  # last read of the log


# Per engine (one per app): a test's fresh database restarts the log's numbering, and a new
# engine with it. Weak keys, so a disposed app's arrays go with it.
_KEPT: weakref.WeakKeyDictionary[Engine, dict] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()

Read = Callable[..., Places]  # read(connection, clinicians=None): every clinician's or theirs


def _kept(engine: Engine) -> dict:
    with _LOCK:
        return _KEPT.setdefault(engine, {})


def _caught_up(feed, connection: Connection, found: _Kept, read: Read) -> _Kept | None:
    """`found` brought up to the log's end by re-reading the changed clinicians, or None."""
    changes = feed.read(connection, found.position, stale(found.looked_at))
    if changes.everything or len(changes.clinicians) > DELTA_MAX:
        return None
    if not changes.clinicians:
        return _Kept(changes.position, found.places)
    ids = np.array(sorted(changes.clinicians), dtype=np.int64)
    return _Kept(changes.position, found.places.replaced(ids, read(connection, ids)))


def current(engine: Engine, session_connection: Connection, key: tuple, read: Read) -> Places:
    """The places for `key`: kept ones while no listing changed, else brought up to date."""
    feed = feed_for(session_connection.dialect.name)
    kept = _kept(engine)
    found = kept.get(key)
    if found is not None:
        peek = feed.peek(session_connection, found.position)
        if not peek.changed and not peek.local:
            found.looked_at = time.monotonic()
            return found.places
    # Committed rows on a connection of our own, the log read first: a write landing between
    # the log and the places shows as a change next time, never as a stale copy.
    with engine.connect() as connection:
        fresh = None if found is None else _caught_up(feed, connection, found, read)
        if fresh is None:
            position = feed.start(connection)
            fresh = _Kept(position, read(connection))
    with _LOCK:
        kept.pop(key, None)
        while len(kept) >= KEPT:
            kept.pop(next(iter(kept)))
        kept[key] = fresh
    if feed.local(session_connection, fresh.position):
        return read(session_connection)  # this transaction's own listing writes: only it sees them
    return fresh.places
