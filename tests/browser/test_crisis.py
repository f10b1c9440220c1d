"""Issue 17 item 8 in Chromium: crisis words typed in free text put the urgent 988 block first.

"hurting myself", "self-harm", "overdose" and their Spanish forms escalate like suicidal
ideation, at 390 px and 1366 px, in English and Spanish; axe finds no serious or critical
problem and no request leaves the origin (the shared `tab`).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.test_profiles_and_results import _fits, _language
from tests.web.seed_directory import _npi

ANA_REPORT = f"/clinicians/{_npi(1)}/report"
HEADING = {
    "en": "If you might hurt yourself or someone else, get help now",
    "es": "Si podría hacerse daño o hacerle daño a alguien, pida ayuda ahora",
}
CASES = [
    ("390px", "en", "I keep hurting myself when nobody calls back"),
    ("1366px", "en", "Worried about self-harm while waiting"),
    ("1366px", "en", "I might overdose tonight"),
    ("390px", "es", "Tengo miedo de una sobredosis"),
    ("1366px", "es", "Pienso en la AUTOLESIÓN"),
    ("390px", "es", "No quiero hacerme daño"),
]


def _report(page, live_server, lang: str, details: str) -> None:
    page.goto(live_server.url(ANA_REPORT))
    _language(page, lang)
    page.locator("input[name=problem]").first.check()
    page.locator("#details").fill(details)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("size", "lang", "details"), CASES)
def test_crisis_words_put_the_988_alert_first(
    live_server, tab, axe_check, screenshot, size, lang, details
):
    page = tab(size)
    _report(page, live_server, lang, details)
    assert page.locator("html").get_attribute("lang") == lang
    banner = page.locator(".crisis-urgent")
    assert banner.get_attribute("role") == "alert"
    assert banner.get_by_role("heading", level=2).inner_text() == HEADING[lang]
    first_in_main = page.locator("main > *").first
    assert "crisis-urgent" in (first_in_main.get_attribute("class") or "")
    assert banner.locator("a[href='tel:988']").count() == 2
    assert banner.locator("a[href='tel:911']").count() == 1
    _fits(page, size)
    name = f"crisis-{size}-{lang}-{CASES.index((size, lang, details))}"
    axe_check(page, name)
    screenshot(page, name)


@pytest.mark.parametrize(("size", "lang"), [("390px", "en"), ("1366px", "es")])
def test_harmless_words_raise_no_alert(live_server, tab, axe_check, size, lang):
    page = tab(size)
    _report(page, live_server, lang, "The harmless typo in the address")
    assert page.locator(".crisis-urgent").count() == 0
    assert page.locator("[role=alert]").count() == 0
    assert re.search(r"/report$", page.url)
    axe_check(page, f"crisis-none-{size}-{lang}")
