"""The shortlist in Chromium at 390 px and 1366 px, EN and ES: save from results and a profile,
the list, how it prints, and sending it by email to a loopback SMTP server.

Every test records each request the page makes and fails if one leaves the origin.
"""

from __future__ import annotations

import re

import pytest
from aiosmtpd.controller import Controller

from tests.browser.conftest import VIEWPORTS
from tests.referrals.smtp_sink import Inbox, free_port
from tests.web.seed_directory import PLAN_ID, SPANISH_SPEAKER, ZIP

RESULTS_URL = re.compile(r"/find/results/[A-Za-z0-9_-]{43}")
WORDS = {
    "en": {"concern": "Feeling down, sad or hopeless", "profile": "See the full profile",
           "save": "Save to my list: {}", "saved": "Saved to your list.", "list": "My list (2)",
           "on_list": "On your list", "lifeline": "The 988 Suicide & Crisis Lifeline",
           "email": "Email", "to": "Email address or mobile number", "send": "Send",
           "sent": "Your list is on its way.", "subject": "Your saved list of clinicians"},
    "es": {"concern": "Sentirse deprimido, triste o sin esperanza",
           "profile": "Ver el perfil completo", "save": "Guardar en mi lista: {}",
           "saved": "Se guardó en su lista.", "list": "Mi lista (2)", "on_list": "En su lista",
           "lifeline": "La Línea 988 de Prevención del Suicidio y Crisis",
           "email": "Correo electrónico", "to": "Correo electrónico o número de celular",
           "send": "Enviar", "sent": "Su lista va en camino.",
           "subject": "Su lista guardada de profesionales"},
}  # fmt: skip
CASES = [(size, lang) for size in VIEWPORTS for lang in WORDS]
SECOND = "Carla Nguyen"


@pytest.fixture
def inbox(live_server):
    """The live app's mail pointed at a loopback SMTP server for one test."""
    found = Inbox()
    controller = Controller(found, hostname="127.0.0.1", port=free_port())
    controller.start()
    config = live_server.app.config
    before = {k: config.get(k) for k in ("MAIL_ENABLED", "MAIL_SERVER", "MAIL_PORT")}
    config.update(MAIL_ENABLED=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield found
    config.update(before)
    controller.stop()


def _search(page, live_server, lang: str) -> None:
    page.goto(live_server.url("/find"))
    if lang == "es":
        page.get_by_role("button", name="Español").click()
        page.wait_for_load_state()
    page.get_by_label(WORDS[lang]["concern"]).check()
    page.get_by_label(re.compile("ZIP|código postal")).fill(ZIP)
    page.locator("#plan").select_option(PLAN_ID)
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_url(RESULTS_URL)


def _fits(page, size: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size]["width"]


def _save_two(page, live_server, axe_check, size: str, lang: str) -> None:
    """Save Ana from her result card, then Carla from her profile."""
    words = WORDS[lang]
    _search(page, live_server, lang)
    page.get_by_role("button", name=words["save"].format(SPANISH_SPEAKER)).click()
    page.wait_for_url(RESULTS_URL)
    assert page.get_by_text(words["saved"]).is_visible()
    card = page.locator(".result", has_text=SPANISH_SPEAKER)
    assert card.get_by_text(words["on_list"]).is_visible()
    axe_check(page, f"shortlist-results-{size}-{lang}")  # saved and unsaved cards
    page.locator(".result", has_text=SECOND).get_by_role("link", name=words["profile"]).click()
    page.wait_for_url(re.compile(r"/clinicians/\d{10}$"))
    page.get_by_role("button", name=words["save"].format(SECOND)).click()
    page.wait_for_url(re.compile(r"/clinicians/\d{10}$"))
    assert page.get_by_text(words["saved"]).is_visible()


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_save_list_print_and_email(
    live_server, tab, inbox, axe_check, screenshot, size, lang
):  # fmt: skip
    words = WORDS[lang]
    page = tab(size)
    _save_two(page, live_server, axe_check, size, lang)
    axe_check(page, f"shortlist-profile-saved-{size}-{lang}")

    page.get_by_role("link", name=words["list"]).click()
    page.wait_for_url(re.compile(r"/my-list$"))
    assert page.locator("html").get_attribute("lang") == lang
    entries = page.locator(".my-list-entry h2")
    assert entries.count() == 2
    assert entries.nth(0).inner_text().startswith(SPANISH_SPEAKER)
    assert entries.nth(1).inner_text().startswith(SECOND)
    assert page.get_by_text(words["lifeline"]).is_visible()
    assert page.locator("#print-list").is_visible()  # shown by its script
    _fits(page, size)
    axe_check(page, f"shortlist-list-{size}-{lang}")
    screenshot(page, f"shortlist-list-{size}-{lang}")

    page.emulate_media(media="print")
    assert page.get_by_text(words["lifeline"]).is_visible()
    assert entries.nth(1).is_visible()
    assert page.locator("a", has_text="(617) 555-0101").first.is_visible()
    for hidden in (".site-header", "form", "button", ".send-list", ".flash"):
        assert not page.locator(hidden).first.is_visible(), hidden
    screenshot(page, f"shortlist-print-{size}-{lang}")
    page.emulate_media(media="screen")

    page.get_by_label(words["email"], exact=True).check()
    page.get_by_label(words["to"]).fill("pat@example.org")
    page.get_by_role("button", name=words["send"], exact=True).click()
    page.wait_for_url(re.compile(r"/my-list$"))
    assert page.get_by_text(words["sent"]).is_visible()
    [mail] = inbox.to("pat@example.org")
    assert mail["Subject"] == words["subject"]
    body = mail.get_payload(decode=True).decode()
    assert SPANISH_SPEAKER in body and SECOND in body and "988" in body
    axe_check(page, f"shortlist-sent-{size}-{lang}")
