"""Issue 17 item 9 in Chromium: a PCP searches by ICD-10 code, lands on the results (focused and
counted aloud, the needs folded), widens the search with one button, reads what the score adds
up, picks the preferred language from a list on the referral form, and reads the referral board
(grouped by status, overdue flagged, by kind; filtered overdue only; printed without nav, forms
or buttons).

At 390 px and 1366 px, English and Spanish; axe finds no serious or critical problem and no
request leaves the origin (the shared `tab`).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from accounts.users import create_user
from directory.extensions import db
from directory.models import Clinician
from referrals.models import Referral, ReferralEvent
from tests.browser.sessions import open_signed_in
from tests.browser.test_profiles_and_results import CASES, _fits
from tests.browser.test_referral_flow import ANA_NPI, PASSWORD
from tests.web.seed_directory import PLAN_ID, ZIP

OVERDUE = {"en": "1 referral is overdue.", "es": "1 derivación está atrasada."}
LANGUAGE = {"en": "Preferred language", "es": "Idioma preferido"}
SCORE = {"en": "Best fit first. The score adds points", "es": "Primero el que mejor encaja."}


@pytest.fixture
def board(live_server) -> tuple[str, int]:
    """A PCP of a practice of its own with one referral sent 30 days ago; (email, referral id)."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        user, _ = create_user(f"pcp-b-{run}@example.org", "pcp", f"Board {run}", PASSWORD)
        ana = db.session.query(Clinician).filter(Clinician.npi == ANA_NPI).one()
        sent = datetime.now(UTC) - timedelta(days=30)
        referral = Referral(status="sent", plan_id=PLAN_ID,
                            referring_organization_id=user.organization_id,
                            clinician_id=ana.id, created_by=f"user:{user.id}",
                            patient_name="Board Patient", patient_birth_date=date(1975, 6, 1),
                            reason="Low mood", sent_at=sent)  # fmt: skip
        referral.events.append(
            ReferralEvent(type="send", from_status="draft", to_status="sent",
                          actor=f"user:{user.id}", actor_role="pcp", at=sent)
        )  # fmt: skip
        db.session.add(referral)
        db.session.commit()
        found = (user.email, referral.id)
        db.session.remove()
    return found


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_search_by_icd10_code(live_server, tab, board, axe_check, screenshot, size, lang):
    page = open_signed_in(tab, live_server, board[0], size, lang)
    page.goto(live_server.url("/pcp/"))
    assert page.locator("html").get_attribute("lang") == lang
    page.locator("#postal_code").fill(ZIP)
    page.locator("#plan").select_option(PLAN_ID)
    page.locator("#diagnoses").fill("f32.1")
    page.locator("#needs-form > button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pcp/search$"))  # the needs never reach the URL
    assert page.locator("#diagnoses").input_value() == "F32.1"
    assert "Ana Rivera" in page.locator(".result").first.inner_text()
    assert page.locator("#score-explained").inner_text().startswith(SCORE[lang])
    _fits(page, size)
    axe_check(page, f"pcp-icd10-{size}-{lang}")
    screenshot(page, f"pcp-icd10-{size}-{lang}")


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_board_groups_by_status_and_flags_overdue(
    live_server, tab, board, axe_check, screenshot, size, lang
):
    email, referral_id = board
    page = open_signed_in(tab, live_server, email, size, lang)
    page.goto(live_server.url("/pcp/referrals"))
    assert page.locator("p.overdue").first.inner_text() == OVERDUE[lang]
    sent = page.locator("section", has=page.locator("#status-sent"))
    assert f"#{referral_id}" in sent.inner_text()
    assert sent.locator("span.overdue").count() == 1
    assert page.locator("#kind-filter a").count() >= 1  # the other kinds are links
    _fits(page, size)
    axe_check(page, f"pcp-board-{size}-{lang}")
    screenshot(page, f"pcp-board-{size}-{lang}")


FILTER = {"en": ("Overdue only", "Filter"), "es": ("Solo vencidos", "Filtrar")}


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_board_filters_overdue_and_prints_only_the_tables(
    live_server, tab, board, axe_check, screenshot, size, lang
):
    email, referral_id = board
    page = open_signed_in(tab, live_server, email, size, lang)
    page.goto(live_server.url("/pcp/referrals"))
    overdue_only, submit = FILTER[lang]
    page.get_by_label(overdue_only).check()
    page.get_by_role("button", name=submit, exact=True).click()
    page.wait_for_url(re.compile(r"/pcp/referrals\?.*overdue=1"))
    assert page.get_by_label(overdue_only).is_checked()
    assert f"#{referral_id}" in page.locator("#status-sent").locator("..").inner_text()
    assert page.locator("#print-board").is_visible()  # the script showed it
    _fits(page, size)
    axe_check(page, f"pcp-board-filtered-{size}-{lang}")
    page.emulate_media(media="print")
    assert not page.locator(".console-nav").is_visible()
    assert not page.locator("form.board-filters").is_visible()
    assert not page.locator("#print-board").is_visible()
    assert page.locator("table.data").first.is_visible()
    screenshot(page, f"pcp-board-print-{size}-{lang}")


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_referral_form_offers_languages_from_a_list(
    live_server, tab, board, axe_check, screenshot, size, lang
):
    page = open_signed_in(tab, live_server, board[0], size, lang)
    page.goto(live_server.url("/pcp/"))
    page.locator("#postal_code").fill(ZIP)
    page.locator("#plan").select_option(PLAN_ID)
    page.locator("#diagnoses").fill("F32.1")
    page.locator("#needs-form > button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pcp/search$"))
    page.locator(".result").first.locator("button[name=choice]").click()
    page.wait_for_url(re.compile(r"/pcp/refer$"))
    language = page.get_by_label(LANGUAGE[lang], exact=True)
    assert language.evaluate("field => field.tagName") == "SELECT"
    assert language.input_value() == ""
    language.select_option("es")
    assert language.input_value() == "es"
    _fits(page, size)
    axe_check(page, f"pcp-refer-language-{size}-{lang}")
    screenshot(page, f"pcp-refer-language-{size}-{lang}")


RESULTS = {
    "en": ("3 matches", "3 results", "Change search", "Search up to 50 miles"),
    "es": ("3 resultados", "3 resultados", "Cambiar la búsqueda", "Buscar hasta 50 millas"),
}


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_results_come_first_and_a_suggestion_is_a_button(
    live_server, tab, board, axe_check, screenshot, size, lang
):
    heading, said, change, wider = RESULTS[lang]
    page = open_signed_in(tab, live_server, board[0], size, lang)
    page.goto(live_server.url("/pcp/"))
    page.locator("#postal_code").fill(ZIP)
    page.locator("#plan").select_option(PLAN_ID)
    page.locator("#diagnoses").fill("F32.1")
    page.locator("#needs-form > button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pcp/search$"))
    assert page.locator("#results-heading").inner_text() == heading
    expect(page.locator("#results-heading")).to_be_focused()
    expect(page.locator("#results-announcement")).to_have_text(said)
    assert page.locator("#change-search > summary").inner_text() == change
    assert not page.locator("#postal_code").is_visible()  # folded until asked for
    _fits(page, size)
    axe_check(page, f"pcp-results-first-{size}-{lang}")
    screenshot(page, f"pcp-results-first-{size}-{lang}")
    page.get_by_role("button", name=wider, exact=True).click()
    page.wait_for_url(re.compile(r"/pcp/search$"))  # POST again: the needs stay out of the URL
    assert page.locator("#results-heading").inner_text() != heading
    page.locator("#change-search > summary").click()
    assert page.locator("#max_distance_miles").input_value() == "50"
