"""Fixtures: a loopback fake Elasticsearch, an app pointed at it, spec checks of what it got."""

import json

import pytest

from search.lifecycle import reindex
from search.select import search_state
from tests.search.fake_es import FakeElasticsearch, closed_port
from tests.search.mapping_check import document_errors
from tests.search.spec_validation import assert_valid_bulk, assert_valid_request

ALIAS = "test-clinicians"
# Request path suffix -> the spec request its body must satisfy.
VALIDATED = {
    "_search": "search",
    "_count": "count",
    "_settings": "indices.put_settings",
    "_aliases": "indices.update_aliases",
}


@pytest.fixture
def fake_es():
    """A fake Elasticsearch on 127.0.0.1; every body it received is checked against the spec."""
    server = FakeElasticsearch().start()
    yield server
    server.stop()
    assert_sent_bodies_valid(server)


def assert_sent_bodies_valid(server: FakeElasticsearch) -> None:
    """Validate every recorded request body against the Elasticsearch OpenAPI spec."""
    seen = set()
    for recorded in server.requests:
        last = recorded.path.rstrip("/").rsplit("/", 1)[-1]
        key = (recorded.method, last, json.dumps(recorded.body, sort_keys=True))
        if recorded.body is None or key in seen:
            continue
        seen.add(key)
        if last == "_bulk":
            assert_valid_bulk(recorded.body)
            assert_documents_fit_the_mapping(recorded.body)
        elif last in VALIDATED:
            assert_valid_request(VALIDATED[last], recorded.body)
        elif recorded.method == "PUT" and not last.startswith("_"):
            assert_valid_request("indices.create", recorded.body)
        else:
            raise AssertionError(f"no spec check for {recorded.method} {recorded.path}")


def assert_documents_fit_the_mapping(lines: list[dict]) -> None:
    """Every indexed document fits the strict mapping (Elasticsearch would reject it)."""
    position = 0
    while position < len(lines):
        action = lines[position]
        if "index" in action:
            assert document_errors(lines[position + 1]) == [], action
            position += 1
        position += 1


@pytest.fixture
def es_config(fake_es):
    """Config that selects Elasticsearch at the fake server, with the outbox on."""
    return {
        "SEARCH_BACKEND": "elasticsearch",
        "SEARCH_OUTBOX": True,
        "SEARCH_FALLBACK": "embedded",
        "ELASTICSEARCH_URL": fake_es.url,
        "ELASTICSEARCH_INDEX_ALIAS": ALIAS,
        "ELASTICSEARCH_TIMEOUT_SECONDS": 1.5,
        "ELASTICSEARCH_BULK_TIMEOUT_SECONDS": 5,
    }


@pytest.fixture
def es_app(app, es_config):
    """The test app switched to Elasticsearch (the fake); its search state starts fresh."""
    app.config.update(es_config)
    app.extensions.pop("search_state", None)
    yield app
    app.extensions.pop("search_state", None)


@pytest.fixture
def es_client(es_app):
    """The bulk client the CLI commands use, pointed at the fake."""
    from search.client import bulk_client

    return bulk_client(es_app.config)


@pytest.fixture
def indexed(es_app, es_client):
    """Build the index from whatever the test put in the database (call it after seeding)."""

    def build():
        return reindex(es_client, ALIAS)

    return build


@pytest.fixture
def dead_es_url():
    """An ELASTICSEARCH_URL where the connection is refused."""
    return f"http://127.0.0.1:{closed_port()}"


@pytest.fixture
def query_state(es_app):
    """The app's per-process client and breaker (created as a request would)."""
    return search_state(es_app)
