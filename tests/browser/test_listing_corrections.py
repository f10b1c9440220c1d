"""Issue 17 item 12 in Chromium: a clinician corrects their listing; the admin queue fits a phone.

At 390 px and 1366 px, English and Spanish: the clinician adds a place with its hours and
accessibility, sets a language's fluency and an approach; each shows on the public profile as
the clinician's own word, dated today. The admin's listings queue stacks into cards and never
scrolls sideways. axe finds no serious or critical problem and no request leaves the origin.
"""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.models import Clinician
from tests.browser import test_clinician_listing as listing_page
from tests.browser.sessions import open_signed_in
from tests.browser.test_profiles_and_results import CASES, _fits

desk = listing_page.desk  # a clinician and an admin of this test only


@pytest.fixture
def corrected_desk(live_server, desk):
    """The desk, out of search afterwards: its new place would answer other tests' searches."""
    yield desk
    with live_server.app.app_context():
        db.session.get(Clinician, desk.clinician_id).active = False
        db.session.commit()
        db.session.remove()


WORDS = {
    "en": {"saved": "Saved: the changes show on your listing as your own word, dated today.",
           "refused": "Give the 5-digit ZIP code.",
           "languages": "Languages: from the clinician's own listing, today.",
           "hours": "Hours: from the clinician's own listing, today.",
           "approaches": "Approaches: from the clinician's own listing, today."},
    "es": {"saved": "Guardado: los cambios aparecen en su ficha como su propia palabra, "
                    "con fecha de hoy.",
           "refused": "Indique el código postal de 5 dígitos.",
           "languages": "Idiomas: según la propia ficha del profesional, hoy.",
           "hours": "Horario: según la propia ficha del profesional, hoy.",
           "approaches": "Enfoques: según la propia ficha del profesional, hoy."},
}  # fmt: skip


def _add_place(page, lang: str) -> None:
    form = page.locator("form", has=page.locator("#new-line1"))
    page.locator("#new-line1").fill("12 Harvard Sq")
    page.locator("#new-city").fill("Cambridge")
    page.locator("#new-state").select_option("MA")
    page.locator("#new-postal_code").fill("2138")  # a ZIP short of a digit: refused, kept
    page.locator("#new-phone").fill("617-555-0199")
    form.locator("input[name=accessibility][value=wheelchair]").check()
    page.locator("#new-opens-mon").fill("09:00")
    page.locator("#new-closes-mon").fill("17:00")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert WORDS[lang]["refused"] in page.locator("main").inner_text()
    assert page.locator("#new-line1").input_value() == "12 Harvard Sq"
    page.locator("#new-postal_code").fill("02138")
    page.locator("form", has=page.locator("#new-line1")).locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert WORDS[lang]["saved"] in page.locator("main").inner_text()


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_a_clinician_corrects_places_languages_and_approaches(
    live_server, tab, corrected_desk, axe_check, screenshot, size, lang
):
    desk = corrected_desk
    page = open_signed_in(tab, live_server, desk.clinician_email, size, lang)
    page.goto(live_server.url("/clinician/listing"))
    page.locator("a[href$='/clinician/listing/details']").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == lang
    _fits(page, size)
    axe_check(page, f"listing-details-{size}-{lang}")
    _add_place(page, lang)
    place = page.locator("form.place-form").first
    assert place.locator("input[name=accessibility][value=wheelchair]").is_checked()
    assert WORDS[lang]["hours"] in place.inner_text()

    page.locator("#language-1").select_option("es")
    page.locator("#proficiency-1").select_option("native")
    page.locator("form", has=page.locator("#language-1")).locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert WORDS[lang]["languages"] in page.locator("main").inner_text()
    page.locator("input[name=approaches][value=cbt]").check()
    page.locator("#competency-veterans").select_option("trained")
    page.locator("form", has=page.locator("#competency-veterans")).locator(
        "button[type=submit]"
    ).click()
    page.wait_for_load_state()
    assert WORDS[lang]["approaches"] in page.locator("main").inner_text()
    _fits(page, size)
    axe_check(page, f"listing-details-saved-{size}-{lang}")
    screenshot(page, f"listing-details-{size}-{lang}")

    with live_server.app.app_context():
        npi = db.session.get(Clinician, desk.clinician_id).npi
        db.session.remove()
    page.goto(live_server.url(f"/clinicians/{npi}"))
    profile = page.locator("main").inner_text()
    for key in ("languages", "hours", "approaches"):
        assert WORDS[lang][key] in profile
    assert "12 Harvard Sq" in profile
    _fits(page, size)


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_the_admin_listings_queue_never_scrolls_sideways(
    live_server, tab, desk, axe_check, screenshot, size, lang
):
    page = open_signed_in(tab, live_server, desk.admin_email, size, lang)
    page.goto(live_server.url("/admin/listings"))
    row = page.locator("tr", has_text=desk.name)
    assert row.locator("select[name=method]").is_visible()
    assert row.locator("input[name=evidence]").is_visible()
    wide = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert page.evaluate(wide) is True
    _fits(page, size)
    axe_check(page, f"admin-listings-stacked-{size}-{lang}")
    screenshot(page, f"admin-listings-stacked-{size}-{lang}")
