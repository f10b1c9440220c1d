"""The sync worker: drain the outbox into Elasticsearch, retrying with backoff.

Each round leases a batch of due outbox rows (other workers skip them), reads the clinicians'
current documents, writes them through every write alias with external versions, deletes
documents the clinicians no longer have, and then deletes the rows that settled. Rows that
failed get `attempts + 1`, the error type and a later `available_at`; the database is never
blocked on Elasticsearch.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from elasticsearch import Elasticsearch
from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from directory.extensions import db
from directory.models.verification import utcnow
from search.bulk import clinician_of, delete_action, external_version, index_action, send
from search.changefeed import follow_changes
from search.documents import documents_for
from search.fallback import SEARCH_FAILURES
from search.lifecycle import write_aliases
from search.models import SearchOutbox

log = logging.getLogger(__name__)
LEASE_SECONDS = 120
BACKOFF_BASE_SECONDS = 5
BACKOFF_CAP_SECONDS = 15 * 60


class NoIndex(RuntimeError):
    """No alias to write to: run `flask search reindex` first."""


@dataclass
class DrainReport:
    """What one round did."""

    claimed: int = 0
    clinicians: int = 0
    documents: int = 0
    deleted: int = 0
    failed: dict[int, str] = field(default_factory=dict)  # clinician id -> error type


def backoff_seconds(attempts: int) -> int:
    """5 s, 10 s, 20 s... doubling per failed attempt, at most 15 minutes."""
    return min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))


def lease(batch_size: int, now: datetime) -> list[tuple[int, int, int]]:
    """(id, clinician_id, attempts) of due rows, hidden from other workers for LEASE_SECONDS."""
    query = (
        select(SearchOutbox.id, SearchOutbox.clinician_id, SearchOutbox.attempts)
        .where(SearchOutbox.available_at <= now)
        .order_by(SearchOutbox.id)
        .limit(batch_size)
        # PostgreSQL: concurrent workers take disjoint batches (SQLite has a single writer).
        .with_for_update(skip_locked=True)
    )
    rows = [tuple(r) for r in db.session.execute(query)]
    if rows:
        db.session.execute(
            update(SearchOutbox)
            .where(SearchOutbox.id.in_([r[0] for r in rows]))
            .values(available_at=now + timedelta(seconds=LEASE_SECONDS))
        )
    db.session.commit()
    return rows


def indexed_ids(client: Elasticsearch, alias: str, clinician_ids: list[int]) -> set[str]:
    """Ids of the documents `alias` holds for these clinicians."""
    found: set[str] = set()
    after = None
    while True:
        body = {
            "query": {"terms": {"clinician_id": clinician_ids}},
            "size": 1000,
            "sort": [{"doc_key": {"order": "asc"}}],
            "_source": False,
            "track_total_hits": False,
        }
        if after is not None:
            body["search_after"] = after
        hits = client.search(index=alias, body=body)["hits"]["hits"]
        found.update(hit["_id"] for hit in hits)
        if len(hits) < body["size"]:
            return found
        after = hits[-1]["sort"]


def sync_actions(
    client: Elasticsearch,
    aliases: list[str],
    docs: dict[str, dict],
    clinician_ids: list[int],
    version: int,
) -> list[dict]:
    """Index every current document and delete the clinicians' other documents, per alias."""
    actions = []
    for alias in aliases:
        actions += [index_action(alias, doc_id, doc, version) for doc_id, doc in docs.items()]
        gone = indexed_ids(client, alias, clinician_ids) - docs.keys()
        actions += [delete_action(alias, doc_id, version) for doc_id in sorted(gone)]
    return actions


def _finish(rows: list[tuple[int, int, int]], report: DrainReport, now: datetime) -> None:
    """Delete settled rows; reschedule failed ones with backoff."""
    done = [row_id for row_id, cid, _ in rows if cid not in report.failed]
    if done:
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(done)))
    for row_id, cid, attempts in rows:
        if cid in report.failed:
            db.session.execute(
                update(SearchOutbox)
                .where(SearchOutbox.id == row_id)
                .values(
                    attempts=attempts + 1,
                    last_error=report.failed[cid][:200],
                    available_at=now + timedelta(seconds=backoff_seconds(attempts + 1)),
                )
            )
    db.session.commit()


def drain_once(
    client: Elasticsearch,
    alias: str,
    batch_size: int = 200,
    now: datetime | None = None,
    chunk_size: int = 500,
    initial_backoff: float = 1.0,
) -> DrainReport:
    """One round: lease, read, write, settle. Elasticsearch errors reschedule, never raise."""
    now = now or utcnow()
    rows = lease(batch_size, now)
    report = DrainReport(claimed=len(rows))
    if not rows:
        return report
    ids = sorted({cid for _, cid, _ in rows})
    report.clinicians = len(ids)
    version = external_version()  # before the read: see search.bulk
    docs = documents_for(ids)
    db.session.commit()  # no transaction held open while Elasticsearch answers
    try:
        aliases = write_aliases(client, alias)
        if not aliases:
            raise NoIndex(f"no index behind {alias!r}; run `flask search reindex`")
        actions = sync_actions(client, aliases, docs, ids, version)
        _settled, failures = send(client, actions, chunk_size, initial_backoff=initial_backoff)
    except (*SEARCH_FAILURES, NoIndex) as error:
        report.failed = dict.fromkeys(ids, type(error).__name__)
    else:
        report.documents = sum(a["_op_type"] == "index" for a in actions)
        report.deleted = len(actions) - report.documents
        for failure in failures:
            report.failed[clinician_of(failure.doc_id)] = f"{failure.error_type} {failure.status}"
    _finish(rows, report, now)
    return report


def _follow() -> None:
    """Queue what the listing change log says changed (bulk loads included)."""
    followed = follow_changes()
    if followed.everything:
        log.warning("search sync: change log incomplete; %d clinicians queued", followed.queued)
    elif followed.queued:
        log.info("search sync: %d changed clinicians queued from the change log", followed.queued)


def run_worker(
    client: Elasticsearch,
    alias: str,
    should_stop: Callable[[], bool],
    batch_size: int = 200,
    poll_seconds: float = 1.0,
    sleep: Callable[[float], None] | None = None,
) -> None:
    """Drain until told to stop, idling `poll_seconds` whenever nothing is due."""
    sleep = sleep or time.sleep
    while not should_stop():
        try:
            _follow()
            report = drain_once(client, alias, batch_size)
        except SQLAlchemyError as error:
            # The database is the source of truth; wait for it rather than die.
            db.session.rollback()
            log.warning("search sync: database error %s", type(error).__name__)
            sleep(poll_seconds)
            continue
        if report.failed:
            kinds = sorted(set(report.failed.values()))
            log.warning("search sync: %d clinicians rescheduled (%s)", len(report.failed), kinds)
        if report.claimed:
            log.info(
                "search sync: %d clinicians, %d indexed, %d deleted",
                report.clinicians,
                report.documents,
                report.deleted,
            )
        else:
            sleep(poll_seconds)
