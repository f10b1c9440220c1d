"""`search check`: missing, stale and orphaned documents, and --enqueue to repair them."""

import pytest
from sqlalchemy import select

from directory.models import Clinician
from search.check import check_index
from search.lifecycle import reindex
from search.models import SearchOutbox
from tests.matching.match_directory import add_clinician, add_location
from tests.search.conftest import ALIAS


@pytest.fixture
def drifted(db, es_app, es_client, fake_es):
    """An index that then drifts from the database behind the outbox's back."""
    es_app.config["SEARCH_OUTBOX"] = False  # as after a Core bulk load
    here = add_location(42.35, -71.07)
    people = [add_clinician(n, [here]) for n in (1, 2, 3, 4)]
    db.session.commit()
    reindex(es_client, ALIAS)
    index = next(iter(fake_es.aliases[ALIAS]))
    docs = fake_es.indices[index].docs
    del docs[f"{people[0].id}-{here.id}"]  # missing
    # Reindexing expunged the session; write through fresh objects.
    db.session.get(Clinician, people[1].id).wait_days = 30  # stale
    db.session.get(Clinician, people[2].id).active = False  # orphaned
    db.session.commit()
    orphan = {"clinician_id": 99, "doc_key": "99-1", "digest": "x"}
    fake_es.indices[index].docs["99-1"] = (1, orphan)  # orphaned
    return people, here


def test_check_finds_missing_stale_and_orphaned(drifted, es_client):
    people, here = drifted

    report = check_index(es_client, ALIAS, batch=2)

    assert report.missing == [f"{people[0].id}-{here.id}"]
    assert report.stale == [f"{people[1].id}-{here.id}"]
    assert report.orphaned == [f"{people[2].id}-{here.id}", "99-1"]
    assert report.checked == 3
    assert report.clinician_ids() == {people[0].id, people[1].id, people[2].id, 99}


def test_check_passes_on_a_fresh_index(db, es_app, es_client):
    add_clinician(1, [add_location(42.35, -71.07)], modalities=["video"], licenses=["MA"])
    db.session.commit()
    reindex(es_client, ALIAS)

    assert check_index(es_client, ALIAS).ok


def test_check_command_exits_nonzero_and_enqueue_repairs(db, drifted, runner, es_client):
    failed = runner.invoke(args=["search", "check"])
    assert failed.exit_code == 1
    assert "missing: 1" in failed.output and "orphaned: 2" in failed.output

    queued = runner.invoke(args=["search", "check", "--enqueue"])
    assert queued.exit_code == 0, queued.output
    assert "queued 4 clinicians" in queued.output
    assert len(db.session.scalars(select(SearchOutbox)).all()) == 4

    synced = runner.invoke(args=["search", "sync", "--once"])
    assert synced.exit_code == 0, synced.output
    assert check_index(es_client, ALIAS).ok


def test_commands_without_a_url_say_so(app, runner):
    app.config["ELASTICSEARCH_URL"] = ""

    result = runner.invoke(args=["search", "check"])

    assert result.exit_code == 1
    assert "ELASTICSEARCH_URL is not set" in result.output
