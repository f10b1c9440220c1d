"""The refine bar and sort on the results page, in Chromium at 390 px and 1366 px, EN and ES.

A refinement re-posts the search and lands on a new results address; Back, reload and the
language switch keep it. Every test fails if a request leaves the origin (the `tab` fixture).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.test_profiles_and_results import CASES, RESULTS_URL, _fits, _language, _search
from tests.web.seed_directory import FAR_CLINICIAN

WORDS = {
    "en": {"update": "Update results", "order": "Order: Nearest first.",
           "found": "We found 4 clinicians.", "zero": "We found 0 clinicians.",
           "wish": re.compile("a wish, not a must"), "three": "We found 3 clinicians."},
    "es": {"update": "Actualizar resultados", "order": "Orden: Más cerca primero.",
           "found": "Encontramos 4 profesionales.", "zero": "Encontramos 0 profesionales.",
           "wish": re.compile("un deseo"), "three": "Encontramos 3 profesionales."},
}  # fmt: skip
NEAREST_FIRST = ["Ana Rivera", "Ben Okafor", "Carla Nguyen", FAR_CLINICIAN]


def _open_sheet(page, size: str) -> None:
    """On a phone the bar is a folded sheet; on a wide screen it is already open."""
    sheet = page.locator("details#refine")
    is_open = sheet.evaluate("el => el.open")
    assert is_open == (size == "1366px")
    if not is_open:
        sheet.locator("summary").first.click()
    assert page.locator("#refine-sort").is_visible()


def _names(page) -> list[str]:
    return [
        re.sub(r"^\d+\s*", "", t).split(",")[0]
        for t in page.locator(".result h3").all_inner_texts()
    ]


def _refine(page, size: str, **choices) -> str:
    _open_sheet(page, size)
    for field, value in choices.items():
        page.locator(f"#refine-{field}").select_option(value)
    before = page.url
    page.locator("form.refine-form button[type=submit]").click()
    page.wait_for_url(lambda url: RESULTS_URL.search(url) is not None and url != before)
    return page.url


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_refine_and_sort_keep_the_search(live_server, tab, axe_check, screenshot, size, lang):
    """Sort nearest first over 50 miles; reload, Back and the language switch keep each search."""
    page = tab(size)
    _search(page, live_server, lang)
    first = page.url
    assert len(_names(page)) == 3
    refined = _refine(page, size, sort="distance", distance="50")
    summary = page.locator(".results-summary").inner_text()
    assert WORDS[lang]["found"] in summary and WORDS[lang]["order"] in summary
    assert _names(page) == NEAREST_FIRST
    assert "distance" not in refined and "depression" not in refined
    assert page.locator("#refine-sort").input_value() == "distance"
    _fits(page, size)
    axe_check(page, f"results-refined-{lang}-{size}")
    screenshot(page, f"results-refined-{lang}-{size}")
    page.reload()
    assert page.url == refined and _names(page) == NEAREST_FIRST
    page.go_back()
    page.wait_for_url(first)
    assert len(_names(page)) == 3
    page.go_forward()
    page.wait_for_url(refined)
    assert _names(page) == NEAREST_FIRST
    other = "English" if lang == "es" else "Español"
    page.get_by_role("button", name=other).click()
    page.wait_for_url(refined)
    assert _names(page) == NEAREST_FIRST
    assert page.locator("#refine-sort").input_value() == "distance"


def test_sort_by_distance_orders_cards_by_their_miles(live_server, tab):
    """The miles printed on the cards go up, telehealth-only cards (no miles) last."""
    page = tab("1366px")
    _search(page, live_server, "en")
    _refine(page, "1366px", sort="distance", distance="100", modality="either")
    miles = [
        float(m)
        for m in re.findall(
            r"([\d.]+) mi away", " ".join(page.locator(".result .facts").all_inner_texts())
        )
    ]
    assert len(miles) == 4 and miles == sorted(miles) and miles[-1] == 36.5


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_zero_results_suggestions_are_buttons_that_work(live_server, tab, axe_check, size, lang):
    """A first-opening filter nobody meets: the sheet opens, each suggestion is a button."""
    page = tab(size)
    _search(page, live_server, lang)
    _refine(page, size, wait="7")
    assert WORDS[lang]["zero"] in page.locator(".results-summary").inner_text()
    assert page.locator("details#refine").evaluate("el => el.open")
    assert page.locator(".nearest").is_visible()
    items = page.locator(".relaxations li")
    assert items.count() >= 1
    for i in range(items.count()):
        assert items.nth(i).get_by_role("button").count() == 1
    _fits(page, size)
    axe_check(page, f"results-zero-refined-{lang}-{size}")
    page.get_by_role("button", name=WORDS[lang]["wish"]).click()
    page.wait_for_url(RESULTS_URL)
    assert WORDS[lang]["three"] in page.locator(".results-summary").inner_text()


def test_the_whole_search_is_inside_the_sheet_not_at_the_foot(live_server, tab):
    """At 390 px the page ends with the results, not a long form; the form opens from the sheet."""
    page = tab("390px")
    _search(page, live_server, "en")
    assert not page.locator("form.search-form").is_visible()
    page.locator("details#refine > summary").click()
    page.locator("details#change-search > summary").click()
    assert page.locator("form.search-form").is_visible()
    assert page.locator("form.search-form #postal_code").input_value() == "02139"
    _language(page, "en")
