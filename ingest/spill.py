"""Rows grouped by a key without holding them: written to a temporary SQLite file, read sorted.

Files that list one clinician on many rows rarely keep those rows together (the CMS Doctors &
Clinicians file, rosters sorted by location). Each kept row goes to disk as (key, line, payload);
reading back ORDER BY key, line yields every key's rows together, in file order, whatever the
file's order. Memory stays flat: SQLite sorts on disk past its page cache.
"""

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path

_WRITE_EVERY = 10_000  # rows buffered per executemany
_CACHE_KIB = 16 * 1024  # SQLite page cache for the sort; past it, sorted runs go to disk


class Spill:
    """A temporary table of (key, line, payload) rows; use as a context manager."""

    def __init__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="ingest-spill-")
        path = Path(self._dir.name) / "rows.sqlite3"
        self._db = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "temp_store = FILE"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        self._db.execute("CREATE TABLE row (key INTEGER, line INTEGER, payload TEXT)")
        self._pending: list[tuple[int, int, str]] = []
        self.count = 0

    def add(self, key: int, line: int, payload: list) -> None:
        """Keep one row (`payload`: JSON-able) under `key`."""
        self._pending.append((key, line, json.dumps(payload, separators=(",", ":"))))
        self.count += 1
        if len(self._pending) >= _WRITE_EVERY:
            self._write()

    def _write(self) -> None:
        if self._pending:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT INTO row VALUES (?, ?, ?)", self._pending)
            self._db.execute("COMMIT")
            self._pending = []

    def groups(self) -> Iterator[tuple[int, list[tuple[int, list]]]]:
        """(key, [(line, payload), ...]) for every key, keys ascending, lines in file order."""
        self._write()
        rows = self._db.execute("SELECT key, line, payload FROM row ORDER BY key, line")
        for key, members in groupby(rows, key=itemgetter(0)):
            yield key, [(line, json.loads(payload)) for _, line, payload in members]

    def close(self) -> None:
        """Drop the temporary file."""
        self._db.close()
        self._dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
