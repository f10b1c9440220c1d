"""Peer baseline: the mix's required needs as one hand-written SQLite R*Tree query.

The demo directory is copied (ATTACH, INSERT ... SELECT) into a peer SQLite file with an R*Tree
over location points; code lists become ',a,b,' strings tested with instr(). SQLite has no
geodesic, so the radius is the WGS84 ellipsoid's local (meridian and prime-vertical) radii at
the mid-latitude applied to the coordinate differences, in SQL: within about 0.02% of the
geodesic at 50 miles (a sphere would be off by up to 0.5%), so only a place within yards of
the edge can count on one side and not on the other.
"""

from __future__ import annotations

import math
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from benchmarks.common import latency_summary, log
from benchmarks.peer_data import PeerNeeds


def _codes(column: str) -> str:
    return f"',' || coalesce((SELECT group_concat(value, ',') FROM json_each({column})), '') || ','"


BUILD = f"""
CREATE TABLE peer_clinician (id INTEGER PRIMARY KEY, active, accepting,
    age_groups TEXT, modalities TEXT, not_treated TEXT);
INSERT INTO peer_clinician SELECT id, active, accepting_new_patients, {_codes("age_groups")},
    {_codes("modalities")}, {_codes("conditions_not_treated")} FROM src.clinician;
CREATE TABLE peer_location (id INTEGER PRIMARY KEY, lat REAL, lon REAL);
INSERT INTO peer_location SELECT id, lat, lon FROM src.location WHERE lat IS NOT NULL;
CREATE VIRTUAL TABLE peer_location_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);
INSERT INTO peer_location_rtree SELECT id, lat, lat, lon, lon FROM peer_location;
CREATE TABLE peer_clinician_location AS
    SELECT clinician_id, location_id, accepting_new_patients AS accepting
    FROM src.clinician_location;
CREATE INDEX peer_cl_location ON peer_clinician_location (location_id);
CREATE TABLE peer_participation AS
    SELECT clinician_id, network_id, location_id FROM src.network_participation;
CREATE INDEX peer_participation_ix ON peer_participation (clinician_id, network_id, location_id);
CREATE TABLE peer_license AS SELECT clinician_id, state, expires_on FROM src.license;
CREATE INDEX peer_license_ix ON peer_license (clinician_id, state);
ANALYZE main;
"""
IN_PERSON = """
SELECT cl.clinician_id, h.id, h.miles FROM (
    SELECT l.id, sqrt(
        power(radians(l.lat - :lat) * 6335439.327 / power(1 - 0.00669438 * power(sin(radians(
            (l.lat + :lat) / 2)), 2), 1.5), 2)
        + power(radians(l.lon - :lon) * cos(radians((l.lat + :lat) / 2)) * 6378137.0 / sqrt(
            1 - 0.00669438 * power(sin(radians((l.lat + :lat) / 2)), 2)), 2)
    ) / 1609.344 AS miles
    FROM peer_location_rtree r JOIN peer_location l ON l.id = r.id
    WHERE r.min_lat >= :min_lat AND r.max_lat <= :max_lat
      AND r.min_lon >= :min_lon AND r.max_lon <= :max_lon
) h
JOIN peer_clinician_location cl ON cl.location_id = h.id
JOIN peer_clinician c ON c.id = cl.clinician_id
WHERE h.miles <= :miles AND c.active AND coalesce(cl.accepting, c.accepting) IS NOT 0
  AND (c.modalities = ',,' OR instr(c.modalities, ',in_person,') > 0)
"""
TELEHEALTH = """
SELECT c.id, NULL, NULL FROM peer_clinician c
WHERE c.active AND c.accepting IS NOT 0
  AND (instr(c.modalities, ',video,') > 0 OR instr(c.modalities, ',phone,') > 0)
  AND EXISTS (SELECT 1 FROM peer_license x WHERE x.clinician_id = c.id
      AND x.state = :state AND (x.expires_on IS NULL OR x.expires_on >= :today))
"""
PLAN = """  AND EXISTS (SELECT 1 FROM peer_participation p WHERE p.clinician_id = c.id
      AND p.network_id IN ({networks}){at_place})
"""
AT_PLACE = " AND (p.location_id IS NULL OR p.location_id = h.id)"


def ensure_built(path: Path, source: Path) -> None:
    """Build the peer file from the directory unless it is already there."""
    if path.exists():
        return
    log(f"building the SQLite R*Tree peer {path.name}")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(f"file:{partial}", uri=True)) as con:
        con.execute("ATTACH DATABASE ? AS src", (f"file:{source}?mode=ro",))
        con.executescript(BUILD)
        con.commit()
        con.execute("DETACH DATABASE src")
    partial.rename(path)


def _filters(needs: PeerNeeds, params: dict) -> str:
    """Concerns not treated and age groups, with their parameters added to `params`."""
    sql = ""
    for i, concern in enumerate(needs.concerns):
        params[f"concern{i}"] = f",{concern},"
        sql += f"  AND instr(c.not_treated, :concern{i}) = 0\n"
    if needs.age_groups is not None:
        tests = [f"instr(c.age_groups, :age{i}) > 0" for i in range(len(needs.age_groups))]
        params.update({f"age{i}": f",{g}," for i, g in enumerate(needs.age_groups)})
        sql += f"  AND (c.age_groups = ',,' OR {' OR '.join(tests) or '0'})\n"
    return sql


def query(needs: PeerNeeds) -> tuple[str, dict]:
    """One SQL statement (a UNION ALL when telehealth counts too) and its parameters."""
    dlat = needs.miles * 1.01 / 68.7
    dlon = needs.miles * 1.01 / (69.17 * max(math.cos(math.radians(abs(needs.lat) + dlat)), 1e-6))
    params = {
        "lat": needs.lat, "lon": needs.lon, "miles": needs.miles,
        "min_lat": needs.lat - dlat, "max_lat": needs.lat + dlat,
        "min_lon": needs.lon - dlon, "max_lon": needs.lon + dlon,
        "state": needs.state, "today": needs.today.isoformat(),
    }  # fmt: skip
    filters = _filters(needs, params)
    plan = ""
    if needs.networks is not None:
        params.update({f"net{i}": n for i, n in enumerate(needs.networks)})
        plan = PLAN.replace("{networks}", ", ".join(f":net{i}" for i in range(len(needs.networks))))
    parts = []
    if needs.in_person:
        parts.append(IN_PERSON + filters + plan.replace("{at_place}", AT_PLACE))
    if needs.telehealth and needs.state:
        parts.append(TELEHEALTH + filters + plan.replace("{at_place}", ""))
    return "\nUNION ALL\n".join(parts), params


def measure(path: Path, mix: list[PeerNeeds], rounds: int = 2) -> dict:
    """Warm-up pass, then `rounds` timed passes; distinct clinicians per need for agreement."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        statements = [query(needs) for needs in mix]
        counts = [_run(con, sql, params)[1] for sql, params in statements]
        samples = []
        for _ in range(rounds):
            samples += [_run(con, sql, params)[0] for sql, params in statements]
    return {"summary": latency_summary(samples), "counts": counts}


def _run(con: sqlite3.Connection, sql: str, params: dict) -> tuple[float, int]:
    if not sql:
        return 0.0, 0
    started = time.perf_counter()
    rows = con.execute(sql, params).fetchall()
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, len({r[0] for r in rows})
