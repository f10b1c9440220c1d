"""POST /api/v1/matches says how exact each place is, and no "0 mi away" from a ZIP centre."""

import json

import pytest

from tests.matching.match_directory import add_clinician, add_location

URL = "/api/v1/matches"
# The Census ZCTA centroid of 02139, where a search from that ZIP starts.
AT_02139 = (42.362391, -71.102336)


def _distance_reason(body: dict) -> dict:
    [result] = body["results"]
    return next(r for r in result["reasons"] if r["code"] == "distance")


@pytest.mark.parametrize(
    ("precision", "text"),
    [
        ("zip_centroid", "In your ZIP code area"),
        ("zcta_centroid", "In your ZIP code area"),
        ("city", "In your ZIP code area"),
        ("address", "0 mi away"),
    ],
)
def test_a_place_at_the_search_point_is_said_as_exactly_as_it_is_known(client, db, precision, text):
    place = add_location(*AT_02139, state="MA", postal_code="02139", geo_precision=precision)
    add_clinician(1, [place])
    db.session.commit()

    response = client.post(
        URL, data=json.dumps({"postal_code": "02139"}), content_type="application/json"
    )

    assert response.status_code == 200
    body = response.get_json()
    assert body["results"][0]["location"]["geo_precision"] == precision
    assert _distance_reason(body) == {"code": "distance", "value": 0.0, "text": text}


def test_an_approximate_place_further_off_keeps_its_miles(client, db):
    place = add_location(
        42.35, -71.07, state="MA", postal_code="02116", geo_precision="zip_centroid"
    )
    add_clinician(1, [place])
    db.session.commit()

    response = client.post(
        URL, data=json.dumps({"postal_code": "02139"}), content_type="application/json"
    )

    reason = _distance_reason(response.get_json())
    assert reason == {"code": "distance", "value": 1.9, "text": "1.9 mi away"}
