"""A clinician's cost: tri-state answers, the uninsured rule, fee limits and the words."""

import pytest

from directory.cost import (
    MAX_FEE,
    PAYMENTS,
    Cost,
    CostInvalid,
    fact_values,
    fee_text,
    merged,
    summary_text,
)
from programs.vocabulary import PAYMENTS as PROGRAM_PAYMENTS


def test_the_payment_words_are_the_program_searchs():
    assert set(PAYMENTS) <= set(PROGRAM_PAYMENTS)
    assert PAYMENTS == ("uninsured", "medicaid", "medicare", "free", "sliding_scale")


def test_nothing_known_is_unknown_never_no_or_free():
    cost = Cost()
    assert not cost.known
    assert [cost.answer(p) for p in PAYMENTS] == [None] * 5
    assert cost.accepted() == frozenset()
    assert cost.lowest_fee is None
    assert not cost.within(1000)
    assert fact_values(cost) == {}


@pytest.mark.parametrize(
    ("cost", "answer"),
    [
        (Cost(uninsured=True), True),
        (Cost(free_care=True), True),
        (Cost(sliding_scale=True), True),
        (Cost(uninsured=False), False),
        (Cost(uninsured=False, sliding_scale=True), True),
        (Cost(uninsured=False, free_care=False), False),
        (Cost(sliding_scale=False), None),
        (Cost(medicaid=True), None),
    ],
)
def test_uninsured_is_met_by_self_pay_free_care_or_a_sliding_scale(cost, answer):
    assert cost.answer("uninsured") is answer


def test_payers_answer_from_their_own_flag():
    cost = Cost(medicaid=True, medicare=False, free_care=False, sliding_scale=True)
    assert cost.answer("medicaid") is True
    assert cost.answer("medicare") is False
    assert cost.answer("free") is False
    assert cost.accepted() == frozenset({"medicaid", "sliding_scale", "uninsured"})


def test_fee_limit_is_inclusive_and_free_care_costs_nothing():
    cost = Cost(fee_min=80, fee_max=150)
    assert cost.within(80)
    assert not cost.within(79.99)
    assert Cost(free_care=True, fee_min=200).within(0)
    assert Cost(fee_max=50).within(100) is False  # only the top is known: no floor to compare


@pytest.mark.parametrize(
    ("low", "high"), [(-1, None), (None, MAX_FEE + 1), (120, 60), (0, MAX_FEE + 5)]
)
def test_impossible_fees_are_refused(low, high):
    with pytest.raises(CostInvalid):
        Cost(fee_min=low, fee_max=high)


def test_edges_of_the_fee_range_are_allowed():
    assert Cost(fee_min=0, fee_max=MAX_FEE).fee_max == 2000


@pytest.mark.parametrize(
    ("cost", "text"),
    [
        (Cost(fee_min=60, fee_max=120), "$60-$120 a session"),
        (Cost(fee_min=90, fee_max=90), "$90 a session"),
        (Cost(fee_min=90), "from $90 a session"),
        (Cost(fee_max=1500), "up to $1,500 a session"),
        (Cost(sliding_scale=True), None),
    ],
)
def test_fee_words(cost, text):
    assert fee_text(cost) == text


def test_fact_values_name_each_known_value_by_its_fact_kind():
    cost = Cost(fee_min=60, fee_max=120, medicaid=False, uninsured=True)
    assert fact_values(cost) == {
        "self_pay_fee": {"min": 60, "max": 120},
        "accepts_medicaid": False,
        "accepts_uninsured": True,
    }


def test_a_sources_word_goes_over_the_stored_cost_and_the_rest_stays():
    stored = Cost(fee_min=60, fee_max=120, medicaid=True, sliding_scale=True)
    stated = Cost(fee_min=200, medicaid=False)
    assert merged(stored, stated) == Cost(
        fee_min=200, fee_max=None, medicaid=False, sliding_scale=True
    )
    assert merged(stored, Cost()) == stored


def test_the_english_summary_needs_no_request_and_says_unknown_plainly():
    assert summary_text(Cost()) == "Cost not known: ask about fees and insurance."
    cost = Cost(fee_min=60, fee_max=120, sliding_scale=True, medicaid=True, medicare=False)
    assert summary_text(cost) == "Sliding scale · Takes Medicaid · Self-pay $60-$120 a session"
    assert summary_text(Cost(medicare=False)) == (
        "No free care, sliding scale, Medicaid or Medicare listed"
    )
