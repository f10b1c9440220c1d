"""The Content-Security-Policy in a real browser: every page works and nothing is refused.

Chromium reports each refused script, style, image or connection as a `securitypolicyviolation`
event; the pages with scripts (the results map with the vendored Leaflet, the call console's
live results) and the API reference (its stylesheet moved out of an inline block) must raise
none, and their cookies must still work over http on 127.0.0.1.
"""

from __future__ import annotations

import re
import uuid

from accounts.users import create_user
from directory.extensions import db
from tests.web.seed_directory import PLAN_ID, ZIP

PASSWORD = "correct horse battery staple"
WATCH = """(() => {
    window.__refused = [];
    document.addEventListener("securitypolicyviolation", (e) => {
        window.__refused.push(e.violatedDirective + " " + e.blockedURI);
    });
})();"""


def _refused(page) -> list[str]:
    return page.evaluate("() => window.__refused || ['the watcher was not installed']")


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state()


def test_the_results_map_runs_under_the_policy(live_server, page):
    page.add_init_script(WATCH)
    _open(page, live_server.url("/find"))
    page.get_by_label("Feeling down, sad or hopeless").check()
    page.get_by_label(re.compile("ZIP")).fill(ZIP)
    page.locator("#plan").select_option(PLAN_ID)
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".leaflet-container").count() == 1
    assert page.locator(".map-marker").count() >= 1
    assert _refused(page) == []


def test_the_api_reference_is_styled_under_the_policy(live_server, page):
    page.add_init_script(WATCH)
    response = page.goto(live_server.url("/api/v1/docs"))
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    # The stylesheet applied: operations are boxed (an inline <style> would have been refused).
    border = page.locator(".op").first.evaluate("e => getComputedStyle(e).borderTopStyle")
    assert border == "solid"
    assert _refused(page) == []


def test_the_call_console_signs_in_and_updates_under_the_policy(live_server, page):
    email = f"plan-{uuid.uuid4().hex[:8]}@example.org"
    with live_server.app.app_context():
        create_user(email, "plan_staff", f"CSP Plan {email}", PASSWORD, None, (PLAN_ID,))
        db.session.commit()
        db.session.remove()
    page.add_init_script(WATCH)
    _open(page, live_server.url("/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account$"))  # the session cookie was kept
    _open(page, live_server.url("/staff/"))
    page.locator("#c-postal_code").fill(ZIP)
    page.locator("#results-region").get_by_text("Ana Rivera").first.wait_for()
    assert _refused(page) == []
