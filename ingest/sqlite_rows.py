"""SQLite for large batches: driver-level INSERTs (the values Core would bind), journals in RAM."""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from itertools import chain
from json.encoder import c_make_encoder, encode_basestring_ascii
from operator import itemgetter

from sqlalchemy import JSON, Boolean, Date, DateTime, Table

from directory.extensions import db

_ROWS_PER_STATEMENT = 50
# A load's commits may leave this many pages (4 KiB each) in the WAL before one checkpoints
# it, against SQLite's 1,000: a tenth of the checkpoints, each an fsync of the database file.
LOAD_CHECKPOINT_PAGES = 10_000
# A load's connection may keep this much of the database in its page cache (SQLite's default
# is 2 MiB). A new location lands at random places in three indexes (address key, point, ZIP):
# with the default most of those pages were evicted between rows and read back, a fifth of
# the cost of inserting locations at 120k of them.
LOAD_CACHE_KIB = 16 << 10
MAIN = threading.main_thread()


def _by_value(convert):
    """`convert` run once per distinct date or time in a batch (dates repeat across rows)."""
    done: dict = {}
    last: list = [object(), None]  # the value seen last and its conversion

    def once(value):
        # Most rows of a batch carry the same object (its `now`): no key to build for it.
        if value is last[0]:
            return last[1]
        # The zone is part of the key: equal instants in two zones print differently.
        key = (value, getattr(value, "tzinfo", None))
        found = done.get(key)
        if found is None:
            found = done[key] = convert(value)
        last[0], last[1] = value, found
        return found

    return once


def _by_bool(convert):
    """`convert` for a Boolean column, done once per value (True, False, None)."""
    done: dict = {}

    def once(value):
        found = done.get(value, done)
        if found is done:  # a first value, or one `convert` refuses (raised every time)
            found = convert(value)
            done[value] = found
        return found

    return once


def _not_serializable(value):
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


# json.dumps's own C encoder with its defaults, made once: json.dumps builds one per call,
# most of its cost for a short list (1.9 -> 0.4 µs a value, measured). No circular-reference
# check: records hold plain lists and dicts, and a cycle still fails (RecursionError).
_ENCODE = (
    None
    if c_make_encoder is None
    else c_make_encoder(
        None, _not_serializable, encode_basestring_ascii, None, ": ", ", ", False, False, True
    )
)


def _plain_json(convert, dialect):
    """`convert` for JSON, with plain lists and dicts encoded as json.dumps would."""
    if _ENCODE is None or dialect.name != "sqlite" or dialect._json_serializer is not None:
        return convert  # no C encoder, a driver taking its own wrapper, or a custom serializer

    def process(value):
        if value.__class__ is list or value.__class__ is dict:
            return "".join(_ENCODE(value, 0))
        return convert(value)  # None, JSON.NULL and anything else: SQLAlchemy's way

    return process


def _empty_once(convert):
    """`convert` for JSON, with the empty list (most list columns, most rows) done once."""
    empty = convert([])

    def process(value):
        return empty if value == [] else convert(value)

    return process


def _converter(type_, dialect):
    """The bind processor Core would apply to a value of `type_`, made cheaper, or None."""
    convert = type_._cached_bind_processor(dialect)
    if convert is None:
        return None
    if isinstance(type_, Date | DateTime):
        return _by_value(convert)
    if isinstance(type_, JSON):
        return _empty_once(_plain_json(convert, dialect))
    if isinstance(type_, Boolean):
        return _by_bool(convert)
    return convert


def _binds_a_value_for_none(type_, dialect) -> bool:
    """True when the type's bind processor turns None into a value (JSON's 'null')."""
    convert = type_._cached_bind_processor(dialect)
    return convert is not None and convert(None) is not None


def _by_column(rows: list[dict], defaults: dict) -> list[tuple[str, list]]:
    """(name, values) of each column of `defaults`; a row without a column has its default."""
    first, count = rows[0], len(rows)
    # Rows made by one loader share their keys: no merged copy of each row is needed then.
    # Each row holds every key of the first (no KeyError below) and as many keys in all:
    # so exactly its keys. Checked as the columns are read; any other batch is merged.
    if sum(map(len, rows)) == len(first) * count:
        try:
            return [
                (name, list(map(itemgetter(name), rows)) if name in first else [default] * count)
                for name, default in defaults.items()
            ]
        except KeyError:
            pass
    full = [defaults | row for row in rows]
    return [(name, list(map(itemgetter(name), full))) for name in defaults]


def driver_values(
    table: Table, defaults: dict, rows: list[dict], dialect
) -> tuple[list[str], list[tuple]]:
    """The columns to write, and `rows` as driver tuples of them (defaults filled in)."""
    # Column by column (one C-level pass each, and a tuple a row from zip) rather than row by
    # row: 88 M fewer instructions in a 25k-row NPPES load (callgrind). A column NULL in every
    # row is left out: the driver binds a None through its adapter lookup (~3,300 instructions
    # each), and an NPPES batch is a third None, nearly all in always-empty columns.
    count = len(rows)
    kept, columns = [], []
    for name, values in _by_column(rows, defaults):
        type_ = table.c[name].type
        # Kept though NULL everywhere: a column with a database default (left out, it would
        # get the default, not NULL), or one whose processor binds a value for None.
        if (
            values.count(None) == count
            and table.c[name].server_default is None
            and not _binds_a_value_for_none(type_, dialect)
        ):
            continue
        convert = _converter(type_, dialect)
        kept.append(name)
        columns.append(values if convert is None else list(map(convert, values)))
    if not kept:  # a statement names at least one column: NULL in every row
        kept, columns = list(defaults)[:1], [[None] * count]
    return kept, list(zip(*columns, strict=True))


