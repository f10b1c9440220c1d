"""Scenarios against a real Elasticsearch 9: ELASTICSEARCH_URL=... pytest -m elasticsearch.

Credentials come from ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD (and
ELASTICSEARCH_CA_CERTS for TLS). Each test builds its own uniquely named alias and deletes its
indices afterwards, so a shared development cluster is left as it was found.
"""

import os
import uuid

import pytest
from sqlalchemy import update

from directory.models import Clinician
from matching.embedded import EmbeddedBackend
from search.backend import ElasticsearchBackend
from search.changefeed import follow_changes
from search.check import check_index
from search.client import bulk_client, query_client
from search.lifecycle import building_alias, indices_behind, reindex
from search.sync import drain_once
from tests.matching.match_directory import NOW
from tests.search.scenarios import SCENARIOS, build_directory, load_needs, ranking

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="set ELASTICSEARCH_URL to run against a live Elasticsearch 9 server",
    ),
]
ENV_KEYS = (
    "ELASTICSEARCH_URL",
    "ELASTICSEARCH_API_KEY",
    "ELASTICSEARCH_USERNAME",
    "ELASTICSEARCH_PASSWORD",
    "ELASTICSEARCH_CA_CERTS",
)


@pytest.fixture
def live_app(app):
    """The test app pointed at the live server, with a fresh alias and the outbox on."""
    alias = f"bh-test-{uuid.uuid4().hex[:12]}"
    app.config.update({key: os.environ.get(key, "") for key in ENV_KEYS})
    app.config.update(SEARCH_BACKEND="elasticsearch", SEARCH_OUTBOX=True)
    app.config["ELASTICSEARCH_INDEX_ALIAS"] = alias
    client = bulk_client(app.config)
    yield app, client, alias
    for name in (alias, building_alias(alias)):
        for index in indices_behind(client, name):
            client.indices.delete(index=index, ignore_unavailable=True)


@pytest.fixture
def live_directory(db, live_app):
    """The scenario directory, indexed on the live server."""
    app, client, alias = live_app
    people = build_directory()
    reindex(client, alias)
    return people, app, client, alias


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_live_ranking_matches_the_embedded_backend(db, live_directory, name):
    _people, app, _client, alias = live_directory
    elastic = ElasticsearchBackend(query_client(app.config), alias, NOW, page_size=4)
    embedded = EmbeddedBackend(db.session, NOW)
    needs = load_needs(SCENARIOS[name])

    assert ranking(needs, elastic) == ranking(needs, embedded)
    assert elastic.count(needs) == embedded.count(needs)


def test_live_names_match_without_accents(live_directory):
    _people, _app, client, alias = live_directory

    hits = client.search(index=alias, body={"query": {"match": {"name": {"query": "jose nunez"}}}})[
        "hits"
    ]["hits"]

    assert {h["_source"]["name"] for h in hits} == {"José Núñez"}


def test_live_sync_then_check(db, live_directory):
    people, _app, client, alias = live_directory
    ana = db.session.get(Clinician, people["ana"].id)
    ana.wait_days = 2
    db.session.get(Clinician, people["ben"].id).active = False
    db.session.commit()

    report = drain_once(client, alias)
    client.indices.refresh(index=alias)

    assert report.failed == {}
    assert report.deleted == 1
    assert check_index(client, alias).ok


def test_live_a_core_bulk_update_converges_without_a_reindex(db, live_directory):
    people, _app, client, alias = live_directory
    follow_changes()  # where the log is once the index is built
    ana = people["ana"].id
    db.session.execute(update(Clinician).where(Clinician.id == ana).values(wait_days=13))
    db.session.commit()  # a loader's Core statement: the ORM outbox never sees it

    assert follow_changes().queued == 1
    report = drain_once(client, alias)
    client.indices.refresh(index=alias)

    assert report.failed == {}
    assert check_index(client, alias).ok
