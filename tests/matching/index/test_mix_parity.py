"""The index's page equals a full rank of every SQL candidate on the benchmark needs mix.

A generated demo directory and needs drawn as benchmarks/needs_mix.py draws them: the index
ranks only the clinicians whose score bounds can reach the page, the SQL path ranks everyone,
and both must give the same total, order, scores, reasons and relaxations.
"""

import random
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from benchmarks.needs_mix import make_needs
from demo.generator import generate
from directory.geography import DisabledGeocoder
from directory.models import Location, Network
from matching.embedded import EmbeddedBackend
from matching.index.backend import IndexedBackend
from matching.index.keeper import IndexKeeper
from matching.needs_schema import NeedsSchema
from matching.plans import plan_lookup
from matching.ranking import rank_retrieved
from matching.service import find_matches
from matching.signals import no_signals
from tests.matching.index.test_parity import described

AS_OF = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
CLINICIANS = 400
NEEDS = 80


@pytest.fixture
def mix(db):
    """(needs, index keeper) over a seeded directory of CLINICIANS clinicians."""
    generate(CLINICIANS, 7, AS_OF)
    db.session.commit()
    zips = list(db.session.scalars(select(Location.postal_code).order_by(Location.id)))
    plans = list(db.session.scalars(select(Network.id).order_by(Network.id)))
    rng = random.Random("mix-parity")
    schema = NeedsSchema(plans=plan_lookup(db.session), geocoder=DisabledGeocoder())
    bodies = [make_needs(rng, zips, zips, plans) for _ in range(NEEDS)]
    return [schema.load(body) for body in bodies], IndexKeeper(db.engine)


def test_index_page_is_the_full_sql_ranking_on_the_needs_mix(db, mix):
    needs, keeper = mix
    pages = 0
    for n in needs:
        sql = find_matches(n, EmbeddedBackend(db.session, NOW), no_signals, NOW)
        index = find_matches(n, IndexedBackend(keeper, db.session, NOW), no_signals, NOW)
        assert described(index) == described(sql)
        pages += bool(sql.results)
    assert pages > NEEDS // 2  # most needs find someone: the comparison is not vacuous


def test_a_later_page_of_the_mix_is_the_same_slice_of_the_full_ranking(db, mix):
    needs, keeper = mix
    for n in needs[:20]:
        later = n.replace(offset=5, limit=7)
        full, total = rank_retrieved(later, EmbeddedBackend(db.session, NOW), no_signals, NOW)
        page, counted = IndexedBackend(keeper, db.session, NOW).page(later, no_signals, NOW)
        assert counted == total
        assert [(m.candidate.npi, m.score) for m in page] == [
            (m.candidate.npi, m.score) for m in full
        ]
