"""A load's SQLite settings: a larger page cache, journals in memory, checkpoints spaced;
for the load (or its batch) only, put back after."""

import threading

import pytest
from sqlalchemy import text

from directory.models import Location
from ingest.bulk import insert_rows
from ingest.sqlite_rows import journals_in_memory, page_cache_for_load
from ingest.store import Batcher


def _cache_size(db) -> int:
    return db.session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one()


@pytest.fixture
def sqlite(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite setting")
    return db


def test_sixteen_mib_for_the_load_then_what_it_was(sqlite):
    before = _cache_size(sqlite)
    assert before == -2000  # SQLite's default: 2,000 KiB

    with page_cache_for_load():
        assert _cache_size(sqlite) == -16384
        sqlite.session.commit()  # a batch's commit hands the connection back: it keeps it
        assert _cache_size(sqlite) == -16384

    assert _cache_size(sqlite) == before


def test_left_alone_off_the_main_thread(sqlite, app):
    seen = []

    def load():
        with app.app_context():
            with page_cache_for_load():
                seen.append(_cache_size(sqlite))
            sqlite.session.remove()

    thread = threading.Thread(target=load)
    thread.start()
    thread.join()
    assert seen == [-2000]


def test_nothing_to_set_on_postgresql(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the PostgreSQL path")
    with page_cache_for_load():
        assert db.session.connection().exec_driver_sql("SELECT 1").scalar_one() == 1


def test_journals_in_memory_for_the_batch_only(sqlite):
    db = sqlite
    connection = db.session.connection()
    before = connection.exec_driver_sql("PRAGMA temp_store").scalar_one()
    with journals_in_memory():
        assert connection.exec_driver_sql("PRAGMA temp_store").scalar_one() == 2
        insert_rows(Location.__table__, [{"address_key": "k", "source": "nppes"}])
    assert connection.exec_driver_sql("PRAGMA temp_store").scalar_one() == before
    db.session.commit()


def _setting(db, name: str) -> int:
    return db.session.connection().exec_driver_sql(f"PRAGMA {name}").scalar_one()


def test_batches_write_with_journals_in_memory_and_checkpoints_spaced(sqlite):
    db = sqlite
    assert _setting(db, "wal_autocheckpoint") == 1000  # SQLite's own
    seen = []

    def save(items: list) -> None:
        seen.append((_setting(db, "temp_store"), _setting(db, "wal_autocheckpoint")))
        insert_rows(Location.__table__, [{"address_key": k, "source": "nppes"} for k in items])

    batcher = Batcher(save, size=2)
    for key in ("a", "b", "c"):
        batcher.add(key)
    batcher.flush()
    assert seen == [(2, 10_000), (2, 10_000)]
    assert (_setting(db, "temp_store"), _setting(db, "wal_autocheckpoint")) == (0, 1000)
    assert db.session.scalar(text("SELECT count(*) FROM location")) == 3


def test_a_refused_batch_puts_the_checkpoint_setting_back(sqlite):
    db = sqlite

    def save(items: list) -> None:
        raise RuntimeError("the batch failed")

    batcher = Batcher(save, size=1)
    with pytest.raises(RuntimeError, match="the batch failed"):
        batcher.add("a")
    assert _setting(db, "wal_autocheckpoint") == 1000
