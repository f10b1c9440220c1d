"""Network adequacy for a whole state: `python -m benchmarks.adequacy_bench --clinicians N`.

N in-network clinicians of the four BH types, placed around the state's ZCTA centroids in
proportion to population (scattered a few miles), in a fresh SQLite database (or the
PostgreSQL database given); then the report the API serves (`adequacy_report`: the query, the
grid, every county and type, the audit), and the grid computation alone on the same points.
Prints one JSON object. The first report of a run reads the places from the database (the HSD
and ZCTA files are loaded before, as a serving worker loads them at start); the later ones find
them kept (adequacy/cache.py: nothing in the listing change log moved). Then reports after
listing changes: one clinician's place moved, 1,000 others' moved, all moved back (the last
compared with the first report, read whole from the database). Last, a new worker's start: the
kept places forgotten, the warm-up run, and its first report.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from benchmarks.common import DATA_DIR, size_label

# The type mix of a BH network (a taxonomy per HSD type), roughly as in NPPES.
MIX = (("1041C0700X", 0.30), ("101YM0800X", 0.35), ("103TC0700X", 0.20), ("2084P0800X", 0.15))
MILES_PER_DEGREE = 69.0
ROUNDS = 3


def _places(state: str, n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """`n` points near the state's ZCTAs, weighted by population, 0-5 miles off the centroid."""
    from adequacy.standards import county_zctas, state_standards

    fips = sorted({s.fips for s in state_standards(state)})
    zctas = [z for f in fips for z in county_zctas(f)]
    weights = np.array([z.population for z in zctas], dtype=float)
    pick = rng.choice(len(zctas), size=n, p=weights / weights.sum())
    lat = np.array([zctas[i].lat for i in pick]) + rng.normal(0, 2.5 / MILES_PER_DEGREE, n)
    lon = np.array([zctas[i].lon for i in pick]) + rng.normal(0, 2.5 / MILES_PER_DEGREE, n)
    return lat, lon


def _fill(app, state: str, n: int, seed: int) -> float:
    """Insert the plan, its network and `n` clinicians with a location each; seconds taken."""
    from directory.extensions import db
    from directory.models import Network

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    lat, lon = _places(state, n, rng)
    codes = rng.choice([c for c, _ in MIX], size=n, p=[s for _, s in MIX])
    with app.app_context():
        net = Network(id="BenchNet", name="Bench network")
        plan = Network(id="BenchPlan", name="Bench plan", kind="plan", networks=[net])
        db.session.add_all([net, plan])
        db.session.commit()
        _bulk(db, lat, lon, codes)
        if db.engine.dialect.name == "postgresql":
            # Statistics as a live server keeps them: without, the planner nests loops (~60 s).
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "ANALYZE"
                )
    return time.perf_counter() - started


def _bulk(db, lat, lon, codes) -> None:
    """Core inserts: clinician, taxonomy, location, clinician_location, participation."""
    from directory.models import (
        Clinician,
        ClinicianLocation,
        ClinicianTaxonomy,
        Location,
        NetworkParticipation,
    )

    n = len(codes)
    ids = range(1, n + 1)
    table = lambda model: model.__table__  # noqa: E731
    db.session.execute(table(Clinician).insert(), [
        {"id": i, "npi": f"{i:010d}", "last_name": f"C{i}", "accepting_new_patients": True,
         "active": True, "credentials": [], "modalities": ["in_person"]} for i in ids])  # fmt: skip
    db.session.execute(table(ClinicianTaxonomy).insert(), [
        {"clinician_id": i, "code": str(codes[i - 1]), "is_primary": True}
        for i in ids])  # fmt: skip
    db.session.execute(table(Location).insert(), [
        {"id": i, "lat": float(lat[i - 1]), "lon": float(lon[i - 1]), "geo_precision": "address",
         "accessibility": [], "hours": []} for i in ids])  # fmt: skip
    db.session.execute(table(ClinicianLocation).insert(), [
        {"clinician_id": i, "location_id": i} for i in ids])  # fmt: skip
    db.session.execute(table(NetworkParticipation).insert(), [
        {"clinician_id": i, "network_id": "BenchNet"} for i in ids])  # fmt: skip
    db.session.commit()


def _report_seconds(app, state: str) -> tuple[list[float], list[float], dict]:
    """Wall and CPU seconds of the whole report, ROUNDS times, and the last report."""
    from accounts.identity import Actor
    from adequacy.standards import load_reference
    from adequacy.use_cases import adequacy_report
    from referrals.clock import local_today, zone

    admin = Actor("user", 0, "admin", None, frozenset(), frozenset(), frozenset(), "user:0")
    seconds, cpu, report = [], [], {}
    load_reference()  # as a serving worker does at start (adequacy/warm.py), ~0.3 s
    with app.test_request_context():
        for _ in range(ROUNDS):
            started, cpu_started = time.perf_counter(), time.process_time()
            report = adequacy_report(admin, "BenchPlan", state, local_today(), zone())
            seconds.append(time.perf_counter() - started)
            # CPU time is what the code costs; wall time adds waiting on a busy machine.
            cpu.append(time.process_time() - cpu_started)
    return seconds, cpu, report


MOVED = 0.3  # degrees north (~21 miles): a real move, across some counties' radii
BATCH = 1_000


def _move(db, places: list, north: float) -> None:
    """Write each (location id, lat, lon) back with its latitude `north` degrees higher."""
    from sqlalchemy import bindparam, update

    from directory.models import Location

    statement = (
        update(Location.__table__)
        .where(Location.__table__.c.id == bindparam("at"))
        .values(lat=bindparam("to_lat"), lon=bindparam("to_lon"))
    )
    rows = [{"at": i, "to_lat": lat + north, "to_lon": lon} for i, lat, lon in places]
    db.session.connection().execute(statement, rows)
    db.session.commit()


