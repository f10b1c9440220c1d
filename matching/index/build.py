"""Read a segment from the database: every active clinician, or just the ones named.

Plain SQL and raw driver values, read in chunks that become arrays at once, so a million
clinicians load in seconds without holding millions of Python rows. JSON arrays are decoded
once per distinct text (thousands of rows share a few dozen lists).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime

import numpy as np
from sqlalchemy.engine import Connection

from matching.index.codes import CodeBook, CodeColumn, JsonCodes
from matching.index.places import read_places
from matching.index.segment import (
    NEVER_EXPIRES,
    NO_CAPACITY,
    NO_DATE,
    NO_FEE,
    NO_WAIT,
    UNKNOWN,
    Clinicians,
    Licenses,
    Segment,
    micros,
    tristate,
)

CHUNK = 50_000
ID_CHUNK = 500  # ids per IN list when reading named clinicians
_CLINICIANS = (
    "SELECT id, gender, accepting_new_patients, CAST(modalities AS TEXT), "
    "CAST(age_groups AS TEXT), CAST(conditions_treated AS TEXT), "
    "CAST(conditions_not_treated AS TEXT), wait_days, next_available_on, referral_capacity, "
    "verified_at, flagged_reason IS NOT NULL, sliding_scale, free_care, accepts_medicaid, "
    "accepts_medicare, accepts_uninsured, fee_min, fee_max FROM clinician WHERE active"
)
COST_COLUMNS = ("sliding_scale", "free_care", "medicaid", "medicare", "uninsured")
COST_COLUMNS += ("fee_min", "fee_max")


def ordinal(value) -> int:
    """A date (or SQLite's 'YYYY-MM-DD' text) as an ordinal; NO_DATE for none."""
    if value is None:
        return NO_DATE
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.toordinal()


def stamp(value) -> int:
    """A datetime (or SQLite's ISO text) as micros()."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return micros(value)


class Reader:
    """Reads chunks of rows for all active clinicians, or for `ids` only, on one connection."""

    def __init__(self, connection: Connection, ids: Sequence[int] | None = None):
        self.connection = connection
        self.ids = None if ids is None else sorted({int(i) for i in ids})

    def chunks(self, sql: str, column: str = "clinician_id") -> Iterator[list]:
        """Lists of rows of `sql` (which may have a WHERE), restricted to the ids if any."""
        if self.ids is None:
            yield from self._stream(sql)
            return
        yield from self.chunks_in(sql, column, self.ids)

    def chunks_in(self, sql: str, column: str, values: Sequence[int]) -> Iterator[list]:
        """Lists of rows of `sql` whose integer `column` is one of `values`."""
        head, _, tail = sql.partition(" ORDER BY ")
        joiner = " AND " if " WHERE " in head else " WHERE "
        order = f" ORDER BY {tail}" if tail else ""
        for start in range(0, len(values), ID_CHUNK):
            # int() makes the literals safe; no bound parameters, no driver limit on them.
            listed = ",".join(str(int(v)) for v in values[start : start + ID_CHUNK])
            yield from self._stream(f"{head}{joiner}{column} IN ({listed}){order}")

    def _stream(self, sql: str) -> Iterator[list]:
        # The driver's own cursor: SQLAlchemy's Row objects would double the cost of a build.
        dbapi = self.connection.connection.dbapi_connection
        postgres = self.connection.dialect.name == "postgresql"
        # PostgreSQL: a named (server-side) cursor, so a million rows never sit in memory.
        cursor = dbapi.cursor(name="match_index_read") if postgres else dbapi.cursor()
        try:
            cursor.execute(sql)
            while rows := cursor.fetchmany(CHUNK):
                yield rows
        finally:
            cursor.close()


class Rows:
    """Maps clinician ids to rows of the (sorted) clinician columns."""

    def __init__(self, ids: np.ndarray):
        self.ids = ids

    def __call__(self, wanted) -> tuple[np.ndarray, np.ndarray]:
        """(rows, known) for an array of clinician ids."""
        wanted = np.asarray(wanted, dtype=np.int64)
        if not len(self.ids):
            return np.zeros(len(wanted), np.int64), np.zeros(len(wanted), bool)
        rows = np.minimum(np.searchsorted(self.ids, wanted), len(self.ids) - 1)
        return rows, self.ids[rows] == wanted


_JSON = {"modalities": "modalities", "ages": "ages", "treated": "concerns"}
_JSON["not_treated"] = "concerns"


def _converters(books: dict[str, CodeBook], json_codes: dict[str, JsonCodes]):
    """(name, dtype, value from a raw column) in the order _CLINICIANS selects."""
    genders = books["genders"]
    return (
        ("ids", np.int64, None),
        ("gender", np.int16, lambda g: UNKNOWN if g is None else genders.bit(g)),
        ("accepting", np.int8, tristate),
        ("modalities", np.int32, json_codes["modalities"]),
        ("ages", np.int32, json_codes["ages"]),
        ("treated", np.int32, json_codes["treated"]),
        ("not_treated", np.int32, json_codes["not_treated"]),
        ("wait_days", np.int32, lambda w: NO_WAIT if w is None else w),
        ("next_open", np.int32, ordinal),
        ("capacity", np.int32, lambda c: NO_CAPACITY if c is None else c),
        ("verified", np.int64, stamp),
        ("flagged", bool, bool),
        *((flag, np.int8, tristate) for flag in COST_COLUMNS[:5]),
        *((fee, np.int32, lambda f: NO_FEE if f is None else f) for fee in COST_COLUMNS[5:]),
    )


def _clinician_columns(reader: Reader, books: dict[str, CodeBook]):
    """Arrays of the clinician table's columns (ids ascending) and the JSON decoders."""
    json_codes = {name: JsonCodes(books[book]) for name, book in _JSON.items()}
    converters = _converters(books, json_codes)
    parts: dict[str, list[np.ndarray]] = {name: [] for name, _, _ in converters}
    for chunk in reader.chunks(_CLINICIANS + " ORDER BY id", "id"):
        raw = list(zip(*chunk, strict=True))
        for (name, dtype, convert), values in zip(converters, raw, strict=True):
            converted = values if convert is None else [convert(v) for v in values]
            parts[name].append(np.array(converted, dtype=dtype))
    columns = {
        name: np.concatenate(parts[name]) if parts[name] else np.zeros(0, dtype)
        for name, dtype, _ in converters
    }
    return columns, json_codes


def pairs(reader: Reader, sql: str, rows_of: Rows, book: CodeBook, extra: int = 0):
    """(clinician rows, code bits, *extra columns) for `sql` rows (clinician_id, code, ...)."""
    got: list[list[np.ndarray]] = [[] for _ in range(2 + extra)]
    for chunk in reader.chunks(sql):
        cols = list(zip(*chunk, strict=True))
        rows, known = rows_of(cols[0])
        keep = known & np.array([c is not None for c in cols[1]], dtype=bool)
        bits = np.array([book.bit(c) if c is not None else 0 for c in cols[1]], dtype=np.int64)
        got[0].append(rows[keep])
        got[1].append(bits[keep])
        for i in range(extra):
            got[2 + i].append(np.array(cols[2 + i], dtype=object)[keep])
    return [np.concatenate(g) if g else np.zeros(0, np.int64) for g in got]


def _code_column(reader: Reader, table: str, rows_of: Rows, count: int) -> CodeColumn:
    book = CodeBook()
    rows, bits = pairs(reader, f"SELECT clinician_id, code FROM {table}", rows_of, book)
    return CodeColumn.from_pairs(count, rows, bits, book)


def _licenses(reader: Reader, rows_of: Rows, count: int) -> Licenses:
    """Each clinician's latest expiry per state, by clinician and by state."""
    states = CodeBook()
    sql = "SELECT clinician_id, state, expires_on FROM license"
    rows, bits, expires = pairs(reader, sql, rows_of, states, extra=1)
    expiry = np.array([NEVER_EXPIRES if e is None else ordinal(e) for e in expires], dtype=np.int64)
    order = np.lexsort((expiry, bits, rows))  # by clinician, state, then latest expiry last
    rows, bits, expiry = rows[order], bits[order], expiry[order]
    last = np.ones(len(rows), dtype=bool)
    last[:-1] = (rows[1:] != rows[:-1]) | (bits[1:] != bits[:-1])
    rows = rows[last].astype(np.int32)
    bits, expiry = bits[last].astype(np.int16), expiry[last].astype(np.int32)
    start = np.searchsorted(rows, np.arange(count + 1)).astype(np.int32)
    by_state = {name: (rows[bits == bit], expiry[bits == bit]) for name, bit in states.bits.items()}
    return Licenses(states, by_state, start, bits, expiry)


def read_segment(connection: Connection, ids: Sequence[int] | None = None) -> Segment:
    """A segment of every active clinician (ids None) or of the active ones among `ids`."""
    reader = Reader(connection, ids)
    books = {name: CodeBook() for name in ("modalities", "ages", "concerns", "genders")}
    columns, json_codes = _clinician_columns(reader, books)
    count = len(columns["ids"])
    rows_of = Rows(columns["ids"])
    networks = CodeBook()
    sql = "SELECT clinician_id, network_id, location_id FROM network_participation"
    net_rows, net_bits, net_at = pairs(reader, sql, rows_of, networks, extra=1)
    wide = np.array([at is None for at in net_at], dtype=bool)
    places = read_places(reader, rows_of, columns["accepting"], net_rows[~wide],
                         net_bits[~wide], net_at[~wide], networks)  # fmt: skip
    clinicians = Clinicians(
        ids=columns["ids"],
        gender=columns["gender"],
        genders=list(books["genders"].bits),
        accepting=columns["accepting"],
        **{name: json_codes[name].column(columns[name]) for name in json_codes},
        languages=_code_column(reader, "clinician_language", rows_of, count),
        competencies=_code_column(reader, "clinician_competency", rows_of, count),
        taxonomies=_code_column(reader, "clinician_taxonomy", rows_of, count),
        networks_wide=CodeColumn.from_pairs(count, net_rows[wide], net_bits[wide], networks),
        networks_all=CodeColumn.from_pairs(count, net_rows, net_bits, networks),
        wait_days=columns["wait_days"],
        next_open=columns["next_open"],
        capacity=columns["capacity"],
        verified=columns["verified"],
        flagged=columns["flagged"],
        **{name: columns[name] for name in COST_COLUMNS},
    )
    return Segment(clinicians, _licenses(reader, rows_of, count), places, networks)
