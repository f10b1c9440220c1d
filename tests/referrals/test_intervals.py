"""Wilson and Newcombe intervals against hand-worked and published values."""

import pytest

from referrals.intervals import newcombe, wilson


def test_wilson_eight_of_twenty_by_hand():
    # p = 0.4, z² = 3.8415: (0.4 + 0.0960 ± 1.96·√(0.012 + 0.0024)) / 1.1921
    low, high = wilson(8, 20)
    assert round(low, 4) == 0.2188
    assert round(high, 4) == 0.6134


@pytest.mark.parametrize(
    ("successes", "trials", "expected"),
    [
        # Newcombe 1998, Table I, method 3 (score interval without continuity correction).
        (81, 263, (0.2553, 0.3662)),
        (15, 148, (0.0624, 0.1605)),
        (0, 20, (0.0, 0.1611)),
        (1, 29, (0.0061, 0.1718)),
    ],
)
def test_wilson_matches_newcombe_table_one(successes, trials, expected):
    assert tuple(round(v, 4) for v in wilson(successes, trials)) == expected


def test_wilson_ends_are_exact_at_none_and_all():
    assert wilson(0, 10)[0] == 0.0
    assert wilson(10, 10)[1] == 1.0


@pytest.mark.parametrize(("successes", "trials"), [(0, 0), (3, 2), (-1, 5)])
def test_wilson_refuses_impossible_counts(successes, trials):
    with pytest.raises(ValueError, match="successes <= trials"):
        wilson(successes, trials)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # Newcombe 1998, Table II, method 10 (hybrid score, no continuity correction).
        ((56, 70, 48, 80), (0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.1705, 0.8090)),
        ((6, 7, 2, 7), (0.0582, 0.8062)),
        ((5, 56, 0, 29), (-0.0381, 0.1926)),
        ((0, 10, 0, 20), (-0.1611, 0.2775)),
        ((0, 10, 0, 10), (-0.2775, 0.2775)),
        ((10, 10, 0, 20), (0.6791, 1.0)),
        ((10, 10, 0, 10), (0.6075, 1.0)),
    ],
)
def test_newcombe_matches_the_worked_examples(counts, expected):
    assert tuple(round(v, 4) for v in newcombe(*counts)) == expected


def test_newcombe_is_antisymmetric():
    low, high = newcombe(56, 70, 48, 80)
    back_low, back_high = newcombe(48, 80, 56, 70)
    assert (round(back_low, 12), round(back_high, 12)) == (round(-high, 12), round(-low, 12))
