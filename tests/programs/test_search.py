"""Program search: required criteria exclude, preferred ones rank, distance breaks ties."""

from datetime import UTC, datetime

import pytest
from marshmallow import ValidationError

from programs.needs import ProgramNeedsSchema
from programs.search import find_programs
from tests.programs.seed import program, save

# Tuesday 2026-12-01 19:30 in Boston (EST, UTC-5).
TUESDAY_EVENING = datetime(2026, 12, 2, 0, 30, tzinfo=UTC)
EVENING_HOURS = [{"days": ["tue"], "opens": "17:00", "closes": "20:00"}]


@pytest.fixture(params=["memory", "off"], autouse=True)
def search_path(request, app):
    """Every test on both paths: the in-memory index and SQL."""
    app.config["PROGRAM_INDEX"] = request.param
    return request.param


def _search(**body):
    needs = ProgramNeedsSchema().load({"postal_code": "02139", **body})
    return find_programs(needs, TUESDAY_EVENING)


def _names(page):
    return [f.service.name for f in page.results]


def test_a_need_is_required_and_nearer_programs_rank_first(app):
    save(
        program("far pantry", 3, needs=["food"]),
        program("near pantry", 1, needs=["food"]),
        program("shelter", 0.5, needs=["housing"]),
    )

    page = _search(needs=["food"])

    assert _names(page) == ["near pantry", "far pantry"]
    assert [f.reasons[0].text for f in page.results] == ["helps with food", "helps with food"]


def test_a_preferred_language_ranks_above_distance_and_an_unmet_one_is_said(app):
    save(
        program("english pantry", 1, needs=["food"], languages=["en"]),
        program("spanish pantry", 4, needs=["food"], languages=["es"]),
    )

    page = _search(needs=["food"], languages=["es"])

    assert _names(page) == ["spanish pantry", "english pantry"]
    assert page.results[1].unmet[0].text == "no speaks asked for (es) listed"


def test_the_radius_is_a_limit_and_relaxations_count_what_a_wider_one_finds(app):
    save(program("pantry 20 mi", 20, needs=["food"]))

    page = _search(needs=["food"], max_distance_miles=10)

    assert page.total == 0
    assert page.relaxations[:2] == [
        {"relax": "max_distance_miles", "value": 25.0, "count": 1, "text": "1 within 25 mi"},
        {"relax": "max_distance_miles", "value": 50.0, "count": 1, "text": "1 within 50 mi"},
    ]


def test_sud_programs_filter_by_level_of_care_medication_and_payment(app):
    save(
        program("otp", 2, needs=["substance_use_treatment"], levels_of_care=["otp"],
                medications=["methadone"], payments=["medicaid"]),
        program("residential", 1, needs=["substance_use_treatment"], levels_of_care=["3.x"],
                medications=["naltrexone"], payments=["sliding_scale"]),
    )  # fmt: skip

    methadone = _search(medications=["methadone"])
    uninsured = _search(levels_of_care=["otp", "3.x"], payment=["uninsured"], required=["payment"])

    assert _names(methadone) == ["otp"]
    assert _names(uninsured) == ["residential"]
    assert uninsured.results[0].reasons[-1].text == "accepts: uninsured"


@pytest.mark.parametrize(("age", "listed"), [(17, []), (18, ["adults"]), (64, ["adults"])])
def test_age_limits_are_inclusive(app, age, listed):
    save(program("adults", 1, needs=["food"], minimum_age=18, maximum_age=64))

    assert _names(_search(needs=["food"], age=age)) == listed


def test_open_now_and_evening_read_the_site_hours_in_its_local_time(app):
    save(
        program("evening", 2, needs=["food"], hours=EVENING_HOURS),
        program("mornings", 1, needs=["food"], hours=[{"days": ["tue"], "opens": "08:00",
                                                       "closes": "12:00"}]),
    )  # fmt: skip

    page = _search(needs=["food"], schedule=["open_now", "evening"], required=["schedule"])

    assert _names(page) == ["evening"]
    assert page.results[0].reasons[-1].text == "open now, evening"


def test_a_required_criterion_made_preferred_is_a_relaxation_with_its_count(app):
    save(program("pantry", 1, needs=["food"], minimum_age=65))

    page = _search(needs=["food"], age=30)

    assert page.total == 0
    assert page.relaxations[-1] == {
        "relax": "required", "value": "needs", "count": 0,
        "text": "0 if need is preferred, not required",
    }  # fmt: skip
    assert page.relaxations[-2]["text"] == "1 if age is preferred, not required"


def test_a_search_names_one_place_and_known_codes():
    with pytest.raises(ValidationError) as err:
        ProgramNeedsSchema().load({"postal_code": "02139", "lat": 42.0, "needs": ["pizza"]})

    assert err.value.messages == {
        "needs": {0: ["Must be one of: food, housing, transportation, utilities, safety, "
                      "substance_use_treatment, mental_health_program."]},
    }  # fmt: skip
