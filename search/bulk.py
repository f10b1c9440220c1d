"""Bulk writes with external versions, shared by the reindex and the sync worker.

A document's version is the time (in microseconds) at which its content was read from the
database. Whoever read later wrote newer facts, so with `version_type: external` a slow or
retried write of older content loses to it, whatever order the writes arrive in.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass

from elasticsearch import Elasticsearch
from elasticsearch.helpers import streaming_bulk

# Not a failure: a newer version is already there.
CONFLICT = 409
# Not a failure for a delete: the document is already gone (for an index, a missing alias is).
NOT_FOUND = 404


def external_version() -> int:
    """Now, in microseconds since the epoch; take it before reading the database."""
    return time.time_ns() // 1000


def index_action(target: str, doc_id: str, doc: dict, version: int) -> dict:
    """A bulk `index` of `doc` unless the index holds a version >= `version`."""
    return {
        "_op_type": "index",
        "_index": target,
        "_id": doc_id,
        "version": version,
        "version_type": "external",
        "_source": doc,
    }


def delete_action(target: str, doc_id: str, version: int) -> dict:
    """A bulk `delete` unless the index holds a version >= `version`."""
    return {
        "_op_type": "delete",
        "_index": target,
        "_id": doc_id,
        "version": version,
        "version_type": "external",
    }


def clinician_of(doc_id: str) -> int:
    """The clinician id a document id starts with ('42-7' -> 42)."""
    return int(doc_id.split("-", 1)[0])


@dataclass(frozen=True)
class ItemFailure:
    """One bulk item that did not settle after the retries."""

    doc_id: str
    status: int
    error_type: str


def send(
    client: Elasticsearch,
    actions: Iterable[dict],
    chunk_size: int = 500,
    max_retries: int = 3,
    initial_backoff: float = 1.0,
) -> tuple[int, list[ItemFailure]]:
    """(items settled, items failed); 429 rejections are retried with exponential backoff.

    Writes go through aliases with `require_alias`, so a write racing an alias swap fails
    instead of auto-creating an unmapped index. Transport errors propagate.
    """
    settled, failed = 0, []
    for ok, item in streaming_bulk(
        client,
        actions,
        chunk_size=chunk_size,
        max_retries=max_retries,
        initial_backoff=initial_backoff,
        raise_on_error=False,
        raise_on_exception=False,
        require_alias=True,
    ):
        ((operation, result),) = item.items()
        status = result.get("status")
        if ok or status == CONFLICT or (operation == "delete" and status == NOT_FOUND):
            settled += 1
            continue
        error = result.get("error")
        error_type = error.get("type", "error") if isinstance(error, dict) else "error"
        failed.append(ItemFailure(str(result.get("_id")), int(result.get("status", 0)), error_type))
    return settled, failed
