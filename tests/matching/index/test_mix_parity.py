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


def test_index_page_is_the_full_sql_ranking_on_the_needs_mix(db, mix, field_cut):
    needs, keeper = mix
    pages = 0
    for n in needs:
        sql = find_matches(n, EmbeddedBackend(db.session, NOW), no_signals, NOW)
        index = find_matches(n, IndexedBackend(keeper, db.session, NOW), no_signals, NOW)
        assert described(index) == described(sql)
        pages += bool(sql.results)
    assert pages > NEEDS // 2  # most needs find someone: the comparison is not vacuous


def test_a_later_page_of_the_mix_is_the_same_slice_of_the_full_ranking(db, mix, field_cut):
    needs, keeper = mix
    for n in needs[:20]:
        later = n.replace(offset=5, limit=7)
        full, total = rank_retrieved(later, EmbeddedBackend(db.session, NOW), no_signals, NOW)
        page, counted = IndexedBackend(keeper, db.session, NOW).page(later, no_signals, NOW)
        assert counted == total
        assert [(m.candidate.npi, m.score) for m in page] == [
            (m.candidate.npi, m.score) for m in full
        ]


def test_pages_of_three_with_the_field_cut_and_referral_signals(db, mix, monkeypatch):
    """Fields cut to one sampled row per wanted clinician, a third of clinicians with signals,
    wide radii and telehealth too: pages of three (first, second) are the full SQL ranking's."""
    from directory.models import Clinician
    from matching.index import refine
    from matching.signals import ReferralSignals
    from tests.matching.index.test_parity import Signals

    needs, keeper = mix
    monkeypatch.setattr(refine, "SAMPLE_PER_WANTED", 1)
    ids = db.session.scalars(select(Clinician.id).order_by(Clinician.id)).all()
    # Signals that lift a clinician as far as they can (always on time, nothing open) or sink it.
    lift, sink = ReferralSignals(0, 60, 60), ReferralSignals(9, 0, 60)
    table = {i: (lift if i % 3 else sink) for i in ids if i % 4}
    cut, scored = [0], refine.page_scores

    def counting(*args):
        found = scored(*args)
        cut[0] += int((found == refine.UNREACHABLE).sum())
        return found

    monkeypatch.setattr("matching.index.backend.page_scores", counting)
    for n in needs:
        for offset in (0, 3):
            small = n.replace(limit=3, offset=offset, max_distance_miles=1000, modality="either")
            full, total = rank_retrieved(
                small, EmbeddedBackend(db.session, NOW), Signals(table), NOW
            )
            index = IndexedBackend(keeper, db.session, NOW)
            page, counted = index.page(small, Signals(table), NOW)
            assert counted == total
            assert [(m.candidate.npi, m.score) for m in page] == [
                (m.candidate.npi, m.score) for m in full
            ]
    assert cut[0] > 1000  # the cut did leave rows out: the comparison is not vacuous


def test_totals_add_up_across_segments_when_the_field_is_cut(db, mix, monkeypatch):
    """A clinician changed since the index was built is searched in the delta segment: the
    total counts the clinicians of both segments, those cut from the base one included."""
    from directory.models import Clinician
    from matching.index import refine

    needs, keeper = mix
    monkeypatch.setattr(refine, "SAMPLE_PER_WANTED", 1)
    wide = [n.replace(limit=1, max_distance_miles=1000, modality="in_person") for n in needs]
    n = next(n for n in wide if rank_retrieved(n.replace(limit=500), *_sql(db))[1] > 50)
    full, total = rank_retrieved(n.replace(limit=500), *_sql(db))
    IndexedBackend(keeper, db.session, NOW).page(n, no_signals, NOW)  # the index is built
    last = db.session.scalars(select(Clinician).filter_by(npi=full[-1].candidate.npi)).one()
    last.last_name = "Changed"
    db.session.commit()

    index = IndexedBackend(keeper, db.session, NOW)
    page, counted = index.page(n, no_signals, NOW)

    assert len(index.snapshot.parts()) == 2  # the change is read from the delta segment
    assert counted == total
    assert [m.candidate.npi for m in page] == [full[0].candidate.npi]


def _sql(db):
    return EmbeddedBackend(db.session, NOW), no_signals, NOW
