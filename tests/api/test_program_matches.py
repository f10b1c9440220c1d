"""POST /api/v1/programs/matches: public, validated, ranked programs with cost and age of facts."""

from tests.programs.seed import program, save


def test_ranked_programs_carry_organization_location_cost_and_last_verified(app, client):
    save(program("pantry", 1, needs=["food"], payments=["free"], fee_max=0.0, phone="555-0100"))

    response = client.post("/api/v1/programs/matches", json={"postal_code": "02139",
                                                              "needs": ["food"]})  # fmt: skip

    assert response.status_code == 200
    body = response.get_json()
    assert (body["total"], body["limit"], body["offset"]) == (1, 20, 0)
    found = body["results"][0]
    assert found["name"] == "pantry"
    assert found["organization"]["name"] == "pantry organization"
    assert found["location"]["address"] == "1 Main St, Cambridge, MA 02139"
    assert found["location"]["precision"] == "source"
    assert found["reasons"] == [{"criterion": "needs", "text": "helps with food"}]
    assert found["cost"]["payments"] == ["free"]
    assert found["last_verified"].endswith("Z")
    assert 0.9 < found["distance_miles"] < 1.1


def test_invalid_needs_are_400_per_field(client):
    response = client.post("/api/v1/programs/matches", json={"postal_code": "00000"})

    assert response.status_code == 400
    assert response.get_json()["errors"] == {"postal_code": ["Unknown ZIP code."]}


def test_a_body_that_is_not_an_object_is_400(client):
    response = client.post("/api/v1/programs/matches", json=["food"])

    assert response.status_code == 400
