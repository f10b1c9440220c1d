"""A variant of the NPPES sample with ZIPs no ZCTA has: every clinician kept, each place honest."""

from sqlalchemy import select

from directory.geography import GeoPrecision, Placement, Point
from directory.models import Clinician, ClinicianLocation, Location
from ingest.report import read_rejects
from tests.ingest import test_nppes_rejects as nppes

POSTAL = "Provider Business Practice Location Address Postal Code"
CITY = "Provider Business Practice Location Address City Name"
STATE = "Provider Business Practice Location Address State Name"
PADDED = "the leading zero(s) a spreadsheet drops restored"
VARIANT = {
    "1184627184": {POSTAL: "060301234", CITY: "FARMINGTON", STATE: "CT"},  # UConn Health
    "1528062858": {POSTAL: "00000", CITY: "NOWHERE SUCH TOWN"},  # made up
    "1902809676": {POSTAL: "1038"},  # 01038 less its zero
}


def _places(db) -> dict[str, tuple]:
    rows = db.session.execute(
        select(Clinician.npi, Location.postal_code, Location.lat, Location.geo_precision)
        .join(ClinicianLocation, ClinicianLocation.clinician_id == Clinician.id)
        .join(Location, Location.id == ClinicianLocation.location_id)
    )
    return {npi: (postal, lat, precision) for npi, postal, lat, precision in rows}


def test_no_clinician_is_lost_for_a_zip(db, tmp_path):
    summary, rejects = nppes.load(tmp_path, nppes.encode(nppes.edited(VARIANT)))

    assert rejects == []
    assert (summary.inserted, summary.rejected, summary.repaired, summary.unplaced) == (12, 0, 1, 1)
    places = _places(db)
    assert places["1184627184"] == ("06030", 41.7918, "zip_centroid")
    assert places["1528062858"] == ("00000", None, "none")
    assert places["1902809676"][0] == "01038" and places["1902809676"][2] == "zcta_centroid"


def test_every_repair_and_unplaced_location_is_reported(db, tmp_path):
    nppes.load(tmp_path, nppes.encode(nppes.edited(VARIANT)))

    found = read_rejects(tmp_path / "rejects-repairs.csv")

    assert [(r["line"], r["before"], r["after"], r["reason"]) for r in found] == [
        ("82", "1038", "01038", f"4 digits: {PADDED}"),
        (
            "206",
            "00000",
            "(not placed)",
            "ZIP 00000 is not a USPS ZIP: location kept without a map point "
            "(telehealth searches only)",
        ),
    ]


def test_an_eight_digit_zip_plus_4_is_repaired(db, tmp_path):
    rows = nppes.edited({"1184627184": {POSTAL: "60301234", CITY: "FARMINGTON", STATE: "CT"}})

    summary, _ = nppes.load(tmp_path, nppes.encode(rows))

    found = read_rejects(tmp_path / "rejects-repairs.csv")
    assert [(r["before"], r["after"]) for r in found] == [("60301234", "06030-1234")]
    assert _places(db)["1184627184"] == ("06030", 41.7918, "zip_centroid")
    assert summary.repaired == 1


def test_the_point_worked_out_where_the_file_is_read_is_the_one_stored(db, tmp_path, monkeypatch):
    # The reading process places each location (ingest.nppes_rows); saving does not look again.
    read_there = Placement(Point(10.5, 20.25), GeoPrecision.CITY)
    monkeypatch.setattr("ingest.nppes_rows.place_zip", lambda postal, city, state: read_there)

    summary, _ = nppes.load(tmp_path, nppes.encode(nppes.edited({})))

    assert summary.inserted == 12
    assert set(_places(db).values()) >= {("02906", 10.5, "city")}
    assert {(lat, precision) for _postal, lat, precision in _places(db).values()} == {
        (10.5, "city")
    }
