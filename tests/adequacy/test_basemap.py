"""County outlines decoded from the bundled TopoJSON and projected for one state."""

from adequacy.basemap import _arc, _ring, project, state_map, state_rings

TINY = {"transform": {"scale": [0.5, 2], "translate": [-70, 40]},
        "arcs": [[[0, 0], [2, 0], [0, 3]], [[2, 3], [-2, -3]]]}  # fmt: skip


def test_an_arc_is_delta_decoded_and_dequantized():
    assert _arc(TINY, 0) == [(-70.0, 40.0), (-69.0, 40.0), (-69.0, 46.0)]
    # ~0 is the same arc walked backwards.
    assert _arc(TINY, ~0) == [(-69.0, 46.0), (-69.0, 40.0), (-70.0, 40.0)]


def test_a_ring_joins_arcs_without_repeating_the_shared_point():
    assert _ring(TINY, [0, 1]) == [(-70.0, 40.0), (-69.0, 40.0), (-69.0, 46.0), (-70.0, 40.0)]


def test_rhode_islands_five_counties():
    counties = state_rings("44")
    assert {fips: name for fips, (name, _) in counties.items()} == {
        "44001": "Bristol", "44003": "Kent", "44005": "Newport", "44007": "Providence",
        "44009": "Washington",
    }  # fmt: skip
    shapes, width, height = project(counties)
    # Taller than wide: fitted to the 480-unit box by its height.
    assert (width, height) == (308.9, 480.0)
    assert [s.fips for s in shapes] == sorted(counties)
    assert all(s.path.startswith("M") and s.path.endswith("Z") for s in shapes)
    # Newport is the mainland town and the islands of Narragansett Bay: several rings.
    assert next(s for s in shapes if s.fips == "44005").path.count("M") >= 2


def test_alaska_stays_in_one_piece_across_180_degrees():
    counties = state_rings("02")
    lons = [lon for _, rings in counties.values() for ring in rings for lon, _ in ring]
    assert max(lons) < 0 and min(lons) < -180
    assert project(counties)[1] == 480.0  # wider than tall


def test_a_state_without_outlines_draws_nothing():
    assert project(state_rings("99")) == ([], 0.0, 0.0)


def test_a_states_map_is_built_once_and_kept():
    first = state_map("44")
    assert state_map("44") is first
    assert [s.fips for s in first[0]] == ["44001", "44003", "44005", "44007", "44009"]
