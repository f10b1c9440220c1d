"""ElasticsearchBackend: matching.backend.MatchBackend over the Elasticsearch index."""

from collections.abc import Iterable
from datetime import UTC, datetime

from elasticsearch import Elasticsearch

from matching.backend import Candidate
from matching.filters import admits
from matching.needs import Needs
from search.candidates import candidate_from_source
from search.queries import search_body

PAGE_SIZE = 1000
# Beyond this many documents the best pre-ranked ones are kept; below it the result is the
# embedded backend's, candidate for candidate.
MAX_CANDIDATES = 10_000


class ElasticsearchBackend:
    """Retrieval from the index behind `alias`; raises elasticsearch errors when it cannot."""

    def __init__(
        self,
        client: Elasticsearch,
        alias: str,
        now: datetime | None = None,
        page_size: int = PAGE_SIZE,
        max_candidates: int = MAX_CANDIDATES,
    ):
        self.client, self.alias = client, alias
        self.today = (now or datetime.now(UTC)).date()
        self.page_size, self.max_candidates = page_size, max_candidates

    def _sources(self, needs: Needs) -> Iterable[dict]:
        """Every matching document, a page at a time, continuing after the last sort values."""
        after, seen = None, 0
        while seen < self.max_candidates:
            size = min(self.page_size, self.max_candidates - seen)
            body = search_body(needs, self.today, size, after)
            hits = self.client.search(index=self.alias, body=body)["hits"]["hits"]
            for hit in hits:
                yield hit["_source"]
            seen += len(hits)
            if len(hits) < size:
                return
            after = hits[-1]["sort"]

    def retrieve(self, needs: Needs) -> list[Candidate]:
        """Candidates for every document that passes the required-need filters."""
        found = (candidate_from_source(s, needs, self.today) for s in self._sources(needs))
        return [c for c in found if c is not None]

    def count(self, needs: Needs) -> int:
        """Distinct clinicians that meet every required need (as the embedded backend counts)."""
        return len(self.admitted_clinicians(needs, self.retrieve(needs)))

    def admitted_clinicians(self, needs: Needs, candidates: Iterable[Candidate]) -> set[int]:
        """Ids of the clinicians among `candidates` that the needs admit."""
        return {c.clinician_id for c in candidates if admits(needs, c, self.today)}
