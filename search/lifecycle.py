"""Versioned indices behind an alias: build a new one, swap the alias, drop the old.

While a build runs, the new index also carries a `<alias>-building` alias. The sync worker
writes to every alias it finds, so changes made during the build reach the new index too;
external versions decide between the build's copy and the worker's.
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError

from directory.extensions import db
from search.bulk import ItemFailure, external_version, index_action, send
from search.documents import clinician_id_batches, documents_for
from search.mapping import index_mappings, index_settings

BUILDING = "-building"


class ReindexError(RuntimeError):
    """Documents were rejected; the new index was dropped and the alias left alone."""


@dataclass
class ReindexReport:
    """What a build did."""

    index: str
    documents: int = 0
    clinicians: int = 0
    dropped: list[str] = field(default_factory=list)
    failures: list[ItemFailure] = field(default_factory=list)


def building_alias(alias: str) -> str:
    """The alias of an index under construction."""
    return alias + BUILDING


def new_index_name(alias: str, now: datetime | None = None) -> str:
    """'<alias>-20250301-120000-123456': sortable, unique per build."""
    return f"{alias}-{(now or datetime.now(UTC)):%Y%m%d-%H%M%S-%f}"


def indices_behind(client: Elasticsearch, alias: str) -> list[str]:
    """The concrete indices an alias points at (none when it does not exist)."""
    try:
        return sorted(client.indices.get_alias(name=alias).body)
    except NotFoundError:
        return []


def write_aliases(client: Elasticsearch, alias: str) -> list[str]:
    """The aliases a change must be written through: the live one and any build in progress."""
    found = [alias] if indices_behind(client, alias) else []
    if indices_behind(client, building_alias(alias)):
        found.append(building_alias(alias))
    return found


def create_building_index(client: Elasticsearch, alias: str, name: str) -> None:
    """A new empty index, refresh off and no replicas while it fills."""
    client.indices.create(
        index=name,
        settings=index_settings(building=True),
        mappings=index_mappings(),
        aliases={building_alias(alias): {}},
    )


def _actions(target: str, report: ReindexReport, progress: Callable[[int], None], batch: int):
    """Index actions for every clinician, a batch read at a time."""
    for ids in clinician_id_batches(batch):
        version = external_version()  # before the read: see search.bulk
        docs = documents_for(ids)
        db.session.expunge_all()  # constant memory over millions of clinicians
        report.clinicians += len(ids)
        report.documents += len(docs)
        yield from (index_action(target, doc_id, doc, version) for doc_id, doc in docs.items())
        progress(report.clinicians)


def swap_alias(client: Elasticsearch, alias: str, new: str, old: list[str], replicas: int) -> None:
    """Make `new` searchable, then point the alias at it alone, in one atomic alias update."""
    live = index_settings(replicas)
    client.indices.put_settings(
        index=new,
        settings={
            "index": {
                "refresh_interval": live["refresh_interval"],
                "number_of_replicas": live["number_of_replicas"],
            }
        },
    )
    client.indices.refresh(index=new)
    actions = [{"remove": {"index": index, "alias": alias}} for index in old]
    actions += [
        {"add": {"index": new, "alias": alias}},
        {"remove": {"index": new, "alias": building_alias(alias)}},
    ]
    client.indices.update_aliases(actions=actions)


def reindex(
    client: Elasticsearch,
    alias: str,
    replicas: int = 0,
    progress: Callable[[int], None] = lambda done: None,
    batch: int = 500,
    chunk_size: int = 500,
    initial_backoff: float = 1.0,
) -> ReindexReport:
    """Build a new index from the database, swap the alias to it, drop the old indices."""
    report = ReindexReport(new_index_name(alias))
    create_building_index(client, alias, report.index)
    try:
        actions = _actions(building_alias(alias), report, progress, batch)
        _settled, report.failures = send(
            client, actions, chunk_size, initial_backoff=initial_backoff
        )
        if report.failures:
            raise ReindexError(f"{len(report.failures)} documents rejected; alias unchanged")
        old = [i for i in indices_behind(client, alias) if i != report.index]
        swap_alias(client, alias, report.index, old, replicas)
    except BaseException:
        # Best effort: the original error matters more than a failed clean-up.
        with contextlib.suppress(TransportError, ApiError):
            client.indices.delete(index=report.index, ignore_unavailable=True)
        raise
    if old:
        client.indices.delete(index=",".join(old))
    report.dropped = old
    return report
