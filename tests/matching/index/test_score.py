"""Column scores' bounds: what refine.py may cut a field by."""

from datetime import UTC, datetime

import numpy as np

from matching.index.masks import NeedMasks
from matching.index.query import admitted
from matching.index.score import all_but_proximity, ceiling_but_fit_and_proximity, fit_points
from tests.matching.index.test_mix_parity import mix  # noqa: F401 (a fixture)

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def _masks(db, keeper, needs):
    segment, alive = keeper.current(db.session.connection()).parts()[0]
    return segment, alive, NeedMasks(segment, needs)


def test_preferences_are_the_needs_asked_for_that_only_rank(db, mix):  # noqa: F811
    needs, keeper = mix
    asked = needs[0].replace(
        languages=("es",),
        clinician_gender="female",
        max_wait_days=0,
        max_fee=0.0,
        payment=(),
        required=frozenset({"clinician_gender"}),
    )

    _, _, m = _masks(db, keeper, asked)

    assert m.preferences == {"languages", "max_wait_days", "max_fee"}
    # languages 12, wait within 6, fee 6; an opening today 8, no-history signals 16, accepting 4
    assert ceiling_but_fit_and_proximity(m) == 52.0


def test_no_row_scores_above_the_ceiling_and_the_best_come_close(db, mix):  # noqa: F811
    needs, keeper = mix
    gaps = []
    for n in needs:
        segment, alive, m = _masks(db, keeper, n.replace(max_distance_miles=1000))
        rows = admitted(segment, n.replace(max_distance_miles=1000), NOW.date(), alive, m)
        if not len(rows):
            continue
        rest = all_but_proximity(segment, m, rows, NOW, 90) - fit_points(segment, m, rows.clinician)
        ceiling = ceiling_but_fit_and_proximity(m)
        assert np.all(rest <= ceiling + 1e-9)
        gaps.append(ceiling - rest.max())
    # Tight as well as safe: for most needs the best row is within 1.5 points of it (a wait of a
    # few days), so the bound cuts.
    assert min(gaps) > 0.5 and np.median(gaps) < 1.5


def test_a_stored_negative_wait_raises_the_ceiling(db, mix, monkeypatch):  # noqa: F811
    from sqlalchemy import update

    from directory.models import Clinician
    from matching.embedded import EmbeddedBackend
    from matching.index import refine
    from matching.index.backend import IndexedBackend
    from matching.ranking import rank_retrieved
    from matching.signals import no_signals

    needs, keeper = mix
    db.session.execute(update(Clinician).values(wait_days=-14, next_available_on=None))
    db.session.commit()
    asked = needs[0].replace(
        languages=("es",),
        clinician_gender=None,
        cultural_preferences=(),
        availability=(),
        accessibility=(),
        max_wait_days=None,
        required=frozenset(),
        max_distance_miles=1000,
    )

    segment, alive, m = _masks(db, keeper, asked)
    rows = admitted(segment, asked, NOW.date(), alive, m)
    rest = all_but_proximity(segment, m, rows, NOW, 90) - fit_points(segment, m, rows.clinician)

    # languages 12, an opening "14 days ago" 16, no-history signals 16, accepting 4
    assert ceiling_but_fit_and_proximity(m) == 48.0
    assert len(rows) and np.all(rest <= 48.0)
    monkeypatch.setattr(refine, "SAMPLE_PER_WANTED", 1)  # cut to the page: still the full ranking
    small = asked.replace(limit=3)
    page, total = IndexedBackend(keeper, db.session, NOW).page(small, no_signals, NOW)
    full, counted = rank_retrieved(small, EmbeddedBackend(db.session, NOW), no_signals, NOW)
    assert [x.candidate.npi for x in page] == [x.candidate.npi for x in full] and total == counted
