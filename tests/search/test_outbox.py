"""The outbox records changed listings in the writing transaction, once per clinician."""

import pytest
from sqlalchemy import select

from directory.models import ClinicianLanguage, ClinicianLocation, Location
from search.models import SearchOutbox
from tests.matching.match_directory import add_clinician, add_location, add_network


def queued(db) -> list[int]:
    """Clinician ids in the outbox, in row order."""
    return list(db.session.scalars(select(SearchOutbox.clinician_id).order_by(SearchOutbox.id)))


@pytest.fixture
def outbox_on(app):
    app.config["SEARCH_OUTBOX"] = True
    return app


def test_off_by_default_with_the_embedded_backend(app, db):
    assert app.config["SEARCH_OUTBOX"] is False
    add_clinician(1, [add_location(42.35, -71.07)])
    db.session.commit()

    assert queued(db) == []


def test_a_new_clinician_with_its_lists_is_queued_once(outbox_on, db):
    add_network("GoldNet")
    c = add_clinician(1, [add_location(42.35, -71.07)], ["GoldNet"], ["es", "en"], ["MA"])
    db.session.commit()

    assert queued(db) == [c.id]


def test_rows_are_written_in_the_same_transaction(outbox_on, db):
    add_clinician(1, [add_location(42.35, -71.07)])
    db.session.rollback()

    assert queued(db) == []


def test_a_change_to_a_clinician_or_its_lists_is_queued(outbox_on, db):
    c = add_clinician(1, [add_location(42.35, -71.07)], languages=["en"])
    db.session.commit()
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()

    c.wait_days = 3
    db.session.commit()
    c.languages.append(ClinicianLanguage(code="pt"))
    db.session.commit()
    c.languages.pop(0)  # a delete-orphan
    db.session.commit()

    assert queued(db) == [c.id, c.id, c.id]


def test_an_unchanged_flush_queues_nothing(outbox_on, db):
    c = add_clinician(1, [add_location(42.35, -71.07)], wait_days=3)
    db.session.commit()
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()

    assert c.wait_days == 3  # loaded, so setting it again is no change
    c.wait_days = 3
    db.session.commit()

    assert queued(db) == []


def test_a_location_change_queues_every_clinician_there(outbox_on, db):
    shared = add_location(42.35, -71.07)
    a = add_clinician(1, [shared])
    b = add_clinician(2, [shared])
    add_clinician(3, [add_location(42.0, -71.0)])
    db.session.commit()
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()

    db.session.get(Location, shared.id).evening_hours = True
    db.session.commit()

    assert sorted(queued(db)) == sorted([a.id, b.id])


def test_deleting_a_practice_link_or_the_clinician_is_queued(outbox_on, db):
    here = add_location(42.35, -71.07)
    c = add_clinician(1, [here, add_location(42.0, -71.0)])
    db.session.commit()
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()
    clinician_id = c.id

    link = db.session.scalars(
        select(ClinicianLocation).where(ClinicianLocation.location_id == here.id)
    ).one()
    db.session.delete(link)
    db.session.commit()
    db.session.delete(c)
    db.session.commit()

    assert queued(db) == [clinician_id, clinician_id]


def test_one_row_per_clinician_per_transaction(outbox_on, db):
    c = add_clinician(1, [add_location(42.35, -71.07)], languages=["en"])
    db.session.commit()
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()

    c.wait_days = 9
    c.gender = "female"
    c.languages.append(ClinicianLanguage(code="fr"))
    c.locations[0].accepting_new_patients = False
    db.session.commit()

    assert queued(db) == [c.id]
