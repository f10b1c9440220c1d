"""Broken copies of the IG examples: each fault is one exact reject row; good resources load."""

import pytest
from sqlalchemy import func, select

from directory.models import Clinician, Location
from tests.ingest.plan_net_copies import copy_examples, counts, edit, load, only_clinician

NOT_IN_INPUT = "unresolvable reference {}: not in the input"
NOT_A_NETWORK = "Organization/Acme is not a network (OrgTypeCS ntwk)"


def _npi(value):
    def change(r):
        r["identifier"][0]["value"] = value

    return change


def _latitude(value):
    def change(r):
        r["position"]["latitude"] = value

    return change


def _zip(value):
    def change(r):
        r["address"]["postalCode"] = value

    return change


def _practitioner(reference):
    def change(r):
        r["practitioner"]["reference"] = reference

    return change


def _qualification_code(code):
    def change(r):
        r["qualification"][0]["code"]["coding"][0]["code"] = code

    return change


def _network_reference(reference):
    def change(r):
        r["extension"][0]["valueReference"]["reference"] = reference

    return change


BROKEN = {
    "bad NPI check digit": (
        "Practitioner-Counselor.json",
        _npi("9941339101"),
        ("Practitioner.identifier", "9941339101", "NPI 9941339101 fails the check digit"),
        (49, 21, 0, 0, 3, 1),
    ),
    "NPI not 10 digits": (
        "Practitioner-Counselor.json",
        _npi("99413391"),
        ("Practitioner.identifier", "99413391", "NPI '99413391' is not 10 digits"),
        (49, 21, 0, 0, 3, 1),
    ),
    "unknown NUCC code": (
        "Practitioner-Counselor.json",
        _qualification_code("101YX9999X"),
        ("Practitioner.qualification.code", "101YX9999X", "unknown NUCC taxonomy code 101YX9999X"),
        (49, 21, 0, 0, 3, 1),
    ),
    "latitude out of range": (
        "Location-HospLoc1.json",
        _latitude(95),
        ("Location.position.latitude", "95", "latitude out of range -90..90"),
        (49, 21, 0, 0, 3, 1),
    ),
    "latitude not a number": (
        "Location-PharmLoc3.json",
        _latitude("north"),
        ("Location.position.latitude", "north", "latitude is not a number"),
        (49, 21, 0, 0, 3, 1),
    ),
    "dangling practitioner reference": (
        "PractitionerRole-CounselorRole1.json",
        _practitioner("Practitioner/Nobody"),
        (
            "PractitionerRole.practitioner",
            "Practitioner/Nobody",
            NOT_IN_INPUT.format("Practitioner/Nobody"),
        ),
        (49, 22, 0, 0, 3, 1),
    ),
    "dangling service location": (
        "HealthcareService-VirtualCounselService.json",
        lambda r: r.update(location=[{"reference": "Location/Gone"}]),
        ("HealthcareService.location", "Location/Gone", NOT_IN_INPUT.format("Location/Gone")),
        (49, 22, 0, 0, 3, 1),
    ),
    "network reference to a payer": (
        "PractitionerRole-CounselorRole1.json",
        _network_reference("Organization/Acme"),
        ("PractitionerRole.extension:network-reference", "Organization/Acme", NOT_A_NETWORK),
        (49, 22, 0, 0, 3, 1),
    ),
}


@pytest.mark.parametrize("fault", list(BROKEN))
def test_one_broken_resource_is_one_reject_row(fault, db, tmp_path):
    name, change, (field, value, reason), expected = BROKEN[fault]
    folder = copy_examples(tmp_path)
    edit(folder, name, change)

    summary, rejects = load(folder, tmp_path)

    assert rejects == [
        {"file": name, "line": "1", "field": field, "value": value, "reason": reason}
    ]
    assert counts(summary) == expected


