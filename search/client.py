"""Elasticsearch clients from the app configuration: fast for queries, patient for bulk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

# The query budget: with no retries, a dead cluster costs at most this before the fallback.
MAX_QUERY_TIMEOUT_SECONDS = 1.5


class SearchConfigError(RuntimeError):
    """Elasticsearch is selected but not configured."""


def _auth(config: Mapping) -> dict:
    if config.get("ELASTICSEARCH_API_KEY"):
        return {"api_key": config["ELASTICSEARCH_API_KEY"]}
    if config.get("ELASTICSEARCH_USERNAME"):
        return {
            "basic_auth": (config["ELASTICSEARCH_USERNAME"], config.get("ELASTICSEARCH_PASSWORD"))
        }
    return {}


def _client(config: Mapping, **options) -> Elasticsearch:
    url = config.get("ELASTICSEARCH_URL")
    if not url:
        raise SearchConfigError("ELASTICSEARCH_URL is not set")
    if config.get("ELASTICSEARCH_CA_CERTS"):
        options["ca_certs"] = config["ELASTICSEARCH_CA_CERTS"]
    # Imported here: the embedded default never loads the client library (~8 MB resident).
    from elasticsearch import Elasticsearch

    return Elasticsearch(url, **_auth(config), **options)


def query_client(config: Mapping) -> Elasticsearch:
    """For matching requests: one attempt, at most 1.5 s, so a fallback still answers in 2 s."""
    timeout = min(
        float(config.get("ELASTICSEARCH_TIMEOUT_SECONDS", MAX_QUERY_TIMEOUT_SECONDS)),
        MAX_QUERY_TIMEOUT_SECONDS,
    )
    return _client(config, request_timeout=timeout, max_retries=0, retry_on_timeout=False)


def bulk_client(config: Mapping) -> Elasticsearch:
    """For reindex, sync and check: long timeouts; retries are done per item by the caller."""
    timeout = float(config.get("ELASTICSEARCH_BULK_TIMEOUT_SECONDS", 60))
    return _client(config, request_timeout=timeout, max_retries=2, retry_on_timeout=True)
