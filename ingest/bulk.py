"""SQL for large batches: multi-row INSERTs (COPY on PostgreSQL) and long IN lists."""

import json

from sqlalchemy import JSON, Table, bindparam, func, select

from directory.extensions import db
from ingest.sqlite_rows import sqlite_insert, sqlite_insert_returning_ids


def in_list(column, values: list):
    """`column IN (...)` with the values inline, planned for these values every time."""
    # psycopg prepares a statement run 5 times; PostgreSQL may then keep a generic plan made
    # while the table was small (a scan), which turns a long load quadratic.
    return column.in_(bindparam(None, list(values), expanding=True, literal_execute=True))


def _default(column):
    """The Python-side default of `column` (COPY does not apply them), or None."""
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)  # SQLAlchemy wraps zero-argument callables to take a context
    return default.arg if default.is_scalar else None


def column_defaults(table: Table, rows: list[dict]) -> dict:
    """Each column the rows are written to (all but an absent id), with its default value."""
    with_id = "id" in rows[0]
    # One default per batch: the same timestamp, and lists that are only serialized.
    return {c.key: _default(c) for c in table.columns if c.key != "id" or with_id}


def complete_rows(table: Table, rows: list[dict]) -> tuple[list[str], list[dict]]:
    """Rows with every column but an absent id filled, so each statement is uniform."""
    defaults = column_defaults(table, rows)
    return list(defaults), [defaults | row for row in rows]


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def insert_rows(table: Table, rows: list[dict]) -> None:
    """INSERT `rows` (dicts by column name) in the current transaction."""
    if not rows:
        return
    if not _is_postgresql():
        sqlite_insert(table, column_defaults(table, rows), rows)
        return
    names, rows = complete_rows(table, rows)
    # COPY: psycopg re-parses every multi-row VALUES statement, ~1 µs per placeholder.
    json_columns = {c.key for c in table.columns if isinstance(c.type, JSON)}
    cursor = db.session.connection().connection.driver_connection.cursor()
    quoted = ", ".join(f'"{name}"' for name in names)
    with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[n]) if n in json_columns else row[n] for n in names])


def insert_rows_returning_ids(table: Table, rows: list[dict]) -> list[int]:
    """INSERT `rows` and return their new ids, in order."""
    if not rows:
        return []
    if not _is_postgresql():
        return sqlite_insert_returning_ids(table, column_defaults(table, rows), rows)
    # Reserve the ids from the column's sequence, then COPY rows that carry them.
    sequence = func.pg_get_serial_sequence(table.name, "id")
    ids = list(
        db.session.scalars(
            select(func.nextval(sequence)).select_from(func.generate_series(1, len(rows)))
        )
    )
    for row, id_ in zip(rows, ids, strict=True):
        row["id"] = id_
    insert_rows(table, rows)
    return ids
