"""End-to-end staff pages in headless Chromium: a PCP refers, the clinician accepts, the PCP
sees it accepted; the call console by keyboard; axe-core on each audience's main pages."""

from __future__ import annotations

import itertools
import re
import uuid

import pytest

from accounts.users import create_user
from directory.extensions import db
from tests.web.seed_directory import PLAN_ID, ZIP, _npi

PASSWORD = "correct horse battery staple"
ANA_NPI = _npi(1)  # Ana Rivera, LICSW: Cambridge, MassCare network, Spanish
_serial = itertools.count(1)


@pytest.fixture(scope="module")
def staff_users(live_server) -> dict[str, str]:
    """One user per role in the live server's database; returns their emails by role."""
    run = uuid.uuid4().hex[:8]
    specs = {
        "pcp": ("Riverside Primary Care", None, ()),
        "clinician": ("Harbor Counseling", ANA_NPI, ()),
        "plan_staff": ("MassCare Health Plan", None, (PLAN_ID,)),
        "admin": ("Directory Operations", None, ()),
    }
    emails = {}
    with live_server.app.app_context():
        for role, (org, npi, plans) in specs.items():
            email = f"{role}-{run}@example.org"
            create_user(email, role, f"{org} {run}", PASSWORD, npi, plans)
            emails[role] = email
        db.session.commit()
        db.session.remove()
    return emails


def sign_in(page, live_server, email: str) -> None:
    """Sign in through the real form."""
    page.goto(live_server.url("/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account$"))


def sign_out(page) -> None:
    """The console navigation's sign-out button."""
    page.locator(".console-signout button").click()
    page.wait_for_url(re.compile(r"/login$"))


def _search_as_pcp(page) -> None:
    page.get_by_role("link", name="Open your work pages").click()
    page.wait_for_url(re.compile(r"/pcp/$"))
    page.locator("#postal_code").fill(ZIP)
    page.locator("#plan").select_option(PLAN_ID)
    page.get_by_label("Depression", exact=True).check()  # staff pages: the clinical register
    page.locator("#diagnoses").fill("F32.1")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/pcp/search"), "the needs must not reach the URL"


def _compare(page, screenshot) -> None:
    page.locator(".result").nth(0).get_by_label("Compare").check()
    page.locator(".result").nth(1).get_by_label("Compare").check()
    page.get_by_role("button", name="Compare selected").click()
    page.wait_for_url(re.compile(r"/pcp/compare$"))
    assert page.locator("table.compare-table thead th").count() == 2
    screenshot(page, "pcp-compare")


def _send_referral(page, screenshot) -> int:
    page.get_by_role("button", name=re.compile("^Refer to Ana Rivera")).click()
    page.wait_for_url(re.compile(r"/pcp/refer$"))
    page.locator("#patient_name").fill("Maria Lopez")
    page.locator("#patient_birth_date").fill("1988-04-12")
    page.locator("#reason").fill("Low mood and poor sleep for three months")
    page.locator("#consent_signed_by").fill("Maria Lopez")
    page.get_by_label("Patient told the benefits of coordinated care").check()
    screenshot(page, "pcp-refer-form")
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url(re.compile(r"/pcp/referrals/\d+$"))
    assert page.locator("#referral-status").inner_text() == "Sent"
    screenshot(page, "pcp-referral-sent")
    return int(page.url.rsplit("/", 1)[1])


def test_pcp_refers_clinician_accepts_pcp_sees_accepted(
    live_server, page, staff_users, axe_check, screenshot
):
    sign_in(page, live_server, staff_users["pcp"])
    _search_as_pcp(page)
    assert "Ana Rivera" in page.locator(".result").first.inner_text()
    screenshot(page, "pcp-results")
    axe_check(page, "pcp-results")
    _compare(page, screenshot)
    referral_id = _send_referral(page, screenshot)
    axe_check(page, "pcp-referral")
    sign_out(page)

    sign_in(page, live_server, staff_users["clinician"])
    page.goto(live_server.url("/clinician/"))
    page.get_by_role("link", name=f"#{referral_id}").click()
    assert "Maria Lopez" in page.locator("main").inner_text()
    axe_check(page, "clinician-referral")
    page.get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_url(re.compile(rf"/clinician/referrals/{referral_id}$"))
    assert page.locator("#referral-status").inner_text() == "Accepted"
    screenshot(page, "clinician-accepted")
    sign_out(page)

    sign_in(page, live_server, staff_users["pcp"])
    page.goto(live_server.url("/pcp/referrals"))
    accepted = page.locator("section", has=page.locator("#status-accepted"))
    assert f"#{referral_id}" in accepted.inner_text()
    screenshot(page, "pcp-my-referrals")
    axe_check(page, "pcp-my-referrals")


def test_call_console_by_keyboard(live_server, page, staff_users, axe_check, screenshot):
    sign_in(page, live_server, staff_users["plan_staff"])
    page.goto(live_server.url("/staff/"))
    assert page.locator("#c-plan").input_value() == PLAN_ID  # the member's plan, preselected
    page.keyboard.press("Alt+Shift+1")
    assert page.evaluate("document.activeElement.id") == "c-patient_member_id"  # asked first
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "c-postal_code"
    page.keyboard.type(ZIP)
    results = page.locator("#results-region")
    results.get_by_text("Ana Rivera").first.wait_for()
    assert page.url.endswith("/staff/"), "the console updates in place"
    radios = results.locator("input[name=choice]")
    second_name = radios.nth(1).get_attribute("data-name")
    second_npi = radios.nth(1).get_attribute("value").split(":")[0]
    page.keyboard.press("Alt+Shift+2")
    assert page.evaluate("document.activeElement.name") == "choice"
    page.keyboard.press("ArrowDown")  # the arrow keys move the choice down the ranked list
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "c-patient_name"
    assert f"Referring to {second_name}" in page.locator("#chosen-clinician").inner_text()
    assert page.locator("#c-consent_recipient_npi").input_value() == second_npi
    screenshot(page, "call-console")
    axe_check(page, "call-console")


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("clinician", "/clinician/"),
        ("clinician", "/clinician/listing"),
        ("admin", "/admin/"),
        ("admin", "/admin/ingest"),
        ("admin", "/admin/users"),
        ("admin", "/admin/listings"),
        ("plan_staff", "/staff/queue"),
    ],
)
def test_main_pages_have_no_serious_accessibility_violations(
    live_server, page, staff_users, axe_check, screenshot, role, path
):
    sign_in(page, live_server, staff_users[role])
    page.goto(live_server.url(path))
    name = f"{role}{path.replace('/', '-').rstrip('-')}"
    screenshot(page, name)
    axe_check(page, name)
