"""FHIR searches over the small API directory: parameters, _include, paging, _lastUpdated."""

from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from fhir.resources.R4B import get_fhir_model_class
from sqlalchemy import update

from directory.models import Clinician

PROFILE = "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/plannet-"


def bundle(client, query: str) -> dict:
    response = client.get(f"/fhir/{query}")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/fhir+json"
    found = response.get_json()
    assert (found["resourceType"], found["type"]) == ("Bundle", "searchset")
    return found


def ids(client, query: str, mode: str = "match") -> list[str]:
    found = bundle(client, query)
    return [e["resource"]["id"] for e in found.get("entry", []) if e["search"]["mode"] == mode]


def link(found: dict, relation: str) -> str | None:
    return next((x["url"] for x in found["link"] if x["relation"] == relation), None)


def test_practitioners_page_through_next_links(client, directory_data):
    d = directory_data
    seen, url, pages = [], "/fhir/Practitioner?_count=1", 0
    while url:
        found = client.get(url.removeprefix("http://localhost")).get_json()
        assert found["total"] == 4
        seen += [e["resource"]["id"] for e in found["entry"]]
        assert (link(found, "previous") is None) == (pages == 0)
        url, pages = link(found, "next"), pages + 1
    assert seen == sorted([d.ann, d.bob, d.cara, d.lee])


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("identifier=http://hl7.org/fhir/sid/us-npi|{ann}", ["ann"]),
        ("identifier={bob}", ["bob"]),
        ("identifier=urn:other|{bob}", []),
        ("family=smi", ["bob", "cara"]),
        ("family:exact=Smith", ["bob"]),
        ("name=ann", ["ann"]),
        ("given=cara,bob", ["bob", "cara"]),
        ("communication=es", ["ann"]),
        ("language=urn:ietf:bcp:47|fr", ["cara"]),
        ("qualification-code=103TC0700X", ["bob"]),
        ("_id={cara}", ["cara"]),
        ("family=s&given=b", ["bob"]),
    ],
)
def test_practitioner_parameters(client, directory_data, query, who):
    d = vars(directory_data)
    expected = sorted(d[w] for w in who)
    assert ids(client, "Practitioner?" + query.format(**d)) == expected


def _role(npi: str, location_id: int | None) -> str:
    return f"{npi}-R" if location_id is None else f"{npi}-L{location_id}"


def test_roles_one_per_place_or_one_without(client, directory_data):
    d = directory_data
    assert ids(client, "PractitionerRole") == [
        _role(d.ann, d.boston_id),
        _role(d.bob, d.providence_id),
        _role(d.cara, None),
        _role(d.lee, None),
    ]


@pytest.mark.parametrize(
    ("query", "roles"),
    [
        ("specialty=http://nucc.org/provider-taxonomy|1041C0700X", ["ann"]),
        ("specialty=103TC0700X,103T00000X", ["bob", "cara"]),
        # A plan's participation covers the networks the plan uses.
        ("network=Organization/AcmeHMONet", ["ann", "bob"]),
        ("network=AcmeStdNet", ["cara"]),
        ("network=Organization/NoSuchNet", []),
        ("location=Location/loc-{boston_id}", ["ann"]),
        ("practitioner=Practitioner/{bob}", ["bob"]),
        ("language=es", ["ann"]),
        ("new-patient=newpt", ["ann"]),
        ("new-patient=nopt", ["bob"]),
        ("_id={ann}-L{boston_id},{cara}-R", ["ann", "cara"]),
        ("network=AcmeHMONet&language=en&new-patient=nopt", ["bob"]),
    ],
)
def test_role_parameters(client, directory_data, query, roles):
    d = vars(directory_data)
    places = {"ann": d["boston_id"], "bob": d["providence_id"], "cara": None}
    expected = [_role(d[who], places[who]) for who in roles]
    assert ids(client, "PractitionerRole?" + query.format(**d)) == expected


