"""The shared Plan-Net IG examples, loaded, come back out of /fhir equivalent.

Field by field against the source JSON, and as a whole: everything /fhir serves, loaded again
by the Plan-Net loader into an empty directory, gives the same directory.
"""

import json

import pytest

from ingest.fhir_elements import extension_name
from ingest.plan_net_roles import VIRTUAL_MODALITIES
from tests.ingest.plan_net_copies import IG_EXAMPLES, copy_examples, edit, load, snapshot

COUNSELOR = "9941339100"
TYPES = ("Organization", "InsurancePlan", "Location", "HealthcareService")
MORE_TYPES = ("PractitionerRole", "Practitioner")


def source(name: str) -> dict:
    return json.loads((IG_EXAMPLES / f"{name}.json").read_text("utf-8"))


def read(client, path: str) -> dict:
    response = client.get(f"/fhir/{path}")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/fhir+json"
    return response.get_json()


def codes(concepts) -> list[tuple[str, str]]:
    return [(c.get("system"), c["code"]) for concept in concepts for c in concept["coding"]]


def ext(resource: dict, name: str) -> list[dict]:
    return [e for e in resource.get("extension", []) if extension_name(e["url"]) == name]


def sub_codes(extension: dict, name: str) -> list[str]:
    return [
        s["valueCodeableConcept"]["coding"][0]["code"]
        for s in extension["extension"]
        if s["url"] == name
    ]


@pytest.fixture
def ig(db, tmp_path):
    """The IG examples, loaded."""
    summary, rejects = load(IG_EXAMPLES, tmp_path)
    assert rejects == []
    return summary


def test_counselor_practitioner(client, ig):
    original, out = source("Practitioner-Counselor"), read(client, f"Practitioner/{COUNSELOR}")
    assert out["meta"]["profile"] == original["meta"]["profile"]
    assert out["identifier"] == original["identifier"]
    [name] = out["name"]
    assert (name["family"], name["given"], name["text"]) == ("Smith", ["Susie"], "Susie Smith, LPC")
    assert name["suffix"] == ["LPC"]
    taxonomy = [q for q in out["qualification"] if "coding" in q["code"]]
    assert codes(q["code"] for q in taxonomy) == codes(q["code"] for q in original["qualification"])
    [license_] = [q for q in out["qualification"] if q.get("extension")]
    [where] = [s for s in license_["extension"][0]["extension"] if s["url"] == "whereValid"]
    assert where["valueCodeableConcept"]["coding"][0]["code"] == "IL"
    [spoken] = out["communication"]
    [source_spoken] = original["communication"]
    assert codes([spoken]) == codes([source_spoken])
    assert spoken["extension"] == source_spoken["extension"]


def test_counselor_role_networks_and_service(client, ig):
    original = source("PractitionerRole-CounselorRole1")
    bundle = read(client, f"PractitionerRole?practitioner=Practitioner/{COUNSELOR}")
    [entry] = bundle["entry"]
    role = entry["resource"]
    assert role["meta"]["profile"] == original["meta"]["profile"]
    assert [e["valueReference"]["reference"] for e in ext(role, "network-reference")] == [
        e["valueReference"]["reference"] for e in ext(original, "network-reference")
    ]
    assert codes(role["specialty"]) == codes(original["specialty"])
    assert "location" not in role and ext(role, "newpatients") == []
    service = read(client, role["healthcareService"][0]["reference"])
    source_service = source("HealthcareService-VirtualCounselService")
    assert service["meta"]["profile"] == source_service["meta"]["profile"]
    [virtual] = ext(service, "delivery-method")
    [source_virtual] = ext(source_service, "delivery-method")
    assert sub_codes(virtual, "type") == sub_codes(source_virtual, "type") == ["virtual"]
    # Modalities compare as the loader reads them (web and app are video visits, tdd phone).
    assert {VIRTUAL_MODALITIES[c] for c in sub_codes(virtual, "virtualModalities")} == {
        VIRTUAL_MODALITIES.get(c, "phone") for c in sub_codes(source_virtual, "virtualModalities")
    }


@pytest.mark.parametrize(
    "name", ["HansSoloClinic", "HospLoc1", "PharmLoc1", "PharmLoc2", "CancerClinicLoc"]
)
def test_locations(client, ig, name):
    original, out = source(f"Location-{name}"), read(client, f"Location/{name}")
    assert out["meta"]["profile"] == original["meta"]["profile"]
    assert out["name"] == original["name"]
    assert out["address"]["line"] == original["address"]["line"]
    assert out["address"]["city"] == original["address"]["city"]
    assert out["address"]["postalCode"] == original["address"]["postalCode"][:5]
    assert out["position"] == {k: float(v) for k, v in original["position"].items()}
    assert out["managingOrganization"]["reference"] == original["managingOrganization"]["reference"]
    accessibility = {
        c for e in ext(out, "accessibility") for _, c in codes([e["valueCodeableConcept"]])
    }
    assert accessibility <= {
        c for e in ext(original, "accessibility") for _, c in codes([e["valueCodeableConcept"]])
    }
    days = [h["daysOfWeek"] for h in out.get("hoursOfOperation", [])]
    assert days == [h["daysOfWeek"] for h in original.get("hoursOfOperation", [])]


