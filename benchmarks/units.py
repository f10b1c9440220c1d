"""Unit costs of matching: CPU per candidate (SQL path) and per admitted row (index path).

Run as `python -m benchmarks.units --db FILE --needs FILE`; prints one JSON object. Each stage
is timed over the whole mix three times and the best pass kept (CPU time, not wall time), which
makes these the steadiest figures on a shared machine: the ones to compare two commits with.
The SQL path (EmbeddedBackend.retrieve, then rank over every candidate) is what answers while
the index builds, and what the Elasticsearch fallback uses; the index path is the default.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.common import sqlite_url

PASSES = 3


def _best(stage, work) -> float:
    """The fastest of PASSES runs of `stage` over `work`, in CPU seconds."""
    best = float("inf")
    for _ in range(PASSES):
        started = time.process_time()
        for item in work:
            stage(*item)
        best = min(best, time.process_time() - started)
    return best


def measure(db_path: Path, bodies: list[dict]) -> dict:
    """Retrieval and ranking cost per candidate over the mix."""
    from app import create_app
    from directory.extensions import db
    from directory.models.verification import utcnow
    from matching.embedded import EmbeddedBackend
    from matching.matcher import matcher
    from matching.needs_schema import NeedsSchema
    from matching.plans import plan_lookup
    from matching.ranking import rank

    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlite_url(db_path), "SECRET_KEY": "units"})
    with app.app_context():
        schema = NeedsSchema(plans=plan_lookup(db.session), geocoder=matcher.needs_schema.geocoder)
        now = utcnow()
        backend = EmbeddedBackend(db.session, now)
        needs = [schema.load(body) for body in bodies]
        found = [(n, backend.retrieve(n)) for n in needs]
        candidates = sum(len(c) for _, c in found)
        retrieve = _best(lambda n: backend.retrieve(n), [(n,) for n in needs])
        # A fresh Needs per pass, so nothing cached on it carries over, as in a request.
        ranking = _best(lambda n, c: rank(n.replace(), c, {}, now), found)
        found = {
            "candidates": candidates,
            "retrieve_us": round(retrieve * 1e6 / candidates, 1),
            "rank_us": round(ranking * 1e6 / candidates, 1),
        }
        found.update(_index_units(app, needs, now))
    return found


def _index_units(app, needs: list, now) -> dict:
    """CPU per admitted row to search the index, and per search for the whole page."""
    from directory.extensions import db
    from matching.index.backend import IndexedBackend
    from matching.index.keeper import Settings
    from matching.index.masks import NeedMasks
    from matching.index.query import admitted
    from matching.index.score import scores
    from matching.matcher import matcher
    from matching.service import find_matches
    from referrals.signals import ReferralSignalSource

    keeper = matcher.keeper(app)
    keeper.settings = Settings(inline_max=10**9)  # build here: this measures searching it
    keeper.current(db.session.connection())
    (segment, alive), today = keeper.snapshot.parts()[0], now.date()

    def search(n):
        masks = NeedMasks(segment, n)
        scores(segment, masks, admitted(segment, n, today, alive, masks), now, 90)

    rows = sum(len(admitted(segment, n, today, alive)) for n in needs)
    searching = _best(search, [(n,) for n in needs])
    signals = ReferralSignalSource(db.session)
    paging = _best(
        lambda n: find_matches(n, IndexedBackend(keeper, db.session, now), signals, now),
        [(n.replace(),) for n in needs],
    )
    return {
        "index_rows": rows,
        "index_search_us": round(searching * 1e6 / rows, 2),
        "index_page_ms": round(paging * 1e3 / len(needs), 2),
    }


def main() -> None:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--needs", type=Path, required=True, help="JSON list of needs bodies")
    args = parser.parse_args()
    print(json.dumps(measure(args.db, json.loads(args.needs.read_text("utf-8")))))


if __name__ == "__main__":
    main()
