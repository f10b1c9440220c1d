"""The demo directory gives a realistic share of clinicians cost facts, each with its source."""

from collections import Counter
from datetime import date

from sqlalchemy import select

from demo.cost import demo_cost
from demo.generator import generate
from directory.cost import cost_of
from directory.cost_facts import cost_lines
from directory.facts import clinician as subject
from directory.facts import current
from directory.models import Clinician, FactObservation

AS_OF = date(2026, 11, 22)


def test_cost_comes_from_the_npi_alone():
    assert demo_cost("1000000004", False) == demo_cost("1000000004", False)
    drawn = [demo_cost(f"1{n:09d}", False) for n in range(2000)]
    share = sum(c is not None for c in drawn) / len(drawn)
    assert 0.55 < share < 0.65
    known = [c for c in drawn if c is not None]
    assert all(c.uninsured for c in known if c.free_care)
    fees = [c.fee_min for c in known if c.fee_min is not None]
    assert 60 <= sorted(fees)[len(fees) // 2] <= 180  # a therapist's median self-pay fee
    assert all(c.fee_min <= c.fee_max for c in known if c.fee_min is not None)


def test_the_demo_directory_carries_cost_with_sources(db):
    generate(400, 1, AS_OF)
    rows = db.session.scalars(select(Clinician)).all()
    with_cost = [c for c in rows if cost_of(c).known]
    assert 0.5 < len(with_cost) / len(rows) < 0.7
    medicaid = Counter(c.accepts_medicaid for c in with_cost)
    assert medicaid[True] and medicaid[False] and medicaid[None]
    sample = with_cost[0]
    lines = [
        line for line in cost_lines(cost_of(sample), current(subject(sample.id))) if line.known
    ]
    assert lines and all(line.source in ("self_reported", "staff_verification") for line in lines)
    assert all(line.observed_at is not None for line in lines)
    silent = next(c for c in rows if not cost_of(c).known)
    assert current(subject(silent.id)) == []


def test_regenerating_leaves_no_orphan_cost_facts(db):
    generate(120, 1, AS_OF)
    first = db.session.scalar(select(FactObservation.id).limit(1))
    assert first is not None
    generate(120, 2, AS_OF)
    ids = set(db.session.scalars(select(Clinician.id)))
    subjects = set(db.session.scalars(select(FactObservation.subject_id)))
    assert subjects <= ids
    expected = sum(
        len([v for v in (c.fee_min, c.sliding_scale, c.free_care, c.accepts_medicaid,
                         c.accepts_medicare, c.accepts_uninsured) if v is not None])
        for c in db.session.scalars(select(Clinician))
    )  # fmt: skip
    facts = db.session.scalars(select(FactObservation)).all()
    assert len(facts) == expected