def test_role_includes(client, directory_data):
    d = directory_data
    query = (
        f"PractitionerRole?practitioner={d.ann}&_include=PractitionerRole:practitioner"
        "&_include=PractitionerRole:location&_include=PractitionerRole:network"
        "&_include=PractitionerRole:service"
    )
    included = ids(client, query, mode="include")
    assert sorted(included) == sorted([d.ann, f"loc-{d.boston_id}", "AcmeHMONet", f"{d.ann}-S"])
    unsupported = client.get("/fhir/PractitionerRole?_include=PractitionerRole:endpoint")
    assert unsupported.status_code == 400


def test_last_updated(client, db, directory_data):
    d = directory_data
    db.session.execute(update(Clinician).values(updated_at=datetime(2021, 3, 1, 12, tzinfo=UTC)))
    db.session.execute(
        update(Clinician)
        .where(Clinician.npi == d.ann)
        .values(updated_at=datetime(2024, 6, 1, tzinfo=UTC))
    )
    db.session.commit()
    assert ids(client, "Practitioner?_lastUpdated=ge2024-01-01") == [d.ann]
    assert len(ids(client, "Practitioner?_lastUpdated=lt2024")) == 3
    assert len(ids(client, "Practitioner?_lastUpdated=2021-03-01")) == 3
    moment = quote("2021-03-01T12:00:00Z")
    assert len(ids(client, f"Practitioner?_lastUpdated=gt{moment}")) == 1
    assert len(ids(client, f"Practitioner?_lastUpdated=eq{moment}")) == 3
    both = "PractitionerRole?_lastUpdated=gt2021-01-01&_lastUpdated=le2021-12-31"
    assert len(ids(client, both)) == 3
    found = bundle(client, f"Practitioner/?_id={d.ann}".replace("/?", "?"))
    assert found["entry"][0]["resource"]["meta"]["lastUpdated"].startswith("2024-06-01")
    for bad in ("yesterday", "ne2024-01-01", "2024-13-01", "2024-01-01T10:00"):
        response = client.get(f"/fhir/Practitioner?_lastUpdated={bad}")
        assert response.status_code == 400, bad
        assert response.get_json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    ("query", "places"),
    [
        ("address-postalcode=02116", ["boston"]),
        ("address-postalcode=02903-1234", ["providence"]),
        ("address-city=provi", ["providence"]),
        ("address-state=ma", ["boston"]),
        ("address=1 main", ["boston"]),
        ("near=42.35|-71.07|5|km", ["boston"]),
        ("near=42.40|-71.07|4|[mi_i]", ["boston"]),
        ("near=42.40|-71.07|3|[mi_i]", []),
        ("near=42.40|-71.07|2|km", []),
        ("near=40.0|-74.0", []),
    ],
)
def test_location_parameters(client, directory_data, query, places):
    d = vars(directory_data)
    expected = [f"loc-{d[f'{p}_id']}" for p in places]
    assert ids(client, "Location?" + query) == expected


def test_organizations_networks_and_plans(client, directory_data):
    assert ids(client, "Organization?type=ntwk") == ["AcmeHMONet", "AcmeStdNet"]
    assert ids(client, "Organization?type=prvgrp") == []
    assert ids(client, "Organization?name=acme s") == ["AcmeStdNet"]
    assert client.get("/fhir/Organization/AcmeGoldHMO").status_code == 404
    plan = client.get("/fhir/InsurancePlan/AcmeGoldHMO").get_json()
    assert plan["type"][0]["coding"][0]["code"] == "commhmo"
    assert plan["network"] == [
        {"reference": "Organization/AcmeHMONet", "display": "Acme HMO Network"}
    ]
    assert plan["ownedBy"] == {"display": "Acme Health"}
    assert ids(client, "InsurancePlan?type=commhmo") == ["AcmeGoldHMO"]
    assert ids(client, "InsurancePlan?type=qhp") == []
    assert client.get("/fhir/InsurancePlan/AcmeHMONet").status_code == 404


