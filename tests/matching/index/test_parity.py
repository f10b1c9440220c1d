"""The index gives the SQL backend's answers: same page, scores, explanations, counts.

Directories and needs come from the property tests' strategies; referral signals are drawn
too, since the index bounds them instead of reading them for everyone.
"""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.models.verification import as_utc
from matching.embedded import EmbeddedBackend
from matching.index.backend import IndexedBackend
from matching.index.keeper import IndexKeeper
from matching.service import find_matches
from matching.signals import ReferralSignals
from tests.matching.match_directory import NOW, add_clinician, add_location, add_plan
from tests.matching.test_properties import CENTER, build, directories, needs_strategy

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class Signals:
    """A provider with fixed signals; `knows` says whether it can name who has any."""

    def __init__(self, table: dict[int, ReferralSignals], knows: bool = True):
        self.table, self.asked = table, []
        if knows:
            self.referred = lambda now: set(self.table)

    def __call__(self, clinician_ids, now):
        self.asked.append(sorted(clinician_ids))
        return {i: self.table[i] for i in clinician_ids if i in self.table}


signal_values = st.builds(
    ReferralSignals, st.integers(0, 8), st.integers(0, 5), st.integers(0, 5)
).filter(lambda s: s.on_time <= s.answered)


def described(page) -> tuple:
    """Everything a caller sees of a page."""
    results = [
        (
            m.candidate.npi,
            m.score,
            m.components,
            m.candidate.visit,
            m.place.id if m.place else None,
            m.distance_miles,
            [e.as_dict() for e in m.reasons],
            [e.as_dict() for e in m.unmet],
            [e.as_dict() for e in m.notices],
        )
        for m in page.results
    ]
    relaxations = [r.as_dict() for r in page.relaxations]
    return page.total, results, relaxations, page.relaxation_summary


@pytest.fixture
def keeper(db):
    """One index kept across examples: each example's directory reaches it through the log."""
    return IndexKeeper(db.engine)


@SETTINGS
@given(directories(), needs_strategy(), st.data())
def test_same_page_as_sql_with_referral_signals(db, keeper, field_cut, directory, needs, data):
    places, specs = directory
    npis, _ = build(places, specs)
    ids = [c.id for c in _clinicians(db)]
    table = data.draw(st.dictionaries(st.sampled_from(ids), signal_values, max_size=len(ids)))
    knows = data.draw(st.booleans())

    sql = find_matches(needs, EmbeddedBackend(db.session, NOW), Signals(table, knows), NOW)
    index = find_matches(needs, IndexedBackend(keeper, db.session, NOW), Signals(table, knows), NOW)

    assert described(index) == described(sql)


@SETTINGS
@given(directories(), needs_strategy())
def test_same_candidates_as_sql(db, keeper, directory, needs):
    places, specs = directory
    build(places, specs)

    sql = EmbeddedBackend(db.session, NOW)
    index = IndexedBackend(keeper, db.session, NOW)

    assert _normal(index.retrieve(needs)) == _normal(sql.retrieve(needs))
    assert index.count(needs) == sql.count(needs)


def _normal(candidates) -> list:
    """Candidates comparable across drivers (SQLite returns naive UTC datetimes)."""
    from dataclasses import replace

    found = {replace(c, verified_at=as_utc(c.verified_at)) for c in candidates}
    return sorted(found, key=lambda c: (c.npi, c.visit, c.place.id if c.place else 0))


def _clinicians(db):
    from directory.models import Clinician

    return db.session.scalars(db.select(Clinician).order_by(Clinician.id)).all()


@pytest.fixture
def crowd(db):
    """Ninety clinicians at four places, many with equal scores, some with referrals."""
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    spots = [add_location(CENTER.lat + d, CENTER.lon, state="MA") for d in (0, 0.01, 0.02, 0.03)]
    people = []
    for serial in range(1, 91):
        people.append(
            add_clinician(
                serial,
                [spots[serial % 4]] + ([spots[(serial + 1) % 4]] if serial % 3 == 0 else []),
                ["GoldNet"],
                ["es"] if serial % 5 == 0 else ["en"],
                ["MA"] if serial % 2 == 0 else [],
                modalities=["in_person", "video"] if serial % 2 == 0 else ["in_person"],
                wait_days=serial % 7 if serial % 4 else None,
                verified_at=NOW - timedelta(days=100 if serial % 6 == 0 else 1),
            )
        )
    db.session.commit()
    return people


@pytest.mark.parametrize("offset", [0, 1, 7, 19, 40, 77, 85, 89, 95])
@pytest.mark.parametrize("modality", ["in_person", "either"])
def test_deep_pages_of_a_crowd_with_ties(db, crowd, field_cut, offset, modality):
    from tests.matching.test_embedded import load

    needs = load(db, languages=["es"], modality=modality, limit=5, offset=offset)
    table = {c.id: ReferralSignals(c.id % 6, c.id % 3, c.id % 4) for c in crowd[::7]}
    keeper = IndexKeeper(db.engine)

    sql = find_matches(needs, EmbeddedBackend(db.session, NOW), Signals(table), NOW)
    index = find_matches(needs, IndexedBackend(keeper, db.session, NOW), Signals(table), NOW)

    assert described(index) == described(sql)
    assert sql.total == 90


def test_signals_are_read_only_for_contenders(db, crowd):
    from tests.matching.test_embedded import load

    needs = load(db, limit=3)
    table = {c.id: ReferralSignals(1, 1, 1) for c in crowd}
    signals = Signals(table)

    find_matches(needs, IndexedBackend(IndexKeeper(db.engine), db.session, NOW), signals, NOW)

    asked = sorted(i for batch in signals.asked for i in batch)
    assert 3 <= len(asked) < len(crowd)


@pytest.mark.parametrize("offset", [0, 7, 85])
@pytest.mark.parametrize("sort", ["distance", "soonest"])
def test_sorted_pages_of_a_crowd_match_sql(db, crowd, sort, offset):
    from tests.matching.test_embedded import load

    needs = load(db, modality="either", sort=sort, limit=5, offset=offset)
    keeper = IndexKeeper(db.engine)

    sql = find_matches(needs, EmbeddedBackend(db.session, NOW), Signals({}), NOW)
    index = find_matches(needs, IndexedBackend(keeper, db.session, NOW), Signals({}), NOW)

    assert described(index) == described(sql)
    assert sql.total == 90
    key = (lambda m: m.distance_miles) if sort == "distance" else (lambda m: m.candidate.wait_days)
    shown = [key(m) for m in sql.results if key(m) is not None]
    assert shown == sorted(shown)


@pytest.mark.parametrize("offset", [0, 3, 10, 30])
@pytest.mark.parametrize("modality", ["in_person", "either"])
def test_the_field_cut_leaves_room_for_signals_to_lift_or_sink(
    db, crowd, monkeypatch, offset, modality
):
    from matching.index import refine
    from tests.matching.test_embedded import load

    monkeypatch.setattr(refine, "SAMPLE_PER_WANTED", 1)
    needs = load(db, languages=["es"], modality=modality, limit=5, offset=offset)
    lift, sink = ReferralSignals(0, 60, 60), ReferralSignals(9, 0, 60)
    table = {c.id: (lift if c.id % 4 < 2 else sink) for c in crowd if c.id % 3}
    keeper = IndexKeeper(db.engine)

    sql = find_matches(needs, EmbeddedBackend(db.session, NOW), Signals(table), NOW)
    index = find_matches(needs, IndexedBackend(keeper, db.session, NOW), Signals(table), NOW)

    assert described(index) == described(sql)
