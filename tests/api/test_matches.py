"""POST /api/v1/matches: response shape, errors per field (never a 500), the crisis block."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.matching.match_directory import add_clinician, add_location, add_plan

URL = "/api/v1/matches"
RESULT_KEYS = {
    "npi",
    "name",
    "credentials",
    "location",
    "distance_miles",
    "score",
    "reasons",
    "unmet",
    "accepting_new_patients",
    "languages",
    "plans",
    "last_verified",
    "cost",
}


@pytest.fixture
def three_in_boston(db):
    """Three clinicians at one Boston location in plan Gold; one speaks Spanish."""
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    boston = add_location(42.35, -71.07, state="MA", postal_code="02116")
    add_clinician(1, [boston], ["GoldNet"], ["es"], credentials=["LICSW"], first_name="Ana")
    add_clinician(2, [boston], ["GoldNet"], ["en"])
    add_clinician(3, [boston], ["GoldNet"], ["en"])
    db.session.commit()


def post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def test_results_have_the_documented_shape(client, three_in_boston):
    response = post(client, {"postal_code": "02139", "plan": "Gold", "languages": ["es"]})

    assert response.status_code == 200
    body = response.get_json()
    assert list(body)[0] == "crisis" and body["crisis"] is None
    assert body["total"] == 3
    first = body["results"][0]
    assert set(first) == RESULT_KEYS | {"visit", "notices", "stale", "score_detail"}
    assert first["name"] == "Ana Clinician1"
    assert first["credentials"] == ["LICSW"]
    assert set(first["location"]) == {"id", "address", "lat", "lon", "geo_precision"}
    assert first["distance_miles"] == 1.86  # geodesic from the 02139 centroid
    assert first["plans"] == ["GoldNet"]
    assert first["languages"] == ["es"]
    assert first["last_verified"] == "2026-03-04T15:00:00Z"
    assert {"code": "language", "value": ["es"], "text": "Speaks Spanish"} in first["reasons"]
    others = body["results"][1:]
    assert all(r["unmet"][0]["code"] == "language" for r in others)


def test_total_counts_every_match_before_paging(client, three_in_boston):
    body = post(client, {"postal_code": "02139", "limit": 2, "offset": 1}).get_json()

    assert body["total"] == 3
    assert len(body["results"]) == 2
    assert (body["limit"], body["offset"]) == (2, 1)


@pytest.mark.parametrize(
    ("needs", "field"),
    [
        ({"postal_code": "02139", "plan": "NoSuchPlan"}, "plan"),
        ({"postal_code": "99999"}, "postal_code"),
        ({"postal_code": "02139", "max_distance_miles": 0}, "max_distance_miles"),
        ({"postal_code": "02139", "max_distance_miles": -3}, "max_distance_miles"),
        ({"postal_code": "02139", "max_distance_miles": 501}, "max_distance_miles"),
        ({"postal_code": "02139", "concerns": ["sadness"]}, "concerns"),
        ({"postal_code": "02139", "languages": ["xx"]}, "languages"),
        ({"postal_code": "02139", "cultural_preferences": ["nope"]}, "cultural_preferences"),
        ({"postal_code": "02139", "specialties": ["999X"]}, "specialties"),
        ({"postal_code": "02139", "diagnoses": ["depressed"]}, "diagnoses"),
        ({"postal_code": "02139", "modality": "carrier pigeon"}, "modality"),
        ({"postal_code": "02139", "required": ["plan"]}, "required"),
        ({"postal_code": "02139", "limit": 1000}, "limit"),
        ({"postal_code": "02139", "age": "old"}, "age"),
        ({"postal_code": "02139", "shoe_size": 9}, "shoe_size"),
        ({"lat": 42.3}, "lon"),
        ({"address": "1 Main St, Boston"}, "address"),
        ({}, "location"),
    ],
)
def test_invalid_needs_are_400_with_the_field(client, db, needs, field):
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    db.session.commit()

    response = post(client, needs)

    assert response.status_code == 400
    assert field in response.get_json()["errors"]


def test_every_problem_is_reported_at_once(client, db):
    body = post(
        client, {"postal_code": "00000", "plan": "Nope", "max_distance_miles": 0}
    ).get_json()

    assert set(body["errors"]) == {"postal_code", "plan", "max_distance_miles"}


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "null"])
def test_a_body_that_is_not_an_object_is_400(client, db, body):
    response = client.post(URL, data=body, content_type="application/json")

    assert response.status_code == 400


@pytest.mark.parametrize(
    "needs",
    [
        {"concerns": ["suicidal_ideation"]},
        {"diagnoses": ["R45.851"]},
        {"diagnoses": ["T14.91XA"]},
    ],
)
def test_imminent_risk_puts_988_first_on_every_page(client, three_in_boston, needs):
    for offset in (0, 2, 50):
        response = post(client, {"postal_code": "02139", "offset": offset, **needs})

        assert response.status_code == 200
        body = response.get_json()
        assert list(body)[0] == "crisis"
        crisis = body["crisis"]
        assert crisis["lines"][0]["name"] == "988 Suicide & Crisis Lifeline"
        assert crisis["lines"][0]["call"] == "988"
        assert crisis["emergency"]["call"] == "911"
        assert any("press 2" in line["call"] for line in crisis["lines"])
    assert body["results"] == [] and body["total"] == 3


def test_social_needs_and_ignored_codes_are_reported(client, three_in_boston):
    body = post(client, {"postal_code": "02139", "diagnoses": ["Z59.82", "E11.9"]}).get_json()

    assert body["social_needs"] == [
        {"code": "Z59.82", "category": "transportation", "text": "Transportation insecurity"}
    ]
    codes = {n["code"]: n["value"] for n in body["notices"]}
    assert codes == {"diagnosis_ignored": "E11.9", "transportation": "Z59.82"}


def test_few_results_come_with_counted_relaxations(client, three_in_boston):
    body = post(
        client,
        {
            "postal_code": "02139",
            "languages": ["pt"],
            "required": ["languages"],
            "max_distance_miles": 10,
        },
    ).get_json()

    assert body["total"] == 0
    assert body["relaxations"] == [
        {
            "relax": "languages",
            "value": "preferred",
            "count": 3,
            "text": "3 if language is preferred, not required",
        }
    ]
    assert body["relaxation_summary"].startswith("0 Portuguese-speaking clinicians within 10 mi")


FIELDS = (
    "postal_code",
    "lat",
    "lon",
    "address",
    "state",
    "max_distance_miles",
    "plan",
    "concerns",
    "diagnoses",
    "specialties",
    "age",
    "languages",
    "clinician_gender",
    "cultural_preferences",
    "modality",
    "accessibility",
    "availability",
    "max_wait_days",
    "accepting_new_patients",
    "required",
    "preferred",
    "limit",
    "offset",
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=2)
    ),
    max_leaves=6,
)
plausible = st.sampled_from(["02139", "Gold", "es", "F32.9", "either", 25, 30, ["es"], True])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(FIELDS), plausible | json_values, max_size=6))
def test_any_body_is_answered_200_or_400_never_500(client, three_in_boston, body):
    response = post(client, body)

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.get_json()["errors"]
