"""GET /api/v1/clinicians and /api/v1/clinicians/<npi>."""

import logging

import pytest

URL = "/api/v1/clinicians"


def npis(client, query: str = "") -> list[str]:
    """The NPIs a search returns, in order."""
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.get_json()
    return [r["npi"] for r in response.get_json()["results"]]


def test_lists_active_clinicians_by_last_then_first_name(client, directory_data):
    d = directory_data
    body = client.get(URL).get_json()
    assert body["total"] == 4
    assert (body["limit"], body["offset"]) == (20, 0)
    # A missing first name sorts first; the inactive Aaron is never listed.
    assert [r["npi"] for r in body["results"]] == [d.lee, d.ann, d.bob, d.cara]


def test_summary_shape(client, directory_data):
    ann = client.get(f"{URL}?npi={directory_data.ann}").get_json()["results"][0]
    assert ann["name"] == "Ann Lee, LICSW"
    assert (ann["first_name"], ann["last_name"], ann["credentials"]) == ("Ann", "Lee", ["LICSW"])
    assert (ann["gender"], ann["pronouns"]) == ("female", "she/her")
    assert ann["taxonomies"] == [
        {"code": "1041C0700X", "display": "Clinical Social Worker", "primary": True}
    ]
    assert ann["languages"] == [
        {"code": "en", "name": "English", "proficiency": "native"},
        {"code": "es", "name": "Spanish", "proficiency": "professional_working"},
    ]
    assert ann["accepting_new_patients"] is True
    assert ann["plans"] == ["AcmeHMONet"]
    assert ann["locations"] == [
        {
            "id": directory_data.boston_id,
            "name": "Back Bay Counseling",
            "address": "1 Main St, Boston, MA 02116",
            "city": "Boston",
            "state": "MA",
            "postal_code": "02116",
            "lat": 42.35,
            "lon": -71.07,
            "geo_precision": "address",
            "phone": "617-555-0199",
        }
    ]
    assert ann["last_verified"].endswith("+00:00")
    assert ann["verification_source"] == "attestation"
    assert ann["stale"] is False
    assert "licenses" not in ann


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("name=smith", ["bob", "cara"]),
        ("name=LEE", ["lee", "ann"]),
        ("name=ann+lee", ["ann"]),
        ("name=Lee,+Ann", ["ann"]),
        ("name=smi+bo", ["bob"]),
        ("name=%25", []),
        ("taxonomy=103T00000X", ["bob", "cara"]),
        ("taxonomy=103tc0700x", ["bob"]),
        ("taxonomy=1041C0700X", ["ann"]),
        ("language=es", ["ann"]),
        ("language=EN", ["ann", "bob"]),
        ("plan=AcmeGoldHMO", ["ann", "bob"]),
        ("plan=AcmeHMONet", ["ann"]),
        ("plan=AcmeStdNet", ["cara"]),
        ("state=ma", ["ann", "bob"]),
        ("state=RI", ["bob"]),
        ("state=NY", []),
        ("accepting_new_patients=true", ["ann"]),
        ("accepting_new_patients=false", ["bob"]),
        ("state=MA&plan=AcmeGoldHMO&language=en", ["ann", "bob"]),
        ("state=MA&plan=AcmeGoldHMO&accepting_new_patients=true", ["ann"]),
        ("taxonomy=103T00000X&state=RI&name=smith", ["bob"]),
    ],
)
def test_filters(client, directory_data, query, expected):
    assert npis(client, query) == [getattr(directory_data, name) for name in expected]


def test_npi_filter_is_exact(client, directory_data):
    assert npis(client, f"npi={directory_data.bob}") == [directory_data.bob]
    assert npis(client, f"npi={directory_data.unknown}") == []
    assert npis(client, f"npi={directory_data.gone}") == []