def test_healthcare_services(client, directory_data):
    d = directory_data
    assert ids(client, f"HealthcareService?location=Location/loc-{d.boston_id}") == [f"{d.ann}-S"]
    assert ids(client, "HealthcareService?new-patient=newpt") == [f"{d.ann}-S"]
    assert ids(client, "HealthcareService?category=behav&specialty=103T00000X") == [f"{d.cara}-S"]
    assert ids(client, "HealthcareService?category=prov") == []
    ann = client.get(f"/fhir/HealthcareService/{d.ann}-S").get_json()
    methods = [
        e["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
        for e in ann["extension"]
        if e["url"].endswith("delivery-method")
    ]
    assert methods == ["physical", "virtual"]


def test_every_resource_is_valid_r4b_and_claims_its_profile(client, directory_data):
    for kind in (
        "Practitioner",
        "PractitionerRole",
        "HealthcareService",
        "Location",
        "Organization",
        "InsurancePlan",
    ):
        found = bundle(client, f"{kind}?_count=100")
        get_fhir_model_class("Bundle").model_validate(found)
        for entry in found.get("entry", []):
            resource = entry["resource"]
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            assert resource["meta"]["profile"][0].startswith(PROFILE), resource["id"]
            assert entry["fullUrl"].endswith(f"/fhir/{resource['resourceType']}/{resource['id']}")
            read = client.get(entry["fullUrl"].removeprefix("http://localhost"))
            assert read.get_json() == resource


def test_errors_are_operation_outcomes(client, directory_data):
    cases = [
        ("get", "/fhir/Practitioner?_count=-1", 400),
        ("get", "/fhir/Practitioner?_count=1000", 400),
        ("get", "/fhir/Practitioner?family:contains=x", 400),
        ("get", "/fhir/PractitionerRole?new-patient=maybe", 400),
        ("get", "/fhir/Location?near=north", 400),
        ("get", "/fhir/Location?near=91|0|1|km", 400),
        ("get", "/fhir/Practitioner?_format=xml", 400),
        ("get", "/fhir/Patient", 404),
        ("get", "/fhir/Practitioner/0000000000", 404),
        ("get", "/fhir/PractitionerRole/not-a-role", 404),
        ("post", "/fhir/Practitioner", 405),
        ("get", "/fhir/Practitioner/a/b/c", 404),
    ]
    for method, url, status in cases:
        response = getattr(client, method)(url)
        assert response.status_code == status, url
        assert response.mimetype == "application/fhir+json", url
        outcome = response.get_json()
        get_fhir_model_class("OperationOutcome").model_validate(outcome)
        assert outcome["issue"][0]["severity"] == "error"


def test_unknown_parameters_are_ignored_unless_strict(client, directory_data):
    found = bundle(client, "Practitioner?colour=blue")
    assert found["total"] == 4
    assert "colour" not in link(found, "self")
    strict = client.get("/fhir/Practitioner?colour=blue", headers={"Prefer": "handling=strict"})
    assert strict.status_code == 400


def test_capability_statement(client):
    response = client.get("/fhir/metadata")
    assert response.mimetype == "application/fhir+json"
    statement = response.get_json()
    get_fhir_model_class("CapabilityStatement").model_validate(statement)
    assert statement["fhirVersion"] == "4.0.1"
    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(resources) == {
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Location",
        "HealthcareService",
        "InsurancePlan",
        "Task",
        "ServiceRequest",
        "Subscription",
    }
    role_params = {p["name"] for p in resources["PractitionerRole"]["searchParam"]}
    assert {
        "specialty",
        "network",
        "location",
        "practitioner",
        "language",
        "new-patient",
    } <= role_params
    assert "PractitionerRole:network" in resources["PractitionerRole"]["searchInclude"]
    location_params = {p["name"] for p in resources["Location"]["searchParam"]}
    assert {"address-postalcode", "near", "_lastUpdated"} <= location_params
