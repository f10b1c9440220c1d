"""Writes that bypass the ORM outbox (bulk loads, Core statements) still reach Elasticsearch."""

from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from directory.models import Clinician, ClinicianLocation, ClinicianTaxonomy, Location
from directory.models.verification import utcnow
from search.changefeed import follow_changes
from search.lifecycle import reindex
from search.models import SearchFeedPosition, SearchOutbox
from search.sync import drain_once
from tests.matching.match_directory import add_clinician, add_location
from tests.search.conftest import ALIAS

FAST = {"initial_backoff": 0.01}


def waiting(db) -> list[int]:
    """Clinician ids of outbox rows, in id order."""
    db.session.expire_all()
    return list(db.session.scalars(select(SearchOutbox.clinician_id).order_by(SearchOutbox.id)))


def clear_outbox(db) -> None:
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()


@pytest.fixture
def followed(db, es_app, es_client):
    """Two clinicians indexed, the change log followed from now, the outbox empty."""
    here, there = add_location(42.35, -71.07), add_location(42.37, -71.11)
    ids = [add_clinician(1, [here, there]).id, add_clinician(2, [here]).id]
    db.session.commit()
    reindex(es_client, ALIAS)
    follow_changes()  # the first look stores where the log is
    clear_outbox(db)
    return ids, here.id, there.id


def test_the_first_look_stores_the_position_and_queues_nothing(db, es_app):
    add_clinician(1, [add_location(42.35, -71.07)])
    db.session.commit()
    clear_outbox(db)

    result = follow_changes()

    assert (result.changed, result.queued, result.everything) == (0, 0, False)
    assert db.session.get(SearchFeedPosition, 1) is not None
    assert waiting(db) == []


def test_a_core_update_is_queued_and_reaches_the_index(db, followed, es_client, fake_es):
    (ana, _ben), here, _there = followed
    db.session.execute(update(Clinician).where(Clinician.id == ana).values(wait_days=9))
    db.session.commit()
    assert waiting(db) == []  # the ORM listener never saw it

    result = follow_changes()
    report = drain_once(es_client, ALIAS, **FAST)

    assert (result.changed, result.queued, result.everything) == (1, 1, False)
    assert report.documents == 2
    assert fake_es.documents(ALIAS)[f"{ana}-{here}"]["wait_days"] == 9
    assert waiting(db) == []
    assert follow_changes().queued == 0  # read once, never again


def test_a_bulk_loaded_clinician_reaches_the_index(db, followed, es_client, fake_es):
    _ids, here, _there = followed
    new_id = db.session.execute(
        insert(Clinician)
        .values(npi="1999999999", first_name="Dana", last_name="Reyes", active=True)
        .returning(Clinician.id)
    ).scalar_one()
    db.session.execute(
        insert(ClinicianTaxonomy).values(clinician_id=new_id, code="101YM0800X", is_primary=True)
    )
    db.session.execute(insert(ClinicianLocation).values(clinician_id=new_id, location_id=here))
    db.session.commit()

    assert follow_changes().queued == 1
    drain_once(es_client, ALIAS, **FAST)

    assert f"{new_id}-{here}" in fake_es.documents(ALIAS)


def test_a_clinician_already_waiting_is_not_queued_twice(db, followed):
    (ana, _ben), _here, _there = followed
    db.session.get(Clinician, ana).wait_days = 3  # the ORM listener queues it
    db.session.commit()

    result = follow_changes()

    assert (result.changed, result.queued) == (1, 0)
    assert waiting(db) == [ana]


def test_a_leased_row_does_not_stand_for_a_later_change(db, followed):
    (ana, _ben), _here, _there = followed
    db.session.get(Clinician, ana).wait_days = 3
    db.session.commit()
    # A worker leased the row (and may have read the documents before the change below).
    db.session.execute(update(SearchOutbox).values(available_at=utcnow() + timedelta(minutes=2)))
    db.session.execute(update(Clinician).where(Clinician.id == ana).values(wait_days=5))
    db.session.commit()

    assert follow_changes().queued == 1
    assert waiting(db) == [ana, ana]


def test_a_moved_location_queues_everyone_practising_there(db, followed):
    (ana, ben), here, _there = followed
    db.session.execute(update(Location).where(Location.id == here).values(line1="2 Elm St"))
    db.session.commit()

    assert follow_changes().queued == 2
    assert sorted(waiting(db)) == [ana, ben]


@pytest.mark.parametrize(("idle_seconds", "everything"), [(43_200, False), (43_201, True)])
def test_a_reader_idle_over_twelve_hours_queues_everyone(db, followed, idle_seconds, everything):
    (ana, ben), _here, _there = followed
    row = db.session.get(SearchFeedPosition, 1)
    now = utcnow()
    row.read_at = now - timedelta(seconds=idle_seconds)
    db.session.commit()

    result = follow_changes(now)

    assert result.everything is everything
    assert sorted(waiting(db)) == ([ana, ben] if everything else [])


def test_reindex_command_stores_where_the_log_was_when_it_began(db, es_app, runner, fake_es):
    here = add_location(42.35, -71.07)
    ana = add_clinician(1, [here]).id
    db.session.commit()
    clear_outbox(db)

    built = runner.invoke(args=["search", "reindex"])
    db.session.execute(update(Clinician).where(Clinician.id == ana).values(wait_days=11))
    db.session.commit()
    synced = runner.invoke(args=["search", "sync", "--once"])

    assert built.exit_code == 0, built.output
    assert synced.exit_code == 0, synced.output
    assert "change log: 1 clinicians queued" in synced.output
    assert "indexed 1, deleted 0, rescheduled 0" in synced.output
    assert fake_es.documents(ALIAS)[f"{ana}-{here.id}"]["wait_days"] == 11
