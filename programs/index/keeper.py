"""The per-process program index, rebuilt when the program change stamp moves.

Each search reads the stamp (one primary-key read on its own connection). The same stamp as
the index's: the index answers. A different one: this search is answered from SQL (exact,
slower; it also sees the transaction's own writes) and a new index is built, inside the
search when the programs are few, else in a thread while SQL keeps answering. Programs change
in loads, rarely, so a whole rebuild is simpler than the clinician index's deltas.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, current_app
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from directory.extensions import db
from programs.changes import read_stamp
from programs.index.columns import ProgramIndex, read_index

log = logging.getLogger(__name__)
EXTENSION = "program_index"
RETRY_AFTER = 30.0  # seconds before another build after a failed one


class ProgramIndexKeeper:
    """Holds the current index for one app in one process."""

    def __init__(self, engine: Engine, inline_max: int):
        self.engine, self.inline_max = engine, inline_max
        self.snapshot: ProgramIndex | None = None
        self.lock = threading.RLock()
        self.builder: threading.Thread | None = None
        self.last_error: str | None = None
        self._failed_at = float("-inf")

    @property
    def state(self) -> str:
        """ready | building | failed | cold."""
        if self.snapshot is not None:
            return "ready"
        if self.builder is not None and self.builder.is_alive():
            return "building"
        return "failed" if self.last_error else "cold"

    def current(self, session_connection: Connection) -> ProgramIndex | None:
        """The index when it is current for this request, else None: answer from SQL."""
        stamp = read_stamp(session_connection)
        snapshot = self.snapshot
        if snapshot is not None and snapshot.stamp == stamp:
            return snapshot
        with self.lock:
            snapshot = self.snapshot
            if snapshot is not None and snapshot.stamp == stamp:
                return snapshot  # another request has just rebuilt it
            if snapshot is not None and snapshot.stamp == self._committed_stamp():
                return None  # only this transaction's own writes differ: SQL sees them
            if self._small():
                self.snapshot = self._build()
                return self.snapshot if self.snapshot.stamp == stamp else None
        self.start_build()
        return None

    def _committed_stamp(self) -> int | None:
        with self.engine.connect() as connection:
            return read_stamp(connection)

    def _small(self) -> bool:
        with self.engine.connect() as connection:
            sites = connection.execute(text("SELECT count(*) FROM program_site")).scalar()
        return sites <= self.inline_max

    def _build(self) -> ProgramIndex:
        started = time.perf_counter()
        with self.engine.connect() as connection:
            built = read_index(connection)
        log.info(
            "program index: %d sites, %.1f MB, built in %.2f s",
            len(built),
            built.nbytes / 1e6,
            time.perf_counter() - started,
        )
        return built

    def start_build(self) -> None:
        """Build a new index in a background thread (one at a time)."""
        with self.lock:
            if self.builder is not None and self.builder.is_alive():
                return
            if time.monotonic() - self._failed_at < RETRY_AFTER:
                return  # SQL keeps answering; do not start a failing build per search
            self.builder = threading.Thread(
                target=self._build_in_background, name="program-index-build", daemon=True
            )
            self.builder.start()

    def _build_in_background(self) -> None:
        try:
            built = self._build()
        except Exception as err:  # SQL keeps answering; record why the index did not build
            self.last_error = f"{type(err).__name__}: {err}"
            self._failed_at = time.monotonic()
            log.exception("program index build failed")
            return
        with self.lock:
            self.snapshot, self.last_error = built, None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a background build finishes; True when an index is ready."""
        builder = self.builder
        if builder is not None:
            builder.join(timeout)
        return self.snapshot is not None


class ProgramIndexes:
    """One keeper per app (PROGRAM_INDEX=memory), or none (off: every search is SQL)."""

    def keeper(self, app: Flask | None = None) -> ProgramIndexKeeper | None:
        """The app's keeper, made on first use."""
        app = app or current_app._get_current_object()
        if app.config.get("PROGRAM_INDEX", "memory") != "memory":
            return None
        found = app.extensions.get(EXTENSION)
        if found is not None:
            return found
        with app.app_context():
            found = app.extensions.get(EXTENSION)
            if found is None:
                inline_max = app.config.get("PROGRAM_INDEX_INLINE_MAX", 20_000)
                found = app.extensions[EXTENSION] = ProgramIndexKeeper(db.engine, inline_max)
        return found

    def current(self) -> ProgramIndex | None:
        """The index current for this request's session, or None (answer from SQL)."""
        keeper = self.keeper()
        if keeper is None:
            return None
        return keeper.current(db.session.connection())

    def state(self) -> str:
        """ready | building | failed | cold | off (for /healthz)."""
        keeper = self.keeper()
        return "off" if keeper is None else keeper.state

    def warm(self, app: Flask) -> None:
        """Start building now (a worker that just started), not in the first search."""
        keeper = self.keeper(app)
        if keeper is not None and keeper.snapshot is None:
            keeper.start_build()


program_index = ProgramIndexes()
