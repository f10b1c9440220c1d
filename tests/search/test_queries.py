"""Query builders: unit tests on the dicts, golden request bodies, each valid against the spec.

Regenerate the golden files after an intended change with UPDATE_GOLDEN=1 and review the diff.
"""

import json
import os
from datetime import date
from pathlib import Path

import pytest

from directory.geography import Point
from matching import weights
from matching.diagnoses import diagnose
from matching.needs import Needs, PlanScope
from search import queries
from search.backend import PAGE_SIZE
from tests.matching.match_directory import add_plan
from tests.search.scenarios import load_needs
from tests.search.spec_validation import assert_valid_request

GOLDEN = Path(__file__).parent / "golden"
TODAY = date(2026, 3, 4)
CAMBRIDGE = Point(42.362391, -71.102336)
GOLD = PlanScope("Gold", "Acme Gold", frozenset({"Gold", "GoldNet"}))

CASES = {
    "in_person_plan": Needs(point=CAMBRIDGE, state="MA", plan=GOLD),
    "either_everything_required": Needs(
        point=CAMBRIDGE,
        state="MA",
        plan=GOLD,
        modality="either",
        age=15,
        age_groups=frozenset({"adolescents"}),
        concerns=("depression",),
        languages=("es",),
        clinician_gender="female",
        cultural_preferences=("lgbtq_affirming",),
        accessibility=("wheelchair",),
        availability=("evening",),
        max_wait_days=14,
        payment=("medicaid", "uninsured"),
        max_fee=80.0,
        required=frozenset(
            {
                "payment",
                "max_fee",
                "concerns",
                "languages",
                "clinician_gender",
                "cultural_preferences",
                "availability",
                "max_wait_days",
                "accessibility",
            }
        ),
    ),
    "telehealth_preferences": Needs(
        point=CAMBRIDGE,
        state="MA",
        modality="telehealth",
        languages=("pt", "es"),
        concerns=("anxiety", "insomnia"),
        payment=("sliding_scale",),
        max_fee=60.0,
        accepting_new_patients=False,
    ),
    "transport_insecure": Needs(
        point=CAMBRIDGE,
        state="MA",
        modality="either",
        diagnoses=(diagnose("Z59.82"), diagnose("F41.1")),
        concerns=("anxiety",),
        specialties=("103T00000X",),
        specialty_codes=frozenset({"103T00000X", "103TC0700X"}),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_search_body_matches_golden_file_and_the_spec(name):
    body = queries.search_body(CASES[name], TODAY, 1000)
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", "utf-8")

    assert body == json.loads(path.read_text("utf-8"))
    assert_valid_request("search", body)


def test_search_after_continues_a_page_and_stays_valid():
    body = queries.search_body(CASES["in_person_plan"], TODAY, 50, after=[31.5, "7-3"])

    assert body["search_after"] == [31.5, "7-3"]
    assert body["sort"] == [{"_score": {"order": "desc"}}, {"doc_key": {"order": "asc"}}]
    assert_valid_request("search", body)


def test_in_person_radius_is_widened_by_the_sphere_margin_only():
    clause = queries.in_person_clause(Needs(point=CAMBRIDGE, max_distance_miles=10))

    geo = clause["bool"]["filter"][1]["geo_distance"]
    assert geo == {"distance": "10.100mi", "location": {"lat": 42.362391, "lon": -71.102336}}


def test_telehealth_needs_a_current_license_in_the_patients_state():
    clause = queries.telehealth_clause(Needs(point=CAMBRIDGE, state="RI"), TODAY)

    nested = clause["bool"]["filter"][2]["nested"]
    assert nested["path"] == "licenses"
    license_filters = nested["query"]["bool"]["filter"]
    assert license_filters[0] == {"term": {"licenses.state": {"value": "RI"}}}
    assert {"range": {"licenses.expires_on": {"gte": "2026-03-04"}}} in (
        license_filters[1]["bool"]["should"]
    )


def test_telehealth_without_a_state_matches_nothing():
    needs = Needs(point=CAMBRIDGE, modality="telehealth")

    assert queries.visit_filter(needs, TODAY) == {"match_none": {}}


def test_either_modality_accepts_both_visit_kinds():
    needs = Needs(point=CAMBRIDGE, state="MA", modality="either")

    kinds = queries.visit_filter(needs, TODAY)["bool"]["should"]

    assert [k["bool"]["filter"][0]["term"]["visit"]["value"] for k in kinds] == [
        "in_person",
        "telehealth",
    ]


def test_unknown_acceptance_and_ages_pass_the_filters():
    needs = Needs(point=CAMBRIDGE, age_groups=frozenset({"adults"}))

    accepting, ages = queries.rule_filters(needs)

    assert accepting == {
        "bool": {"must_not": [{"term": {"accepting_new_patients": {"value": False}}}]}
    }
    assert {"bool": {"must_not": [{"exists": {"field": "age_groups"}}]}} in ages["bool"]["should"]


def test_closed_listings_are_kept_when_the_caller_asks():
    needs = Needs(point=CAMBRIDGE, accepting_new_patients=False)

    assert queries.rule_filters(needs) == []


def test_preferences_score_but_do_not_filter():
    needs = Needs(point=CAMBRIDGE, languages=("es",), clinician_gender="male")

    filters = queries.required_need_filters(needs, TODAY)
    should = queries.preference_clauses(needs, TODAY)

    assert filters == []
    language = {"constant_score": {"filter": {"terms": {"languages": ["es"]}}, "boost": 12.0}}
    assert language in should
    gender = {"constant_score": {"filter": {"term": {"gender": {"value": "male"}}}, "boost": 6.0}}
    assert gender in should


def test_required_language_filters_and_no_longer_scores():
    needs = Needs(point=CAMBRIDGE, languages=("es",), required=frozenset({"languages"}))

    assert queries.required_need_filters(needs, TODAY) == [{"terms": {"languages": ["es"]}}]
    assert all("languages" not in json.dumps(c) for c in queries.preference_clauses(needs, TODAY))


def test_concern_fit_takes_the_better_of_treating_and_a_suiting_taxonomy():
    needs = Needs(point=CAMBRIDGE, concerns=("depression", "anxiety"))

    fits = queries.fit_preference(needs)

    assert len(fits) == 2
    options = fits[0]["dis_max"]["queries"]
    share = weights.FIT / 2
    assert options[0]["constant_score"]["boost"] == share * weights.FIT_TREATS
    assert {o["constant_score"]["boost"] for o in options[1:]} == {share * weights.FIT_TAXONOMY}


def test_wait_uses_next_available_date_else_the_stated_wait():
    clause = queries.opening_within(14, TODAY)

    by_date, by_wait = clause["bool"]["should"]
    assert by_date == {"range": {"next_available_on": {"lte": "2026-03-18"}}}
    assert by_wait["bool"]["filter"][1] == {"range": {"wait_days": {"lte": 14}}}


def test_distance_decay_has_the_rankers_half_life_and_transport_halves_it():
    usual = queries.proximity_functions(Needs(point=CAMBRIDGE))
    insecure = queries.proximity_functions(Needs(point=CAMBRIDGE, diagnoses=(diagnose("Z59.82"),)))

    assert usual[0]["exp"]["location"]["scale"] == "10mi"
    assert usual[0]["weight"] == weights.DISTANCE
    assert usual[1]["weight"] == weights.DISTANCE * weights.TELEHEALTH_PROXIMITY
    assert insecure[0]["exp"]["location"]["scale"] == "5mi"
    assert insecure[1]["weight"] == weights.DISTANCE


def test_a_misspelt_function_key_fails_the_spec_check():
    body = queries.search_body(CASES["in_person_plan"], TODAY, 10)
    body["query"]["function_score"]["functions"][0]["wieght"] = 2

    with pytest.raises(AssertionError, match="'wieght' was unexpected"):
        assert_valid_request("search", body)


def test_render_query_prints_the_body_for_a_needs_file(db, runner, tmp_path):
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    db.session.commit()
    raw = {"postal_code": "02139", "plan": "Gold", "languages": ["es"], "modality": "either"}
    needs_file = tmp_path / "needs.json"
    needs_file.write_text(json.dumps(raw), "utf-8")

    result = runner.invoke(
        args=["search", "render-query", str(needs_file), "--today", "2026-03-04"]
    )

    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body == queries.search_body(load_needs(raw), TODAY, PAGE_SIZE)
    assert_valid_request("search", body)


def test_render_query_reports_invalid_needs_by_field(db, runner, tmp_path):
    needs_file = tmp_path / "needs.json"
    needs_file.write_text(json.dumps({"postal_code": "00000", "languages": ["xx"]}), "utf-8")

    result = runner.invoke(args=["search", "render-query", str(needs_file)])

    assert result.exit_code == 1
    assert "invalid needs" in result.output and "languages" in result.output


def test_a_distance_sort_pre_ranks_nearest_first_and_stays_valid():
    needs = CASES["in_person_plan"].replace(sort="distance")
    body = queries.search_body(needs, TODAY, 50, after=[1.25, 31.5, "7-3"])

    origin = {"lat": needs.point.lat, "lon": needs.point.lon}
    assert body["sort"] == [
        {"_geo_distance": {"location": origin, "order": "asc", "unit": "mi"}},
        {"_score": {"order": "desc"}},
        {"doc_key": {"order": "asc"}},
    ]
    assert_valid_request("search", body)
    soonest = queries.search_body(CASES["in_person_plan"].replace(sort="soonest"), TODAY, 50)
    assert soonest["sort"] == [{"_score": {"order": "desc"}}, {"doc_key": {"order": "asc"}}]
