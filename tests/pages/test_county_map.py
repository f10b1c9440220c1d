"""The county map's shading classes and SVG."""

import pytest

from adequacy.basemap import CountyShape
from pages.county_map import Shade, county_map, shade_class


@pytest.mark.parametrize(
    ("share", "css"),
    [(None, "no-data"), (0.0, "share-0"), (0.4999, "share-0"), (0.5, "share-1"),
     (0.7499, "share-1"), (0.75, "share-2"), (0.8999, "share-2"), (0.9, "share-3"),
     (0.9999, "share-3"), (1.0, "share-4")],
)  # fmt: skip
def test_shade_class_bounds(share, css):
    assert shade_class(share) == css


def test_failing_counties_are_outlined_and_drawn_last(app):
    shapes = [CountyShape("44001", "Bristol", "M0 0L1 0Z"), CountyShape("44003", "K<ent", "M1 1Z")]
    shades = {"44001": Shade(0.3, True), "44003": Shade(1.0, False)}
    with app.test_request_context():
        svg = str(county_map("m", "T", "D", shapes, (10.0, 20.0), shades))
    assert svg.startswith('<svg class="county-map" role="img" viewBox="0 0 10.0 20.0"')
    assert '<title id="m-t">T</title><desc id="m-d">D</desc>' in svg
    kent = '<path class="share-4" data-fips="44003" d="M1 1Z"><title>K&lt;ent: 100.0%</title>'
    bristol = '<path class="share-0 failing" data-fips="44001" d="M0 0L1 0Z">'
    assert svg.index(kent) < svg.index(bristol)
    assert "<title>Bristol: 30.0%</title>" in svg
