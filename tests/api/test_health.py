from tests.matching.match_directory import add_clinician, add_location, add_plan


def test_healthz_reports_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "up",
        "match_index": "cold",
        "program_index": "cold",
    }


def test_healthz_reports_the_match_index_once_a_search_built_it(app, client, db):
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    add_clinician(1, [add_location(42.35, -71.07)], ["GoldNet"])
    db.session.commit()

    assert client.post("/api/v1/matches", json={"postal_code": "02139"}).status_code == 200

    assert client.get("/healthz").get_json()["match_index"] == "ready"


def test_healthz_says_when_the_index_is_off(app, client):
    app.config["MATCH_INDEX"] = "off"

    assert client.get("/healthz").get_json()["match_index"] == "off"


def test_healthz_reports_the_program_index_once_a_search_built_it(app, client):
    assert client.get("/healthz").get_json()["program_index"] == "cold"
    client.post("/api/v1/programs/matches", json={"postal_code": "02139", "needs": ["food"]})

    assert client.get("/healthz").get_json()["program_index"] == "ready"
    app.config["PROGRAM_INDEX"] = "off"
    assert client.get("/healthz").get_json()["program_index"] == "off"
