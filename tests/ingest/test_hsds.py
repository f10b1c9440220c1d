"""flask ingest hsds: the HSDS 3.0 examples (JSON, tabular), NDJSON, an HSDS 1.1 package."""

import json

from sqlalchemy import select

from directory.extensions import db
from ingest.kinds import load_file
from ingest.report import read_rejects
from programs.models import ProgramService
from tests.conftest import SHARED

EXAMPLES = SHARED / "hsds" / "examples"
SERVICE_ID = "hsds:ac148810-d857-441c-9679-408f346de14b"


def _service(external_id=SERVICE_ID):
    return db.session.scalars(
        select(ProgramService).where(ProgramService.external_id == external_id)
    ).one()


def test_the_full_service_example_loads_with_ages_cost_languages_and_hours(app, tmp_path):
    summary, report = load_file("hsds", EXAMPLES / "service_full.json", tmp_path / "r.csv")

    assert (summary.read, summary.inserted, summary.rejected) == (1, 1, 0)
    service = _service()
    assert (service.name, service.minimum_age, service.maximum_age) == (
        "Community Counselling", 12, 100,
    )  # fmt: skip
    assert (service.fee_min, service.fee_max, service.currency) == (35.0, 35.0, "GBP")
    assert service.languages == ["ur"]
    assert service.organization.name == "Example Organization Inc."
    site = service.sites[0]
    assert site.hours == [{"days": ["thu", "fri"], "opens": "10:00", "closes": "18:00"}]
    # The example's point (100, 101) is off the globe and its postcode 'ABC 1234' no ZIP.
    assert (site.location.lat, site.location.precision) == (None, None)
    assert read_rejects(report.repairs_path) == [
        {
            "file": "service_full.json",
            "line": "1",
            "field": "taxonomy_term",
            "before": "taxonomy:code",
            "after": "",
            "reason": "unknown taxonomy code: kept with the program, mapped to no need",
        }
    ]


def test_organization_and_service_at_location_forms_name_the_same_service(app, tmp_path):
    load_file("hsds", EXAMPLES / "service_full.json", tmp_path / "a.csv")

    org, _ = load_file("hsds", EXAMPLES / "organization_full.json", tmp_path / "b.csv")
    sal, _ = load_file("hsds", EXAMPLES / "service_at_location_full.json", tmp_path / "c.csv")

    assert (org.read, org.unchanged, sal.read, sal.unchanged) == (1, 1, 1, 1)
    assert db.session.scalars(select(ProgramService)).all() == [_service()]


def test_an_organization_or_location_alone_is_out_of_scope(app, tmp_path):
    orgs, _ = load_file("hsds", EXAMPLES / "organization_list.json", tmp_path / "a.csv")
    place, _ = load_file("hsds", EXAMPLES / "location.json", tmp_path / "b.csv")

    assert (orgs.read, orgs.out_of_scope, place.read, place.out_of_scope) == (1, 1, 1, 1)


def test_the_tabular_example_loads_from_its_folder(app, tmp_path):
    summary, _ = load_file("hsds", EXAMPLES / "csv", tmp_path / "r.csv")

    assert (summary.read, summary.inserted, summary.rejected) == (1, 1, 0)
    assert _service().sites[0].location.name == "MyCity Civic Center"


def test_ndjson_with_open_eligibility_terms_maps_needs_and_rejects_by_line(app, tmp_path):
    pantry = {
        "id": "p1",
        "name": "Eastside Food Pantry",
        "fees_description": "Free of charge",
        "attributes": [
            {"taxonomy_term": {"taxonomy": "Open Eligibility", "code": "1130", "name": "Pantry"}},
            {"taxonomy_term": {"taxonomy": "Open Eligibility", "code": "1173", "name": "Bus"}},
        ],
        "service_at_locations": [{"location": {"addresses": [{"postal_code": "02139"}]}}],
    }
    lines = [json.dumps(pantry), json.dumps({"id": "p2"}), json.dumps({"id": "p3", "name": "X",
             "minimum_age": "teen"})]  # fmt: skip
    path = tmp_path / "programs.ndjson"
    path.write_text("\n".join(lines) + "\n")

    summary, report = load_file("hsds", path, tmp_path / "r.csv")

    assert (summary.read, summary.inserted, summary.rejected) == (3, 1, 2)
    assert [r["reason"] for r in read_rejects(report.path)] == [
        "Line 2: name: a service needs a name",
        "Line 3: minimum_age: not a whole number of years: 'teen'",
    ]
    service = _service("hsds:p1")
    assert service.needs == ["food", "transportation"]
    assert service.payments == ["free"]
    assert service.sites[0].location.precision == "zcta_centroid"
    assert service.sites[0].location.external_id == "hsds:p1:site-1:location"


