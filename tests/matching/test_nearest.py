"""The wider radius the nearest in-person option is counted over."""

from __future__ import annotations

from directory.geography import Point
from matching.nearest import search_radius
from matching.needs import Needs

CAMBRIDGE = Point(42.365, -71.104)


def test_below_100_miles_the_nearest_is_sought_within_100():
    assert search_radius(Needs(CAMBRIDGE, max_distance_miles=5.0)) == 100.0
    assert search_radius(Needs(CAMBRIDGE, max_distance_miles=99.9)) == 100.0


def test_at_100_miles_or_more_it_is_sought_as_far_as_searches_go():
    assert search_radius(Needs(CAMBRIDGE, max_distance_miles=100.0)) == 500.0
    assert search_radius(Needs(CAMBRIDGE, max_distance_miles=500.0)) == 500.0
