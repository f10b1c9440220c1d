"""Issue 17 item 11 in Chromium: the plan phone staff's console, lookup and callback queue.

At 390 px and 1366 px, English and Spanish: the in-network lookup by name and by NPI, the call
outcome as a required choice, callbacks listed by due date, Alt+Shift shortcuts and needs and
results side by side at 1366x768. axe finds no serious or critical problem; no request leaves
the origin.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest

from accounts.users import create_user
from directory.extensions import db
from tests.browser.sessions import open_signed_in
from tests.browser.test_profiles_and_results import CASES, _fits
from tests.browser.test_referral_flow import ANA_NPI, PASSWORD
from tests.web.seed_directory import PLAN_ID

WORDS = {
    "en": {"lookup": "In-network lookup", "field": "Clinician name or NPI", "yes": "Yes",
           "none": "No active clinician matches.", "refused": "The call outcome was not saved",
           "choose": "Choose how the call ended.", "saved": "Call outcome saved.",
           "later": "Later callbacks"},
    "es": {"lookup": "Consulta de red", "field": "Nombre o NPI del profesional", "yes": "Sí",
           "none": "Ningún profesional activo coincide.",
           "refused": "El resultado de la llamada no se guardó",
           "choose": "Elija cómo terminó la llamada.",
           "saved": "Resultado de la llamada guardado.", "later": "Llamadas para más adelante"},
}  # fmt: skip


@pytest.fixture
def agent(live_server) -> str:
    """A plan-staff user in an organization of their own (an empty queue); their email."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        user, _ = create_user(
            f"agent-{run}@example.org", "plan_staff", f"MassCare {run}", PASSWORD, None, (PLAN_ID,)
        )
        db.session.commit()
        email = user.email
        db.session.remove()
    return email


def _lookup(page, live_server, lang: str, query: str) -> None:
    page.goto(live_server.url("/staff/"))
    page.get_by_role("link", name=WORDS[lang]["lookup"]).click()
    page.get_by_label(WORDS[lang]["field"]).fill(query)
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/staff/lookup\?q="))


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_lookup_by_name_and_npi_answers_per_plan_and_place(
    live_server, tab, agent, axe_check, screenshot, size, lang
):
    page = open_signed_in(tab, live_server, agent, size, lang)
    _lookup(page, live_server, lang, "rIVERA")
    heading = page.get_by_role("heading", level=2).first
    assert heading.inner_text() == f"Ana Rivera, LICSW NPI {ANA_NPI}"
    yes_rows = page.locator("table.data tbody tr", has_text=WORDS[lang]["yes"])
    assert yes_rows.count() >= 1
    _fits(page, size)
    axe_check(page, f"lookup-name-{size}-{lang}")
    _lookup(page, live_server, lang, ANA_NPI)
    assert page.get_by_role("heading", level=2).count() == 1
    assert ANA_NPI in page.get_by_role("heading", level=2).inner_text()
    _lookup(page, live_server, lang, "Nobodyhere")
    assert page.get_by_text(WORDS[lang]["none"]).is_visible()
    screenshot(page, f"lookup-{size}-{lang}")


def _save_callback(page, day: date, note: str) -> None:
    page.locator("#outcome").select_option("callback")
    page.locator("#callback_date").fill(day.isoformat())
    page.locator("#call_note").fill(note)
    page.locator("#outcome-button").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_outcome_is_required_and_callbacks_queue_by_due_date(
    live_server, tab, agent, axe_check, screenshot, size, lang
):
    page = open_signed_in(tab, live_server, agent, size, lang)
    page.goto(live_server.url("/staff/"))
    outcome = page.locator("#outcome")
    assert outcome.input_value() == "" and outcome.get_attribute("required") is not None
    page.locator("#outcome-button").click()  # the form is novalidate: the server refuses it
    page.wait_for_load_state()
    assert page.locator(".error-summary h2").inner_text() == WORDS[lang]["refused"]
    assert WORDS[lang]["choose"] in page.locator(".error-summary").inner_text()
    axe_check(page, f"call-outcome-refused-{size}-{lang}")

    today = date.today()
    page.goto(live_server.url("/staff/"))
    _save_callback(page, today + timedelta(days=9), "second call")
    assert page.get_by_text(WORDS[lang]["saved"]).is_visible()
    _save_callback(page, today + timedelta(days=3), "first call")
    _save_callback(page, today + timedelta(days=20), "third call")
    page.goto(live_server.url("/staff/queue"))
    later = page.locator("main").inner_text().split(WORDS[lang]["later"], 1)[1]
    assert later.index("first call") < later.index("second call") < later.index("third call")
    _fits(page, size)
    axe_check(page, f"callback-queue-{size}-{lang}")
    screenshot(page, f"callback-queue-{size}-{lang}")


def test_shortcuts_use_alt_shift_and_needs_and_results_share_the_first_screen(
    live_server, tab, agent, axe_check, screenshot
):
    page = open_signed_in(tab, live_server, agent, "1366px", "en")
    page.goto(live_server.url("/staff/"))
    _fits(page, "1366px")
    # Needs and results sit side by side on the first 1366x768 screen (the call outcome too:
    # test_call_console_fit.py).
    for section in ("#needs-section", "#results-section"):
        box = page.locator(section).bounding_box()
        assert box["y"] < 768 and box["x"] + box["width"] <= 1366, section
    page.keyboard.press("Alt+1")  # the browser's own tab key: the page leaves it alone
    assert page.evaluate("document.activeElement.tagName") == "BODY"
    page.keyboard.press("Alt+Shift+4")
    assert page.evaluate("document.activeElement.id") == "queue-heading"
    page.keyboard.press("Alt+Shift+3")
    assert page.evaluate("document.activeElement.id") == "c-patient_name"
    page.keyboard.press("Alt+Shift+1")
    assert page.evaluate("document.activeElement.id") == "c-patient_member_id"  # asked first
    axe_check(page, "call-console-1366")
    screenshot(page, "call-console-1366")
