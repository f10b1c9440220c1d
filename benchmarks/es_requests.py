"""The exact Elasticsearch request bodies the backend sends for the `make bench` needs mix.

The mix is `benchmarks.needs_mix.make_needs` with the same seeded generator, drawn from the
sample directory's ZIPs and plans; each needs body is parsed as the matching API parses it
(NeedsSchema) and turned into the first page's search body by `search.queries.search_body`,
as `ElasticsearchBackend` does. Every body is checked against the Elasticsearch OpenAPI spec
with the suite's validator (tests/search/spec_validation.py), and each sample document against
the strict mapping (tests/search/mapping_check.py), before anything is written.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchmarks.needs_mix import MIX_SIZE, directory_facts, make_needs
from tests.search.mapping_check import document_errors
from tests.search.spec_validation import bulk_errors, request_errors


@dataclass(frozen=True)
class Emitted:
    """One request the backend sends: the needs it came from, its body, and how many sample
    documents pass its filters (the embedded backend's candidates, which the query mirrors)."""

    needs: dict
    body: dict
    matched: int


def mix_bodies(db_path: Path, seed: int, count: int = MIX_SIZE) -> list[dict]:
    """The seeded needs mix for the directory at `db_path`, as `make bench` draws it."""
    rng = random.Random(f"needs-{seed}")
    site_zips, zctas, plans = directory_facts(db_path)
    return [make_needs(rng, site_zips, zctas, plans) for _ in range(count)]


def search_requests(mix: list[dict], today: date) -> list[Emitted]:
    """First-page search bodies for each needs body (in the sample app's context)."""
    from datetime import UTC, datetime, time

    from directory.extensions import db
    from matching.embedded import EmbeddedBackend
    from matching.matcher import matcher
    from matching.needs_schema import NeedsSchema
    from matching.plans import plan_lookup
    from search.backend import PAGE_SIZE
    from search.queries import search_body

    schema = NeedsSchema(plan_lookup(db.session), matcher.needs_schema.geocoder)
    embedded = EmbeddedBackend(db.session, datetime.combine(today, time(12), UTC))
    found = []
    for raw in mix:
        needs = schema.load(raw)
        body = search_body(needs, today, PAGE_SIZE)
        found.append(Emitted(raw, body, len(embedded.retrieve(needs))))
    return found


def bulk_lines(docs: list[dict], alias: str) -> list[dict]:
    """The NDJSON lines of a bulk indexing `docs` as the sync worker writes them; the version
    is the read time in microseconds there, a fixed 1 here."""
    from elasticsearch.helpers import expand_action

    from search.bulk import index_action

    lines: list[dict] = []
    for doc in docs:
        action, source = expand_action(index_action(alias, doc["doc_key"], doc, version=1))
        lines += [action, source]
    return lines


def spec_errors(emitted: list[Emitted], index_body: dict, bulk: list[dict]) -> list[str]:
    """Every spec violation in the bodies and every document the mapping would reject (empty
    when all of them are valid)."""
    errors = [f"indices.create: {e}" for e in request_errors("indices.create", index_body)]
    errors += [f"bulk: {e}" for e in bulk_errors(bulk)]
    # The documents themselves, against the strict mapping the index is created with.
    for action, source in zip(bulk[::2], bulk[1::2], strict=True):
        errors += [f"{action['index']['_id']}: {e}" for e in document_errors(source)]
    for number, item in enumerate(emitted):
        errors += [f"search #{number}: {e}" for e in request_errors("search", item.body)]
    return errors


def representatives(emitted: list[Emitted]) -> list[Emitted]:
    """One request per modality in the mix (in person, either, telehealth), first found."""
    found: dict[str, Emitted] = {}
    for item in emitted:
        found.setdefault(item.needs["modality"], item)
    return [found[m] for m in ("in_person", "either", "telehealth") if m in found]


def write_ndjson(path: Path, emitted: list[Emitted]) -> None:
    """Every body, one JSON line each, with the needs it came from."""
    lines = (json.dumps({"needs": e.needs, "search": e.body}) + "\n" for e in emitted)
    path.write_text("".join(lines), "utf-8")