@pytest.mark.parametrize("name", ["AcmeQHPGold", "AcmeQHPBronze"])
def test_insurance_plans_and_their_networks(client, ig, name):
    original, out = source(f"InsurancePlan-{name}"), read(client, f"InsurancePlan/{name}")
    assert out["meta"]["profile"] == original["meta"]["profile"]
    assert (out["name"], out["status"]) == (original["name"], original["status"])
    assert codes(out["type"]) == codes(original["type"])
    assert sorted(n["reference"] for n in out["network"]) == sorted(
        n["reference"] for n in original["network"]
    )
    assert out["ownedBy"]["reference"] == original["ownedBy"]["reference"]


@pytest.mark.parametrize("name", ["AcmeofCTStdNet", "AcmeofCTPremNet"])
def test_networks(client, ig, name):
    original, out = source(f"Organization-{name}"), read(client, f"Organization/{name}")
    assert out["meta"]["profile"] == original["meta"]["profile"]
    assert out["name"] == original["name"]
    assert codes(out["type"]) == [(s, c) for s, c in codes(original["type"])]
    assert out["partOf"]["reference"] == original["partOf"]["reference"]


@pytest.mark.parametrize("name", ["HamiltonClinic", "Acme", "PharmChain"])
def test_organizations(client, ig, name):
    original, out = source(f"Organization-{name}"), read(client, f"Organization/{name}")
    assert out["meta"]["profile"] == original["meta"]["profile"]
    assert out["name"] == original["name"]
    assert out.get("identifier", []) == original.get("identifier", [])
    phones = [t["value"] for t in out.get("telecom", []) if t["system"] == "phone"]
    assert phones <= [t["value"] for t in original.get("telecom", []) if t["system"] == "phone"]


def _export(client, folder) -> int:
    """Every resource /fhir serves, one file each, by following next links."""
    count = 0
    for kind in TYPES + MORE_TYPES:
        url = f"/fhir/{kind}?_count=3"
        while url:
            bundle = client.get(url).get_json()
            for entry in bundle.get("entry", []):
                resource = entry["resource"]
                path = folder / f"{resource['resourceType']}-{resource['id']}.json"
                path.write_text(json.dumps(resource), "utf-8")
                count += 1
            url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
    return count


DIRECTORY_TABLES = ("clinician", "network", "location", "organization", "license", "plan_network")


def _forget_everything(db) -> None:
    """Empty the directory (and the loader's fingerprints) as before any load."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name.startswith(DIRECTORY_TABLES) or table.name == "ingest_fingerprint":
            db.session.execute(table.delete())
    db.session.commit()


def _without_role_ids(state: dict) -> dict:
    """Role ids are ours once exported (NPI-L<location>), so links compare without them."""
    clinicians = [
        (*c[:7], sorted(place for place, _role in c[7]), c[8]) for c in state["clinicians"]
    ]
    return {**state, "clinicians": clinicians}


def _round_trip(client, db, folder, tmp_path) -> None:
    before = _without_role_ids(snapshot())
    exported = folder / "export"
    exported.mkdir()
    assert _export(client, exported) > 0
    _forget_everything(db)
    _summary, rejects = load(exported, tmp_path)
    assert rejects == []
    assert _without_role_ids(snapshot()) == before


def test_everything_served_loads_back_into_the_same_directory(client, db, ig, tmp_path):
    _round_trip(client, db, tmp_path, tmp_path)


def test_a_role_at_a_place_round_trips(client, db, tmp_path):
    """The counselor at the Hans Solo clinic, taking new patients there, in both networks."""
    folder = copy_examples(tmp_path)

    def at_clinic(role: dict) -> None:
        role["location"] = [{"reference": "Location/HansSoloClinic"}]
        role["extension"].append(
            {
                "url": "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/network-reference",
                "valueReference": {"reference": "Organization/AcmeofCTPremNet"},
            }
        )
        role["extension"].append(
            {"url": "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/newpatients",
             "extension": [{"url": "acceptingPatients", "valueCodeableConcept": {"coding": [
                 {"system": "http://hl7.org/fhir/us/davinci-pdex-plan-net/CodeSystem/AcceptingPatientsCS",
                  "code": "newpt"}]}}]}
        )  # fmt: skip

    edit(folder, "PractitionerRole-CounselorRole1.json", at_clinic)
    _summary, rejects = load(folder, tmp_path)
    assert rejects == []
    [role] = read(client, f"PractitionerRole?practitioner={COUNSELOR}")["entry"]
    resource = role["resource"]
    assert resource["location"][0]["reference"] == "Location/HansSoloClinic"
    assert sub_codes(ext(resource, "newpatients")[0], "acceptingPatients") == ["newpt"]
    assert {e["valueReference"]["reference"] for e in ext(resource, "network-reference")} == {
        "Organization/AcmeofCTStdNet",
        "Organization/AcmeofCTPremNet",
    }
    _round_trip(client, db, tmp_path, tmp_path)
