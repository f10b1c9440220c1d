"""The results map in Chromium: a basemap that ships with the app, one marker per place with the
list's numbers, clusters when zoomed out, and a List / Map switch on phones (EN and ES).

Every test fails if a request leaves the origin (the shared `tab` fixture) and the page must
raise no Content-Security-Policy violation.
"""

from __future__ import annotations

import pytest

from tests.browser.test_content_security_policy import WATCH, _refused
from tests.browser.test_profiles_and_results import _search

TOGGLE = {"en": ("List", "Map"), "es": ("Lista", "Mapa")}


def _markers(page) -> list[str]:
    return sorted(page.locator(".map-marker").all_inner_texts())


def _land_drawn(page) -> None:
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.leaflet-land-pane path'))"
        ".some(p => p.getAttribute('d').length > 20)"
    )


def test_state_outlines_and_one_marker_per_place(live_server, tab, screenshot):
    """Ben and Carla share an address: one marker "2,3"; Census outlines are drawn locally."""
    page = tab("1366px")
    page.add_init_script(WATCH)
    _search(page, live_server, "en")
    _land_drawn(page)
    assert _markers(page) == ["1", "2,3"]
    assert (
        "Boundaries: U.S. Census Bureau"
        in page.locator(".leaflet-control-attribution").inner_text()
    )
    assert page.locator("#view-toggle").is_hidden()
    assert page.locator(".list-section").is_visible() and page.locator("#results-map").is_visible()
    assert _refused(page) == []
    screenshot(page, "results-map-1366px")


def test_close_places_cluster_when_zoomed_out_and_split_when_zoomed_in(live_server, tab):
    page = tab("1366px")
    _search(page, live_server, "en")
    _land_drawn(page)
    for _ in range(3):
        page.get_by_role("button", name="Zoom out").click()
        page.wait_for_timeout(350)  # Leaflet's zoom animation; the markers redraw after it
    page.wait_for_function("() => document.querySelectorAll('.map-marker').length === 1")
    assert _markers(page) == ["1,2,3"]
    assert page.locator(".map-cluster").count() == 1
    page.locator(".map-cluster").click()
    page.wait_for_function("() => document.querySelectorAll('.map-marker').length === 2")
    assert _markers(page) == ["1", "2,3"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_list_and_map_switch_on_a_phone(live_server, tab, axe_check, lang):
    page = tab("390px")
    _search(page, live_server, lang)
    list_name, map_name = TOGGLE[lang]
    assert page.locator("#view-toggle").is_visible()
    assert page.locator(".list-section").is_visible() and page.locator("#results-map").is_hidden()
    page.get_by_role("button", name=map_name, exact=True).click()
    assert page.locator("#results-map").is_visible() and page.locator(".list-section").is_hidden()
    assert (
        page.get_by_role("button", name=map_name, exact=True).get_attribute("aria-pressed")
        == "true"
    )
    _land_drawn(page)
    assert _markers(page) == ["1", "2,3"]
    axe_check(page, f"results-map-{lang}-390px")
    page.get_by_role("button", name=list_name, exact=True).click()
    assert page.locator(".list-section").is_visible() and page.locator("#results-map").is_hidden()