def insert_sql(table: Table, names: list[str], dialect, rows: int = 1) -> str:
    """INSERT INTO table (names...) VALUES (?, ...), ... for `rows` rows."""
    preparer = dialect.identifier_preparer
    columns = ", ".join(preparer.quote(table.c[name].name) for name in names)
    marks = "(" + ", ".join("?" * len(names)) + ")"
    return (
        f"INSERT INTO {preparer.format_table(table)} ({columns}) VALUES {', '.join([marks] * rows)}"
    )


def _insert_values(connection, table: Table, names: list[str], values: list[tuple]) -> None:
    """INSERT driver rows in order, up to _ROWS_PER_STATEMENT to a statement."""
    # What SQLite does once per statement (open a statement journal, the listing-change
    # trigger's AUTOINCREMENT bookkeeping) then comes once per 50 rows: a trigger-firing row
    # costs it ~3.3 µs instead of ~6.6 (license rows, measured).
    dialect = connection.dialect
    # SQLite before 3.32 takes at most 999 parameters a statement (SQLAlchemy knows which).
    size = max(1, min(_ROWS_PER_STATEMENT, dialect.insertmanyvalues_max_parameters // len(names)))
    sql = insert_sql(table, names, dialect, size)
    for start in range(0, len(values), size):
        part = values[start : start + size]
        if len(part) < size:  # the last statement
            sql = insert_sql(table, names, dialect, len(part))
        connection.exec_driver_sql(sql, tuple(chain.from_iterable(part)))


def sqlite_insert(table: Table, defaults: dict, rows: list[dict]) -> None:
    """INSERT `rows` (dicts; `defaults` for the columns they leave out), faster than Core."""
    connection = db.session.connection()
    _insert_values(connection, table, *driver_values(table, defaults, rows, connection.dialect))


def sqlite_insert_returning_ids(table: Table, defaults: dict, rows: list[dict]) -> list[int]:
    """INSERT `rows` and return their new ids, in order."""
    # No INSERT ... RETURNING: SQLite does not promise its rows in VALUES order.
    connection = db.session.connection()
    names, values = driver_values(table, defaults, rows, connection.dialect)
    sql = insert_sql(table, names, connection.dialect)
    first = connection.exec_driver_sql(sql, values[0]).lastrowid
    _insert_values(connection, table, names, values[1:])
    last = connection.exec_driver_sql("SELECT last_insert_rowid()").scalar_one()
    # SQLite gives a new row max(rowid) + 1, and this transaction holds the write lock.
    if last - first != len(values) - 1:
        raise RuntimeError(f"{table.name}: new ids {first}..{last} are not one per row")
    return list(range(first, last + 1))


@contextmanager
def journals_in_memory() -> Iterator[None]:
    """Keep SQLite's statement journals in memory for the batch written inside this block."""
    # Each row that fires a listing-change trigger writes under a statement journal. Once a
    # batch outgrows the page cache, pages spilled mid-statement are journaled too, the
    # journal passes SQLite's 64 KiB in memory and moves to a temporary file, and every later
    # row of the transaction journals through it (most of an NPPES load's system time).
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA temp_store").scalar_one()
    connection.exec_driver_sql("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        # Still before the commit, on this connection: SQLite reads the setting when a write
        # transaction begins, so this batch keeps it and pooled connections get theirs back.
        connection.exec_driver_sql(f"PRAGMA temp_store = {int(before)}")


@contextmanager
def checkpoints_spaced() -> Iterator[None]:
    """Let the commit made inside this block leave a larger WAL before it checkpoints."""
    # The wait for those fsyncs was 10-15% of a 1M-row NPPES load's wall clock. Readers are
    # unaffected; the WAL stays bounded (~40 MB) and is checkpointed as usual past it.
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    # The driver's own connection: the setting must outlive the commit, which hands the
    # SQLAlchemy connection back to the pool, and be put back right after it.
    raw = connection.connection.driver_connection
    before = raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    raw.execute(f"PRAGMA wal_autocheckpoint = {LOAD_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")


@contextmanager
def page_cache_for_load() -> Iterator[None]:
    """A LOAD_CACHE_KIB page cache on the load's SQLite connection until the block ends."""
    connection = db.session.connection()
    # Off the main thread (an admin-page run in the web server) the connection goes back to a
    # pool that request threads share between batches: the setting is left alone there.
    if connection.dialect.name != "sqlite" or threading.current_thread() is not MAIN:
        yield
        return
    raw = connection.connection.driver_connection  # outlives each batch's commit, as above
    before = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        with suppress(sqlite3.ProgrammingError):  # closed by the pool after a failure
            raw.execute(f"PRAGMA cache_size = {int(before)}")
