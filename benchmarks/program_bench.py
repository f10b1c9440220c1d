"""POST /api/v1/programs/matches latency in-process, over a seeded mix of program searches.

`python -m benchmarks.program_bench --db FILE --needs FILE` (a process of its own) prints one
JSON object; with --profile the timed pass runs under pyinstrument and its report goes there.
The mix (200 searches): 90% at a ZIP holding a generated site, 10% at any ZCTA (often empty,
so the relaxations run); food near a ZIP, substance-use treatment with a medication (MOUD),
open now, a language, a payment, housing or transportation, alone or combined; radius
5/10/25/50 mi (the API's default 25 most often); an age in a third.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from benchmarks.common import latency_summary
from benchmarks.inprocess import WARMUP, make_app, time_requests

PROGRAMS_PATH = "/api/v1/programs/matches"
MIX_SIZE = 200
RADII = ((5, 15), (10, 25), (25, 45), (50, 15))
SEARCHES = (
    ("food", 30), ("moud", 20), ("open_now", 10), ("language", 12), ("payment", 12),
    ("housing", 8), ("transportation", 4), ("mental_health", 4),
)  # fmt: skip
MEDICATIONS = ("buprenorphine", "methadone", "naltrexone")


def _pick(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights)[0]


def _criteria(rng: random.Random, kind: str) -> dict:
    """The body's criteria for one kind of search."""
    if kind == "moud":
        body = {"needs": ["substance_use_treatment"], "medications": [rng.choice(MEDICATIONS)]}
        if rng.random() < 0.5:
            body["payment"] = [rng.choice(("medicaid", "uninsured"))]
        return body
    if kind == "open_now":
        return {"needs": [rng.choice(("food", "housing", "substance_use_treatment"))],
                "schedule": ["open_now"]}  # fmt: skip
    if kind == "language":
        return {"needs": [rng.choice(("food", "mental_health_program"))],
                "languages": [rng.choice(("es", "es", "zh", "vi", "ht"))]}  # fmt: skip
    if kind == "payment":
        return {"needs": ["substance_use_treatment"],
                "payment": [rng.choice(("uninsured", "medicaid", "free", "sliding_scale"))],
                "required": ["payment"]}  # fmt: skip
    if kind == "mental_health":
        return {"needs": ["mental_health_program"], "schedule": ["evening"]}
    return {"needs": [kind]}


def make_needs(rng: random.Random, site_zips: list[str], zctas: list[str]) -> dict:
    """One body for POST /api/v1/programs/matches."""
    body: dict = {"postal_code": rng.choice(site_zips if rng.random() < 0.9 else zctas)}
    body["max_distance_miles"] = _pick(rng, RADII)
    body |= _criteria(rng, _pick(rng, SEARCHES))
    if rng.random() < 0.33:
        body["age"] = rng.randint(16, 80)
    return body


def needs_mix(db_path: Path, seed: int, count: int = MIX_SIZE) -> list[dict]:
    """The seeded mix for a programs file, cached next to it as JSON."""
    from directory.geography import zip_centroid

    cache = db_path.with_name(f"{db_path.stem}-needs{count}.json")
    if cache.exists():
        return json.loads(cache.read_text("utf-8"))
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as con:
        rows = con.execute("SELECT postal_code FROM program_location WHERE lat IS NOT NULL "
                           "ORDER BY id")  # fmt: skip
        site_zips = [r[0] for r in rows if zip_centroid(r[0]) is not None]
    zctas = _zctas()
    rng = random.Random(f"program-needs-{seed}")
    mix = [make_needs(rng, site_zips, zctas) for _ in range(count)]
    cache.write_text(json.dumps(mix, indent=0), "utf-8")
    return mix


def _zctas() -> list[str]:
    import csv

    from directory.geography import DATA_DIR

    with (DATA_DIR / "zcta_centroids.csv").open(encoding="utf-8", newline="") as f:
        return sorted(row["zcta5"] for row in csv.DictReader(f))


def ready_index(app) -> dict:
    """Prepare the app as a gunicorn worker is at boot, and wait for the program index."""
    from app import prepare_worker
    from programs.index.keeper import program_index

    started = time.perf_counter()
    prepare_worker(app)
    keeper = program_index.keeper(app)
    if keeper is None:  # PROGRAM_INDEX=off: every search is SQL
        return {}
    if not keeper.wait():
        raise RuntimeError(f"the program index did not build: {keeper.last_error}")
    return {
        "index_build_seconds": round(time.perf_counter() - started, 2),
        "index_mb": round(keeper.snapshot.nbytes / 1e6, 1),
        "index_rows": len(keeper.snapshot),
    }


def measure(db_path: Path, bodies: list[dict], rounds: int) -> dict:
    """Warm up on a few searches, then time `rounds` passes over the whole mix."""
    app = make_app(db_path)
    index = ready_index(app)
    client = app.test_client()
    time_requests(client, bodies[:WARMUP], {}, PROGRAMS_PATH)
    samples: list[float] = []
    cpu: list[float] = []
    errors, totals = 0, []
    for _ in range(rounds):
        timed, spent, totals, failed = time_requests(client, bodies, {}, PROGRAMS_PATH)
        samples += timed
        cpu += spent
        errors += failed
    return {"summary": latency_summary(samples), "cpu": latency_summary(cpu), "errors": errors,
            "totals": totals, "index": index}  # fmt: skip


def profile(db_path: Path, bodies: list[dict], out: Path) -> None:
    """One warmed-up pass under pyinstrument; the text report goes to `out`."""
    from pyinstrument import Profiler

    app = make_app(db_path)
    ready_index(app)
    client = app.test_client()
    time_requests(client, bodies[:WARMUP], {}, PROGRAMS_PATH)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    time_requests(client, bodies, {}, PROGRAMS_PATH)
    profiler.stop()
    out.write_text(profiler.output_text(unicode=False, color=False), "utf-8")


def main() -> None:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--needs", type=Path, required=True, help="JSON list of search bodies")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", type=Path, help="write a pyinstrument report here")
    args = parser.parse_args()
    bodies = json.loads(args.needs.read_text("utf-8"))
    if args.profile:
        profile(args.db, bodies, args.profile)
        return
    print(json.dumps(measure(args.db, bodies, args.rounds)))


if __name__ == "__main__":
    main()
