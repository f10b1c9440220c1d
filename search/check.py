"""`search check`: compare the index with the database, clinician range by clinician range.

Missing: the database says a document should exist and the index has none. Stale: the index
has it with another content digest. Orphaned: the index has a document the database no
longer produces (a removed location, an inactive or deleted clinician).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from elasticsearch import Elasticsearch

from directory.extensions import db
from search.bulk import clinician_of
from search.documents import clinician_id_batches, documents_for

EXAMPLES = 20  # ids listed per kind; the counts are always complete


@dataclass
class CheckReport:
    """What differs between the index and the database."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the index matches the database."""
        return not (self.missing or self.stale or self.orphaned)

    def clinician_ids(self) -> set[int]:
        """Clinicians whose documents need rewriting."""
        return {clinician_of(i) for i in (*self.missing, *self.stale, *self.orphaned)}


def range_body(after_id: int, up_to_id: int | None, size: int, after: list | None) -> dict:
    """One page of (id, digest) for clinician ids in (after_id, up_to_id]."""
    bounds = {"gt": after_id} if up_to_id is None else {"gt": after_id, "lte": up_to_id}
    body = {
        "query": {"range": {"clinician_id": bounds}},
        "size": size,
        "sort": [{"doc_key": {"order": "asc"}}],
        "_source": {"includes": ["digest"]},
        "track_total_hits": False,
    }
    if after is not None:
        body["search_after"] = after
    return body


def indexed_digests(
    client: Elasticsearch, alias: str, after_id: int, up_to_id: int | None, size: int = 1000
) -> dict[str, str]:
    """Document id -> digest for the clinician id range, following search_after."""
    found: dict[str, str] = {}
    after = None
    while True:
        body = range_body(after_id, up_to_id, size, after)
        hits = client.search(index=alias, body=body)["hits"]["hits"]
        found.update((h["_id"], h.get("_source", {}).get("digest", "")) for h in hits)
        if len(hits) < size:
            return found
        after = hits[-1]["sort"]


def compare(expected: dict[str, dict], actual: dict[str, str], report: CheckReport) -> None:
    """Add the differences of one range to `report`."""
    report.checked += len(expected)
    for doc_id, doc in expected.items():
        if doc_id not in actual:
            report.missing.append(doc_id)
        elif actual[doc_id] != doc["digest"]:
            report.stale.append(doc_id)
    report.orphaned += sorted(set(actual) - expected.keys())


def check_index(
    client: Elasticsearch,
    alias: str,
    batch: int = 500,
    progress: Callable[[int], None] = lambda done: None,
) -> CheckReport:
    """Walk the clinicians in id order; each batch's id range is compared as a whole."""
    report, after_id, done = CheckReport(), 0, 0
    for ids in clinician_id_batches(batch):
        expected = documents_for(ids)
        db.session.expunge_all()
        compare(expected, indexed_digests(client, alias, after_id, ids[-1]), report)
        after_id, done = ids[-1], done + len(ids)
        progress(done)
    # Documents of clinicians above the highest id left in the database.
    compare({}, indexed_digests(client, alias, after_id, None), report)
    return report
