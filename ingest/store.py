"""Idempotent saving: content digests per (source, key) and batched commits."""

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime

from sqlalchemy import bindparam, delete, select

from directory.extensions import db
from directory.models import IngestFingerprint
from ingest.sqlite_rows import journals_in_memory


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


class Batcher:
    """Collects items and hands them to `flush` every `size` items, one transaction per batch."""

    def __init__(self, flush: Callable[[list], None], size: int = 1000):
        self._flush = flush
        self.size = size
        self.items: list = []

    def add(self, item) -> None:
        """Queue an item; flush when the batch is full."""
        self.items.append(item)
        if len(self.items) >= self.size:
            self.flush()

    def flush(self) -> None:
        """Save the queued items and commit; roll back on failure."""
        if not self.items:
            return
        items, self.items = self.items, []
        try:
            with journals_in_memory():
                self._flush(items)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        db.session.expunge_all()  # constant memory over millions of rows
