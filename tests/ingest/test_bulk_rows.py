"""Bulk INSERTs store what Core's INSERT stores and hand back ids in row order."""

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, event, select, text

from directory.models import Clinician, License, Location
from ingest.bulk import complete_rows, insert_rows, insert_rows_returning_ids
from ingest.sqlite_rows import driver_values

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


@contextmanager
def _probe(db, name: str, *columns):
    """A throwaway table (an id and `columns`) for the length of the block."""
    table = Table(name, MetaData(), Column("id", Integer, primary_key=True), *columns)
    connection = db.session.connection()
    table.create(connection)
    try:
        yield table
    finally:
        table.drop(connection)


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
    per_row = len(parameters[0])  # the first statement is one row
    assert per_row == 9  # the columns not NULL in every row
    assert max(len(params) for params in parameters) == limit // per_row * per_row
    stored = dict(db.session.execute(select(Location.address_key, Location.id)).all())
    assert ids == [stored[f"p{i:02}"] for i in range(12)]


def _statements(db, write) -> list[str]:
    """The SQL of each statement `write()` runs."""
    found = []

    def note(_conn, _cursor, sql, _params, _context, _many) -> None:
        found.append(sql)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        write()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return found


def test_columns_null_in_every_row_are_left_out_and_stored_null(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite path (PostgreSQL copies every column)")
    (clinician,) = insert_rows_returning_ids(
        Clinician.__table__, [{"npi": "1234567893", "last_name": "A", "source": "nppes"}]
    )
    bare = [{"clinician_id": clinician, "state": "MA", "number": f"B{i}"} for i in range(3)]
    dated = [dict(bare[0], number="D1"), dict(bare[0], number="D2", expires_on=date(2027, 1, 2))]

    left_out = _statements(db, lambda: insert_rows(License.__table__, bare))
    named = _statements(db, lambda: insert_rows(License.__table__, dated))

    assert [("expires_on" in sql, "license_type" in sql) for sql in left_out] == [(False, False)]
    assert [("expires_on" in sql, "license_type" in sql) for sql in named] == [(True, False)]
    stored = db.session.execute(
        text("SELECT number, expires_on, typeof(license_type) FROM license ORDER BY number")
    )
    assert [tuple(row) for row in stored] == [
        ("B0", None, "null"),
        ("B1", None, "null"),
        ("B2", None, "null"),
        ("D1", None, "null"),
        ("D2", "2027-01-02", "null"),
    ]


def test_rows_naming_different_columns_each_keep_their_own(db):
    (clinician,) = insert_rows_returning_ids(
        Clinician.__table__, [{"npi": "1234567893", "last_name": "A", "source": "nppes"}]
    )
    base = {"clinician_id": clinician, "state": "MA"}
    # As many keys in each row, not the same ones: neither row's value reaches the other.
    rows = [
        base | {"number": "E1", "expires_on": date(2027, 1, 2)},
        base | {"number": "T1", "license_type": "LICSW"},
        base | {"number": "E2", "expires_on": date(2027, 3, 4)},
    ]
    insert_rows(License.__table__, rows)
    columns = (License.number, License.expires_on, License.license_type)
    stored = db.session.execute(select(*columns).order_by(License.number))
    assert [tuple(row) for row in stored] == [
        ("E1", date(2027, 1, 2), None),
        ("E2", date(2027, 3, 4), None),
        ("T1", None, "LICSW"),
    ]


def test_a_null_column_stays_where_leaving_it_out_would_store_something_else(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite path")
    kind = Column("kind", String(8), server_default="given")  # left out: 'given'
    extra = Column("extra", JSON)  # Core binds None as the JSON text 'null'
    with _probe(db, "bulk_default_probe", kind, extra, Column("label", String(8))) as table:
        connection = db.session.connection()
        empty = {"kind": None, "extra": None, "label": None}
        sql = _statements(db, lambda: insert_rows(table, [empty]))
        insert_rows(table, [empty | {"label": "a"}])
        stored = connection.exec_driver_sql(
            "SELECT kind, extra, typeof(extra), label FROM bulk_default_probe ORDER BY id"
        )
        assert [tuple(row) for row in stored] == [
            (None, "null", "text", None),
            (None, "null", "text", "a"),
        ]
        assert [("kind" in s, "extra" in s, "label" in s) for s in sql] == [(True, True, False)]


def test_rows_null_in_every_column_insert_one_row_each(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite path")
    columns = (Column("label", String(8)), Column("note", String(8)))
    with _probe(db, "bulk_null_probe", *columns) as table:
        connection = db.session.connection()
        empty = {"label": None, "note": None}
        sql = _statements(db, lambda: insert_rows_returning_ids(table, [empty, empty]))
        stored = connection.exec_driver_sql("SELECT id, label, note FROM bulk_null_probe")
        assert [tuple(row) for row in stored] == [(1, None, None), (2, None, None)]
        assert [("label" in s, "note" in s) for s in sql if s.startswith("INSERT")] == [
            (True, False),
            (True, False),
        ]


@pytest.mark.parametrize(
    "value",
    [
        ["LCSW", "PhD"],
        [],
        None,
        {"a": 1.5, "b": None, "c": True, "ü": "é\u2028"},
        [{"days": ["sat"], "opens": "09:00", "closes": "18:00"}],
        [1e300, -0.0, 10**20, float("nan")],
        ("a tuple", 1),
    ],
    ids=["list", "empty", "none", "dict", "nested", "numbers", "tuple"],
)
def test_json_values_bind_as_core_binds_them(db, value):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite path (PostgreSQL copies JSON text itself)")
    table, dialect = Location.__table__, db.engine.dialect
    core = table.c.hours.type._cached_bind_processor(dialect)

    names, (bulk,) = driver_values(table, {"hours": None}, [{"hours": value}], dialect)

    assert (names, bulk) == (["hours"], (core(value),))


def test_a_value_json_cannot_hold_is_refused_as_core_refuses_it(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite path")
    table, dialect = Location.__table__, db.engine.dialect

    with pytest.raises(TypeError, match="Object of type date is not JSON serializable"):
        driver_values(table, {"hours": None}, [{"hours": [date(2024, 1, 2)]}], dialect)
