"""The per-process match index, kept in step with the database through the change log.

A snapshot is a base segment of the whole directory plus a small delta segment of the
clinicians changed since, with their base rows masked out. Each request looks at the log
first (one indexed query): unchanged, it uses the snapshot; a few clinicians changed, it
re-reads just those into the delta; many changed, or no base yet and a big directory, the
request is answered from SQL (exact, slower) while a thread builds a new base.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from matching.index.build import read_segment
from matching.index.builder import BuildFailed, build_in_child, read_base
from matching.index.feed import KEEP_SECONDS, Position, feed_for, prune, stale
from matching.index.segment import Segment

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """How big a directory is built in the request, and how big a delta may grow."""

    inline_max: int = 20_000  # clinicians: build the base in the request up to this
    delta_max: int = 2_000  # changed clinicians re-read in the request up to this
    merge_at: int = 500  # start a background rebuild once the delta is this big
    prune_every: float = 3600.0  # seconds between trims of the change log
    build_in_child: bool = True  # background builds run in a child process (see builder.py)
    retry_after: float = 30.0  # seconds before trying again after a failed build


@dataclass(frozen=True, eq=False)
class Snapshot:
    """An immutable view: base, delta, and where in the change log they are current to."""

    base: Segment
    position: Position
    delta: Segment | None = None
    changed: frozenset[int] = frozenset()  # clinicians whose base rows are masked out
    alive: np.ndarray | None = None  # base rows still current
    built_at: float = field(default_factory=time.monotonic)

    def parts(self) -> list[tuple[Segment, np.ndarray | None]]:
        """(segment, live-row mask or None) to search."""
        found = [(self.base, self.alive)]
        if self.delta is not None and len(self.delta.clinicians):
            found.append((self.delta, None))
        return found

    def with_delta(self, delta: Segment, changed: frozenset[int], position: Position) -> Snapshot:
        """A snapshot whose delta now covers `changed`."""
        ids = np.fromiter(changed, np.int64, len(changed))
        rows, found = self.base.clinicians.rows_of(ids)
        alive = np.ones(len(self.base.clinicians), dtype=bool)
        alive[rows[found]] = False
        return Snapshot(self.base, position, delta, changed, alive, self.built_at)


class IndexKeeper:
    """Holds the current snapshot for one app in one process."""

    def __init__(self, engine: Engine, settings: Settings | None = None):
        self.engine, self.settings = engine, settings or Settings()
        self.feed = feed_for(engine.dialect.name)
        self.snapshot: Snapshot | None = None
        self.lock = threading.RLock()
        self.builder: threading.Thread | None = None
        self.last_error: str | None = None
        # The first trim a minute after start: a worker may not live an hour (max_requests).
        self._pruned_at = time.monotonic() - self.settings.prune_every + 60.0
        self._failed_at = float("-inf")
        self.looked_at = time.monotonic()  # last time the log was read or found unchanged

    @property
    def state(self) -> str:
        """ready | building | failed | cold (for health checks and logs)."""
        if self.snapshot is not None:
            return "ready"
        if self.builder is not None and self.builder.is_alive():
            return "building"
        return "failed" if self.last_error else "cold"

    def current(self, session_connection: Connection) -> Snapshot | None:
        """A snapshot current for this request, or None: answer from SQL this time."""
        snapshot = self.snapshot
        if snapshot is not None:
            peek = self.feed.peek(session_connection, snapshot.position)
            if peek.local:
                return None  # this transaction's own listing writes: only SQL sees them
            if not peek.changed:
                self.looked_at = time.monotonic()
                return snapshot
        with self.lock:
            snapshot = self._refresh(session_connection)
        if snapshot is not None and self.feed.local(session_connection, snapshot.position):
            return None
        return snapshot

    def _small(self, connection: Connection) -> bool:
        count = connection.execute(text("SELECT count(*) FROM clinician")).scalar()
        return count <= self.settings.inline_max

    def _refresh(self, session_connection: Connection) -> Snapshot | None:
        """Under the lock: a current snapshot, built or caught up here when that is cheap."""
        for _ in range(2):  # a fresh build needs at most one catch-up
            if self.snapshot is None:
                if not self._small(session_connection):
                    self.start_build()
                    return None
                self.snapshot = self._build()
            if self._catch_up():
                return self.snapshot
        return None

    def _catch_up(self) -> bool:
        """Apply what the log says changed; False when only a new base will do."""
        snapshot = self.snapshot
        with self.engine.connect() as connection:
            changes = self.feed.read(connection, snapshot.position, stale(self.looked_at))
            self.looked_at = time.monotonic()
            if not changes.clinicians and not changes.everything:
                self.snapshot = replace(snapshot, position=changes.position)
                return True
            changed = snapshot.changed | changes.clinicians
            if changes.everything or len(changed) > self.settings.delta_max:
                self.snapshot = None
                return False
            delta = read_segment(connection, sorted(changed))
        self.snapshot = snapshot.with_delta(delta, changed, changes.position)
        if len(changed) >= self.settings.merge_at:
            self.start_build()
        self._prune_later()
        return True

    def _build(self, in_child: bool = False) -> Snapshot:
        started, looked = time.perf_counter(), time.monotonic()
        position, base = build_in_child(self.engine) if in_child else read_base(self.engine)
        self.looked_at = looked
        log.info(
            "match index: %d clinicians, %d places, %.1f MB, built in %.1f s%s",
            len(base.clinicians),
            len(base.places.link_clinician),
            base.nbytes / 1e6,
            time.perf_counter() - started,
            " by a child process" if in_child else "",
        )
        return Snapshot(base, position)

    def start_build(self) -> None:
        """Build a new base in a background thread (one at a time, not right after a failure)."""
        with self.lock:
            if self.builder is not None and self.builder.is_alive():
                return
            if time.monotonic() - self._failed_at < self.settings.retry_after:
                return  # SQL keeps answering; do not spawn a failing build per search
            self.builder = threading.Thread(
                target=self._build_in_background, name="match-index-build", daemon=True
            )
            self.builder.start()

    def _build_in_background(self) -> None:
        try:
            try:
                built = self._build(in_child=self.settings.build_in_child)
            except BuildFailed as err:  # no interpreter to spawn, say: build here instead
                log.warning("%s; building in this process", err)
                built = self._build()
        except Exception as err:  # the SQL path keeps answering; record why the index did not
            self.last_error = f"{type(err).__name__}: {err}"
            self._failed_at = time.monotonic()
            log.exception("match index build failed")
            return
        with self.lock:
            # Older than the snapshot it replaces, perhaps: the next request catches it up.
            self.snapshot = built
            self.last_error = None
        self._prune_later()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a background build finishes; True when a snapshot is ready."""
        builder = self.builder
        if builder is not None:
            builder.join(timeout)
        return self.snapshot is not None

    def _prune_later(self) -> None:
        """At most hourly, trim the change log in a thread (a write; never in the request)."""
        if time.monotonic() - self._pruned_at >= self.settings.prune_every:
            self._pruned_at = time.monotonic()
            threading.Thread(target=self.prune, kwargs={"force": True}, daemon=True).start()

    def prune(self, force: bool = False) -> int:
        """Delete change-log rows older than any reader can need (at most hourly)."""
        now = time.monotonic()
        if not force and now - self._pruned_at < self.settings.prune_every:
            return 0
        self._pruned_at = now
        cutoff = datetime.now(UTC) - timedelta(seconds=KEEP_SECONDS)
        try:
            removed = prune(self.engine, cutoff)
        except OperationalError as err:  # busy: the next trim takes what this one left
            log.warning("listing change log not pruned: %s", type(err).__name__)
            return 0
        except Exception:  # a thread of its own: never let it take the worker down
            log.exception("listing change log not pruned")
            return 0
        if removed:
            log.info("listing change log: %d rows older than %s pruned", removed, cutoff)
        return removed
