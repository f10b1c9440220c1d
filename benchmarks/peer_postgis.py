"""Peer baseline: the mix's required needs as one hand-written PostGIS query.

The demo directory is copied into its own PostgreSQL database (bench_peer_<size>_s<seed>) with
a geography column and a GiST index; ST_DWithin on geography measures on the WGS84 spheroid,
as our geodesic radius does. Set BENCH_PG_URL to use another server (default: the local one).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import psycopg

from benchmarks import peer_data
from benchmarks.common import latency_summary, log
from benchmarks.peer_data import PeerNeeds

ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SCHEMA = """
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE peer_meta (source text NOT NULL);
CREATE TABLE peer_clinician (id int PRIMARY KEY, active bool, accepting bool,
    age_groups text[], modalities text[], not_treated text[]);
CREATE TABLE peer_location (id int PRIMARY KEY, lat float8, lon float8,
    geog geography(Point, 4326)
    GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED);
CREATE TABLE peer_clinician_location (clinician_id int, location_id int, accepting bool);
CREATE TABLE peer_participation (clinician_id int, network_id text, location_id int);
CREATE TABLE peer_license (clinician_id int, state text, expires_on date);
"""
INDEXES = """
CREATE INDEX ON peer_location USING gist (geog);
CREATE INDEX ON peer_clinician_location (location_id);
CREATE INDEX ON peer_participation (clinician_id, network_id, location_id);
CREATE INDEX ON peer_license (clinician_id, state);
ANALYZE;
"""
TABLES = (
    ("peer_clinician", peer_data.CLINICIAN_SQL),
    ("peer_location (id, lat, lon)", peer_data.LOCATION_SQL),
    ("peer_clinician_location", peer_data.LINK_SQL),
    ("peer_participation", peer_data.PARTICIPATION_SQL),
    ("peer_license", peer_data.LICENSE_SQL),
)
IN_PERSON = """
SELECT cl.clinician_id, l.id, ST_Distance(l.geog, q.g) AS metres
FROM (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography AS g) q
JOIN peer_location l ON ST_DWithin(l.geog, q.g, %(metres)s)
JOIN peer_clinician_location cl ON cl.location_id = l.id
JOIN peer_clinician c ON c.id = cl.clinician_id
WHERE c.active AND coalesce(cl.accepting, c.accepting) IS NOT FALSE
  AND (cardinality(c.modalities) = 0 OR 'in_person' = ANY (c.modalities))
"""
TELEHEALTH = """
SELECT c.id, NULL::int, NULL::float8 FROM peer_clinician c
WHERE c.active AND c.accepting IS NOT FALSE AND c.modalities && ARRAY['video', 'phone']
  AND EXISTS (SELECT 1 FROM peer_license x WHERE x.clinician_id = c.id
      AND x.state = %(state)s AND (x.expires_on IS NULL OR x.expires_on >= %(today)s))
"""
COMMON = """
  AND NOT (c.not_treated && %(concerns)s::text[])
"""
AGES = "  AND (cardinality(c.age_groups) = 0 OR c.age_groups && %(ages)s::text[])\n"
PLAN = """  AND EXISTS (SELECT 1 FROM peer_participation p WHERE p.clinician_id = c.id
      AND p.network_id = ANY (%(networks)s){at_place})
"""
AT_PLACE = " AND (p.location_id IS NULL OR p.location_id = l.id)"


def database_url(name: str) -> str:
    """The admin URL with another database name."""
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def available() -> str | None:
    """None when PostgreSQL with PostGIS answers, else why not."""
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=3) as con:
            found = con.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"
            ).fetchone()
    except psycopg.OperationalError as err:
        return f"PostgreSQL not reachable at {ADMIN_URL}: {err}".splitlines()[0]
    return None if found else "the postgis extension is not installed (postgresql-15-postgis-3)"


def ensure_loaded(name: str, source: Path, source_tag: str) -> None:
    """(Re)create database `name` from the SQLite directory unless it already holds it."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    if exists and _loaded_tag(name) == source_tag:
        return
    log(f"loading {source.name} into PostgreSQL database {name}")
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(database_url(name)) as con:
        con.execute(SCHEMA)
        with con.cursor() as cur:
            for table, sql in TABLES:
                with cur.copy(f"COPY {table} FROM STDIN") as copy:
                    for row in peer_data.read_rows(source, sql):
                        copy.write_row(row)
        con.execute(INDEXES)
        con.execute("INSERT INTO peer_meta VALUES (%s)", (source_tag,))


def _loaded_tag(name: str) -> str | None:
    try:
        with psycopg.connect(database_url(name)) as con:
            row = con.execute("SELECT source FROM peer_meta").fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


def query(needs: PeerNeeds) -> tuple[str, dict]:
    """One SQL statement (a UNION ALL when telehealth counts too) and its parameters."""
    filters = COMMON + (AGES if needs.age_groups is not None else "")
    parts = []
    if needs.in_person:
        at_place = PLAN.format(at_place=AT_PLACE) if needs.networks is not None else ""
        parts.append(IN_PERSON + filters + at_place)
    if needs.telehealth and needs.state:
        anywhere = PLAN.format(at_place="") if needs.networks is not None else ""
        parts.append(TELEHEALTH + filters + anywhere)
    params = {
        "lat": needs.lat, "lon": needs.lon, "metres": needs.metres, "state": needs.state,
        "today": needs.today, "concerns": list(needs.concerns),
        "ages": list(needs.age_groups or ()), "networks": list(needs.networks or ()),
    }  # fmt: skip
    return "\nUNION ALL\n".join(parts), params


def measure(name: str, mix: list[PeerNeeds], rounds: int = 2) -> dict:
    """Warm-up pass, then `rounds` timed passes; distinct clinicians per need for agreement."""
    with psycopg.connect(database_url(name)) as con:
        statements = [query(needs) for needs in mix]
        counts = [_run(con, sql, params)[1] for sql, params in statements]
        samples = []
        for _ in range(rounds):
            samples += [_run(con, sql, params)[0] for sql, params in statements]
    return {"summary": latency_summary(samples), "counts": counts}


def _run(con, sql: str, params: dict) -> tuple[float, int]:
    if not sql:
        return 0.0, 0
    started = time.perf_counter()
    rows = con.execute(sql, params).fetchall()
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, len({r[0] for r in rows})
