"""Plan-Net load of the 49 real IG example resources: what lands; a reload changes nothing."""

from datetime import UTC, datetime

from sqlalchemy import select

from directory.models import Location, Network, Organization
from directory.models.verification import as_utc
from tests.ingest.plan_net_copies import (
    IG_EXAMPLES,
    TEST_DATA,
    counts,
    load,
    only_clinician,
    snapshot,
)

# 1 clinician + 2 networks + 2 plans + 9 organizations + 8 locations; out of scope: the two
# physicians (Joe Smith, Hans Solo) and the State of CT coverage area.
IG_COUNTS = (49, 22, 0, 0, 3, 0)


def test_ig_examples_load_without_rejects(db, tmp_path):
    summary, rejects = load(IG_EXAMPLES, tmp_path)

    assert counts(summary) == IG_COUNTS
    assert rejects == []


def test_counselor_is_the_one_bh_clinician(db, tmp_path):
    load(IG_EXAMPLES, tmp_path)

    counselor = only_clinician()
    assert counselor.npi == "9941339100"
    assert (counselor.first_name, counselor.last_name) == ("Susie", "Smith")
    assert counselor.display_name == "Susie Smith, LPC"
    assert counselor.source == "plan-net"
    assert counselor.source_ref == "Practitioner/Counselor"
    assert [(t.code, t.is_primary) for t in counselor.taxonomies] == [("101YP2500X", True)]
    assert [(lang.code, lang.proficiency) for lang in counselor.languages] == [
        ("ru", "professional_working")
    ]
    # Licensed in IL by the practitioner-qualification whereValid; the IG gives no number.
    assert [(lic.state, lic.license_type, lic.number) for lic in counselor.licenses] == [
        ("IL", None, "")
    ]
    # VirtualCounselService: virtual via web, app, tdd and phone.
    assert counselor.modalities == ["video", "phone"]
    assert counselor.offers_telehealth
    assert counselor.accepting_new_patients is None
    assert [(p.network_id, p.location_id) for p in counselor.participations] == [
        ("AcmeofCTStdNet", None)
    ]
    assert counselor.locations == []
    assert as_utc(counselor.verified_at) == datetime(2020, 7, 7, 13, 26, 22, 31421, tzinfo=UTC)
    assert counselor.verified_source == "plan-net"


def test_networks_and_plans_with_their_links(db, tmp_path):
    load(IG_EXAMPLES, tmp_path)

    rows = db.session.scalars(select(Network).order_by(Network.id)).all()
    assert [(n.id, n.kind, n.plan_type, n.payer) for n in rows] == [
        ("AcmeQHPBronze", "plan", "QHP", "Acme of CT"),
        ("AcmeQHPGold", "plan", "QHP", "Acme of CT"),
        ("AcmeofCTPremNet", "network", None, "Acme of CT"),
        ("AcmeofCTStdNet", "network", None, "Acme of CT"),
    ]
    assert [n.name for n in rows] == [
        "Acme of CT QHP Bronze",
        "Acme of CT QHP Gold",
        "ACME CT Premium Preferred Provider Network",
        "ACME CT Preferred Provider Network",
    ]
    plans = {n.id: n for n in rows}
    assert [n.id for n in plans["AcmeQHPBronze"].networks] == ["AcmeofCTStdNet"]
    assert [n.id for n in plans["AcmeQHPGold"].networks] == ["AcmeofCTPremNet", "AcmeofCTStdNet"]
    assert plans["AcmeQHPGold"].network_ids() == {
        "AcmeQHPGold",
        "AcmeofCTPremNet",
        "AcmeofCTStdNet",
    }
    assert plans["AcmeofCTStdNet"].type == "network"


def test_organizations_with_kind_and_npi(db, tmp_path):
    load(IG_EXAMPLES, tmp_path)

    rows = db.session.scalars(select(Organization).order_by(Organization.external_id)).all()
    assert [(o.external_id, o.kind, o.npi) for o in rows] == [
        ("Acme", "health_plan", None),
        ("BigBox", "other", None),
        ("BurrClinic", "other", "1407071236"),
        ("CancerClinic", "other", "9941339100"),
        ("ConnHIE", "other", None),
        ("HamiltonClinic", "other", "1407071236"),
        ("HartfordOrthopedics", "group_practice", "1407071236"),
        ("Hospital", "other", "1407071236"),
        ("PharmChain", "group_practice", "1407071236"),
    ]
    hospital = rows[-2]
    assert hospital.name == "Hartford General Hospital"
    assert (hospital.phone, hospital.website) == (
        "(111)-222-3333",
        "https://www.hartfordgeneralhospital.com",
    )


