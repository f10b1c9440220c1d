"""Issue 17 item 11 in Chromium: the member id picks the plan, and the console fits one screen.

At 390 px and 1366 px, English and Spanish: typing the caller's member id chooses the one plan
whose format it fits and says so in a live region (or that several or none fit, or that a plan
chosen by hand disagrees); the id never leaves the page in a request. At 1366x768 the lookup,
needs, results and call outcome all start on the first screen; at 390 px one column without
sideways scrolling. Without a script the server fills a blank plan from the id. axe finds no
serious or critical problem; no request leaves the origin.
"""

from __future__ import annotations

import uuid

import pytest

from accounts.users import create_user
from directory.extensions import db
from directory.models import Network
from tests.browser.conftest import SCREENSHOTS, VIEWPORTS
from tests.browser.sessions import open_signed_in
from tests.browser.test_profiles_and_results import CASES, _fits
from tests.browser.test_referral_flow import PASSWORD, sign_in
from tests.web.seed_directory import OTHER_PLAN_ID, PLAN_ID, PLAN_NAME, ZIP

BAY = "Bay State PPO"
# MassCare: MC and six or seven digits; Bay State: BSP or MC and seven (MC + 7 fits both).
FORMATS = {PLAN_ID: r"^MC\d{6,7}$", OTHER_PLAN_ID: r"^(BSP|MC)\d{7}$"}
WORDS = {
    "en": {"picked": "Plan chosen from the member ID:",
           "several": "Member IDs of more than one plan look like this; choose the plan:",
           "none": "No plan's member IDs look like this; choose the plan.",
           "disagree": "The member ID does not fit the format of:",
           "blank": "From the member ID", "search": "Search"},
    "es": {"picked": "Plan elegido según el n.º de afiliado:",
           "several": "Los n.º de afiliado de más de un plan tienen esta forma; elija el plan:",
           "none": "Ningún plan tiene n.º de afiliado con esta forma; elija el plan.",
           "disagree": "El n.º de afiliado no tiene el formato de:",
           "blank": "Según el n.º de afiliado", "search": "Buscar"},
}  # fmt: skip


@pytest.fixture
def formats(live_server):
    """The two seeded plans' member-id formats, for this test only."""
    _set_formats(live_server, FORMATS)
    yield
    _set_formats(live_server, dict.fromkeys(FORMATS))


def _set_formats(live_server, formats: dict) -> None:
    with live_server.app.app_context():
        for plan_id, text in formats.items():
            db.session.get(Network, plan_id).member_id_format = text
        db.session.commit()
        db.session.remove()


@pytest.fixture
def agent(live_server, formats) -> str:
    """A plan-staff user answering for both seeded plans; their email."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        plans = (PLAN_ID, OTHER_PLAN_ID)
        user, _ = create_user(
            f"fit-{run}@example.org", "plan_staff", f"Fit {run}", PASSWORD, None, plans
        )
        db.session.commit()
        email = user.email
        db.session.remove()
    return email


def _typed(page, text: str) -> str:
    page.locator("#c-patient_member_id").fill(text)
    return page.locator("#member-plan-status").inner_text()


def _member_id_picks_the_plan(page, lang: str) -> None:
    words, plan = WORDS[lang], page.locator("#c-plan")
    assert page.locator("#member-plan-status").get_attribute("role") == "status"
    assert _typed(page, "bsp 1234567") == f"{words['picked']} {BAY}"
    assert plan.input_value() == OTHER_PLAN_ID
    assert _typed(page, "MC1234567") == f"{words['several']} {BAY}, {PLAN_NAME}"
    assert plan.input_value() == OTHER_PLAN_ID  # left as it was: the agent chooses
    assert _typed(page, "ZZ1") == words["none"]
    assert _typed(page, "") == ""
    _typed(page, "BSP1234567")
    plan.select_option(PLAN_ID)  # by hand: the choice stands, the disagreement is said
    status = page.locator("#member-plan-status")
    assert status.inner_text() == f"{words['disagree']} {PLAN_NAME}"
    assert page.locator("#c-patient_member_id").get_attribute("aria-invalid") == "true"


def _fits_one_screen(page, size: str, lang: str) -> None:
    _fits(page, size)
    boxes = {
        name: page.locator(name).bounding_box()
        for name in ("#needs-section", "#results-section", "#outcome-section", "#outcome")
    }
    if size == "390px":  # one column: the sections stack
        assert len({round(box["x"]) for name, box in boxes.items() if "section" in name}) == 1
        return
    assert page.locator("a[href$='/staff/lookup']").first.bounding_box()["y"] < 768
    for name, box in boxes.items():
        assert box["y"] < 768 and box["x"] + box["width"] <= 1366, name
    page.screenshot(path=str(SCREENSHOTS / f"call-console-first-screen-{lang}.png"))
    save = page.locator("#outcome-button").bounding_box()
    assert save["y"] + save["height"] <= VIEWPORTS[size]["height"]


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_the_member_id_picks_the_plan_and_the_console_fits_one_screen(
    live_server, tab, agent, axe_check, screenshot, size, lang
):
    page = open_signed_in(tab, live_server, agent, size, lang)
    sent = []
    page.on("request", lambda request: sent.append(request.url + (request.post_data or "")))
    page.goto(live_server.url("/staff/"))
    page.locator("#c-postal_code").fill(ZIP)
    _member_id_picks_the_plan(page, lang)
    page.locator("#results-region .result").first.wait_for()  # the results followed the plan
    page.wait_for_function("!document.getElementById('call-form').hasAttribute('aria-busy')")
    assert sent and not [line for line in sent if "1234567" in line]  # the id stays on the page
    _fits_one_screen(page, size, lang)
    axe_check(page, f"call-console-fit-{size}-{lang}")
    screenshot(page, f"call-console-fit-{size}-{lang}")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_without_a_script_the_server_fills_a_blank_plan_from_the_member_id(
    live_server, browser, agent, lang
):
    # No axe here: it runs as a script, and this page has none (the scripted page is checked).
    context = browser.new_context(viewport=VIEWPORTS["1366px"], java_script_enabled=False)
    context.set_default_timeout(15_000)
    seen = []
    page = context.new_page()
    page.on("request", lambda request: seen.append(request.url))
    try:
        sign_in(page, live_server, agent)
        if lang == "es":
            page.context.add_cookies([{"name": "lang", "value": "es", "url": live_server.url()}])
        page.goto(live_server.url("/staff/"))
        page.locator("#c-patient_member_id").fill("BSP1234567")
        page.locator("#c-plan").select_option(label=WORDS[lang]["blank"])
        page.locator("#c-postal_code").fill(ZIP)
        page.locator("#search-button").click()
        page.wait_for_load_state()
        assert page.locator("#c-plan").input_value() == OTHER_PLAN_ID
        status = page.locator("#member-plan-status").inner_text()
        assert status == f"{WORDS[lang]['picked']} {BAY}"
    finally:
        context.close()
    assert all(url.startswith(live_server.url("/")) for url in seen)
