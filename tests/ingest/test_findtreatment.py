"""flask ingest findtreatment: the FindTreatment.gov sample, API rows, rejects and re-runs."""

import json

from sqlalchemy import select

from directory.extensions import db
from ingest.kinds import load_file
from ingest.report import FileRefused, read_rejects
from programs.models import ProgramLocation, ProgramService
from tests.conftest import SHARED

SAMPLE = SHARED / "findtreatment" / "residential_facilities_CA_first25.json"


def _services():
    return db.session.scalars(select(ProgramService).order_by(ProgramService.name)).all()


def test_the_sample_loads_every_facility_with_its_levels_of_care(app, tmp_path):
    summary, report = load_file("findtreatment", SAMPLE, tmp_path / "rejects.csv")

    assert (summary.read, summary.inserted, summary.rejected) == (25, 25, 0)
    assert (report.count, report.repaired) == (0, 0)
    varps = [s for s in _services() if s.name == "Veterans Alcoholic Rehab Prog (VARP)"]
    assert len(varps) == 3
    varp = next(s for s in varps if s.sites[0].location.postal_code == "92225")
    assert varp.levels_of_care == ["3.x"]
    assert varp.medications == ["buprenorphine", "naltrexone"]
    assert varp.payments == ["medicaid", "self_pay"]
    assert varp.languages == ["es"]
    assert varp.residential is True
    assert varp.needs == [
        "housing",
        "mental_health_program",
        "substance_use_treatment",
        "transportation",
    ]
    assert (varp.minimum_age, varp.maximum_age) == (18, None)
    site = varp.sites[0].location
    assert (site.postal_code, site.precision) == ("92225", "source")
    assert round(site.lat, 4) == 33.5746


def test_a_second_run_changes_nothing(app, tmp_path):
    load_file("findtreatment", SAMPLE, tmp_path / "first.csv")

    summary, _ = load_file("findtreatment", SAMPLE, tmp_path / "second.csv")

    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 0, 25)
    assert len(_services()) == 25


def test_api_rows_without_coordinates_are_placed_by_zip_and_unknown_phrases_reported(app, tmp_path):
    rows = {
        "page": 1,
        "rows": [
            {
                "name1": "Harbor Recovery",
                "name2": "Opioid Treatment Program",
                "street1": "1 Main St",
                "city": "Cambridge",
                "state": "MA",
                "zip": "02139",
                "phone": "617-555-0100",
                "services": [
                    {"f1": "Type of Care", "f2": "TC", "f3": "Substance use treatment"},
                    {"f1": "Pharmacotherapies", "f2": "PHR", "f3": "Methadone maintenance"},
                    {
                        "f1": "Payment",
                        "f2": "PAY",
                        "f3": "Medicare; Sliding fee scale (fee is "
                        "based on income and other factors)",
                    },
                    {"f1": "Other", "f2": "OTH", "f3": "Equine therapy"},
                ],
            },
            {"street1": "2 Main St", "zip": "02139"},
        ],
    }
    path = tmp_path / "api.json"
    path.write_text(json.dumps(rows))

    summary, report = load_file("findtreatment", path, tmp_path / "rejects.csv")

    assert (summary.read, summary.inserted, summary.rejected) == (2, 1, 1)
    assert read_rejects(report.path)[0]["reason"] == "Record 2: no name"
    service = _services()[0]
    assert service.name == "Harbor Recovery Opioid Treatment Program"
    assert service.levels_of_care == ["otp"]
    assert service.medications == ["methadone"]
    assert service.payments == ["medicare", "sliding_scale"]
    location = db.session.scalars(select(ProgramLocation)).one()
    assert location.precision == "zcta_centroid"
    assert read_rejects(report.repairs_path)[0]["before"] == "Equine therapy"


def test_an_hsds_file_given_as_findtreatment_is_refused_naming_its_kind(app, tmp_path):
    path = SHARED / "hsds" / "examples" / "service_full.json"

    try:
        load_file("findtreatment", path, tmp_path / "rejects.csv")
    except FileRefused as refused:
        message = str(refused)
    assert message == (
        "service_full.json: this looks like an HSDS file, not a FindTreatment.gov file; "
        "nothing was loaded"
    )


def test_the_cli_exits_3_when_every_record_fails_and_4_for_another_kind(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"name1": ""}, {"city": "Blythe", "all_services": ""}]))

    failed = runner.invoke(args=["ingest", "findtreatment", str(bad)])
    refused = runner.invoke(args=["ingest", "hsds", str(SAMPLE)])

    assert failed.exit_code == 3
    assert "2 of 2 rows in scope were rejected: nothing was loaded" in failed.output
    assert refused.exit_code == 4
    assert "this looks like a FindTreatment.gov file, not an HSDS file" in refused.output