HSDS_11 = {
    "organizations.csv": "id,name,description\no1,Harbor Services,Food and rides\n",
    "services.csv": "id,organization_id,name,status,fees\n"
    "v1,o1,Harbor Meals,active,sliding scale by income\n"
    ",o1,No id,active,\n",
    "locations.csv": "id,organization_id,name,latitude,longitude\nl1,o1,Harbor Hall,,\n",
    "services_at_location.csv": "id,service_id,location_id\nsl1,v1,l1\n",
    "physical_addresses.csv": "id,location_id,address_1,city,state_province,postal_code,country\n"
    "a1,l1,1 Main St,Cambridge,MA,02139,US\n",
    "regular_schedules.csv": "id,service_id,weekday,opens_at,closes_at\n"
    "r1,v1,Saturday,09:00,12:00\nr2,v1,Tuesday,17:00,20:00\n",
    "languages.csv": "id,service_id,language\nla1,v1,Spanish\n",
    "taxonomy.csv": "id,name,parent_id,vocabulary\n1131,Free Meals,1102,Open Eligibility\n",
    "services_taxonomy.csv": "id,service_id,taxonomy_id\nst1,v1,1131\nst2,v1,9999\n",
}


def test_an_hsds_1_1_package_loads(app, tmp_path):
    folder = tmp_path / "hsds11"
    folder.mkdir()
    for name, text in HSDS_11.items():
        (folder / name).write_text(text)

    summary, report = load_file("hsds", folder, tmp_path / "r.csv")

    assert (summary.read, summary.inserted, summary.rejected) == (2, 1, 1)
    assert read_rejects(report.path)[0]["reason"] == "Line 3: id: a service needs an id"
    assert read_rejects(report.repairs_path)[0]["before"] == "9999"
    service = _service("hsds:v1")
    assert (service.needs, service.languages, service.payments) == (
        ["food"], ["es"], ["sliding_scale"],
    )  # fmt: skip
    site = service.sites[0]
    assert site.hours == [
        {"days": ["sat"], "opens": "09:00", "closes": "12:00"},
        {"days": ["tue"], "opens": "17:00", "closes": "20:00"},
    ]
    assert (site.location.line1, site.location.precision) == ("1 Main St", "zcta_centroid")


def test_a_second_run_of_the_same_package_changes_nothing(app, tmp_path):
    load_file("hsds", EXAMPLES / "csv", tmp_path / "a.csv")

    summary, _ = load_file("hsds", EXAMPLES / "csv", tmp_path / "b.csv")

    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 0, 1)


def test_a_datapackage_keeping_its_csvs_in_a_subfolder_is_read_through_its_paths(app, tmp_path):
    folder = tmp_path / "package"
    (folder / "data").mkdir(parents=True)
    for source in (EXAMPLES / "csv").iterdir():
        (folder / "data" / source.name).write_bytes(source.read_bytes())
    names = [p.name for p in (EXAMPLES / "csv").iterdir()]
    resources = [{"name": n.removesuffix(".csv"), "path": f"data/{n}"} for n in names]
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}))

    summary, _ = load_file("hsds", folder, tmp_path / "r.csv")

    assert (summary.read, summary.inserted) == (1, 1)
    assert _service().sites[0].location.name == "MyCity Civic Center"
