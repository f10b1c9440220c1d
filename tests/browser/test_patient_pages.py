"""End-to-end patient search in headless Chromium: Spanish, crisis, accessibility, mobile."""

from __future__ import annotations

import re

from tests.web.seed_directory import PLAN_ID, SPANISH_SPEAKER, ZIP

MAIN_PAGES = ("/find", "/login")


def _search(page, concerns: list[str], plan: str | None = PLAN_ID) -> None:
    for label in concerns:
        page.get_by_label(label).check()
    page.get_by_label(re.compile("ZIP|código postal")).fill(ZIP)
    if plan:
        page.locator("#plan").select_option(plan)
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_load_state()


def test_patient_search_in_spanish(live_server, page, screenshot):
    """Switch to Spanish, pick a plain-language need, ZIP and plan; read translated reasons."""
    page.goto(live_server.url("/find"))
    page.get_by_role("button", name="Español").click()
    page.wait_for_url(re.compile(r"/find$"))
    assert page.locator("html").get_attribute("lang") == "es"
    screenshot(page, "find-es")

    _search(page, ["Sentirse deprimido, triste o sin esperanza"])
    assert re.search(r"/find/results/[A-Za-z0-9_-]{43}$", page.url), "only an opaque id"
    assert "depression" not in page.url and "concerns" not in page.url
    first = page.locator(".result").first
    assert SPANISH_SPEAKER in first.inner_text()
    text = first.inner_text()
    assert "Ayuda con: Sentirse deprimido, triste o sin esperanza" in text
    assert "Acepta su plan de seguro" in text
    assert "Ficha verificada hace 3 días" in text
    assert page.get_by_role("heading", name="Atención que podría ser para usted").is_visible()
    screenshot(page, "results-es")


def test_results_in_english_show_map_and_contact(live_server, page, screenshot):
    """Results list every fact, and the map draws one marker per in-person result."""
    page.goto(live_server.url("/find"))
    _search(page, ["Feeling down, sad or hopeless"])
    cards = page.locator(".result")
    assert cards.count() == 3
    assert "Call: (617) 555-0101" in cards.first.inner_text()
    assert page.locator(".leaflet-container").count() == 1
    # Two of the three share an address, so they share one marker labelled "2,3".
    markers = page.locator(".map-marker").all_inner_texts()
    assert sorted(markers) == ["1", "2,3"]
    assert "Last verified 6 months ago: call to confirm" in page.locator("#result-3").inner_text()
    screenshot(page, "results-en")


def test_crisis_banner_leads_when_needs_indicate_risk(live_server, page, screenshot):
    """Thoughts of ending one's life put the 988 alert first on the results page."""
    page.goto(live_server.url("/find"))
    _search(page, ["Thoughts of ending my life"], plan=None)
    banner = page.locator(".crisis-urgent")
    assert banner.is_visible()
    assert banner.get_attribute("role") == "alert"
    first_in_main = page.locator("main > *").first
    assert "crisis-urgent" in (first_in_main.get_attribute("class") or "")
    assert banner.get_by_role("link", name="Call 988").get_attribute("href") == "tel:988"
    screenshot(page, "results-crisis")


def test_no_horizontal_scroll_at_320px(live_server, page, screenshot):
    """The form and the results fit a 320px-wide screen."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url("/find"))
    page.locator("details summary").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "find-320px")
    _search(page, ["Feeling down, sad or hopeless"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "results-320px")


def test_axe_on_main_pages(live_server, page, axe_check, screenshot):
    """No serious or critical axe-core violations on the patient pages and sign-in."""
    for path in MAIN_PAGES:
        page.goto(live_server.url(path))
        axe_check(page, path.strip("/").replace("/", "-"))
    page.goto(live_server.url("/find"))
    _search(page, ["Worry, nerves or panic"])
    axe_check(page, "results")
    page.goto(live_server.url("/find"))
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    axe_check(page, "find-errors")
    screenshot(page, "find-errors")


def test_axe_in_spanish(live_server, page, axe_check):
    """The Spanish pages pass too (lang attribute, translated labels)."""
    page.goto(live_server.url("/find"))
    page.get_by_role("button", name="Español").click()
    page.wait_for_url(re.compile(r"/find$"))
    axe_check(page, "find-es")
    _search(page, ["Sentirse deprimido, triste o sin esperanza"])
    axe_check(page, "results-es")
