"""Which retrieval backend a matching request uses, from SEARCH_BACKEND and SEARCH_FALLBACK.

The Elasticsearch modules are imported only when it is selected: the embedded default never
loads the client library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from flask import Flask

from matching.backend import MatchBackend
from search.client import SearchConfigError, query_client

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

    from search.fallback import Breaker

BACKENDS = ("embedded", "elasticsearch")
FALLBACKS = ("embedded", "unavailable")


@dataclass
class SearchState:
    """Per-process Elasticsearch objects: one client (its connection pool) and one breaker."""

    client: Elasticsearch
    breaker: Breaker


def search_state(app: Flask) -> SearchState:
    """The app's client and breaker, created on first use (after gunicorn forks)."""
    state = app.extensions.get("search_state")
    if state is None:
        from search.fallback import Breaker  # imports elasticsearch: only when it is selected

        state = SearchState(query_client(app.config), Breaker())
        app.extensions["search_state"] = state
    return state


def check_search_config(config) -> None:
    """Refuse to start with an unknown backend or fallback, or Elasticsearch without a URL."""
    if config.get("SEARCH_BACKEND", "embedded") not in BACKENDS:
        raise ValueError(f"SEARCH_BACKEND must be one of {BACKENDS}")
    if config.get("SEARCH_FALLBACK", "embedded") not in FALLBACKS:
        raise ValueError(f"SEARCH_FALLBACK must be one of {FALLBACKS}")
    if config.get("SEARCH_BACKEND") == "elasticsearch" and not config.get("ELASTICSEARCH_URL"):
        # At start-up, not as a failed request later.
        raise SearchConfigError("SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL")


def matching_backend(
    app: Flask, embedded: MatchBackend, now: datetime | None = None
) -> MatchBackend:
    """The backend for one matching request: `embedded`, or Elasticsearch with it as fallback."""
    if app.config.get("SEARCH_BACKEND", "embedded") != "elasticsearch":
        return embedded
    # The Elasticsearch client (~10 MB) loads only in apps that select it.
    from search.backend import ElasticsearchBackend
    from search.fallback import ResilientBackend

    fallback = app.config.get("SEARCH_FALLBACK", "embedded")
    state = search_state(app)
    primary = ElasticsearchBackend(state.client, app.config["ELASTICSEARCH_INDEX_ALIAS"], now)
    return ResilientBackend(
        primary,
        embedded if fallback == "embedded" else None,
        state.breaker,
        int(app.config.get("SEARCH_RETRY_AFTER_SECONDS", 30)),
    )


def backend_factory(app: Flask) -> Callable[[MatchBackend, datetime | None], MatchBackend]:
    """Check the settings; the factory the app gives the Matcher (SEARCH_BACKEND per search)."""
    check_search_config(app.config)
    if app.config.get("SEARCH_BACKEND") == "elasticsearch":
        import search.backend  # noqa: F401  (loaded at start-up, not in a worker's first match)
        import search.fallback  # noqa: F401
    return partial(matching_backend, app)