def test_pagination_keeps_the_total_and_the_order(client, directory_data):
    d = directory_data
    body = client.get(f"{URL}?limit=2&offset=1").get_json()
    assert (body["total"], body["limit"], body["offset"]) == (4, 2, 1)
    assert [r["npi"] for r in body["results"]] == [d.ann, d.bob]
    past_end = client.get(f"{URL}?limit=2&offset=10").get_json()
    assert (past_end["total"], past_end["results"]) == (4, [])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("plan=NoSuchPlan", "plan"),
        ("language=xx", "language"),
        ("language=english", "language"),
        ("npi=123", "npi"),
        ("npi=1000000001", "npi"),
        ("taxonomy=NOTACODE", "taxonomy"),
        ("state=ZZ", "state"),
        ("state=Massachusetts", "state"),
        ("name=%20%20", "name"),
        ("name=a%00b", "name"),
        ("accepting_new_patients=maybe", "accepting_new_patients"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("offset=99999999999999999999", "offset"),
        ("colour=blue", "colour"),
        ("state=MA&state=RI", "state"),
    ],
)
def test_bad_arguments_are_400_with_per_field_errors(client, directory_data, query, field):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["status"] == 400
    assert body["message"]
    assert list(body["errors"]) == [field]
    assert all(isinstance(m, str) for m in body["errors"][field])


def test_detail(client, directory_data):
    d = directory_data
    response = client.get(f"{URL}/{d.ann}")
    assert response.status_code == 200
    ann = response.get_json()
    assert ann["npi"] == d.ann and ann["name"] == "Ann Lee, LICSW"
    assert ann["licenses"] == [
        {"state": "MA", "license_type": "LICSW", "number": "LICSW-1", "expires_on": None}
    ]
    assert ann["competencies"] == [
        {"code": "lgbtq_affirming", "label": "LGBTQ+-affirming", "provenance": "trained"}
    ]
    assert ann["conditions_treated"] == ["depression", "anxiety"]
    assert ann["conditions_not_treated"] == []
    assert (ann["approaches"], ann["age_groups"]) == (["cbt"], ["adults"])
    assert ann["modalities"] == ["in_person", "video"]
    assert (ann["next_available_on"], ann["wait_days"], ann["referral_capacity"]) == (
        "2030-01-15",
        7,
        3,
    )
    [boston] = ann["locations"]
    assert boston["plans"] == ["AcmeHMONet"]
    assert (boston["accepting_new_patients"], boston["accepting_override"]) == (True, None)


def test_detail_location_override_and_plan_for_all_locations(client, directory_data):
    bob = client.get(f"{URL}/{directory_data.bob}").get_json()
    assert bob["accepting_new_patients"] is False
    [providence] = bob["locations"]
    # A participation without a location covers every location.
    assert providence["plans"] == ["AcmeGoldHMO"]
    assert (providence["accepting_new_patients"], providence["accepting_override"]) == (
        False,
        False,
    )
    assert bob["licenses"][0]["expires_on"] == "2099-01-01"


def test_detail_not_found_is_json_404(client, directory_data):
    for npi in (directory_data.unknown, directory_data.gone):
        response = client.get(f"{URL}/{npi}")
        assert response.status_code == 404
        assert response.is_json
        assert response.get_json()["status"] == 404


@pytest.mark.parametrize("npi", ["12345", "abcdefghij", "1000000001"])
def test_detail_invalid_npi_is_400(client, npi):
    response = client.get(f"{URL}/{npi}")
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == ["npi"]


def test_stale_flag_follows_the_configured_window(app, client, directory_data):
    d = directory_data
    stale = {r["npi"]: r["stale"] for r in client.get(URL).get_json()["results"]}
    assert stale == {d.ann: False, d.bob: True, d.cara: True, d.lee: True}
    app.config["STALE_AFTER_DAYS"] = 365
    bob = client.get(f"{URL}/{d.bob}").get_json()
    assert bob["stale"] is False
    assert bob["last_verified"] is not None
    assert client.get(f"{URL}/{d.cara}").get_json()["last_verified"] is None


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["status"] == 404


def test_wrong_method_is_json_405_with_allow(client):
    response = client.post(URL)
    assert response.status_code == 405
    assert response.get_json()["status"] == 405
    assert "GET" in response.headers["Allow"]


def test_unexpected_error_is_json_500_without_details(app, caplog):
    def explode():
        raise RuntimeError("patient Jane Roe, DOB 1990-01-01")

    app.add_url_rule("/api/v1/explode", "explode", explode)
    with caplog.at_level(logging.ERROR, logger="api.errors"):
        response = app.test_client().get("/api/v1/explode")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "internal error",
        "message": "internal error",
    }
    assert "RuntimeError" in caplog.text
    assert "explode" in caplog.text  # the traceback frames are logged
    assert "Jane Roe" not in caplog.text
