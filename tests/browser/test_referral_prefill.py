"""Issue 17 item 9 in Chromium: the referral form fills the referrer from the account and offers
the patient's preferred language from a list.

At 390 px and 1366 px, English and Spanish: a PCP saves their name, credentials and work phone on
the account page; the referral form then shows them in the referrer fields (editable), and the
preferred language is a list named in the page's language whose chosen value is the ISO code.
axe finds no serious or critical problem; no request leaves the origin.
"""

from __future__ import annotations

import re
import uuid

import pytest

from accounts.users import create_user
from directory.extensions import db
from tests.browser.sessions import open_signed_in
from tests.browser.test_profiles_and_results import CASES, _fits
from tests.browser.test_referral_flow import ANA_NPI, PASSWORD
from tests.web.seed_directory import PLAN_ID, ZIP

WORDS = {
    "en": {"saved": "Your details are saved.", "not_stated": "Not stated", "es": "Spanish",
           "vi": "Vietnamese", "hint": "Sent from Elm Family Practice {run}. Your name and phone"},
    "es": {"saved": "Sus datos se guardaron.", "not_stated": "No indicado", "es": "Español",
           "vi": "Vietnamita", "hint": "Se envía desde Elm Family Practice {run}. Su nombre y"},
}  # fmt: skip


@pytest.fixture
def pcp(live_server) -> tuple[str, str]:
    """A PCP user without details, in an organization of their own; (email, run)."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        user, _ = create_user(
            f"pcp-{run}@example.org", "pcp", f"Elm Family Practice {run}", PASSWORD
        )
        db.session.commit()
        email = user.email
        db.session.remove()
    return email, run


def _save_details(page, live_server, lang: str) -> None:
    page.goto(live_server.url("/account"))
    page.locator("#full_name").fill("Dana Whitfield")
    page.locator("#credentials").fill("MD")
    page.locator("#phone").fill("(617) 555-0142")
    page.locator("#account-details button[type=submit]").click()
    page.wait_for_url(re.compile(r"/account$"))
    assert page.get_by_text(WORDS[lang]["saved"]).is_visible()


def _open_referral_form(page, live_server) -> None:
    page.goto(live_server.url("/pcp/"))
    page.locator("#postal_code").fill(ZIP)
    page.locator("#plan").select_option(PLAN_ID)
    page.locator("input[name=concerns][value=depression]").check()
    page.locator("#postal_code").press("Enter")
    page.wait_for_url(re.compile(r"/pcp/search$"))
    page.locator(f'button[name=choice][value^="{ANA_NPI}:"]').click()
    page.wait_for_url(re.compile(r"/pcp/refer$"))


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_the_referrer_comes_from_the_account_and_languages_from_a_list(
    live_server, tab, pcp, axe_check, screenshot, size, lang
):
    email, run = pcp
    page = open_signed_in(tab, live_server, email, size, lang)
    _save_details(page, live_server, lang)
    _fits(page, size)
    axe_check(page, f"account-details-{size}-{lang}")
    screenshot(page, f"account-details-{size}-{lang}")

    _open_referral_form(page, live_server)
    name, phone = page.locator("#referrer_name"), page.locator("#referrer_phone")
    assert (name.input_value(), phone.input_value()) == ("Dana Whitfield, MD", "(617) 555-0142")
    assert (
        page.locator("#referrer-from-account")
        .inner_text()
        .startswith(WORDS[lang]["hint"].format(run=run))
    )
    name.fill("Dr. Dana Whitfield")  # editable for this referral
    assert name.input_value() == "Dr. Dana Whitfield"

    language = page.locator("#patient_preferred_language")
    assert language.evaluate("e => e.tagName") == "SELECT"
    options = language.locator("option")
    assert options.first.inner_text() == WORDS[lang]["not_stated"]
    assert language.locator("option[value=es]").inner_text() == WORDS[lang]["es"]
    assert options.count() > 100  # every ISO 639-1 language, the site's own first
    language.select_option(label=WORDS[lang]["vi"])
    assert language.input_value() == "vi"  # stored as the code
    _fits(page, size)
    axe_check(page, f"referral-prefill-{size}-{lang}")
    language.scroll_into_view_if_needed()
    screenshot(page, f"referral-prefill-{size}-{lang}")
