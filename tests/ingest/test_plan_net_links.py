"""Roles, services and affiliations: locations, networks, modalities and newpatients per place."""

import json

from sqlalchemy import select

from directory.models import Clinician
from tests.ingest.plan_net_copies import copy_examples, counts, edit, load, only_clinician

NUCC = "http://nucc.org/provider-taxonomy"
PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"


def _psychiatrist_hans_solo(folder):
    """Hans Solo, MD, also a psychiatrist with an NPI of his own: in scope."""

    def change(r):
        r["identifier"][0]["value"] = "1234567893"
        r["qualification"].append({"code": {"coding": [{"system": NUCC, "code": "2084P0800X"}]}})

    edit(folder, "Practitioner-HansSolo.json", change)


def _clinician(db, npi):
    return db.session.scalars(select(Clinician).where(Clinician.npi == npi)).one()


def test_role_location_network_and_location_newpatients(db, tmp_path):
    folder = copy_examples(tmp_path)
    _psychiatrist_hans_solo(folder)

    summary, rejects = load(folder, tmp_path)

    assert rejects == []
    assert counts(summary) == (49, 23, 0, 0, 2, 0)
    solo = _clinician(db, "1234567893")
    assert solo.display_name == "Hans Solo, MD"
    # No primary flag in Plan-Net: the first behavioral-health code is primary.
    assert [(t.code, t.is_primary) for t in solo.taxonomies] == [
        ("207R00000X", False),
        ("207RC0000X", False),
        ("2084P0800X", True),
    ]
    assert solo.primary_taxonomy == "2084P0800X"
    assert [(lic.state, lic.license_type, lic.number) for lic in solo.licenses] == [
        ("IL", "MD", "")
    ]
    assert [(lang.code, lang.proficiency) for lang in solo.languages] == [
        ("ja", "professional_working")
    ]
    assert solo.modalities == ["in_person"]  # HansSoloRole1 at HansSoloClinic, a physical service
    [link] = solo.locations
    assert (link.location.external_id, link.external_id) == ("HansSoloClinic", "HansSoloRole1")
    assert link.organization.external_id == "BigBox"  # the location's managing organization
    # The role says nothing; the location's newpatients says existing patients only.
    assert link.accepting_new_patients is False
    assert solo.accepting_new_patients is None
    assert [(p.network_id, p.location.external_id) for p in solo.participations] == [
        ("AcmeofCTStdNet", "HansSoloClinic")
    ]


def test_role_without_network_inherits_its_organizations_affiliation(db, tmp_path):
    folder = copy_examples(tmp_path)
    accepting = {"system": f"{PLAN_NET}/CodeSystem/AcceptingPatientsCS", "code": "newpt"}
    newpatients = {
        "url": f"{PLAN_NET}/StructureDefinition/newpatients",
        "extension": [
            {"url": "acceptingPatients", "valueCodeableConcept": {"coding": [accepting]}}
        ],
    }
    role = {
        "resourceType": "PractitionerRole",
        "id": "CounselorRole2",
        "extension": [newpatients],
        "practitioner": {"reference": "Practitioner/Counselor"},
        "organization": {"reference": "Organization/BurrClinic"},
        "location": [{"reference": "Location/HospLoc2"}],
        "specialty": [{"coding": [{"system": NUCC, "code": "101YP2500X"}]}],
    }
    (folder / "PractitionerRole-CounselorRole2.json").write_text(json.dumps(role), "utf-8")

    summary, rejects = load(folder, tmp_path)

    assert rejects == []
    assert counts(summary) == (50, 22, 0, 0, 3, 0)
    counselor = only_clinician()
    # BurrClinicAffil: Burr Clinic is in AcmeofCTStdNet.
    assert sorted(
        (p.network_id, p.location.external_id if p.location else "")
        for p in counselor.participations
    ) == [("AcmeofCTStdNet", ""), ("AcmeofCTStdNet", "HospLoc2")]
    assert counselor.modalities == ["in_person", "video", "phone"]
    assert counselor.accepting_new_patients is True
    [link] = counselor.locations
    assert (link.location.external_id, link.accepting_new_patients) == ("HospLoc2", True)


def test_changed_resource_counts_as_updated_on_reload(db, tmp_path):
    folder = copy_examples(tmp_path)
    load(folder, tmp_path)

    def native_russian(r):
        r["communication"][0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] = "50"

    edit(folder, "Practitioner-Counselor.json", native_russian)
    edit(folder, "Organization-BurrClinic.json", lambda r: r.update(name="Burr Family Clinic"))

    summary, rejects = load(folder, tmp_path)

    assert rejects == []
    assert counts(summary) == (49, 0, 2, 20, 3, 0)
    db.session.expire_all()
    assert [(lang.code, lang.proficiency) for lang in only_clinician().languages] == [
        ("ru", "native")
    ]


def test_inactive_practitioner_and_role_are_left_out(db, tmp_path):
    folder = copy_examples(tmp_path)
    _psychiatrist_hans_solo(folder)
    edit(folder, "Practitioner-Counselor.json", lambda r: r.update(active=False))
    edit(folder, "PractitionerRole-HansSoloRole1.json", lambda r: r.update(active=False))

    summary, rejects = load(folder, tmp_path)

    assert rejects == []
    assert counts(summary) == (49, 22, 0, 0, 3, 0)
    solo = only_clinician()
    assert solo.npi == "1234567893"
    assert (solo.locations, solo.participations) == ([], [])
