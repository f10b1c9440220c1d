"""POST /api/v1/matches latency in-process: the WSGI app through Flask's test client.

Run as `python -m benchmarks.inprocess --db FILE --needs FILE` (a process of its own, so one
size never warms the caches of the next); prints one JSON object. With --profile, the timed
requests run under pyinstrument and its text report is written to that file instead.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.common import BENCH_RATE_LIMIT, MATCHES_PATH, latency_summary, sqlite_url

WARMUP = 20


def make_app(db_path: Path):
    """The production app factory on the benchmark database."""
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": sqlite_url(db_path),
            "SECRET_KEY": "in-process",
            "PARTNER_RATE_LIMIT": BENCH_RATE_LIMIT,
            "PUBLIC_RATE_LIMIT": BENCH_RATE_LIMIT,
        }
    )


def time_requests(
    client, bodies: list[dict], headers: dict, path: str = MATCHES_PATH
) -> tuple[list, list, list, int]:
    """(wall ms, CPU ms, total, per request; errors) for one pass over `bodies` to `path`."""
    samples, cpu, totals, errors = [], [], [], 0
    for body in bodies:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.post(path, json=body, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        # CPU time is what the code costs; wall time adds waiting for a core on a busy machine.
        cpu.append((time.process_time() - cpu_started) * 1000)
        if response.status_code != 200:
            errors += 1
            totals.append(None)
            continue
        totals.append(response.get_json()["total"])
    return samples, cpu, totals, errors


def ready_index(app) -> dict:
    """Prepare the app as a gunicorn worker is at boot, and wait for its index: (seconds, MB)."""
    from app import prepare_worker
    from matching.matcher import matcher

    started = time.perf_counter()
    prepare_worker(app)
    keeper = matcher.keeper(app)
    if keeper is None:  # MATCH_INDEX=off: every search is SQL
        return {}
    if not keeper.wait():
        raise RuntimeError(f"the match index did not build: {keeper.last_error}")
    return {
        "index_build_seconds": round(time.perf_counter() - started, 2),
        "index_mb": round(keeper.snapshot.base.nbytes / 1e6, 1),
    }


def measure(db_path: Path, bodies: list[dict], api_key: str, rounds: int) -> dict:
    """Warm up on a few needs, then time `rounds` passes over the whole mix."""
    app = make_app(db_path)
    index = ready_index(app)
    headers = {"Authorization": f"Bearer {api_key}"}
    client = app.test_client()
    time_requests(client, bodies[:WARMUP], headers)
    samples: list[float] = []
    cpu: list[float] = []
    errors = 0
    totals: list = []
    for _ in range(rounds):
        timed, spent, totals, failed = time_requests(client, bodies, headers)
        samples += timed
        cpu += spent
        errors += failed
    return {
        "summary": latency_summary(samples),
        "cpu": latency_summary(cpu),
        "errors": errors,
        "totals": totals,
        "index": index,
    }


def profile(db_path: Path, bodies: list[dict], api_key: str, out: Path) -> None:
    """One warmed-up pass under pyinstrument; the text report goes to `out`."""
    from pyinstrument import Profiler

    app = make_app(db_path)
    ready_index(app)
    headers = {"Authorization": f"Bearer {api_key}"}
    client = app.test_client()
    time_requests(client, bodies[:WARMUP], headers)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    time_requests(client, bodies, headers)
    profiler.stop()
    out.write_text(profiler.output_text(unicode=False, color=False), "utf-8")


def main() -> None:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--needs", type=Path, required=True, help="JSON list of needs bodies")
    parser.add_argument("--api-key", default="")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", type=Path, help="write a pyinstrument report here")
    args = parser.parse_args()
    bodies = json.loads(args.needs.read_text("utf-8"))
    if args.profile:
        profile(args.db, bodies, args.api_key, args.profile)
        return
    print(json.dumps(measure(args.db, bodies, args.api_key, args.rounds)))


if __name__ == "__main__":
    main()
