"""A load's SQLite connection keeps a larger page cache for the load, and only for it."""

import threading

import pytest

from ingest.sqlite_rows import page_cache_for_load


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
