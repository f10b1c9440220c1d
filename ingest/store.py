"""Idempotent saving: content digests per (source, key) and batched commits."""

import hashlib
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import date, datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import DataError, IntegrityError

from directory.extensions import db
from directory.models import IngestFingerprint
from ingest.progress import beat
from ingest.report import LoadSummary
from ingest.sqlite_rows import checkpoints_spaced, journals_in_memory

# What the database raises for one bad row (a value it cannot hold, a broken constraint), as
# SQLAlchemy wraps it or as the driver raises it from COPY or a raw cursor.
_ROW_ERRORS = (DataError, IntegrityError, sqlite3.DataError, sqlite3.IntegrityError)


def _row_errors() -> tuple[type[BaseException], ...]:
    """_ROW_ERRORS, with psycopg's once it is loaded (serving on SQLite never imports it)."""
    psycopg = sys.modules.get("psycopg")
    if psycopg is None:
        return (*_ROW_ERRORS, UnicodeEncodeError)
    return (*_ROW_ERRORS, UnicodeEncodeError, psycopg.DataError, psycopg.IntegrityError)


def _plain(value):
    """JSON fallback for dates."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot digest {type(value).__name__}")


def digest(record: dict) -> str:
    """A stable SHA-256 of a record's content."""
    text = json.dumps(record, sort_keys=True, default=_plain, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _key_in(keys: list[str]):
    """`key IN (...)` with inline literals: a prepared generic plan scans every key of a source."""
    return IngestFingerprint.key.in_(bindparam("keys", keys, expanding=True, literal_execute=True))


def known_digests(source: str, keys: Iterable[str]) -> dict[str, str]:
    """The stored digests for `keys` under `source`."""
    keys = list(keys)
    found: dict[str, str] = {}
    for start in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
        chunk = keys[start : start + 500]
        rows = db.session.execute(
            select(IngestFingerprint.key, IngestFingerprint.digest).where(
                IngestFingerprint.source == source, _key_in(chunk)
            )
        )
        # Not update(rows): a Result has keys(), so dict.update would treat it as a mapping.
        found.update((key, value) for key, value in rows)
    return found


def remember_digests(source: str, digests: dict[str, str]) -> None:
    """Store digests (in the caller's transaction)."""
    keys = list(digests)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        db.session.execute(
            delete(IngestFingerprint).where(IngestFingerprint.source == source, _key_in(chunk))
        )
    if digests:
        db.session.execute(
            IngestFingerprint.__table__.insert(),
            [{"source": source, "key": k, "digest": v} for k, v in digests.items()],
        )


def refused_by_database(err: Exception) -> bool:
    """True when the database refused the data (a row to reject), not the work (a failure)."""
    errors = _row_errors()
    return isinstance(err, errors) or isinstance(getattr(err, "orig", None), errors)


def database_message(err: Exception) -> str:
    """The reject reason for a row the database refused: its first line of explanation."""
    cause = getattr(err, "orig", None) or err
    lines = str(cause).strip().splitlines()
    return f"the database refused it: {(lines[0] if lines else type(cause).__name__)[:200]}"


class Batcher:
    """Collects items and hands them to `flush` every `size` items, one transaction per batch.

    A batch the database refuses for its data is rolled back and saved again item by item, so
    the good items load and each bad one goes to `refused(origin, reason)` with the origin the
    loader gave (its line). The counts the failed attempt added to `summary` are taken back
    first. Any other error (the database is down) rolls back and ends the load: the batches
    committed before stand, and loading the file again converges (saves are idempotent).
    """

    def __init__(
        self,
        flush: Callable[[list], None],
        size: int = 1000,
        refused: Callable[[object, str], None] | None = None,
        summary: LoadSummary | None = None,
    ):
        self._flush = flush
        self.size = size
        self.refused = refused
        self.summary = summary
        self.items: list = []
        self.origins: list = []

    def add(self, item, origin=None) -> None:
        """Queue an item (with where it came from); flush when the batch is full."""
        self.items.append(item)
        self.origins.append(origin)
        if len(self.items) >= self.size:
            self.flush()

    def flush(self) -> None:
        """Save the queued items and commit; on a refused batch, retry them one by one."""
        if not self.items:
            return
        items, origins = self.items, self.origins
        self.items, self.origins = [], []
        counts = self._counts()
        try:
            self._commit(items)
        except Exception as err:
            if self.refused is None or not refused_by_database(err):
                raise
            self._restore(counts)
            self._one_by_one(items, origins)
        beat()

    def _one_by_one(self, items: list, origins: list) -> None:
        """Save each item in its own transaction; the ones refused go to `refused`."""
        for item, origin in zip(items, origins, strict=True):
            counts = self._counts()
            try:
                self._commit([item])
            except Exception as err:
                if not refused_by_database(err):
                    raise
                self._restore(counts)
                self.refused(origin, database_message(err))

    def _commit(self, items: list) -> None:
        """One transaction: save, commit; roll back on failure. The session is left empty."""
        try:
            with checkpoints_spaced():
                with journals_in_memory():
                    self._flush(items)
                db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.expunge_all()  # constant memory over millions of rows

    def _counts(self) -> dict[str, int] | None:
        return self.summary.as_dict() if self.summary is not None else None

    def _restore(self, counts: dict[str, int] | None) -> None:
        """Take back what a rolled-back attempt counted (rejects stay: they were written)."""
        if counts is None:
            return
        for field in fields(self.summary):
            if field.name != "rejected":
                setattr(self.summary, field.name, counts[field.name])
