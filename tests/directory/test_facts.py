"""Recording observations and reading what we believe from the database."""

from datetime import UTC, datetime, timedelta

import pytest

from directory.extensions import db
from directory.facts import (
    Observation,
    UnknownFact,
    clinician,
    current,
    current_many,
    history,
    observe,
    record,
)
from directory.models import FactObservation

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def test_observe_stores_one_row_with_its_source_and_method(app):
    observe(
        clinician(5),
        "phone",
        "6175550100",
        "staff_verification",
        observed_at=NOW,
        location_id=3,
        method="phone_call",
        evidence="Front desk confirmed the number",
        actor_id=9,
    )
    db.session.commit()

    (row,) = history(clinician(5))
    assert (row.subject_kind, row.subject_id, row.kind, row.value) == (
        "clinician",
        5,
        "phone",
        "6175550100",
    )
    assert (row.source, row.method, row.location_id, row.actor_id) == (
        "staff_verification",
        "phone_call",
        3,
        9,
    )
    assert row.evidence == "Front desk confirmed the number"
    assert row.recorded_at is not None


def test_record_inserts_a_batch_larger_than_one_chunk(app):
    batch = (
        Observation(clinician(n), "accepting_new_patients", True, "roster", NOW)
        for n in range(1, 1202)
    )

    assert record(batch) == 1201
    db.session.commit()
    assert db.session.query(FactObservation).count() == 1201


def test_current_resolves_and_keeps_the_losing_observation(app):
    observe(clinician(1), "accepting_new_patients", True, "roster", observed_at=NOW)
    observe(
        clinician(1),
        "accepting_new_patients",
        False,
        "clinician_attestation",
        observed_at=NOW - timedelta(days=3),
    )
    db.session.commit()

    (finding,) = current(clinician(1), NOW)

    assert finding.value is False
    assert [c.source for c in finding.conflicts] == ["roster"]
    assert len(history(clinician(1))) == 2


def test_current_many_answers_for_every_id_asked(app):
    observe(clinician(1), "telehealth", True, "nppes", observed_at=NOW)
    db.session.commit()

    found = current_many("clinician", [1, 2], NOW)

    assert [f.value for f in found[1]] == [True]
    assert found[2] == []


@pytest.mark.parametrize(
    ("kind", "source", "method", "message"),
    [
        ("shoe_size", "nppes", None, "unknown fact kind 'shoe_size'"),
        ("phone", "gossip", None, "unknown fact source 'gossip'"),
        ("phone", "staff_verification", None, "a staff verification needs a method"),
        ("phone", "roster", "carrier_pigeon", "unknown verification method 'carrier_pigeon'"),
    ],
)
def test_unknown_codes_are_refused(app, kind, source, method, message):
    with pytest.raises(UnknownFact, match=message):
        observe(clinician(1), kind, "x", source, method=method)


def test_cost_lines_many_names_the_same_sources_as_full_resolution(app):
    from directory.cost import Cost
    from directory.cost_facts import cost_lines, cost_lines_many

    fee = {"min": 40, "max": 90}
    observe(clinician(1), "self_pay_fee", {"min": 60, "max": 90}, "nppes", observed_at=NOW)
    observe(clinician(1), "self_pay_fee", fee, "roster", observed_at=NOW - timedelta(days=400))
    observe(clinician(1), "self_pay_fee", fee, "clinician_attestation", observed_at=NOW)
    observe(clinician(1), "sliding_scale", True, "roster", observed_at=NOW)
    observe(clinician(1), "sliding_scale", False, "nppes", observed_at=NOW)
    observe(clinician(2), "accepts_medicaid", True, "roster", observed_at=NOW - timedelta(days=9))
    db.session.commit()
    costs = {
        1: Cost(fee_min=40, fee_max=90, sliding_scale=True),
        2: Cost(medicaid=False),
        3: Cost(medicare=True),
    }

    fast = cost_lines_many(costs, NOW)

    full = current_many("clinician", [1, 2, 3], NOW)
    assert fast == {cid: cost_lines(cost, full[cid]) for cid, cost in costs.items()}
    fees = [(line.value, line.source) for line in fast[1] if line.kind == "self_pay_fee"]
    assert fees == [({"min": 40, "max": 90}, "clinician_attestation")]
    assert [(line.kind, line.source) for line in fast[2] if line.value is not None] == [
        ("accepts_medicaid", None)
    ]
