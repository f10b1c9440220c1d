"""/hsds/service_at_locations: postcode alone, postcode with proximity in metres, bad filters."""

import pytest

from ingest.program_store import save_services
from ingest.report import LoadSummary
from programs.records import LocationRecord, OrganizationRecord, ServiceRecord, SiteRecord
from tests.hsds_api.hsds_schemas import problems
from tests.programs.seed import program, save


def _sites(client, **query) -> dict:
    response = client.get("/hsds/service_at_locations", query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _service_names(client, page: dict) -> list[str]:
    names = []
    for site in page["contents"]:
        service = client.get(f"/hsds/services/{site['service_id']}").get_json()
        names.append(service["name"])
    return names


def _somerville_pantry() -> ServiceRecord:
    """A pantry at 02143 (Somerville), placed by its ZIP's centroid."""
    place = LocationRecord("test:somerville", line1="2 Elm St", city="Somerville", state="MA",
                           postal_code="02143")  # fmt: skip
    place.place()
    org = OrganizationRecord("test:org:somerville", "Somerville pantry organization")
    return ServiceRecord("test:somerville", "somerville pantry", org, "test",
                         sites=[SiteRecord("test:somerville", place)])  # fmt: skip


def test_proximity_keeps_sites_within_the_metres_nearest_first(app, client):
    save(program("3 mi", 3), program("1 mi", 1), program("0.5 mi", 0.5))

    page = _sites(client, postcode="02139", proximity="3000")  # about 1.86 miles

    assert page["total_items"] == 2
    assert _service_names(client, page) == ["0.5 mi", "1 mi"]


def test_a_wider_proximity_reaches_the_farther_site(app, client):
    save(program("3 mi", 3), program("1 mi", 1))

    page = _sites(client, postcode="02139", proximity="5500")  # about 3.4 miles

    assert _service_names(client, page) == ["1 mi", "3 mi"]


def test_a_postcode_alone_means_sites_at_that_postcode(app, client):
    save(program("cambridge", 1))
    save_services([_somerville_pantry()], LoadSummary())

    page = _sites(client, postcode="02143")

    assert page["total_items"] == 1
    assert _service_names(client, page) == ["somerville pantry"]


def test_full_sites_nest_a_valid_location(app, client):
    save(program("1 mi", 1, hours=[{"days": ["mon"], "opens": "09:00", "closes": "17:00"}]))

    site = _sites(client, postcode="02139", proximity="3000", full="true")["contents"][0]

    assert problems("service_at_location", site) == []
    assert site["location"]["addresses"][0]["city"] == "Cambridge"
    assert site["schedules"][0]["byday"] == "MO"


@pytest.mark.parametrize(
    "query",
    [
        {"proximity": "3000"},  # from where?
        {"postcode": "00000", "proximity": "3000"},  # no centroid
        {"postcode": "02139", "proximity": "0"},
        {"postcode": "02139", "proximity": "near"},
    ],
)
def test_proximity_without_a_placed_postcode_is_400(client, query):
    response = client.get("/hsds/service_at_locations", query_string=query)

    assert response.status_code == 400
    assert "errors" in response.get_json()
