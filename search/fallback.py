"""Degradation: when Elasticsearch fails, answer from the embedded backend, or 503 with Retry-After.

A failure opens a per-process circuit for a few seconds, so the requests that follow (and a
search's relaxation counts) skip the dead cluster instead of each waiting out a timeout.
"""

import logging
import threading
import time
from collections.abc import Callable

from elastic_transport import TransportError
from elasticsearch import ApiError
from werkzeug.exceptions import ServiceUnavailable

from matching.backend import Candidate, MatchBackend
from matching.needs import Needs

log = logging.getLogger(__name__)
# Every way the client reports a failed request: no connection, timeout, HTTP error status.
SEARCH_FAILURES = (TransportError, ApiError)


class SearchUnavailable(ServiceUnavailable):
    """Elasticsearch is down and no fallback is configured (api.errors keeps Retry-After)."""

    description = "search is temporarily unavailable; retry later"


class Breaker:
    """Open for `open_seconds` after a failure; closed (try Elasticsearch) otherwise."""

    def __init__(self, open_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic):
        self.open_seconds, self.clock = open_seconds, clock
        self._open_until = 0.0
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        """True while requests should skip Elasticsearch."""
        return self.clock() < self._open_until

    def trip(self) -> None:
        """Record a failure."""
        with self._lock:
            self._open_until = self.clock() + self.open_seconds


class ResilientBackend:
    """Elasticsearch first; on failure the fallback backend, or SearchUnavailable if none."""

    def __init__(
        self,
        primary: MatchBackend,
        fallback: MatchBackend | None,
        breaker: Breaker,
        retry_after_seconds: int = 30,
    ):
        self.primary, self.fallback, self.breaker = primary, fallback, breaker
        self.retry_after_seconds = retry_after_seconds
        self.served_by = "elasticsearch"

    def _call(self, method: str, needs: Needs):
        if not self.breaker.is_open:
            try:
                return getattr(self.primary, method)(needs)
            except SEARCH_FAILURES as error:
                # The type and status only: messages can quote the query (needs are PHI).
                status = getattr(error, "status_code", None) or getattr(error, "status", "")
                log.warning("elasticsearch %s failed: %s %s", method, type(error).__name__, status)
                self.breaker.trip()
        if self.fallback is None:
            raise SearchUnavailable(retry_after=self.retry_after_seconds)
        self.served_by = "embedded"
        return getattr(self.fallback, method)(needs)

    def retrieve(self, needs: Needs) -> list[Candidate]:
        """Candidates from Elasticsearch, else from the fallback."""
        return self._call("retrieve", needs)

    def count(self, needs: Needs) -> int:
        """Clinician count from Elasticsearch, else from the fallback."""
        return self._call("count", needs)