def _after_changes(app, state: str, before: dict) -> dict:
    """Wall and CPU seconds of a report after each change: one clinician's place moved, then
    1,000 others', then all 1,001 moved back (that report is compared with `before`)."""
    from sqlalchemy import select

    from accounts.identity import Actor
    from adequacy.use_cases import adequacy_report
    from directory.extensions import db
    from directory.models import Location
    from referrals.clock import local_today, zone

    admin = Actor("user", 0, "admin", None, frozenset(), frozenset(), frozenset(), "user:0")
    found = {}
    with app.test_request_context():
        query = select(Location.id, Location.lat, Location.lon).where(Location.id <= BATCH + 1)
        places = [tuple(row) for row in db.session.execute(query.order_by(Location.id))]
        steps = [("one_moved", places[:1], MOVED), ("batch_moved", places[1:], MOVED),
                 ("all_moved_back", places, 0.0)]  # fmt: skip
        for name, changed, north in steps:
            _move(db, changed, north)
            started, cpu_started = time.perf_counter(), time.process_time()
            report = adequacy_report(admin, "BenchPlan", state, local_today(), zone())
            found[name] = {
                "seconds": round(time.perf_counter() - started, 3),
                "cpu_seconds": round(time.process_time() - cpu_started, 3),
                "failing": report["failing"],
            }
        found["all_moved_back"]["equal_to_before"] = report["counties"] == before["counties"]
    return found


def _after_warm_up(app, state: str) -> dict:
    """A new worker's start: the kept places forgotten, the warm-up (adequacy/warm.py, which
    finds this plan and state in the audit log) run to its end, then the first report."""
    from accounts.identity import Actor
    from adequacy import cache
    from adequacy.use_cases import adequacy_report
    from adequacy.warm import warm
    from referrals.clock import local_today, zone

    admin = Actor("user", 0, "admin", None, frozenset(), frozenset(), frozenset(), "user:0")
    cache._KEPT.clear()
    started, cpu_started = time.perf_counter(), time.process_time()
    warm(app).join()
    found = {"warm_up_seconds": round(time.perf_counter() - started, 3),
             "warm_up_cpu_seconds": round(time.process_time() - cpu_started, 3)}  # fmt: skip
    with app.test_request_context():
        started, cpu_started = time.perf_counter(), time.process_time()
        adequacy_report(admin, "BenchPlan", state, local_today(), zone())
        found["seconds"] = round(time.perf_counter() - started, 3)
        found["cpu_seconds"] = round(time.process_time() - cpu_started, 3)
    return found


def _grid_seconds(app, state: str) -> float:
    """CPU seconds of the computation alone (providers already in memory), best of ROUNDS."""
    from adequacy.compute import assess
    from adequacy.providers import provider_points
    from adequacy.standards import county_zctas, state_standards
    from directory.extensions import db

    with app.app_context():
        connection = db.session.connection()
        points = provider_points(connection, {"BenchPlan", "BenchNet"}, (-90, -180, 90, 180))
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.process_time()
        assess(state_standards(state), county_zctas, points, set())
        best = min(best, time.process_time() - started)
    return best


def make_app(path, fresh: bool, url: str | None = None):
    """The app factory on a SQLite file, or on the database at `url` (emptied when `fresh`),
    its schema created."""
    from app import create_app
    from directory.extensions import db

    if fresh and url is None:
        path.unlink(missing_ok=True)
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{path}", "SECRET_KEY": "adequacy-bench",
        "AUDIT_KEY": "0123456789abcdef" * 4,
        "AUDIT_CHECKPOINT_FILE": str(DATA_DIR / "adequacy-audit-checkpoints.log"),
    })  # fmt: skip
    with app.app_context():
        if fresh and url is not None:
            db.drop_all()
        db.create_all()
    return app


def measure(clinicians: int, state: str, seed: int, url: str | None = None) -> dict:
    """Fill, then time the report and the grid."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"adequacy-{size_label(clinicians)}-{state}-s{seed}.sqlite3"
    # A server database is marked built by a file named after it (database name, size, seed).
    if url is not None:
        path = path.with_name(f"{path.stem}-{url.rsplit('/', 1)[-1]}")
    built = path.with_suffix(".built")  # written once the fill has finished
    app = make_app(path, not built.exists(), url)
    build = None
    if not built.exists():
        build = round(_fill(app, state, clinicians, seed), 1)
        built.write_text("ok")
    seconds, cpu, report = _report_seconds(app, state)
    changed = _after_changes(app, state, report)
    warmed = _after_warm_up(app, state)
    return {
        "database": "postgresql" if url else "sqlite",
        "clinicians": clinicians,
        "state": state,
        "build_seconds": build,
        "report_seconds": [round(s, 3) for s in seconds],
        "report_cpu_seconds": [round(s, 3) for s in cpu],
        "after_changes": changed,
        "after_warm_up": warmed,
        "grid_seconds": round(_grid_seconds(app, state), 3),
        "rows": len(report["counties"]),
        "failing": report["failing"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clinicians", type=int, default=10_000)
    parser.add_argument("--state", default="CA")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url", help="a PostgreSQL database to fill and read (dropped and recreated)"
    )
    args = parser.parse_args()
    print(json.dumps(measure(args.clinicians, args.state, args.seed, args.database_url)))


if __name__ == "__main__":
    main()
