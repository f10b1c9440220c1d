"""The sync worker drains the outbox; Elasticsearch failures reschedule rows, never raise."""

import signal
from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.models import Clinician, Location
from directory.models.verification import as_utc, utcnow
from search.bulk import external_version, index_action, send
from search.client import bulk_client
from search.lifecycle import building_alias, create_building_index, reindex
from search.models import SearchOutbox
from search.sync import backoff_seconds, drain_once, run_worker
from tests.matching.match_directory import add_clinician, add_location
from tests.search.conftest import ALIAS

FAST = {"initial_backoff": 0.01}


def rows(db) -> list[SearchOutbox]:
    """Outbox rows in id order, read fresh."""
    db.session.expire_all()
    return list(db.session.scalars(select(SearchOutbox).order_by(SearchOutbox.id)))


@pytest.fixture
def live(db, es_app, es_client):
    """Two clinicians, indexed, outbox drained: the steady state the worker keeps."""
    here, there = add_location(42.35, -71.07), add_location(42.37, -71.11)
    people = [add_clinician(1, [here, there]), add_clinician(2, [here])]
    db.session.commit()
    reindex(es_client, ALIAS)  # expunges the session: hand the tests fresh objects
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()
    people = [db.session.get(Clinician, c.id) for c in people]
    return people, db.session.get(Location, here.id), db.session.get(Location, there.id)


def test_a_change_reaches_the_index_and_the_row_is_deleted(db, live, es_client, fake_es):
    (ana, _ben), here, _there = live
    ana.wait_days = 4
    db.session.commit()
    assert [r.clinician_id for r in rows(db)] == [ana.id]

    report = drain_once(es_client, ALIAS, **FAST)

    assert (report.claimed, report.documents, report.failed) == (1, 2, {})
    assert fake_es.documents(ALIAS)[f"{ana.id}-{here.id}"]["wait_days"] == 4
    assert rows(db) == []


def test_removed_location_and_deactivated_clinician_lose_their_documents(
    db, live, es_client, fake_es
):
    (ana, ben), here, there = live
    ana.locations = [link for link in ana.locations if link.location_id == here.id]
    ben.active = False
    db.session.commit()

    report = drain_once(es_client, ALIAS, **FAST)

    assert report.deleted == 2
    assert sorted(fake_es.documents(ALIAS)) == [f"{ana.id}-{here.id}"]


def test_writes_commit_and_rows_wait_while_elasticsearch_is_down(db, live, dead_es_url):
    (ana, _ben), _here, _there = live
    ana.gender = "female"
    db.session.commit()  # the write never depends on Elasticsearch
    client = bulk_client(
        {"ELASTICSEARCH_URL": dead_es_url, "ELASTICSEARCH_BULK_TIMEOUT_SECONDS": 1}
    )
    now = utcnow()

    report = drain_once(client, ALIAS, now=now, **FAST)

    assert report.failed == {ana.id: "ConnectionError"}
    (row,) = rows(db)
    assert (row.attempts, row.last_error) == (1, "ConnectionError")
    assert as_utc(row.available_at) == now + timedelta(seconds=backoff_seconds(1))
    assert drain_once(client, ALIAS, now=now + timedelta(seconds=1)).claimed == 0


def test_rows_are_retried_after_the_backoff_and_then_settle(db, live, es_client, dead_es_url):
    (ana, _ben), _here, _there = live
    ana.gender = "male"
    db.session.commit()
    dead = bulk_client({"ELASTICSEARCH_URL": dead_es_url, "ELASTICSEARCH_BULK_TIMEOUT_SECONDS": 1})
    now = utcnow()
    drain_once(dead, ALIAS, now=now, **FAST)
    drain_once(dead, ALIAS, now=now + timedelta(seconds=6), **FAST)
    assert rows(db)[0].attempts == 2

    later = now + timedelta(seconds=6 + backoff_seconds(2))
    report = drain_once(es_client, ALIAS, now=later, **FAST)

    assert (report.claimed, report.failed) == (1, {})
    assert rows(db) == []


