"""Issue 17 items 9 and 11, the wording, in Chromium: staff pages name concerns in the clinical
register, say what each ICD-10-CM code mapped to (and plainly when it mapped to nothing), explain
the score, and the call console's suggestions are buttons that search again with one change and
keep what the agent typed for the referral.

At 390 px and 1366 px, English and Spanish; axe finds no serious or critical problem and no
request leaves the origin (the shared `tab`).
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from accounts.users import create_user
from directory.extensions import db
from tests.browser.sessions import open_signed_in
from tests.browser.test_profiles_and_results import CASES, _fits
from tests.browser.test_referral_flow import PASSWORD
from tests.web.seed_directory import PLAN_ID, ZIP

WORDS = {
    "en": {"depression": "Depression", "opioids": "Opioid use disorder",
           "mapped": "F33.1 → Depression",
           "unused": "E11.9 → not a behavioral-health concern (not used)",
           "wider": "Search up to 50 miles", "score": "Best fit first. The score adds points"},
    "es": {"depression": "Depresión", "opioids": "Trastorno por consumo de opioides",
           "mapped": "F33.1 → Depresión",
           "unused": "E11.9 → no es un problema de salud conductual (no se usa)",
           "wider": "Buscar hasta 50 millas", "score": "Primero el que mejor encaja."},
}  # fmt: skip
PATIENT = "Wording Patient"


def _user(live_server, role: str, plans=()) -> str:
    """A new user of `role` in an organization of their own; their email."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        user, _ = create_user(
            f"{role}-w-{run}@example.org", role, f"Wording {run}", PASSWORD, None, plans
        )
        db.session.commit()
        email = user.email
        db.session.remove()
    return email


def _concern_label(page, code: str) -> str:
    return page.locator(f"input[name=concerns][value={code}]").locator("..").text_content().strip()


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_pcp_search_speaks_clinically_and_maps_each_code(
    live_server, tab, axe_check, screenshot, size, lang
):
    words = WORDS[lang]
    page = open_signed_in(tab, live_server, _user(live_server, "pcp"), size, lang)
    page.goto(live_server.url("/pcp/"))
    assert _concern_label(page, "depression") == words["depression"]
    assert _concern_label(page, "opioid_use") == words["opioids"]
    page.locator("#postal_code").fill(ZIP)
    page.locator("#plan").select_option(PLAN_ID)
    page.locator("#diagnoses").fill("f33.1, E11.9")
    page.locator("#needs-form > button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pcp/search$"))
    mapping = page.locator("#code-mapping li")
    assert mapping.all_inner_texts() == [words["mapped"], words["unused"]]
    assert page.locator("#score-explained").inner_text().startswith(words["score"])
    _fits(page, size)
    axe_check(page, f"staff-wording-pcp-{size}-{lang}")
    screenshot(page, f"staff-wording-pcp-{size}-{lang}")


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_console_maps_codes_and_a_suggestion_button_widens_the_search(
    live_server, tab, axe_check, screenshot, size, lang
):
    words = WORDS[lang]
    email = _user(live_server, "plan_staff", (PLAN_ID,))
    page = open_signed_in(tab, live_server, email, size, lang)
    page.goto(live_server.url("/staff/"))
    assert _concern_label(page, "opioid_use") == words["opioids"]
    page.locator("#c-patient_name").fill(PATIENT)
    page.locator("#c-postal_code").fill(ZIP)
    page.locator("#c-diagnoses").fill("F33.1")
    # The script swaps the results in as the needs change.
    expect(page.locator("#code-mapping li")).to_have_text([words["mapped"]])
    assert page.locator("#score-explained").inner_text().startswith(words["score"])
    wider = page.get_by_role("button", name=words["wider"], exact=True)
    _fits(page, size)
    axe_check(page, f"staff-wording-console-{size}-{lang}")
    screenshot(page, f"staff-wording-console-{size}-{lang}")
    wider.click()
    page.wait_for_url(re.compile(r"/staff/search$"))  # POST: the needs stay out of the URL
    assert page.locator("#c-max_distance_miles").input_value() == "50"
    assert page.locator("#c-patient_name").input_value() == PATIENT  # what was typed stays
    expect(page.locator("#code-mapping li")).to_have_text([words["mapped"]])
    assert "Frank Worcester" in page.locator("#results-region").inner_text()
    _fits(page, size)
    axe_check(page, f"staff-wording-console-wider-{size}-{lang}")
