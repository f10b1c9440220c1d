"""The program index follows every write: loads, raw SQL, deletes; never a transaction's own."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, text, update

from directory.extensions import db
from programs.changes import read_stamp
from programs.index.keeper import program_index
from programs.models import ProgramLocation, ProgramSite
from programs.needs import ProgramNeedsSchema
from programs.search import find_programs
from tests.programs.seed import MILE, program, save

NOW = datetime(2026, 12, 2, 0, 30, tzinfo=UTC)


def _names(**body) -> list[str]:
    needs = ProgramNeedsSchema().load({"postal_code": "02139", "needs": ["food"], **body})
    return [f.service.name for f in find_programs(needs, NOW).results]


def _stamp() -> int | None:
    return read_stamp(db.session.connection())


def test_a_load_after_the_index_is_built_is_found_by_the_next_search(app):
    save(program("first pantry", 1, needs=["food"]))
    assert _names() == ["first pantry"]
    built = program_index.keeper(app).snapshot

    save(program("second pantry", 0.5, needs=["food"]))

    assert _names() == ["second pantry", "first pantry"]
    assert program_index.keeper(app).snapshot is not built


def test_raw_sql_moves_and_deletes_are_seen(app):
    save(program("pantry", 1, needs=["food"]), program("far pantry", 2, needs=["food"]))
    assert _names() == ["pantry", "far pantry"]

    with db.engine.begin() as connection:  # an operator's SQL, past the ORM
        connection.execute(
            update(ProgramLocation)
            .where(ProgramLocation.external_id == "test:pantry")
            .values(lat=ProgramLocation.lat + 2 * MILE)
        )
    assert _names() == ["far pantry", "pantry"]

    with db.engine.begin() as connection:
        connection.execute(delete(ProgramSite).where(ProgramSite.external_id == "test:far pantry"))
    assert _names() == ["pantry"]


def test_a_transaction_sees_its_own_uncommitted_programs_and_the_index_stays_committed(app):
    save(program("pantry", 1, needs=["food"]))
    assert _names() == ["pantry"]
    committed = program_index.keeper(app).snapshot

    db.session.execute(
        update(ProgramLocation)
        .where(ProgramLocation.external_id == "test:pantry")
        .values(lat=ProgramLocation.lat + 40 * MILE)
    )  # not committed

    assert _names() == []  # SQL, in this transaction, sees the move
    assert program_index.keeper(app).snapshot is committed
    db.session.rollback()
    assert _names() == ["pantry"]
    assert program_index.keeper(app).snapshot is committed


def test_many_sites_build_in_the_background_while_sql_answers(app):
    app.config["PROGRAM_INDEX_INLINE_MAX"] = 1
    save(program("pantry", 1, needs=["food"]), program("far pantry", 2, needs=["food"]))

    assert _names() == ["pantry", "far pantry"]  # from SQL, the build started
    keeper = program_index.keeper(app)
    assert keeper.wait(timeout=30)
    assert keeper.state == "ready"
    assert keeper.snapshot.stamp == _stamp()
    assert _names() == ["pantry", "far pantry"]  # from the index


def test_program_index_off_never_builds(app):
    app.config["PROGRAM_INDEX"] = "off"
    save(program("pantry", 1, needs=["food"]))

    assert _names() == ["pantry"]
    assert program_index.keeper(app) is None
    assert "program_index" not in app.extensions


WRITES = {
    "program_service": (
        "UPDATE program_service SET name = 'renamed'",
        "DELETE FROM program_service",
    ),
    "program_site": ("UPDATE program_site SET hours = '[]'", "DELETE FROM program_site"),
    "program_location": ("UPDATE program_location SET lat = 10", "DELETE FROM program_location"),
}


@pytest.mark.parametrize(
    "statement", [s for pair in WRITES.values() for s in pair], ids=lambda s: s[:30]
)
def test_every_write_to_a_searched_table_moves_the_stamp(app, statement):
    save(program("pantry", 1, needs=["food"]))
    before = _stamp()

    db.session.execute(text(statement))

    assert before is not None
    assert _stamp() != before


def test_an_insert_moves_the_stamp_and_the_organization_table_does_not(app):
    before = _stamp()  # None on SQLite (emptied); PostgreSQL's TRUNCATE trigger wrote one
    save(program("pantry", 1, needs=["food"]))
    after_insert = _stamp()

    db.session.execute(text("UPDATE program_organization SET name = 'renamed'"))

    assert after_insert not in (None, before)
    assert _stamp() == after_insert
