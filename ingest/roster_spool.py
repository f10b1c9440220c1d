"""A roster's checked rows spooled to a temporary SQLite file and read back grouped by NPI.

Plans export rosters sorted by location, plan or name, so one clinician's rows are spread
through the file. Holding every row until the end would grow with the file (a 1M-row roster);
the spool keeps them on disk and hands them back one NPI at a time, in an order that depends
on the rows' content only (plan, then address, then line), so a shuffled file loads the same.
"""

import pickle
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ingest.roster_rows import RosterRow

_SCHEMA = (
    "CREATE TABLE row (npi TEXT, plan TEXT, address TEXT, line INTEGER, body BLOB)",
    "CREATE TABLE mention (plan TEXT, npi TEXT, PRIMARY KEY (plan, npi)) WITHOUT ROWID",
)
_FLUSH_EVERY = 5000  # rows held in memory before they go to the spool


class RowSpool:
    """Rows and the (plan, NPI) pairs a file names, on disk until the file is read."""

    def __init__(self):
        self._folder = tempfile.TemporaryDirectory(prefix="roster-spool-")
        self._db = sqlite3.connect(Path(self._folder.name) / "rows.sqlite")
        # A scratch file: nothing to recover after a crash, so no journal and no fsync.
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        for statement in _SCHEMA:
            self._db.execute(statement)
        self._rows: list[tuple] = []
        self._mentions: set[tuple[str, str]] = set()

    def mention(self, plan_id: str, npi: str) -> None:
        """Note that a row of `plan_id` names `npi` (rejected rows too)."""
        self._mentions.add((plan_id, npi))
        if len(self._mentions) >= _FLUSH_EVERY:
            self._flush()

    def add(self, row: RosterRow) -> None:
        """Spool a checked row."""
        body = pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)
        self._rows.append((row.npi, row.plan.plan_id, row.address, row.line, body))
        if len(self._rows) >= _FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO row VALUES (?, ?, ?, ?, ?)", self._rows)
        self._db.executemany("INSERT OR IGNORE INTO mention VALUES (?, ?)", self._mentions)
        self._rows, self._mentions = [], set()

    def groups(self) -> Iterator[list[RosterRow]]:
        """Every NPI's rows, NPIs in order, each NPI's rows by plan, address and line."""
        self._flush()
        self._db.execute("CREATE INDEX row_order ON row (npi, plan, address, line)")
        cursor = self._db.execute("SELECT npi, body FROM row ORDER BY npi, plan, address, line")
        group: list[RosterRow] = []
        for npi, body in cursor:
            if group and group[0].npi != npi:
                yield group
                group = []
            group.append(pickle.loads(body))  # noqa: S301 - our own rows, in our own file
        if group:
            yield group

    def mentioned(self, plan_id: str) -> set[str]:
        """The NPIs the rows of `plan_id` name."""
        self._flush()
        query = "SELECT npi FROM mention WHERE plan = ?"
        return {npi for (npi,) in self._db.execute(query, (plan_id,))}

    def close(self) -> None:
        """Drop the spool file."""
        self._db.close()
        self._folder.cleanup()
