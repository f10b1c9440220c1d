"""Fast geodesic distance and the patient's state from a ZIP code or a point."""

import csv
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from directory.geography import Point, distance_miles
from matching.distance import geodesic_miles, haversine_miles, within
from matching.states import state_for_point, state_for_zip

NPPES = Path(__file__).resolve().parents[1] / "data" / "nppes" / "npidata_sample_300.csv"

lat = st.floats(min_value=18, max_value=65)
lon = st.floats(min_value=-170, max_value=-65)


@settings(max_examples=60, deadline=None)
@given(lat, lon, lat, lon)
def test_vincenty_agrees_with_geopy(lat1, lon1, lat2, lon2):
    expected = distance_miles(Point(lat1, lon1), Point(lat2, lon2))

    assert geodesic_miles(lat1, lon1, lat2, lon2) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(lat, lon, st.floats(min_value=-5, max_value=5), st.floats(min_value=-5, max_value=5))
def test_within_is_exact_at_the_radius(lat1, lon1, dlat, dlon):
    center = Point(lat1, lon1)
    exact = distance_miles(center, Point(lat1 + dlat, lon1 + dlon))
    assume(exact > 0.01)

    assert within(center, lat1 + dlat, lon1 + dlon, exact * 1.000001) == pytest.approx(exact)
    assert within(center, lat1 + dlat, lon1 + dlon, exact * 0.999999) is None


def test_haversine_is_close_to_geodesic():
    assert haversine_miles(42.36, -71.10, 41.88, -87.63) == pytest.approx(
        geodesic_miles(42.36, -71.10, 41.88, -87.63), rel=0.005
    )


@pytest.mark.parametrize(
    ("zip_code", "state"),
    [
        ("02139", "MA"),
        ("05501", "MA"),  # Andover IRS, inside Vermont's range
        ("06103", "CT"),
        ("10001", "NY"),
        ("20001", "DC"),
        ("22201", "VA"),
        ("60601-1234", "IL"),
        ("73301", "TX"),
        ("94103", "CA"),
        ("96799", "AS"),
        ("96813", "HI"),
        ("99501", "AK"),
        ("00601", "PR"),
        ("09001", None),  # military mail
        ("1234", None),
    ],
)
def test_state_for_zip(zip_code, state):
    assert state_for_zip(zip_code) == state


def test_state_for_zip_agrees_with_real_nppes_addresses():
    with NPPES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    pairs = {
        (
            r["Provider Business Practice Location Address Postal Code"][:5],
            r["Provider Business Practice Location Address State Name"],
        )
        for r in rows
    }

    assert len(pairs) > 50
    assert all(state_for_zip(z) == s for z, s in pairs)


@pytest.mark.parametrize(
    ("point", "state"),
    [
        (Point(42.37, -71.10), "MA"),
        (Point(41.88, -87.63), "IL"),
        (Point(47.61, -122.33), "WA"),
        (Point(30.0, -40.0), None),  # mid-Atlantic
    ],
)
def test_state_for_point(point, state):
    assert state_for_point(point) == state
