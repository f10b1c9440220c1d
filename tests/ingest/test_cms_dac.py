"""CMS Doctors & Clinicians loading: the real 40-row sample, newer layouts, NPIs spread out."""

from sqlalchemy import select

from directory.models import Clinician, ClinicianLocation, IngestFingerprint, Location, Organization
from tests.ingest.cms_dac_files import SAMPLE, clinician, count, load, npi, row, write

# Behavioral health in the sample: one clinical psychologist ("PSYCHOLOGIST, CLINICAL", the
# older name) and three clinical social workers. Its two nurse practitioners have no
# behavioral-health specialty beside them, so they are out of scope like the other 34 rows.
IN_SCOPE = {"1215905625", "1215405246", "1215362520", "1215408661"}


def test_sample_counts_and_scope(db, tmp_path):
    summary, rejects, repairs = load(SAMPLE, tmp_path)

    assert summary.as_dict() == {
        "read": 40,
        "inserted": 4,
        "updated": 0,
        "unchanged": 0,
        "out_of_scope": 36,
        "rejected": 0,
        "repaired": 0,
        "unplaced": 0,
    }
    assert (rejects, repairs) == ([], [])
    assert set(db.session.scalars(select(Clinician.npi))) == IN_SCOPE
    assert count(db, ClinicianLocation) == 4


def test_sample_psychologist_fields(db, tmp_path):
    load(SAMPLE, tmp_path)

    filippi = clinician(db, "1215905625")
    assert (filippi.first_name, filippi.last_name, filippi.gender) == ("Alan", "Filippi", "male")
    assert (filippi.source, filippi.modalities) == ("cms-dac", [])  # no Telehlth column
    assert [(t.code, t.is_primary) for t in filippi.taxonomies] == [("103TC0700X", True)]
    [link] = filippi.locations
    place = db.session.get(Location, link.location_id)
    assert (place.line1, place.city, place.state, place.postal_code) == (
        "1010 KENDAL WAY",
        "SLEEPY HOLLOW",
        "NY",
        "10591",
    )
    assert (place.phone, link.phone, link.source) == ("2014177877", "2014177877", "cms-dac")
    assert place.lat is not None and place.lon is not None  # the ZIP centroid places it


def test_sample_social_worker_has_suite_and_no_phone(db, tmp_path):
    load(SAMPLE, tmp_path)

    bandell = clinician(db, "1215362520")
    [link] = bandell.locations
    place = db.session.get(Location, link.location_id)
    assert [(t.code, t.is_primary) for t in bandell.taxonomies] == [("1041C0700X", True)]
    assert (place.line1, place.line2, place.postal_code) == ("390 MERRIMON AVE", "SUITE 4", "28801")
    assert clinician(db, "1215405246").locations[0].phone is None  # the file gives none


def test_loading_the_sample_again_changes_nothing(db, tmp_path):
    load(SAMPLE, tmp_path)
    counts = (count(db, Location), count(db, ClinicianLocation), count(db, IngestFingerprint))

    summary, rejects, _ = load(SAMPLE, tmp_path)

    assert (summary.inserted, summary.updated, summary.unchanged, summary.rejected) == (0, 0, 4, 0)
    assert (
        count(db, Location),
        count(db, ClinicianLocation),
        count(db, IngestFingerprint),
    ) == counts
    assert counts == (4, 4, 4)


