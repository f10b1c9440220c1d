"""/hsds: the HSDS 3.0 read API over the demo programs, the FindTreatment and HSDS samples."""

from datetime import date

import pytest

from demo.programs import demo_programs
from ingest.kinds import load_file
from ingest.program_store import save_services
from ingest.report import LoadSummary
from tests.conftest import SHARED
from tests.hsds_api.hsds_schemas import problems

AREA = [("02139", "Cambridge", "MA", 42.362391, -71.102336)]
FINDTREATMENT = SHARED / "findtreatment" / "residential_facilities_CA_first25.json"
HSDS_SERVICE = SHARED / "hsds" / "examples" / "service_full.json"
PAGE_KEYS = {
    "total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
    "contents",
}  # fmt: skip


@pytest.fixture
def loaded(app, tmp_path):
    """9 demo programs around Cambridge, 25 FindTreatment facilities and the HSDS example."""
    save_services(demo_programs(AREA, 7, date(2026, 11, 22)), LoadSummary())
    load_file("findtreatment", FINDTREATMENT, tmp_path / "ft.csv")
    load_file("hsds", HSDS_SERVICE, tmp_path / "hsds.csv")
    return app


def _all(client, path: str) -> list[dict]:
    return client.get(path, query_string={"per_page": 500, "full": "true"}).get_json()["contents"]


def test_the_root_names_the_version_and_profile(client):
    body = client.get("/hsds/").get_json()

    assert body["version"] == "3.0"
    assert body["profile"] == "https://docs.openreferral.org/en/latest/hsds/"


def test_every_service_listed_and_fetched_validates_against_the_hsds_schema(loaded, client):
    listed = _all(client, "/hsds/services")

    assert len(listed) == 35
    for service in listed:
        fetched = client.get(f"/hsds/services/{service['id']}").get_json()
        assert fetched == service
        assert problems("service", fetched) == [], fetched["name"]


def test_a_service_carries_its_sites_hours_languages_and_age(loaded, client):
    listed = _all(client, "/hsds/services")
    pantry = next(s for s in listed if s["name"] == "Cambridge Community Food Pantry")

    assert pantry["status"] == "active"
    assert pantry["assured_date"] == "2026-11-22"
    assert pantry["languages"][1]["code"] == "es"
    assert pantry["phones"][0]["number"] == "555-0109"
    assert pantry["metadata"][0]["updated_by"] == "demo"
    assert pantry["metadata"][0]["last_action_type"] == "import"
    site = pantry["service_at_locations"][0]
    assert site["location"]["addresses"][0]["postal_code"] == "02139"
    assert site["location"]["location_type"] == "physical"
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in site["schedules"]] == [
        ("TU,TH", "15:00", "19:00"),
        ("SA", "09:00", "12:00"),
    ]


def test_organizations_locations_sites_and_terms_validate(loaded, client):
    for kind, path in (
        ("organization", "/hsds/organizations"),
        ("service_at_location", "/hsds/service_at_locations"),
        ("taxonomy", "/hsds/taxonomies"),
        ("taxonomy_term", "/hsds/taxonomy_terms"),
    ):
        items = _all(client, path)
        assert items, path
        for item in items:
            assert problems(kind, item) == [], (path, item)
    for path in ("/hsds/service_at_locations", "/hsds/taxonomies", "/hsds/taxonomy_terms"):
        for item in _all(client, path):
            assert client.get(f"{path}/{item['id']}").get_json() == item
    for org in _all(client, "/hsds/organizations"):
        fetched = client.get(f"/hsds/organizations/{org['id']}").get_json()
        assert problems("organization", fetched) == []
        assert fetched["services"]


def test_pages_are_shaped_as_the_openapi_says(loaded, client):
    first = client.get("/hsds/services?per_page=10").get_json()
    last = client.get("/hsds/services?per_page=10&page=4").get_json()
    beyond = client.get("/hsds/services?per_page=10&page=5").get_json()

    assert set(first) == PAGE_KEYS
    assert (first["total_items"], first["total_pages"], first["size"]) == (35, 4, 10)
    assert (first["first_page"], first["last_page"], first["empty"]) == (True, False, False)
    assert (last["page_number"], last["size"], last["last_page"]) == (4, 5, True)
    assert (beyond["size"], beyond["contents"], beyond["empty"]) == (0, [], False)
    assert "service_at_locations" not in first["contents"][0]  # one-to-one fields unless full


def test_an_empty_directory_answers_an_empty_first_page(client):
    body = client.get("/hsds/services").get_json()

    assert body == {
        "total_items": 0, "total_pages": 1, "page_number": 1, "size": 0, "first_page": True,
        "last_page": True, "empty": True, "contents": [],
    }  # fmt: skip


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=x", "per_page=0", "per_page=501", "full=maybe"],
)
def test_bad_page_parameters_are_400(client, query):
    response = client.get(f"/hsds/services?{query}")

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_an_unknown_id_is_404_json(loaded, client):
    for path in (
        "/hsds/services/", "/hsds/organizations/", "/hsds/service_at_locations/",
        "/hsds/taxonomies/", "/hsds/taxonomy_terms/",
    ):  # fmt: skip
        response = client.get(path + "00000000-0000-4000-8000-000000000000")
        assert response.status_code == 404
        assert response.get_json()["status"] == 404


def test_search_finds_services_by_words_in_name_or_description(loaded, client):
    page = client.get("/hsds/services?search=food%20pantry").get_json()

    assert [s["name"] for s in page["contents"]] == ["Cambridge Community Food Pantry"]
    assert client.get("/hsds/services?search=100%25").get_json()["total_items"] == 0


def test_organization_id_lists_that_organizations_services(loaded, client):
    pantry = client.get("/hsds/services?search=food%20pantry").get_json()["contents"][0]

    page = client.get(f"/hsds/services?organization_id={pantry['organization_id']}").get_json()
    unknown = client.get("/hsds/services?organization_id=nobody").get_json()

    assert pantry["name"] in [s["name"] for s in page["contents"]]
    assert {s["organization_id"] for s in page["contents"]} == {pantry["organization_id"]}
    assert (unknown["total_items"], unknown["empty"]) == (0, True)


def test_a_filter_the_api_does_not_offer_is_400_not_ignored(client):
    response = client.get("/hsds/services?taxonomy_id=x")

    assert response.status_code == 400
    assert response.get_json()["errors"] == {"taxonomy_id": ["Unknown field."]}
