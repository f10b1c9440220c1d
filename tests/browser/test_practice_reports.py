"""Issue 18 items 4-5 in Chromium: a practice manager's own reports, and the plan pages refused.

At 390 px and 1366 px, English and Spanish: the work-pages link opens the reports, the navigation
offers Reports alone, the funnel counts the practice's 12 referrals, and network adequacy answers
a 403 page that says why. axe finds no serious or critical problem; no request leaves the origin.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accounts.users import create_user
from directory.extensions import db
from directory.models import Clinician
from directory.models.verification import utcnow
from referrals.models import Referral, ReferralEvent
from tests.browser.sessions import open_signed_in
from tests.browser.test_profiles_and_results import CASES, _fits
from tests.browser.test_referral_flow import ANA_NPI, PASSWORD

WORDS = {
    "en": {"work": "Open your work pages", "reports": "Reports", "only": "Figures for",
           "funnel": "Referral funnel", "refused": "Not open to your role"},
    "es": {"work": "Abrir sus páginas de trabajo", "reports": "Informes", "only": "Cifras solo de",
           "funnel": "Embudo de derivaciones", "refused": "No disponible para su función"},
}  # fmt: skip


def _sent_referral(org_id: int, clinician_id: int, acknowledged: bool) -> Referral:
    """A referral the practice sent two days ago, perhaps acknowledged the next day."""
    sent = utcnow() - timedelta(days=2)
    row = Referral(
        status="sent", referring_organization_id=org_id, clinician_id=clinician_id,
        created_by="user:1", patient_name="Test Patient", patient_birth_date=date(1980, 1, 1),
        reason="Low mood", sent_at=sent,
    )  # fmt: skip
    steps = [("send", sent)] + ([("acknowledge", sent + timedelta(days=1))] if acknowledged else [])
    for kind, at in steps:
        row.events.append(
            ReferralEvent(type=kind, from_status="x", to_status="y", actor="user:1",
                          actor_role="pcp", at=at)
        )  # fmt: skip
    return row


@pytest.fixture(scope="module")
def practice(live_server) -> tuple[str, str]:
    """A primary-care practice of its own that sent Ana 12 referrals; (manager email, name)."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        user, _ = create_user(
            f"manager-{run}@example.org", "practice_manager", f"Practice {run}", PASSWORD
        )
        user.organization.kind = "primary_care"
        ana = db.session.scalar(select(Clinician.id).where(Clinician.npi == ANA_NPI))
        db.session.add_all(_sent_referral(user.organization_id, ana, i < 11) for i in range(12))
        db.session.commit()
        found = (user.email, user.organization.name)
        db.session.remove()
    return found


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_a_practice_manager_reads_their_practice_s_reports(
    live_server, tab, practice, axe_check, screenshot, size, lang
):
    email, name = practice
    words = WORDS[lang]
    page = open_signed_in(tab, live_server, email, size, lang)
    if lang == "es":
        page.reload()  # the account page signed in to, in Spanish: its link is clicked by name
    page.get_by_role("link", name=words["work"]).click()
    page.wait_for_url(re.compile(r"/staff/reports$"))
    nav = page.locator("nav.console-nav li")
    assert nav.all_inner_texts() == [words["reports"]]
    assert page.get_by_text(f"{words['only']} {name}").is_visible()
    funnel = page.locator("section[aria-labelledby=funnel-h]")
    assert funnel.get_by_role("heading", name=words["funnel"]).is_visible()
    total = funnel.locator("table.data tbody tr").last.locator("td").all_inner_texts()
    assert total[:2] == ["12", "11"]
    assert "Test Patient" not in page.locator("main").inner_text()
    _fits(page, size)
    axe_check(page, f"practice-reports-{size}-{lang}")
    screenshot(page, f"practice-reports-{size}-{lang}")

    response = page.goto(live_server.url("/staff/adequacy"))
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == words["refused"]
    assert page.get_by_role("link", name=words["work"]).is_visible()
    _fits(page, size)
    axe_check(page, f"practice-refused-{size}-{lang}")
    screenshot(page, f"practice-refused-{size}-{lang}")
