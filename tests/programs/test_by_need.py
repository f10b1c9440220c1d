"""Programs per need a screening found: the program search pre-filled, one search per need."""

from datetime import UTC, datetime

import pytest
from marshmallow import ValidationError

from programs.by_need import programs_for_needs, search_body
from programs.vocabulary import need_domains
from screening.definitions import instruments
from tests.programs.seed import program, save

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


def names(group) -> list[str]:
    return [found.service.name for found in group.results]


def test_each_need_gets_its_nearest_programs_in_the_screenings_order(app):
    save(
        program("pantry near", 1, needs=["food"]),
        program("pantry mid", 4, needs=["food"]),
        program("pantry far", 9.5, needs=["food"]),
        program("pantry farther", 11, needs=["food"]),
        program("safe harbor", 2, needs=["safety", "housing"]),
    )

    groups = programs_for_needs(("safety", "food", "utilities"), "02139", NOW, per_need=2)

    assert [g.need for g in groups] == ["safety", "food", "utilities"]
    assert names(groups[0]) == ["safe harbor"]
    assert (names(groups[1]), groups[1].total) == (["pantry near", "pantry mid"], 3)
    assert (names(groups[2]), groups[2].total) == ([], 0)


def test_no_needs_searches_nothing(app):
    assert programs_for_needs((), "02139", NOW) == []


def test_an_unknown_zip_is_refused(app):
    with pytest.raises(ValidationError) as err:
        programs_for_needs(("food",), "00000", NOW)

    assert err.value.messages == {"postal_code": ["Unknown ZIP code."]}


def test_the_search_body_the_needs_prefill():
    assert search_body(["safety", "food"], "02139") == {
        "postal_code": "02139",
        "max_distance_miles": 10,
        "needs": ["safety", "food"],
    }


def test_every_need_the_social_screen_finds_is_a_program_need_domain():
    found = [rule["need"] for rule in instruments()["ahc_hrsn"].needs]

    assert found == ["safety", "housing", "food", "transportation", "utilities"]
    assert set(found) <= set(need_domains())
