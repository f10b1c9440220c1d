"""What a load did: the closing summary and the reject report."""

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from pathlib import Path


class FileRefused(Exception):
    """The whole file is refused (e.g. a required column is missing); nothing is written."""


@dataclass
class LoadSummary:
    """Counts for the closing summary of a load."""

    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    out_of_scope: int = 0
    rejected: int = 0

    def __post_init__(self) -> None:
        watching = _watchers.get()
        if watching is not None:
            watching.append(self)

    def as_dict(self) -> dict[str, int]:
        """The counts by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def line(self) -> str:
        """'read 300 · inserted 12 · …' for the terminal."""
        return " · ".join(f"{k.replace('_', ' ')} {v}" for k, v in self.as_dict().items())


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


class RejectReport:
    """A CSV of rejected rows: file, line, field, value, reason. Opened on first reject."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.count = 0
        self._file = None
        self._writer = None

    def reject(self, file: str, line: int | None, field: str, reason: str, value: str = "") -> None:
        """Record one rejected row (one row may be rejected once, for its first fault)."""
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._file)
            self._writer.writerow(REJECT_COLUMNS)
        self._writer.writerow([file, "" if line is None else line, field, value[:200], reason])
        self.count += 1

    def close(self) -> None:
        """Flush and close the report file, if any reject was written."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def read_rejects(path: str | Path) -> list[dict[str, str]]:
    """The rows of a reject report (for tests and the admin page)."""
    with Path(path).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
