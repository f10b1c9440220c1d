"""The peer baselines for one directory size: PostGIS and SQLite R*Tree on the same needs.

Each peer's latency is recorded with the same percentiles as ours, plus how often it found
exactly as many clinicians as our service's `total` (a check that both answer the same
required needs), and ours / PostGIS p95 as its own figure for the 2x target.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from benchmarks import peer_data, peer_postgis, peer_rtree
from benchmarks.common import DATA_DIR, log

if TYPE_CHECKING:
    from benchmarks.run import SizeRun


def agreement(ours: list | None, theirs: list[int]) -> float | None:
    """Percent of needs where the peer's distinct clinicians equal our total."""
    if not ours:
        return None
    pairs = [(a, b) for a, b in zip(ours, theirs, strict=True) if a is not None]
    return round(100 * sum(a == b for a, b in pairs) / len(pairs), 1)


def _record(run: SizeRun, peer: str, found: dict) -> None:
    run.latency(f"peer_{peer}", found)
    share = agreement(run.totals, found["counts"])
    if share is not None:
        run.add(f"peer_{peer}_agreement", share, "% of needs", note="same count as our total")


def run_peers(run: SizeRun, seed: int) -> None:
    """Build (or reuse) both peers, time them, record their figures and our ratio."""
    plans = peer_data.plan_networks(run.db)
    mix = [peer_data.resolve(body, plans) for body in run.mix]
    problem = peer_postgis.available()
    if problem:
        log(f"PostGIS peer skipped: {problem}")
    else:
        # Named after the source file too, so two checkouts never share (or drop) one database.
        digest = hashlib.sha1(str(run.db.resolve()).encode()).hexdigest()[:8]
        name = f"bench_peer_{run.label.lower()}_s{seed}_{digest}"
        peer_postgis.ensure_loaded(name, run.db, run.facts["built_at"])
        found = peer_postgis.measure(name, mix, run.args.rounds)
        _record(run, "postgis", found)
        ours = run.rec_value("match_inprocess_p95")
        if ours is not None and found["summary"]["p95"]:
            ratio = round(ours / found["summary"]["p95"], 2)
            run.add("match_inprocess_p95_vs_postgis", ratio, "x", note="ours / PostGIS p95")
    path = DATA_DIR / f"peer-{run.label}-s{seed}.sqlite3"
    peer_rtree.ensure_built(path, run.db)
    _record(run, "rtree", peer_rtree.measure(path, mix, run.args.rounds))
