"""GET /api/v1/plans, /api/v1/vocabularies and /api/v1/languages."""

import pytest

from directory.vocabulary import VOCABULARY_NAMES


def test_plans_are_listed_by_name_with_their_networks(client, directory_data):
    body = client.get("/api/v1/plans").get_json()
    assert body["total"] == 3
    assert [p["id"] for p in body["results"]] == ["AcmeGoldHMO", "AcmeHMONet", "AcmeStdNet"]
    gold, hmo_net, _ = body["results"]
    assert gold == {
        "id": "AcmeGoldHMO",
        "name": "Acme Gold HMO",
        "type": "HMO",
        "kind": "plan",
        "payer": "Acme Health",
        "networks": [{"id": "AcmeHMONet", "name": "Acme HMO Network"}],
    }
    # A Plan-Net network is listed under its resource id and reports its kind as its type.
    assert (hmo_net["type"], hmo_net["kind"], hmo_net["networks"]) == ("network", "network", [])


def test_plan_ids_round_trip_into_the_clinician_filter(client, directory_data):
    for plan in client.get("/api/v1/plans").get_json()["results"]:
        response = client.get(f"/api/v1/clinicians?plan={plan['id']}")
        assert response.status_code == 200
        assert response.get_json()["total"] >= 1


def test_empty_directory_has_no_plans(client):
    assert client.get("/api/v1/plans").get_json() == {
        "total": 0,
        "limit": 100,
        "offset": 0,
        "next": None,
        "prev": None,
        "results": [],
    }


def test_one_plan(client, directory_data):
    response = client.get("/api/v1/plans/AcmeGoldHMO")
    assert response.status_code == 200
    assert response.get_json()["networks"] == [{"id": "AcmeHMONet", "name": "Acme HMO Network"}]


@pytest.mark.parametrize("plan_id", ["NoSuchPlan", "x" * 65])
def test_unknown_plan_is_json_404(client, directory_data, plan_id):
    response = client.get(f"/api/v1/plans/{plan_id}")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_a_nul_in_the_plan_id_is_refused_at_the_edge(client, directory_data):
    response = client.get("/api/v1/plans/bad%00id")
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"path": ["contains a NUL character (U+0000)"]}


def test_vocabularies_list_every_vocabulary_with_terms(client):
    body = client.get("/api/v1/vocabularies").get_json()
    assert body["total"] == len(VOCABULARY_NAMES)
    assert [v["name"] for v in body["results"]] == list(VOCABULARY_NAMES)
    assert all(v["terms"] for v in body["results"])


def test_one_vocabulary_keeps_the_extras(client):
    body = client.get("/api/v1/vocabularies/competencies").get_json()
    assert body["name"] == "competencies"
    assert body["total"] == len(body["results"])
    first = body["results"][0]
    assert first["code"] == "lgbtq_affirming"
    assert first["label"] == "LGBTQ+-affirming"
    assert first["plain"] and first["group"] == "identity"
    ages = client.get("/api/v1/vocabularies/age_groups").get_json()["results"]
    assert {"code", "label", "min_age", "max_age"} <= set(ages[0])


def test_unknown_vocabulary_is_json_404(client):
    response = client.get("/api/v1/vocabularies/horoscopes")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_languages(client):
    body = client.get("/api/v1/languages").get_json()
    assert body["total"] == len(body["results"]) > 180
    spanish = next(t for t in body["results"] if t["code"] == "es")
    assert spanish == {"code": "es", "label": "Spanish", "label_es": "español"}