def test_invalid_json_file_is_rejected_and_the_rest_loads(db, tmp_path):
    folder = copy_examples(tmp_path)
    path = folder / "Endpoint-AcmeOfCTPortalEndpoint.json"
    path.write_text(path.read_text("utf-8")[:-30], "utf-8")

    summary, rejects = load(folder, tmp_path)

    assert [(r["file"], r["line"], r["field"]) for r in rejects] == [
        ("Endpoint-AcmeOfCTPortalEndpoint.json", "1", "(resource)")
    ]
    assert rejects[0]["reason"].startswith("invalid JSON: ")
    assert counts(summary) == (49, 22, 0, 0, 3, 1)
    assert only_clinician().npi == "9941339100"


def test_bad_npi_leaves_no_clinician_but_the_networks_load(db, tmp_path):
    folder = copy_examples(tmp_path)
    edit(folder, "Practitioner-Counselor.json", _npi("9941339101"))

    load(folder, tmp_path)

    assert db.session.scalar(select(func.count()).select_from(Clinician)) == 0
    assert db.session.scalar(select(func.count()).select_from(Location)) == 8


def test_position_out_of_range_leaves_that_location_out(db, tmp_path):
    folder = copy_examples(tmp_path)
    edit(folder, "Location-HospLoc1.json", _latitude(95))

    load(folder, tmp_path)

    ids = set(db.session.scalars(select(Location.external_id)))
    assert len(ids) == 7
    assert "HospLoc1" not in ids


def test_dangling_role_leaves_the_counselor_without_network(db, tmp_path):
    folder = copy_examples(tmp_path)
    edit(folder, "PractitionerRole-CounselorRole1.json", _practitioner("Practitioner/Nobody"))

    load(folder, tmp_path)

    counselor = only_clinician()
    assert counselor.participations == []
    assert counselor.modalities == []  # no role says how care is given
    assert [t.code for t in counselor.taxonomies] == ["101YP2500X"]


def test_rejected_service_leaves_the_role_without_its_modalities(db, tmp_path):
    folder = copy_examples(tmp_path)
    edit(
        folder,
        "HealthcareService-VirtualCounselService.json",
        lambda r: r.update(location=[{"reference": "Location/Gone"}]),
    )

    load(folder, tmp_path)

    counselor = only_clinician()
    assert counselor.modalities == []
    assert [p.network_id for p in counselor.participations] == ["AcmeofCTStdNet"]


def test_second_in_scope_practitioner_with_the_same_npi_is_a_duplicate(db, tmp_path):
    folder = copy_examples(tmp_path)

    def psychiatrist(r):
        coding = {"system": "http://nucc.org/provider-taxonomy", "code": "2084P0800X"}
        r["qualification"].append({"code": {"coding": [coding]}})

    edit(folder, "Practitioner-HansSolo.json", psychiatrist)

    summary, rejects = load(folder, tmp_path)

    reason = (
        "duplicate NPI 9941339100: Practitioner/Counselor (Practitioner-Counselor.json line 1)"
        " already has it"
    )
    assert rejects == [
        {
            "file": "Practitioner-HansSolo.json",
            "line": "1",
            "field": "Practitioner.identifier",
            "value": "9941339100",
            "reason": reason,
        }
    ]
    # Joe Smith (internal medicine) shares the NPI too, but is out of scope: no collision.
    assert counts(summary) == (49, 22, 0, 0, 2, 1)
    assert only_clinician().source_ref == "Practitioner/Counselor"


def test_a_resource_with_two_faults_is_rejected_once(db, tmp_path):
    folder = copy_examples(tmp_path)

    def two_faults(r):
        r["address"]["state"] = "Mass"
        _latitude(-100)(r)

    edit(folder, "Location-PharmLoc4.json", two_faults)

    summary, rejects = load(folder, tmp_path)

    assert [(r["file"], r["field"]) for r in rejects] == [
        ("Location-PharmLoc4.json", "Location.address.state")
    ]
    assert summary.rejected == 1


@pytest.mark.parametrize(("written", "stored"), [("0001", None), ("", None), ("6030", "06030")])
def test_a_location_whose_zip_cannot_be_read_is_kept(written, stored, db, tmp_path):
    folder = copy_examples(tmp_path)
    edit(folder, "Location-PharmLoc2.json", _zip(written))

    summary, rejects = load(folder, tmp_path)

    assert rejects == []
    place = db.session.scalar(select(Location).where(Location.external_id == "PharmLoc2"))
    assert place.postal_code == stored