def test_one_npi_on_rows_far_apart_is_one_clinician_with_every_place(db, tmp_path):
    ana, ben = npi("121590001"), npi("121590002")
    path = write(
        tmp_path / "dac.csv",
        [
            row(ana, **{"Facility Name": "CAMBRIDGE GROUP", "org_pac_id": "1111111111"}),
            row(ben, **{"Provider Last Name": "OKAFOR", "pri_spec": "PSYCHIATRY", "Cred": "MD"}),
            row(npi("121590003"), pri_spec="CHIROPRACTIC"),
            row(
                ana,
                adr_ln_1="9 ELM ST",
                Telehlth="Y",
                **{
                    "City/Town": "SOMERVILLE",
                    "ZIP Code": "02143",
                    "Telephone Number": "6175550199",
                },
                **{"Facility Name": "SOMERVILLE GROUP", "org_pac_id": "2222222222"},
            ),
        ],
    )

    summary, rejects, _ = load(path, tmp_path, batch_size=1)

    assert (summary.read, summary.inserted, summary.out_of_scope, rejects) == (4, 2, 1, [])
    rivera = clinician(db, ana)
    places = {db.session.get(Location, link.location_id).city: link for link in rivera.locations}
    assert sorted(places) == ["CAMBRIDGE", "SOMERVILLE"]
    groups = {o.external_id: o for o in db.session.scalars(select(Organization))}
    assert {key: o.name for key, o in groups.items()} == {
        "cms-pac:1111111111": "CAMBRIDGE GROUP",
        "cms-pac:2222222222": "SOMERVILLE GROUP",
    }
    assert places["SOMERVILLE"].organization_id == groups["cms-pac:2222222222"].id
    assert places["SOMERVILLE"].phone == "6175550199"
    assert rivera.modalities == ["in_person", "video", "phone"]  # Telehlth Y on one row
    okafor = clinician(db, ben)
    assert (okafor.credentials, [t.code for t in okafor.taxonomies]) == (["MD"], ["2084P0800X"])
    assert okafor.modalities == []


def test_a_group_renamed_in_a_later_file_is_renamed(db, tmp_path):
    ana = npi("121590001")
    first = {"Facility Name": "OLD NAME", "org_pac_id": "1111111111"}
    load(write(tmp_path / "one.csv", [row(ana, **first)]), tmp_path)
    load(
        write(tmp_path / "two.csv", [row(ana, **(first | {"Facility Name": "NEW NAME"}))]), tmp_path
    )

    assert [o.name for o in db.session.scalars(select(Organization))] == ["NEW NAME"]


def test_dates_in_the_file_name_are_when_cms_observed_the_facts(db, tmp_path):
    ana = npi("121590001")
    load(write(tmp_path / "DAC_NationalDownloadableFile_2025-01-15.csv", [row(ana)]), tmp_path)

    rivera = clinician(db, ana)
    assert (rivera.verified_at.date().isoformat(), rivera.verified_source) == (
        "2025-01-15",
        "cms-dac",
    )
    assert rivera.locations[0].verified_source == "cms-dac"


def test_the_same_rows_in_another_order_change_nothing(db, tmp_path):
    ana, ben = npi("121590001"), npi("121590002")
    rows = [
        row(ana),
        row(ben, pri_spec="PSYCHIATRY"),
        row(ana, adr_ln_1="9 ELM ST", **{"ZIP Code": "02143"}),
        row(ana, adr_ln_1="5 OAK ST", **{"ZIP Code": "02144"}),
    ]
    load(write(tmp_path / "one.csv", rows), tmp_path)

    summary, _, _ = load(write(tmp_path / "two.csv", rows[::-1]), tmp_path)

    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 0, 2)
    assert len(clinician(db, ana).locations) == 3


def test_a_zip_that_is_no_census_zcta_keeps_the_clinician(db, tmp_path):
    ana = npi("121590001")  # 06030: UConn Health's own ZIP, a real USPS ZIP but no ZCTA
    path = write(
        tmp_path / "dac.csv",
        [row(ana, **{"ZIP Code": "060300001", "City/Town": "FARMINGTON", "State": "CT"})],
    )

    summary, rejects, _ = load(path, tmp_path)

    assert (summary.inserted, rejects) == (1, [])
    place = db.session.get(Location, clinician(db, ana).locations[0].location_id)
    assert (place.city, place.postal_code) == ("FARMINGTON", "06030")
