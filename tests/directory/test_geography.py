"""Placing a ZIP offline: ZCTA centroid, then the USPS ZIP, then the city, else unplaced."""

import csv

import pytest
import zipcodes

from directory.geography import DATA_DIR, GeoPrecision, Placement, Point, known_zip, place_zip


def test_a_zcta_is_placed_at_its_census_centroid():
    assert place_zip("02139") == Placement(Point(42.362391, -71.102336), "zcta_centroid")


def test_a_unique_zip_that_is_no_zcta_is_placed_at_the_usps_point():
    # 06030 is UConn Health's own ZIP: a real USPS ZIP the Census never drew.
    assert place_zip("06030") == Placement(Point(41.7918, -72.7188), "zip_centroid")


def test_a_zip_plus_4_is_placed_by_its_five_digits():
    assert place_zip("06030-1234").precision == GeoPrecision.ZIP_CENTROID


def test_an_unknown_zip_falls_back_to_its_city():
    placed = place_zip("00000", "  farmington ", "ct")

    assert placed.precision == "city"
    assert placed.point.lat == pytest.approx(41.7707, abs=0.0001)
    assert placed.point.lon == pytest.approx(-72.7597, abs=0.0001)


@pytest.mark.parametrize(
    ("postal", "city", "state"),
    [
        ("00000", None, None),
        ("00000", "Nowhere Such Town", "CT"),
        ("00000", "Farmington", None),
        ("123", "", "CT"),
        (None, None, None),
        ("09001", "APO", "AE"),  # a military ZIP: the package's point is 0,0, i.e. none
    ],
)
def test_what_cannot_be_placed_is_unplaced(postal, city, state):
    assert place_zip(postal, city, state) == Placement(None, "none")


def test_known_zip_is_any_real_usps_zip():
    assert known_zip("02139") and known_zip("00601")  # ZCTAs
    assert known_zip("06030") and known_zip("09001")  # unique and military ZIPs
    assert not known_zip("00000") and not known_zip("2139")


def test_the_precisions_are_the_five_words_stored():
    assert [p.value for p in GeoPrecision] == [
        "address",
        "zcta_centroid",
        "zip_centroid",
        "city",
        "none",
    ]


def test_the_shipped_usps_table_is_the_zipcodes_package():
    with (DATA_DIR / "usps_zip_points.csv").open(encoding="utf-8", newline="") as f:
        shipped = [tuple(row.values()) for row in csv.DictReader(f)]
    package = sorted(
        (e["zip_code"], e["lat"], e["long"], e["city"], e["state"]) for e in zipcodes.list_all()
    )
    assert len(shipped) == 42789
    assert shipped == package
