"""Column geodesy gives matching.distance.within's answer for every point."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.geography import Point
from matching import distance
from matching.index.geodesy import vincenty_miles, within

CENTER = Point(42.362391, -71.102336)


def _scalar(center, lats, lons, miles):
    found = [
        distance.within(center, float(a), float(b), miles) for a, b in zip(lats, lons, strict=True)
    ]
    return [f is not None for f in found], found


def _around(lat, lon, offsets):
    """(center, lats, lons): points at the offsets in degrees, kept on the globe."""
    lats = np.array([min(89.0, max(-89.0, lat + a)) for a, _ in offsets])
    lons = np.array([((lon + b + 180) % 360) - 180 for _, b in offsets])
    return Point(lat, lon), lats, lons


def _scattered(lats: tuple[float, float], degrees: float, most: int, radii: list[float]):
    """Hypothesis arguments: a center's lat and lon, offsets of up to `degrees`, a radius."""
    offset = st.floats(-degrees, degrees)
    return given(
        st.floats(*lats),
        st.floats(-179.9, 179.9),
        st.lists(st.tuples(offset, offset), min_size=1, max_size=most),
        st.sampled_from(radii),
    )


@settings(max_examples=60, deadline=None)
@_scattered((-60, 70), 1.5, 120, [0.5, 5.0, 25.0, 50.0, 100.0])
def test_inside_and_miles_agree_with_within(lat, lon, offsets, miles):
    center, lats, lons = _around(lat, lon, offsets)

    inside, found = within(center, lats, lons, miles)

    expected_inside, expected = _scalar(center, lats, lons, miles)
    assert inside.tolist() == expected_inside
    for got, want in zip(found[inside], [e for e in expected if e is not None], strict=True):
        assert abs(got - want) <= 1e-8  # miles: well under a millimetre


def test_points_on_the_radius_are_settled_by_within_itself():
    # A point almost exactly `miles` away: the column answer must be within()'s.
    far, _ = vincenty_miles(CENTER, np.array([42.5]), np.array([-71.0]))
    radius = float(far[0])
    for miles in (radius, radius - 1e-9, radius + 1e-9, radius - 1e-6, radius + 1e-6):
        inside, _ = within(CENTER, np.array([42.5]), np.array([-71.0]), miles)
        assert bool(inside[0]) == (distance.within(CENTER, 42.5, -71.0, miles) is not None)


def test_the_same_point_is_zero_miles_away():
    inside, found = within(CENTER, np.array([CENTER.lat]), np.array([CENTER.lon]), 1.0)

    assert inside.tolist() == [True] and found[0] == 0.0


def test_across_the_antimeridian():
    center = Point(51.9, 179.9)
    inside, found = within(center, np.array([51.9]), np.array([-179.9]), 25.0)

    assert inside.tolist() == [True]
    assert abs(found[0] - distance.geodesic_miles(51.9, 179.9, 51.9, -179.9)) < 1e-9


def test_geodesic_and_haversine_miles_differ_by_less_than_the_margin_both_ways():
    # refine.py relies on both directions: a haversine distance 1% longer bounds the geodesic.
    from matching.distance import HAVERSINE_MARGIN
    from matching.index.geodesy import haversine_miles

    rng = np.random.default_rng(3)
    ratios = []
    for center_lat in range(-80, 81, 10):
        center = Point(float(center_lat), -100.0)
        lats = np.clip(center_lat + rng.uniform(-1.5, 1.5, 2000), -89.9, 89.9)
        lons = -100.0 + rng.uniform(-3, 3, 2000)
        rough = haversine_miles(center, lats, lons)
        exact, done = vincenty_miles(center, lats, lons)
        kept = done & (rough > 0) & (rough <= 100)
        ratios.append(exact[kept] / rough[kept])
    ratios = np.concatenate(ratios)
    assert len(ratios) > 15000
    assert 1 / HAVERSINE_MARGIN < ratios.min() < 0.997
    assert 1.003 < ratios.max() < HAVERSINE_MARGIN


@settings(max_examples=60, deadline=None)
@_scattered((-80, 80), 2.0, 200, [0.5, 5.0, 25.0, 50.5, 101.0])
def test_the_chord_check_agrees_with_haversine(lat, lon, offsets, miles):
    from matching.index.geodesy import chord_miles, chord_near, haversine_miles, unit_vectors

    center, lats, lons = _around(lat, lon, offsets)
    rough = haversine_miles(center, lats, lons)
    settled = np.abs(rough - miles) > miles * 1e-10  # float rounding aside

    vectors = unit_vectors(lats, lons)
    near = chord_near(center, *vectors, miles)

    assert near[settled].tolist() == (rough <= miles)[settled].tolist()
    assert np.allclose(chord_miles(center, *vectors), rough, rtol=1e-10, atol=1e-9)


def test_the_chord_check_on_either_side_of_the_radius():
    from matching.index.geodesy import chord_miles, chord_near, haversine_miles, unit_vectors

    lats, lons = np.array([42.5, 42.362391]), np.array([-71.0, -71.102336])
    away = float(haversine_miles(CENTER, lats[:1], lons[:1])[0])
    assert round(away, 4) == 10.846
    vectors = unit_vectors(lats, lons)

    assert chord_near(CENTER, *vectors, away * (1 + 1e-9)).tolist() == [True, True]
    assert chord_near(CENTER, *vectors, away * (1 - 1e-9)).tolist() == [False, True]
    assert chord_near(CENTER, *vectors, 0.0).tolist() == [False, True]
    assert chord_miles(CENTER, *vectors).round(4).tolist() == [10.846, 0.0]


def test_the_chord_check_across_the_antimeridian_and_half_the_globe():
    from matching.index.geodesy import chord_miles, chord_near, unit_vectors

    center = Point(51.9, 179.9)
    vectors = unit_vectors(np.array([51.9, -51.9]), np.array([-179.9, 0.1]))

    assert chord_near(center, *vectors, 25.0).tolist() == [True, False]
    assert chord_near(center, *vectors, 13000.0).tolist() == [True, True]  # beyond the far side
    assert chord_miles(center, *vectors).round(1).tolist() == [8.5, 12428.3]
