"""The equity chart and the county adequacy map in Chromium: 390 px and 1366 px, English and
Spanish, axe with no serious or critical finding, nothing fetched from another origin.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.users import create_user
from directory.extensions import db
from directory.models import Clinician, Organization
from directory.npi import npi_check_digit
from referrals.models import Referral, ReferralEvent
from tests.browser.conftest import SCREENSHOTS as SHOTS
from tests.browser.conftest import VIEWPORTS
from tests.browser.sessions import open_signed_in
from tests.browser.test_referral_flow import PASSWORD
from tests.web.seed_directory import OTHER_PLAN_ID, PLAN_ID

SENT = datetime(2025, 3, 3, 15, tzinfo=UTC)
REPORTS = "/staff/reports?from=2025-03-01&to=2025-03-31&group_by=plan"
ADEQUACY = f"/staff/adequacy?plan={PLAN_ID}&state=MA&specialty=029"
WORDS = {
    "en": ("Equity gaps", "Referrals attended", "Fails the standard (outlined)"),
    "es": ("Brechas de equidad", "Derivaciones atendidas", "No cumple el estándar (contorneado)"),
}


def _referral(practice, clinician, plan: str, seen: bool) -> Referral:
    """A referral sent on 3 March 2025; when `seen`, booked for and attended on 10 March."""
    referral = Referral(status="sent", plan_id=plan, referring_organization_id=practice.id,
                        clinician_id=clinician.id, created_by="user:browser",
                        patient_name="Browser Patient", patient_birth_date=date(1980, 1, 1),
                        reason="Low mood", sent_at=SENT)  # fmt: skip
    steps = [("send", 0)]
    if seen:
        steps += [("acknowledge", 1), ("schedule", 1), ("attend", 7)]
    for kind, day in steps:
        booked = SENT + timedelta(days=7) if kind == "schedule" else None
        referral.events.append(
            ReferralEvent(type=kind, from_status="x", to_status="y", actor="user:browser",
                          actor_role="pcp", at=SENT + timedelta(days=day), appointment_at=booked)
        )  # fmt: skip
    return referral


@pytest.fixture(scope="module")
def equity_admin(live_server) -> str:
    """An admin, and 50 referrals of a practice of its own (30 MassCare, 22 seen; 20 Bay, 11)."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        admin, _ = create_user(f"equity-{run}@example.org", "admin", f"Equity {run}", PASSWORD)
        practice = Organization(name=f"Equity practice {run}", kind="pcp_practice")
        serial = f"9{uuid.uuid4().int % 10**7:07d}"[:8]
        first_nine = f"1{serial}"
        clinician = Clinician(npi=first_nine + str(npi_check_digit(first_nine)), last_name="Eq")
        db.session.add_all([practice, clinician])
        db.session.flush()
        mix = [(PLAN_ID, True, 22), (PLAN_ID, False, 8), (OTHER_PLAN_ID, True, 11),
               (OTHER_PLAN_ID, False, 9)]  # fmt: skip
        for plan, seen, times in mix:
            db.session.add_all(_referral(practice, clinician, plan, seen) for _ in range(times))
        db.session.commit()
        email = admin.email
        db.session.remove()
    return email


@pytest.mark.parametrize(("size", "lang"), [("390px", "en"), ("1366px", "en"), ("390px", "es"),
                                            ("1366px", "es")])  # fmt: skip
def test_equity_chart(live_server, tab, equity_admin, axe_check, screenshot, size, lang):
    page = open_signed_in(tab, live_server, equity_admin, size, lang)
    page.goto(live_server.url(REPORTS))
    heading, attended, _ = WORDS[lang]
    assert page.get_by_role("heading", name=heading).is_visible()
    chart = page.locator("svg.intervals").first
    assert chart.get_attribute("aria-labelledby") == "equity-attended-t equity-attended-d"
    # Three measures; no positive screens here, so the follow-up chart has no dot or line.
    assert page.locator("svg.intervals").count() == 3
    assert page.locator("svg.intervals circle.rate").count() == 4  # two plans, two measures
    assert page.locator("svg.intervals line.reference").count() == 2
    table = page.get_by_role("table", name=attended)
    assert "73.3%" in table.inner_text() and "55.0%" in table.inner_text()
    width = VIEWPORTS[size]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert chart.bounding_box()["width"] <= width
    page.locator("section[aria-labelledby=equity-h]").screenshot(
        path=str(SHOTS / f"equity-section-{size}-{lang}.png")
    )
    axe_check(page, f"equity-chart-{size}-{lang}")
    screenshot(page, f"equity-chart-{size}-{lang}")


@pytest.mark.parametrize(("size", "lang"), [("390px", "en"), ("1366px", "en"), ("390px", "es"),
                                            ("1366px", "es")])  # fmt: skip
def test_county_map(live_server, tab, equity_admin, axe_check, screenshot, size, lang):
    page = open_signed_in(tab, live_server, equity_admin, size, lang)
    page.goto(live_server.url(ADEQUACY))
    county_map = page.locator("svg.county-map")
    assert county_map.locator("path").count() == 14  # Massachusetts' counties
    assert page.get_by_text(WORDS[lang][2]).is_visible()
    rows = page.locator("#map-table tbody tr")
    assert rows.count() == 14
    width = VIEWPORTS[size]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = county_map.bounding_box()
    assert 0 < box["width"] <= width and box["height"] > 100
    page.locator("figure.map-figure").screenshot(path=str(SHOTS / f"map-{size}-{lang}.png"))
    axe_check(page, f"adequacy-map-{size}-{lang}")
    screenshot(page, f"adequacy-map-{size}-{lang}")
