"""Elasticsearch unreachable at query time: embedded answers, or 503 with Retry-After; no 500."""

import json

import pytest

from app import create_app
from matching.embedded import EmbeddedBackend
from search.backend import ElasticsearchBackend
from search.client import MAX_QUERY_TIMEOUT_SECONDS, SearchConfigError, query_client
from search.fallback import Breaker, ResilientBackend, SearchUnavailable
from tests.matching.match_directory import NOW
from tests.search.conftest import ALIAS
from tests.search.scenarios import build_directory, load_needs, ranking

URL = "/api/v1/matches"
NEEDS = {"postal_code": "02139", "plan": "Gold", "languages": ["es"], "modality": "either"}


class Clock:
    """A hand-moved monotonic clock for the breaker."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def api_npis(response) -> list[str]:
    return [r["npi"] for r in response.get_json()["results"]]


@pytest.fixture
def directory(db):
    return build_directory()


def resilient(db, config, fallback=True, clock=None):
    es = ElasticsearchBackend(query_client(config), ALIAS, NOW)
    embedded = EmbeddedBackend(db.session, NOW) if fallback else None
    return ResilientBackend(es, embedded, Breaker(5.0, clock or Clock()), 30)


def test_query_client_has_one_attempt_within_the_budget(es_config):
    client = query_client({**es_config, "ELASTICSEARCH_TIMEOUT_SECONDS": 10})

    # Per-request options: what every query this client sends is sent with.
    assert client._max_retries == 0
    assert client._retry_on_timeout is False
    assert client._request_timeout == MAX_QUERY_TIMEOUT_SECONDS


def test_connection_refused_answers_from_the_embedded_backend(db, directory, dead_es_url):
    backend = resilient(db, {"ELASTICSEARCH_URL": dead_es_url})
    needs = load_needs({"languages": ["es"], "modality": "either"})

    found = ranking(needs, backend)

    assert found == ranking(needs, EmbeddedBackend(db.session, NOW))
    assert found and backend.served_by == "embedded"
    assert backend.breaker.is_open


def test_a_timeout_answers_from_the_embedded_backend(db, directory, es_config, fake_es):
    fake_es.delay_seconds = 1.0
    backend = resilient(db, {**es_config, "ELASTICSEARCH_TIMEOUT_SECONDS": 0.2})
    needs = load_needs({})

    assert ranking(needs, backend) == ranking(needs, EmbeddedBackend(db.session, NOW))
    assert backend.served_by == "embedded"
    fake_es.delay_seconds = 0


@pytest.mark.parametrize("status", [500, 503, 429, 404])
def test_error_statuses_fall_back(db, directory, es_config, fake_es, status):
    fake_es.fail("_search", status)
    backend = resilient(db, es_config)

    assert backend.count(load_needs({})) == EmbeddedBackend(db.session, NOW).count(load_needs({}))
    assert backend.served_by == "embedded"


def test_an_open_breaker_skips_elasticsearch_until_it_closes(db, directory, es_config, fake_es):
    clock = Clock()
    fake_es.fail("_search", 503)
    backend = resilient(db, es_config, clock=clock)
    needs = load_needs({})
    backend.retrieve(needs)
    searches = len(fake_es.bodies("POST", "/_search"))

    backend.retrieve(needs)
    assert len(fake_es.bodies("POST", "/_search")) == searches  # skipped while open
    clock.now += 6
    backend.retrieve(needs)
    assert len(fake_es.bodies("POST", "/_search")) == searches + 1


def test_without_a_fallback_the_backend_raises_service_unavailable(db, directory, dead_es_url):
    backend = resilient(db, {"ELASTICSEARCH_URL": dead_es_url}, fallback=False)

    with pytest.raises(SearchUnavailable) as raised:
        backend.retrieve(load_needs({}))
    assert raised.value.retry_after == 30


def test_api_answers_from_elasticsearch_when_it_is_up(client, directory, es_app, indexed, fake_es):
    indexed()
    es_app.config["SEARCH_BACKEND"] = "embedded"
    embedded = post(client, NEEDS)
    es_app.config["SEARCH_BACKEND"] = "elasticsearch"

    answered = post(client, NEEDS)

    assert answered.status_code == 200
    assert fake_es.bodies("POST", "/_search")
    assert answered.get_json()["results"] == embedded.get_json()["results"]


def test_api_falls_back_when_elasticsearch_is_down(client, directory, es_app, dead_es_url):
    es_app.config["ELASTICSEARCH_URL"] = dead_es_url

    response = post(client, NEEDS)

    assert response.status_code == 200
    es_app.config["SEARCH_BACKEND"] = "embedded"
    assert api_npis(response) == api_npis(post(client, NEEDS))


def test_api_answers_503_with_retry_after_when_configured(client, directory, es_app, dead_es_url):
    es_app.config.update(ELASTICSEARCH_URL=dead_es_url, SEARCH_FALLBACK="unavailable")

    response = post(client, NEEDS)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    body = response.get_json()
    assert body["status"] == 503
    assert body["detail"] == "search is temporarily unavailable; retry later"


@pytest.mark.parametrize(
    "config",
    [
        {"SEARCH_BACKEND": "solr"},
        {"SEARCH_FALLBACK": "maybe"},
        {"SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": ""},
    ],
)
def test_bad_search_config_stops_the_app_at_start_up(database_url, config):
    with pytest.raises((ValueError, SearchConfigError)):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url, **config})
