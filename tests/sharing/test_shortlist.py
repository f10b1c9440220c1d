"""The shortlist: valid NPIs only, no repeats, at most five."""

import pytest

from sharing.shortlist import MAX_ENTRIES, ShortlistFull, add, clean, remove

# Valid NPIs (Luhn check digit over the 80840 prefix).
NPIS = ["1234567893", "1000000004", "1000000012", "1000000020", "1000000038", "1000000046"]


def test_the_npis_are_valid():
    assert clean(NPIS) == NPIS[:MAX_ENTRIES]


def test_add_keeps_the_order_and_ignores_repeats():
    assert add([], NPIS[0]) == [NPIS[0]]
    assert add([NPIS[0], NPIS[1]], NPIS[0]) == [NPIS[0], NPIS[1]]
    assert add([NPIS[0]], NPIS[1]) == [NPIS[0], NPIS[1]]


def test_the_fifth_fits_and_the_sixth_does_not():
    four = NPIS[:4]
    five = add(four, NPIS[4])
    assert five == NPIS[:5]
    with pytest.raises(ShortlistFull):
        add(five, NPIS[5])
    assert add(five, NPIS[2]) == five  # one already there is no sixth


def test_remove():
    assert remove(NPIS[:3], NPIS[1]) == [NPIS[0], NPIS[2]]
    assert remove(NPIS[:3], "not-there") == NPIS[:3]


@pytest.mark.parametrize(
    "stored",
    [None, "1234567893", {"npi": "1234567893"}, ["1234567890"], ["abc"], [1234567893]],
)
def test_anything_else_in_the_session_is_dropped(stored):
    assert clean(stored) == []


def test_clean_drops_repeats_and_caps():
    assert clean([NPIS[0], NPIS[0], "x", *NPIS[1:]]) == NPIS[:5]
