"""Bulk INSERTs store what Core's INSERT stores, hand back ids in row order, keep settings."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select, text

from directory.models import Clinician, License, Location
from ingest.bulk import complete_rows, insert_rows, insert_rows_returning_ids
from ingest.sqlite_rows import journals_in_memory
from ingest.store import Batcher

_PLUS_TWO = timezone(timedelta(hours=2))
_NOON = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _places(prefix: str) -> list[dict]:
    """Locations whose values need converting: JSON, booleans, floats, times in two zones."""
    hours = [{"days": ["sat"], "opens": "09:00", "closes": "18:00"}]
    return [
        {"address_key": f"{prefix}-1", "hours": hours, "weekend_hours": True, "lat": 41.5},
        {"address_key": f"{prefix}-2", "accessibility": ["wheelchair"], "verified_at": _NOON},
        # The same instant as _NOON, written in another zone: stored as its own wall time.
        {"address_key": f"{prefix}-3", "verified_at": _NOON.astimezone(_PLUS_TWO)},
        {"address_key": f"{prefix}-4", "verified_at": _NOON, "phone": None, "lon": -90},
    ]


def _stored(db, prefix: str) -> list[tuple]:
    """Each row's stored values (and on SQLite their storage classes), id and key left out."""
    table = Location.__table__
    names = [c.name for c in table.columns if c.name not in ("id", "address_key")]
    if db.engine.dialect.name == "sqlite":
        names += [f"typeof({name})" for name in names]
    sql = f"SELECT {', '.join(names)} FROM location WHERE address_key LIKE :p ORDER BY address_key"
    return [tuple(row) for row in db.session.execute(text(sql), {"p": f"{prefix}-%"})]


def test_bulk_insert_stores_what_core_stores(db):
    now = datetime(2024, 6, 1, 8, 30, 15, 123456, tzinfo=UTC)
    core = [{"source": "nppes", "created_at": now, "updated_at": now} | r for r in _places("c")]
    # Core's own INSERT, as the loaders ran it before (uniform rows, Python defaults filled).
    db.session.execute(Location.__table__.insert(), complete_rows(Location.__table__, core)[1])
    bulk = [{"source": "nppes", "created_at": now, "updated_at": now} | r for r in _places("b")]
    insert_rows(Location.__table__, bulk)
    assert _stored(db, "b") == _stored(db, "c")


def test_new_ids_follow_the_rows(db):
    insert_rows(Location.__table__, [{"address_key": "first", "source": "nppes"}])
    rows = [{"address_key": f"k{i:03}", "source": "nppes"} for i in range(250)]
    ids = insert_rows_returning_ids(Location.__table__, rows)
    stored = dict(db.session.execute(select(Location.address_key, Location.id)).all())
    assert ids == [stored[f"k{i:03}"] for i in range(250)]
    assert len(set(ids)) == 250 and stored["first"] not in ids


def test_dates_and_lists_of_clinicians(db):
    rows = [
        {"npi": "1234567893", "last_name": "A", "source": "nppes", "credentials": ["LCSW"]},
        {"npi": "1245319599", "last_name": "B", "source": "nppes", "next_available_on": None},
        {"npi": "1679576722", "last_name": "C", "source": "nppes", "modalities": ["video"]},
    ]
    rows[0]["next_available_on"] = date(2024, 7, 1)
    ids = insert_rows_returning_ids(Clinician.__table__, rows)
    found = {c.id: c for c in db.session.scalars(select(Clinician))}
    assert [found[i].npi for i in ids] == ["1234567893", "1245319599", "1679576722"]
    assert found[ids[0]].credentials == ["LCSW"] and found[ids[1]].credentials == []
    assert found[ids[0]].next_available_on == date(2024, 7, 1)
    assert found[ids[2]].modalities == ["video"] and found[ids[2]].approaches == []


def test_each_row_is_logged_in_row_order(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's row triggers; PostgreSQL logs each statement's distinct clinicians")
    rows = [
        {"npi": npi, "last_name": "A", "source": "nppes"}
        for npi in ("1234567893", "1245319599", "1679576722")
    ]
    ids = insert_rows_returning_ids(Clinician.__table__, rows)
    # 120 rows: two full statements of 50 and a shorter last one.
    licenses = [{"clinician_id": ids[i % 3], "state": "MA", "number": f"N{i}"} for i in range(120)]
    insert_rows(License.__table__, licenses)
    logged = db.session.execute(text("SELECT clinician_id FROM listing_change ORDER BY seq"))
    assert [id_ for (id_,) in logged] == [row["clinician_id"] for row in licenses]
    stored = db.session.execute(text("SELECT clinician_id, number FROM license ORDER BY id"))
    assert [tuple(row) for row in stored] == [(r["clinician_id"], r["number"]) for r in licenses]


@pytest.mark.parametrize("limit", [30, 100])
def test_statements_stay_within_the_parameter_limit(db, monkeypatch, limit):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite path")
    # SQLite before 3.32 takes 999 parameters a statement; here 30 or 100.
    monkeypatch.setattr(db.engine.dialect, "insertmanyvalues_max_parameters", limit)
    parameters = []

    def note(_conn, _cursor, _sql, params, _context, _many) -> None:
        parameters.append(params)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        rows = [{"address_key": f"p{i:02}", "source": "nppes"} for i in range(12)]
        ids = insert_rows_returning_ids(Location.__table__, rows)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    per_row = len(Location.__table__.columns) - 1  # all but the id
    assert max(len(params) for params in parameters) == limit // per_row * per_row
    stored = dict(db.session.execute(select(Location.address_key, Location.id)).all())
    assert ids == [stored[f"p{i:02}"] for i in range(12)]


def test_journals_in_memory_for_the_batch_only(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite setting")
    connection = db.session.connection()
    before = connection.exec_driver_sql("PRAGMA temp_store").scalar_one()
    with journals_in_memory():
        assert connection.exec_driver_sql("PRAGMA temp_store").scalar_one() == 2
        insert_rows(Location.__table__, [{"address_key": "k", "source": "nppes"}])
    assert connection.exec_driver_sql("PRAGMA temp_store").scalar_one() == before
    db.session.commit()


def _setting(db, name: str) -> int:
    return db.session.connection().exec_driver_sql(f"PRAGMA {name}").scalar_one()


def test_batches_write_with_journals_in_memory_and_checkpoints_spaced(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
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


def test_a_refused_batch_puts_the_checkpoint_setting_back(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite setting")

    def save(items: list) -> None:
        raise RuntimeError("the batch failed")

    batcher = Batcher(save, size=1)
    with pytest.raises(RuntimeError, match="the batch failed"):
        batcher.add("a")
    assert _setting(db, "wal_autocheckpoint") == 1000
