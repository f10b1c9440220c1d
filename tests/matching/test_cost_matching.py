"""Payment and self-pay fee needs: parsed, filtered or ranked, and explained, on every backend."""

import pytest
from marshmallow import ValidationError

from directory.geography import DisabledGeocoder
from matching import weights
from matching.embedded import EmbeddedBackend
from matching.index.backend import IndexedBackend
from matching.index.keeper import IndexKeeper
from matching.needs_schema import NeedsSchema
from matching.plans import plan_lookup
from matching.service import find_matches
from matching.signals import no_signals
from tests.matching.match_directory import NOW, add_clinician, add_location


@pytest.fixture
def directory(db):
    """Five clinicians at one Boston place, with different cost facts."""
    boston = add_location(42.35, -71.07, state="MA", postal_code="02116")
    people = {
        "sliding": add_clinician(1, [boston], sliding_scale=True, fee_min=40, fee_max=120),
        "medicaid": add_clinician(2, [boston], accepts_medicaid=True, fee_min=150, fee_max=150),
        "free": add_clinician(3, [boston], free_care=True),
        "refuses": add_clinician(4, [boston], accepts_medicaid=False, accepts_uninsured=False),
        "unknown": add_clinician(5, [boston]),
    }
    db.session.commit()
    return {key: c.npi for key, c in people.items()}


def load(db, **raw):
    schema = NeedsSchema(plans=plan_lookup(db.session), geocoder=DisabledGeocoder())
    return schema.load({"postal_code": "02139", **raw})


@pytest.fixture(params=["sql", "index"])
def backend(request, db):
    if request.param == "sql":
        return EmbeddedBackend(db.session, NOW)
    return IndexedBackend(IndexKeeper(db.engine), db.session, NOW)


def _who(directory, page):
    by_npi = {npi: key for key, npi in directory.items()}
    return sorted(by_npi[m.candidate.npi] for m in page.results)


def test_payment_and_max_fee_are_parsed_as_needs(db):
    needs = load(db, payment="sliding_scale,medicaid", max_fee="80")
    assert needs.payment == ("medicaid", "sliding_scale")
    assert needs.max_fee == 80.0
    assert not needs.requires("payment") and not needs.requires("max_fee")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"payment": ["private"]}, "payment"),
        ({"payment": ["cash"]}, "payment"),
        ({"max_fee": -1}, "max_fee"),
        ({"max_fee": 2000.5}, "max_fee"),
    ],
)
def test_bad_cost_needs_are_reported_under_their_field(db, raw, field):
    with pytest.raises(ValidationError) as err:
        load(db, **raw)
    assert field in err.value.messages


def test_required_uninsured_keeps_self_pay_free_and_sliding_scale(db, directory, backend):
    needs = load(db, payment=["uninsured"], required=["payment"])
    page = find_matches(needs, backend, no_signals, NOW)
    assert _who(directory, page) == ["free", "sliding"]
    reasons = {m.candidate.npi: [e.text for e in m.reasons] for m in page.results}
    assert "Takes uninsured (self-pay) patients" in reasons[directory["free"]]


def test_required_medicaid_or_uninsured_is_any_of(db, directory, backend):
    needs = load(db, payment=["medicaid", "uninsured"], required=["payment"])
    page = find_matches(needs, backend, no_signals, NOW)
    assert _who(directory, page) == ["free", "medicaid", "sliding"]


def test_required_max_fee_is_inclusive_and_unknown_fees_are_left_out(db, directory, backend):
    at_40 = find_matches(load(db, max_fee=40, required=["max_fee"]), backend, no_signals, NOW)
    assert _who(directory, at_40) == ["free", "sliding"]
    at_39 = find_matches(load(db, max_fee=39, required=["max_fee"]), backend, no_signals, NOW)
    assert _who(directory, at_39) == ["free"]


def test_preferred_cost_ranks_and_says_what_was_not_met(db, directory, backend):
    needs = load(db, payment=["medicaid"], max_fee=100)
    page = find_matches(needs, backend, no_signals, NOW)
    assert _who(directory, page) == ["free", "medicaid", "refuses", "sliding", "unknown"]
    by_key = {key: m for m in page.results for key, npi in directory.items()
              if npi == m.candidate.npi}  # fmt: skip
    points = {key: dict(m.components) for key, m in by_key.items()}
    assert points["medicaid"]["payment"] == weights.PAYMENT
    assert points["medicaid"]["max_fee"] == 0.0
    assert points["sliding"]["max_fee"] == weights.MAX_FEE
    assert [e.text for e in by_key["refuses"].unmet] == [
        "Does not take Medicaid",
        "Self-pay fee not known (wanted $100 or less)",
    ]
    assert [e.text for e in by_key["unknown"].unmet][0] == "Not known to take Medicaid"
    assert [e.text for e in by_key["medicaid"].unmet] == [
        "Self-pay $150 a session (wanted $100 or less)"
    ]
    sliding = [e.text for e in by_key["sliding"].reasons]
    assert "Self-pay $40-$120 a session, within $100" in sliding
    assert [e.as_dict() for e in by_key["free"].reasons if e.code == "max_fee"] == [
        {"code": "max_fee", "value": 100.0, "text": "Free care, within $100"}
    ]


def test_relaxing_a_required_payment_is_suggested_with_its_count(db, directory, backend):
    needs = load(db, payment=["medicare"], required=["payment"])
    page = find_matches(needs, backend, no_signals, NOW)
    assert page.total == 0
    relax = [r.as_dict() for r in page.relaxations if r.relax == "payment"]
    assert relax == [
        {
            "relax": "payment",
            "value": "preferred",
            "count": 5,
            "text": "5 if payment is preferred, not required",
        }
    ]


def test_candidates_carry_the_cost_columns(db, directory, backend):
    page = find_matches(load(db), backend, no_signals, NOW)
    costs = {m.candidate.npi: m.candidate.cost for m in page.results}
    sliding = costs[directory["sliding"]]
    assert (sliding.fee_min, sliding.fee_max, sliding.sliding_scale) == (40, 120, True)
    assert sliding.medicaid is None
    assert costs[directory["refuses"]].uninsured is False
    assert not costs[directory["unknown"]].known
