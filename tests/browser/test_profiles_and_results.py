"""Profiles and results that keep their place, in Chromium at 390 px and 1366 px, EN and ES.

Every test records each request the page makes and fails if one leaves the origin.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS
from tests.web.seed_directory import PLAN_ID, SPANISH_SPEAKER, ZIP

RESULTS_URL = re.compile(r"/find/results/[A-Za-z0-9_-]{43}$")
WORDS = {
    "en": {"concern": "Feeling down, sad or hopeless", "profile": "See the full profile",
           "unknown": "What we do not know", "found": "We found 3 clinicians."},
    "es": {"concern": "Sentirse deprimido, triste o sin esperanza",
           "profile": "Ver el perfil completo", "unknown": "Lo que no sabemos",
           "found": "Encontramos 3 profesionales."},
}  # fmt: skip
CASES = [(size, lang) for size in VIEWPORTS for lang in WORDS]


def _language(page, lang: str) -> None:
    """Choose `lang` with the page's own switcher (English is the default)."""
    if lang == "es":
        page.get_by_role("button", name="Español").click()
        page.wait_for_load_state()


def _search(page, live_server, lang: str) -> None:
    page.goto(live_server.url("/find"))
    _language(page, lang)
    page.get_by_label(WORDS[lang]["concern"]).check()
    page.get_by_label(re.compile("ZIP|código postal")).fill(ZIP)
    page.locator("#plan").select_option(PLAN_ID)
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_url(RESULTS_URL)


def _fits(page, size: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size]["width"]


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_profile_from_a_result_card(live_server, tab, axe_check, screenshot, size, lang):
    """The card's link opens the profile: facts, unknowns, report link, partner links."""
    page = tab(size)
    _search(page, live_server, lang)
    card = page.locator(".result", has_text=SPANISH_SPEAKER)
    card.get_by_role("link", name=WORDS[lang]["profile"]).click()
    page.wait_for_url(re.compile(r"/clinicians/\d{10}$"))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.get_by_role("heading", level=1).inner_text().startswith(SPANISH_SPEAKER)
    assert page.get_by_role("heading", name=WORDS[lang]["unknown"]).is_visible()
    assert page.locator(".report-link a").get_attribute("href").endswith("/report")
    fhir = page.locator(".partner-links a").first.get_attribute("href")
    assert re.fullmatch(r"/fhir/Practitioner/\d{10}", fhir)
    _fits(page, size)
    axe_check(page, f"profile-{lang}-{size}")
    screenshot(page, f"profile-{lang}-{size}")


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_back_reload_and_language_switch_keep_the_search(live_server, tab, axe_check, size, lang):
    """Reload, Back from a profile and switching language show the same results, no resubmit."""
    page = tab(size)
    _search(page, live_server, lang)
    results = page.url
    names = page.locator(".result h3").all_inner_texts()
    assert len(names) == 3 and WORDS[lang]["found"] in page.locator(".results-summary").inner_text()
    page.reload()
    assert page.url == results and page.locator(".result h3").all_inner_texts() == names
    page.locator(".result .profile-link a").first.click()
    page.wait_for_url(re.compile(r"/clinicians/\d{10}$"))
    page.go_back()
    page.wait_for_url(results)
    assert page.locator(".result h3").all_inner_texts() == names
    other = "English" if lang == "es" else "Español"
    page.get_by_role("button", name=other).click()
    # The switch comes back to the same address, so waiting for the URL returns at once:
    # wait for the other language's page instead (it was flaky under load).
    expect(page.locator("html")).to_have_attribute("lang", "en" if lang == "es" else "es")
    # The new document's <html> exists before its body is parsed: wait for the cards too
    # (a bare count() read 0 in a loaded CI run).
    expect(page.locator(".result")).to_have_count(3)
    assert page.url == results
    _fits(page, size)
    axe_check(page, f"results-switched-{lang}-{size}")


def test_show_more_pages_by_link_and_back_returns(live_server, tab, monkeypatch):
    """ "Show more" is a plain link to the next page of the same search; Back comes back."""
    from web import patient_form

    monkeypatch.setattr(patient_form, "PAGE_SIZE", 2)
    page = tab("390px")
    _search(page, live_server, "en")
    first = page.url
    assert page.locator(".result").count() == 2
    page.get_by_role("link", name="Show more results").click()
    page.wait_for_url(first + "?page=2")
    assert page.locator(".result").count() == 1
    assert "Showing 3 to 3." in page.locator(".results-summary").inner_text()
    page.go_back()
    page.wait_for_url(first)
    assert page.locator(".result").count() == 2


def test_an_unknown_results_address_offers_a_new_search(live_server, tab, axe_check):
    """An expired or unknown id is a friendly page with the search form, not an error."""
    page = tab("1366px")
    page.goto(live_server.url("/find"))
    _language(page, "es")
    response = page.goto(live_server.url("/find/results/" + "A" * 43))
    assert response.status == 410
    assert "Esa búsqueda terminó" in page.locator("main").inner_text()
    assert page.locator("form.search-form").is_visible()
    axe_check(page, "results-expired-es")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_zero_results_offer_buttons(live_server, tab, axe_check, screenshot, size):
    """Nobody for a child in person: the nearest option is said and suggestions are buttons."""
    page = tab(size)
    page.goto(live_server.url("/find"))
    page.get_by_label(re.compile("ZIP")).fill(ZIP)
    page.get_by_label("In person", exact=True).check()
    page.locator("details summary").first.click()
    page.locator("#age").fill("8")
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_url(RESULTS_URL)
    assert "We found 0 clinicians." in page.locator(".results-summary").inner_text()
    nearest = page.locator(".nearest").inner_text()
    assert (
        "No clinician who fits your other answers sees patients in person within 100 mi." in nearest
    )
    _fits(page, size)
    axe_check(page, f"results-zero-{size}")
    screenshot(page, f"results-zero-{size}")