def test_locations_with_position_hours_and_accessibility(db, tmp_path):
    load(IG_EXAMPLES, tmp_path)

    rows = {loc.external_id: loc for loc in db.session.scalars(select(Location))}
    assert sorted(rows) == [
        "CancerClinicLoc",
        "HansSoloClinic",
        "HospLoc1",
        "HospLoc2",
        "PharmLoc1",
        "PharmLoc2",
        "PharmLoc3",
        "PharmLoc4",
    ]  # StateOfCTLocation has no street address: a coverage area, not a place of care
    assert [(rows[k].lat, rows[k].lon) for k in ("HospLoc1", "PharmLoc2", "PharmLoc3")] == [
        (15.0, 3.0),
        (18.0, 9.0),
        (12.0, 7.0),
    ]
    pharmacy = rows["PharmLoc1"]
    assert pharmacy.address == "123 Main Street, Anytown, CT 00014"
    assert pharmacy.name == "OrgA CT Location 1"
    assert pharmacy.phone == "(111)-222-3333"
    assert pharmacy.organization.external_id == "BigBox"
    assert pharmacy.accessibility == ["wheelchair", "public_transit"]
    assert pharmacy.hours == [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "00:00", "closes": "24:00"},
        {"days": ["sat", "sun"], "opens": "08:00", "closes": "17:00"},
    ]
    assert (pharmacy.evening_hours, pharmacy.weekend_hours) == (True, True)
    clinic = rows["HansSoloClinic"]
    assert clinic.hours == [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00", "closes": "17:00"}
    ]
    assert (clinic.evening_hours, clinic.weekend_hours) == (False, False)
    assert rows["PharmLoc4"].accessibility == ["wheelchair"]


def test_reload_of_the_same_folder_changes_nothing(db, tmp_path):
    load(IG_EXAMPLES, tmp_path)
    before = snapshot()

    summary, rejects = load(IG_EXAMPLES, tmp_path)

    assert counts(summary) == (49, 0, 0, 22, 3, 0)
    assert rejects == []
    assert snapshot() == before


def test_small_batches_give_the_same_result(db, tmp_path):
    summary, _ = load(IG_EXAMPLES, tmp_path, batch_size=2)
    small = snapshot()

    assert counts(summary) == IG_COUNTS
    assert small["networks"][1][5] == ["AcmeofCTPremNet", "AcmeofCTStdNet"]
    assert len(small["locations"]) == 8


def test_test_data_on_top_of_the_examples_adds_its_resources(db, tmp_path):
    load(IG_EXAMPLES, tmp_path)

    summary, rejects = load(IG_EXAMPLES.parent, tmp_path)

    # The 10 test-data resources add a network, a plan, an organization and a location; the
    # Counselor gains TestPractitionerRole1, which names the same network: no change.
    assert counts(summary) == (59, 4, 0, 22, 3, 0)
    assert rejects == []
    assert db.session.get(Network, "TestInsurancePlan1").payer == "Hartford General Hospital"


def test_cli_loads_and_prints_the_summary(runner, db, tmp_path):
    rejects = tmp_path / "rejects.csv"

    result = runner.invoke(args=["ingest", "plan-net", str(IG_EXAMPLES), "--rejects", str(rejects)])

    assert result.exit_code == 0, result.output
    assert "read 49 · inserted 22 · updated 0 · unchanged 0 · out of scope 3 · rejected 0" in (
        result.output
    )
    assert not rejects.exists()
    assert only_clinician().npi == "9941339100"


def test_test_data_alone_rejects_what_it_cannot_resolve(db, tmp_path):
    summary, rejects = load(TEST_DATA, tmp_path)

    assert counts(summary) == (10, 1, 0, 0, 0, 7)
    assert [(r["file"], r["field"]) for r in rejects] == [
        ("Organization-TestNetwork1.json", "Organization.partOf"),
        ("InsurancePlan-TestInsurancePlan1.json", "InsurancePlan.network"),
        ("Location-TestLocation1.json", "Location.managingOrganization"),
        ("HealthcareService-TestHealthcareService1.json", "HealthcareService.location"),
        ("OrganizationAffiliation-BurrClinicAffil2.json", "OrganizationAffiliation.organization"),
        (
            "OrganizationAffiliation-TestOrganization1Affil1.json",
            "OrganizationAffiliation.organization",
        ),
        ("PractitionerRole-TestPractitionerRole1.json", "PractitionerRole.practitioner"),
    ]
    assert [r["value"] for r in rejects] == [
        "Organization/Acme",
        "Organization/AcmeofCTStdNet",
        "Organization/Hospital",
        "Location/HansSoloClinic",
        "Organization/ConnHIE",
        "Organization/Hospital",
        "Practitioner/Counselor",
    ]
    assert {r["line"] for r in rejects} == {"1"}
    assert rejects[0]["reason"] == "unresolvable reference Organization/Acme: not in the input"
