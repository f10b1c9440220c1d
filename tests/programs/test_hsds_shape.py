"""Programs in HSDS 3.0 shape: stable ids, URIs, status, and what is left out when unknown."""

from programs.hsds_shape import address_json, hsds_id, organization_json, service_json
from programs.models import ProgramLocation, ProgramOrganization, ProgramService


def _service(**fields) -> ProgramService:
    org = ProgramOrganization(external_id="test:org", name="Org", source="test")
    values = {"external_id": "test:x", "name": "X", "status": "active", "source": "test"}
    values.update(fields)
    return ProgramService(organization=org, taxonomy_terms=[], languages=[], **values)


def test_ids_are_uuids_derived_from_the_source_key_and_kind():
    # A name-based (version 5) UUID: the same key gives the same id on every load.
    assert hsds_id("service", "test:x") == "23120f52-8d48-5de3-9a19-35d60a794b47"
    assert hsds_id("location", "test:x") != "23120f52-8d48-5de3-9a19-35d60a794b47"


def test_a_bare_web_address_gets_a_scheme_and_a_non_email_is_left_out():
    body = service_json(_service(url="www.example.org", email="call us"), full=False)

    assert body["url"] == "http://www.example.org"
    assert "email" not in body


def test_a_status_hsds_does_not_know_reads_active():
    assert service_json(_service(status="open"), full=False)["status"] == "active"
    assert service_json(_service(status="defunct"), full=False)["status"] == "defunct"


def test_an_organization_without_a_description_says_so_with_an_empty_one():
    org = ProgramOrganization(external_id="test:org", name="Org", website="https://a.org")

    assert organization_json(org)["description"] == ""
    assert organization_json(org)["website"] == "https://a.org"


def test_a_location_without_street_or_zip_has_no_address():
    unplaced = ProgramLocation(external_id="test:loc", city="Boston")
    placed = ProgramLocation(external_id="test:loc", postal_code="02139", city="Cambridge")

    assert address_json(unplaced) is None
    assert address_json(placed)["address_1"] == ""
    assert address_json(placed)["postal_code"] == "02139"
