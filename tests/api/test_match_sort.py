"""POST /api/v1/matches with `sort`: the same matches in another order; an unknown sort is a 400."""

import json

import pytest

from tests.matching.match_directory import add_clinician, add_location, add_plan

URL = "/api/v1/matches"


@pytest.fixture
def spread(db):
    """Three Gold clinicians: near with a long wait, mid with no wait known, far opening today."""
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    near = add_location(42.365, -71.104, state="MA", postal_code="02139")
    mid = add_location(42.35, -71.07, state="MA", postal_code="02116")
    far = add_location(42.40, -71.25, state="MA", postal_code="02451")
    add_clinician(1, [near], ["GoldNet"], ["en"], wait_days=60)
    add_clinician(2, [mid], ["GoldNet"], ["en"])
    add_clinician(3, [far], ["GoldNet"], ["en"], wait_days=0)
    db.session.commit()


def _order(client, **extra):
    body = {"postal_code": "02139", "plan": "Gold", **extra}
    response = client.post(URL, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    found = response.get_json()["results"]
    return [r["name"] for r in found], [r["distance_miles"] for r in found]


def test_distance_and_soonest_reorder_the_same_matches(client, spread):
    fit, _ = _order(client)
    nearest, miles = _order(client, sort="distance")
    soonest, _ = _order(client, sort="soonest")

    assert nearest == ["Pat Clinician1", "Pat Clinician2", "Pat Clinician3"]
    assert miles == sorted(miles)
    assert soonest == ["Pat Clinician3", "Pat Clinician1", "Pat Clinician2"]
    assert sorted(fit) == sorted(nearest) == sorted(soonest)
    assert _order(client, sort="best_fit")[0] == fit


def test_an_unknown_sort_is_refused_under_its_field(client, spread):
    body = {"postal_code": "02139", "plan": "Gold", "sort": "price"}
    response = client.post(URL, data=json.dumps(body), content_type="application/json")

    assert response.status_code == 400
    assert "sort" in json.dumps(response.get_json())
