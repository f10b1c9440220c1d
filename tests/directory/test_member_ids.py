"""Member-id formats: which plan a member id belongs to (the console's one rule)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from directory.member_ids import FORMAT_MAX, check, check_format, fits, normalized


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    member_id_format: str | None


TUFTS = Plan("tufts", "Tufts-like HMO", r"^T\d{9}$")
BAY = Plan("bay", "Bay PPO", r"^(BAY|BSP)\d{6}[A-Z]?$")
WIDE = Plan("wide", "Wide plan", r"^[A-Z]\d{9}$")
BLANK = Plan("blank", "No format plan", None)


def test_fits_the_exact_length_only():
    assert fits("T123456789", TUFTS.member_id_format)
    assert not fits("T12345678", TUFTS.member_id_format)  # one digit short
    assert not fits("T1234567890", TUFTS.member_id_format)  # one digit over
    assert not fits("XT123456789", TUFTS.member_id_format)  # anchored at the start


def test_the_id_is_normalized_before_matching():
    assert normalized("  t 1234 56789\n") == "T123456789"
    assert fits("t123456789", TUFTS.member_id_format)
    assert not fits("", TUFTS.member_id_format) and not fits("T123456789", None)


def test_only_ascii_digits_count_as_digits():
    # Python's \d takes Arabic-Indic digits unless told otherwise; the browser's does not.
    assert not fits("T١٢٣٤٥٦٧٨٩", TUFTS.member_id_format)


def test_exactly_one_plan_matches():
    found = check("BSP123456Z", [TUFTS, BAY, BLANK], None)
    assert found.matching == (BAY,) and found.only == BAY and found.chosen_fits is None


def test_two_plans_match_and_none_is_chosen_for_the_agent():
    found = check("T123456789", [TUFTS, BAY, WIDE], None)
    assert found.matching == (TUFTS, WIDE) and found.only is None


def test_no_plan_matches():
    found = check("ZZ-1", [TUFTS, BAY, WIDE, BLANK], None)
    assert found.matching == () and found.only is None


def test_the_chosen_plan_agrees_or_disagrees_with_the_id():
    plans = [TUFTS, BAY, BLANK]
    assert check("T123456789", plans, "tufts").chosen_fits is True
    assert check("BAY123456", plans, "tufts").chosen_fits is False
    # Nothing to compare: a plan without a format, no id, or no plan chosen.
    assert check("BAY123456", plans, "blank").chosen_fits is None
    assert check(" ", plans, "tufts").chosen_fits is None
    assert check("BAY123456", plans, "elsewhere").chosen_fits is None


@pytest.mark.parametrize("text", [r"^T\d{9}$", r"^(BAY|BSP)\d{6}[A-Z]?$", " ^M[0-9]{8,10}$ "])
def test_formats_both_pythons_and_browsers_read_alike_are_kept(text):
    assert check_format(text) == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        "",
        r"T\d{9}",  # not anchored
        r"^t\d{9}$",  # ids are compared in upper case
        r"^\w{9}$",  # \w differs between the two
        r"^(?P<x>T)$",  # named groups are Python's own
        r"^T\d{9}$\n",
        "^(T$",  # not a regular expression
        "^" + "A" * FORMAT_MAX + "$",  # too long
    ],
)
def test_other_formats_are_refused_with_the_reason(text):
    with pytest.raises(ValueError):
        check_format(text)
