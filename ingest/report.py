"""What a load did: the closing summary, its exit status, the reject and repairs reports."""

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from enum import IntEnum
from pathlib import Path

from ingest.storable import visible

# More than this share of the rows in scope rejected fails the load (exit 3); see status().
DEFAULT_MAX_REJECT_RATE = 0.5


class FileRefused(Exception):
    """The whole file is refused (e.g. a required column is missing); nothing is written."""


class ExitStatus(IntEnum):
    """How `flask ingest` exits. 1 is left to a crash and 2 to click's usage errors."""

    LOADED = 0  # every row loaded, or few enough rejected
    TOO_MANY_REJECTS = 3  # every row in scope rejected, or more than --max-reject-rate
    REFUSED = 4  # nothing loaded: the file is empty, lacks a column, or is of another kind


@dataclass
class LoadSummary:
    """Counts for the closing summary of a load."""

    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    out_of_scope: int = 0
    rejected: int = 0
    repaired: int = 0  # rows kept after a repair (e.g. a ZIP's lost leading zero restored)
    unplaced: int = 0  # rows kept whose location could not be placed on a map

    def __post_init__(self) -> None:
        watching = _watchers.get()
        if watching is not None:
            watching.append(self)

    def as_dict(self) -> dict[str, int]:
        """The counts by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def line(self) -> str:
        """'read 300 · inserted 12 · …' for the terminal (repaired, unplaced: only when any)."""
        counts = self.as_dict()
        for optional in ("repaired", "unplaced"):
            if not counts[optional]:
                del counts[optional]
        return " · ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items())

    @property
    def in_scope(self) -> int:
        """Rows (or resources) read that this directory would keep: saved or rejected."""
        return self.read - self.out_of_scope

    def status(self, max_reject_rate: float = DEFAULT_MAX_REJECT_RATE) -> ExitStatus:
        """TOO_MANY_REJECTS when every row in scope, or more than the rate, was rejected."""
        if self.too_many_rejects(max_reject_rate):
            return ExitStatus.TOO_MANY_REJECTS
        return ExitStatus.LOADED

    def too_many_rejects(self, max_reject_rate: float = DEFAULT_MAX_REJECT_RATE) -> str | None:
        """Why the load failed for its rejects, or None when it did not."""
        scope = self.in_scope
        if scope <= 0 or not self.rejected:
            return None
        share = f"{self.rejected} of {scope} rows in scope were rejected"
        if self.rejected >= scope:
            return f"{share}: nothing was loaded"
        if self.rejected / scope > max_reject_rate:
            return f"{share}, more than the {max_reject_rate:.0%} allowed"
        return None


# Summaries made while a caller watches (see watch_summaries); None when nobody watches.
_watchers: ContextVar[list[LoadSummary] | None] = ContextVar("load_summaries", default=None)


@contextmanager
def watch_summaries() -> Iterator[list[LoadSummary]]:
    """Collect every LoadSummary made in this context (progress read from another thread)."""
    found: list[LoadSummary] = []
    token = _watchers.set(found)
    try:
        yield found
    finally:
        _watchers.reset(token)


REJECT_COLUMNS = ("file", "line", "field", "value", "reason")
REPAIR_COLUMNS = ("file", "line", "field", "before", "after", "reason")


class _Sheet:
    """A CSV file written row by row, created with its header on the first row."""

    def __init__(self, path: Path, columns: tuple[str, ...]):
        self.path = path
        self.columns = columns
        self._file = None
        self._writer = None

    def write(self, row: list) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._file)
            self._writer.writerow(self.columns)
        # NULs and lone surrogates are written out: the report must open anywhere.
        self._writer.writerow([visible(v) if isinstance(v, str) else v for v in row])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def repairs_path(rejects: str | Path) -> Path:
    """Where the repairs report of a reject report goes: beside it, '-repairs' added."""
    rejects = Path(rejects)
    return rejects.with_name(f"{rejects.stem}-repairs{rejects.suffix or '.csv'}")


class RejectReport:
    """The reports of a load, each opened on its first row.

    Rejects (file, line, field, value, reason) at `path`; repairs made to rows that loaded
    (file, line, field, before, after, reason) beside it, see repairs_path().
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.repairs_path = repairs_path(self.path)
        self.count = 0
        self.repaired = 0
        self._rejects = _Sheet(self.path, REJECT_COLUMNS)
        self._repairs = _Sheet(self.repairs_path, REPAIR_COLUMNS)

    def reject(self, file: str, line: int | None, field: str, reason: str, value: str = "") -> None:
        """Record one rejected row (one row may be rejected once, for its first fault)."""
        self._rejects.write([file, "" if line is None else line, field, value[:200], reason])
        self.count += 1

    def repair(
        self, file: str, line: int | None, field: str, before: str, after: str, reason: str
    ) -> None:
        """Record one repair made to a row that loaded."""
        self._repairs.write([file, "" if line is None else line, field, before, after, reason])
        self.repaired += 1

    def close(self) -> None:
        """Flush and close the report files written."""
        self._rejects.close()
        self._repairs.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def read_rejects(path: str | Path) -> list[dict[str, str]]:
    """The rows of a reject report (for tests and the admin page)."""
    with Path(path).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
