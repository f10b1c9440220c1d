"""The staff reports page in headless Chromium at phone and desktop widths, checked with axe."""

from __future__ import annotations

import re
import uuid

import pytest

from accounts.users import create_user
from directory.extensions import db
from tests.browser.test_referral_flow import PASSWORD, sign_in


@pytest.fixture(scope="module")
def report_admin(live_server) -> str:
    """An administrator of the seeded directory; returns the email."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        admin, _ = create_user(f"reports-{run}@example.org", "admin", f"Reports {run}", PASSWORD)
        db.session.commit()
        email = admin.email
        db.session.remove()
    return email


@pytest.mark.parametrize("width", [390, 1366])
def test_reports_page_fits_and_passes_axe(
    live_server, page, report_admin, axe_check, screenshot, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, report_admin)
    page.goto(live_server.url("/staff/"))
    page.get_by_role("link", name="Reports", exact=True).click()
    page.wait_for_url(re.compile(r"/staff/reports$"))
    assert page.get_by_role("heading", name="Directory accuracy").is_visible()
    assert page.locator("svg.bars").count() == 2
    page.get_by_label("Group the funnel by").select_option("urgency")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"group_by=urgency"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page, f"staff-reports-{width}")
    screenshot(page, f"staff-reports-{width}")
