"""The screen's pure parts: what text is refused, how a place is named, how a walk is bounded."""

from __future__ import annotations

import pytest

from edge.headers import content_security_policy, tile_origin
from edge.refusal import HostileInput
from edge.screen import InputLimits, path_name, screen_json, text_problem

LIMITS = InputLimits(max_depth=3, max_items=4, max_chars=10)


def _refusal(document) -> tuple[str, str]:
    with pytest.raises(HostileInput) as caught:
        screen_json(document, LIMITS)
    [(field, [reason])] = caught.value.errors.items()
    return field, reason


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("plain", None),
        ("é中😀", None),
        ("x" * 10, None),
        ("x" * 11, "is longer than 10 characters"),
        ("a\x00b", "contains a NUL character (U+0000)"),
        ("a\ud800", "contains a lone surrogate, which is not text"),
        ("\udfff", "contains a lone surrogate, which is not text"),
        ("t\tand\nnl", None),
    ],
)
def test_text_problems(text, problem):
    assert text_problem(text, 10) == problem


def test_places_are_named_like_the_fields_they_are():
    assert path_name(None) == "body"
    assert path_name(((None, "patient"), "name")) == "patient.name"
    assert path_name(((None, "diagnoses"), 2)) == "diagnoses[2]"
    assert path_name((((None, 0), "needs"), "x\x00")) == "[0].needs.x\\x00"
    assert path_name((None, "k" * 50)) == "k" * 40 + "..."


def test_a_document_within_every_limit_passes():
    screen_json({"a": [1, 2, {"b": "short"}], "c": None, "d": 1.5, "e": True}, LIMITS)


def test_depth_counts_containers_and_the_deepest_is_named():
    screen_json([[["leaf"]]], LIMITS)
    assert _refusal([[[["leaf"]]]]) == ("[0][0][0]", "is nested deeper than 3 levels")


def test_sizes_are_judged_before_contents():
    assert _refusal({"list": [1, 2, 3, 4, "\x00"]}) == ("list", "has more than 4 items")
    assert _refusal({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}) == ("body", "has more than 4 items")


def test_keys_are_screened_like_values():
    assert _refusal({"ok": {"ba\x00d": 1}}) == ("ok.ba\\x00d", "contains a NUL character (U+0000)")
    assert _refusal({"k" * 11: 1}) == ("k" * 11, "is longer than 10 characters")


def test_a_document_holds_at_most_ten_lists_worth_of_values():
    # Every container is within its cap; the members of all of them together are counted:
    # 2 + (4 + 16) + (3 + 12) = 37 of the 40 allowed, then 2 + 20 + 20 = 42.
    screen_json({"a": [[1, 2, 3, 4]] * 4, "b": [[1, 2, 3, 4]] * 3}, LIMITS)
    assert _refusal({"a": [[1, 2, 3, 4]] * 4, "b": [[1, 2, 3, 4]] * 4}) == (
        "body",
        "has more than 40 values",
    )


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8080/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("https://a.{s}.example.org/{z}.png", None),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("javascript:alert(1)", None),
    ],
)
def test_the_tile_origin_the_policy_allows(url, origin):
    assert tile_origin(url) == origin


def test_the_policy_adds_only_the_tile_origin_to_images():
    with_tiles = content_security_policy("https://tiles.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' https://tiles.example.org;" in with_tiles
    assert with_tiles.replace(" https://tiles.example.org", "") == content_security_policy("")
    assert "unsafe" not in with_tiles