def test_a_timeout_reschedules_like_a_refusal(db, live, es_config, fake_es):
    (ana, _ben), _here, _there = live
    ana.wait_days = 1
    db.session.commit()
    fake_es.delay_seconds = 1.0
    slow = bulk_client({**es_config, "ELASTICSEARCH_BULK_TIMEOUT_SECONDS": 0.2})

    report = drain_once(slow, ALIAS, **FAST)

    assert report.failed == {ana.id: "ConnectionTimeout"}
    assert rows(db)[0].last_error == "ConnectionTimeout"
    fake_es.delay_seconds = 0


def test_partial_bulk_failure_reschedules_only_the_rejected_clinician(db, live, es_client, fake_es):
    (ana, ben), here, _there = live
    ana.wait_days, ben.wait_days = 2, 3
    db.session.commit()
    fake_es.always_rejected = {f"{ana.id}-{here.id}"}
    fake_es.item_rejections = 1  # one more 429 that the bulk helper's retry absorbs

    report = drain_once(es_client, ALIAS, **FAST)

    assert report.failed == {ana.id: "es_rejected_execution_exception 429"}
    assert [(r.clinician_id, r.attempts) for r in rows(db)] == [(ana.id, 1)]
    assert fake_es.documents(ALIAS)[f"{ben.id}-{here.id}"]["wait_days"] == 3


def test_an_older_write_loses_to_a_newer_one(db, live, es_client, fake_es):
    (ana, _ben), here, _there = live
    doc_id = f"{ana.id}-{here.id}"
    current = fake_es.documents(ALIAS)[doc_id]

    settled, failed = send(
        es_client, [index_action(ALIAS, doc_id, current | {"wait_days": 99}, 5)], **FAST
    )

    assert (settled, failed) == (1, [])  # a 409 conflict settles: the index is newer
    assert fake_es.documents(ALIAS)[doc_id]["wait_days"] is None
    assert external_version() > 5


def test_changes_during_a_build_reach_the_new_index_too(db, live, es_client, fake_es):
    (ana, _ben), here, _there = live
    create_building_index(es_client, ALIAS, "test-clinicians-next")
    ana.wait_days = 8
    db.session.commit()

    drain_once(es_client, ALIAS, **FAST)

    doc_id = f"{ana.id}-{here.id}"
    assert fake_es.documents(ALIAS)[doc_id]["wait_days"] == 8
    assert fake_es.documents(building_alias(ALIAS))[doc_id]["wait_days"] == 8


def test_without_an_index_rows_wait_for_a_reindex(db, es_app, es_client):
    add_clinician(1, [add_location(42.35, -71.07)])
    db.session.commit()

    report = drain_once(es_client, ALIAS, **FAST)

    assert list(report.failed.values()) == ["NoIndex"]
    assert rows(db)[0].last_error == "NoIndex"


def test_sync_once_command_drains_what_is_due(db, live, runner, fake_es):
    (ana, ben), _here, _there = live
    ana.wait_days, ben.wait_days = 6, 7
    db.session.commit()

    result = runner.invoke(args=["search", "sync", "--once"])

    assert result.exit_code == 0, result.output
    assert "indexed 3, deleted 0, rescheduled 0" in result.output
    assert rows(db) == []


def test_worker_idles_when_nothing_is_due_and_stops_when_told(db, live, es_client):
    naps: list[float] = []

    run_worker(es_client, ALIAS, lambda: len(naps) >= 2, poll_seconds=0.5, sleep=naps.append)

    assert naps == [0.5, 0.5]


def test_backoff_doubles_up_to_a_cap():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert backoff_seconds(50) == 15 * 60


def test_sync_worker_command_touches_its_heartbeat_and_stops_on_sigterm(
    db, live, runner, tmp_path, monkeypatch
):
    beat = tmp_path / "alive"
    handlers = {}
    monkeypatch.setattr("signal.signal", lambda signum, handler: handlers.update({signum: handler}))
    naps = []

    def nap(seconds):
        naps.append(seconds)
        handlers[signal.SIGTERM](signal.SIGTERM, None)  # as `docker stop` would

    monkeypatch.setattr("search.sync.time.sleep", nap)

    result = runner.invoke(args=["search", "sync", "--heartbeat", str(beat)])

    assert result.exit_code == 0, result.output
    assert beat.exists() and naps == [1.0]
