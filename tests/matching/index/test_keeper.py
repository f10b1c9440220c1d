"""The index stays current: every kind of write reaches the next search through the log."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from directory.models import ClinicianLanguage, ClinicianLocation
from matching.index.backend import IndexedBackend
from matching.index.feed import STALE_READER_SECONDS
from matching.index.keeper import IndexKeeper, Settings
from matching.service import find_matches
from matching.signals import no_signals
from tests.matching.match_directory import NOW, add_clinician, add_location, add_plan
from tests.matching.test_embedded import load


@pytest.fixture
def directory(db):
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    boston = add_location(42.35, -71.07, state="MA", postal_code="02116")
    people = {
        "ana": add_clinician(1, [boston], ["GoldNet"], ["es"]),
        "ben": add_clinician(2, [boston], ["GoldNet"], ["en"]),
    }
    db.session.commit()
    return {**people, "boston": boston}


def search(db, keeper, **needs):
    backend = IndexedBackend(keeper, db.session, NOW)
    page = find_matches(load(db, max_distance_miles=10, **needs), backend, no_signals, NOW)
    return sorted(m.candidate.name for m in page.results), backend.answered_by


def test_a_committed_orm_change_reaches_the_next_search(db, directory):
    keeper = IndexKeeper(db.engine)
    assert search(db, keeper) == (["Pat Clinician1", "Pat Clinician2"], "index")

    directory["ben"].accepting_new_patients = False
    db.session.commit()

    assert search(db, keeper) == (["Pat Clinician1"], "index")
    assert keeper.snapshot.changed == {directory["ben"].id}


def test_child_rows_new_clinicians_and_deletes(db, directory):
    keeper = IndexKeeper(db.engine)
    search(db, keeper)

    directory["ben"].languages.append(ClinicianLanguage(code="es"))
    carl = add_clinician(3, [directory["boston"]], ["GoldNet"], ["es"])
    db.session.commit()
    assert search(db, keeper, languages=["es"], required=["languages"])[0] == [
        "Pat Clinician1", "Pat Clinician2", "Pat Clinician3"
    ]  # fmt: skip

    db.session.delete(carl)
    db.session.commit()
    assert search(db, keeper)[0] == ["Pat Clinician1", "Pat Clinician2"]


def test_core_and_raw_sql_writes_are_seen_too(db, directory):
    keeper = IndexKeeper(db.engine)
    search(db, keeper)

    db.session.execute(text("UPDATE clinician SET active = false WHERE npi = :npi"),
                       {"npi": directory["ana"].npi})  # fmt: skip
    db.session.execute(
        ClinicianLocation.__table__.delete().where(
            ClinicianLocation.clinician_id == directory["ben"].id
        )
    )
    db.session.commit()

    assert search(db, keeper) == ([], "index")


def test_moving_a_location_moves_its_clinicians(db, directory):
    keeper = IndexKeeper(db.engine)
    search(db, keeper)

    directory["boston"].lat, directory["boston"].lon = 42.2626, -71.8023  # Worcester, 37 mi
    db.session.commit()

    assert search(db, keeper) == ([], "index")


def test_uncommitted_listing_writes_are_answered_from_sql(db, directory):
    keeper = IndexKeeper(db.engine)
    search(db, keeper)

    directory["ana"].accepting_new_patients = False
    db.session.flush()
    assert search(db, keeper) == (["Pat Clinician2"], "sql")  # the session sees its own write

    db.session.rollback()
    assert search(db, keeper) == (["Pat Clinician1", "Pat Clinician2"], "index")


def test_too_many_changes_rebuild_the_base(db, directory):
    keeper = IndexKeeper(db.engine, Settings(delta_max=1))
    first = search(db, keeper) and keeper.snapshot.base

    directory["ana"].wait_days = 3
    directory["ben"].wait_days = 4
    db.session.commit()

    assert search(db, keeper) == (["Pat Clinician1", "Pat Clinician2"], "index")
    assert keeper.snapshot.base is not first and keeper.snapshot.delta is None


def test_a_big_directory_answers_from_sql_while_the_base_builds(db, directory):
    keeper = IndexKeeper(db.engine, Settings(inline_max=1))

    assert search(db, keeper) == (["Pat Clinician1", "Pat Clinician2"], "sql")
    assert keeper.wait(timeout=30)
    assert keeper.state == "ready"
    assert search(db, keeper) == (["Pat Clinician1", "Pat Clinician2"], "index")


def test_a_reader_that_stopped_looking_starts_over(db, directory):
    keeper = IndexKeeper(db.engine)
    search(db, keeper)
    first = keeper.snapshot.base

    keeper.looked_at = time.monotonic() - STALE_READER_SECONDS - 1
    directory["ana"].wait_days = 3
    db.session.commit()

    assert search(db, keeper)[1] == "index"
    assert keeper.snapshot.base is not first


def test_truncating_a_listing_table_starts_over(db, directory):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite deletes row by row, and logs each)")
    keeper = IndexKeeper(db.engine)
    search(db, keeper)
    first = keeper.snapshot.base

    db.session.execute(text("TRUNCATE clinician_language"))
    db.session.commit()

    assert search(db, keeper, languages=["es"], required=["languages"]) == ([], "index")
    assert keeper.snapshot.base is not first


def test_prune_keeps_recent_rows_and_the_newest(db, directory):
    keeper = IndexKeeper(db.engine)
    old = datetime.now(UTC) - timedelta(days=3)
    db.session.execute(text("UPDATE listing_change SET changed_at = :old"), {"old": old})
    db.session.commit()
    newest = db.session.execute(text("SELECT max(seq) FROM listing_change")).scalar()

    removed = keeper.prune(force=True)

    left = db.session.execute(text("SELECT seq FROM listing_change")).scalars().all()
    assert removed > 0 and left == [newest]
    directory["ana"].wait_days = 2
    db.session.commit()
    assert keeper.prune(force=True) == 1  # the old newest goes once a recent row exists
    assert keeper.prune(force=True) == 0
    assert search(db, keeper) == (["Pat Clinician1", "Pat Clinician2"], "index")


def test_a_child_build_matches_an_in_process_read(db, directory):
    from matching.index.builder import build_in_child, read_base

    (_, child), (_, here) = build_in_child(db.engine, timeout=60), read_base(db.engine)

    assert child.clinicians.ids.tolist() == here.clinicians.ids.tolist()
    assert child.clinicians.languages.codes(0) == here.clinicians.languages.codes(0)
    assert child.places.ids.tolist() == here.places.ids.tolist()


def test_when_no_child_can_build_the_worker_builds_itself(db, directory, monkeypatch):
    from matching.index import keeper as module
    from matching.index.builder import BuildFailed

    def fail(engine):
        raise BuildFailed("index build exited 1: no interpreter")

    monkeypatch.setattr(module, "build_in_child", fail)
    keeper = IndexKeeper(db.engine, Settings(inline_max=1))

    assert search(db, keeper)[1] == "sql"
    assert keeper.wait(timeout=30) and keeper.last_error is None
    assert search(db, keeper)[1] == "index"


def test_a_failed_build_is_not_retried_on_every_search(db, directory, monkeypatch):
    from matching.index import keeper as module

    calls = []

    def broken(engine):
        calls.append(1)
        raise RuntimeError("database is locked")

    monkeypatch.setattr(module, "read_base", broken)
    keeper = IndexKeeper(db.engine, Settings(inline_max=1, build_in_child=False))

    for _ in range(3):
        assert search(db, keeper)[1] == "sql"
        keeper.wait(timeout=30)

    assert len(calls) == 1 and "database is locked" in keeper.last_error
    assert keeper.state == "failed"


def test_prune_works_in_short_transactions(db, directory, monkeypatch):
    from matching.index import feed

    monkeypatch.setattr(feed, "PRUNE_BATCH", 2)
    for serial in range(3, 9):
        add_clinician(serial, [directory["boston"]], ["GoldNet"])
    db.session.commit()
    db.session.execute(text("UPDATE listing_change SET changed_at = :old"),
                       {"old": datetime.now(UTC) - timedelta(days=2)})  # fmt: skip
    db.session.commit()
    rows = db.session.execute(text("SELECT count(*) FROM listing_change")).scalar()

    assert IndexKeeper(db.engine).prune(force=True) == rows - 1
