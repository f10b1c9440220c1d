"""The patient timeline in headless Chromium at 390 px and 1366 px: reached from the referral."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from accounts.identity import actor_for_user
from accounts.users import create_user
from directory.extensions import db
from referrals import use_cases
from referrals.care_team import active_members
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_referral_flow import ANA_NPI, PASSWORD, sign_in
from tests.web.seed_directory import PLAN_ID

RETURN = {
    "diagnoses": ["F32.1"],
    "medications": [
        {"change": "started", "name": "sertraline 50 MG Oral Tablet", "rxnorm": "312940"},
        {"change": "stopped", "name": "over-the-counter sleep aid"},
    ],
    "treatment": "Weekly CBT with behavioral activation",
    "note": "Engaged and hopeful.",
}


def _at(day, hour: int = 17):
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


@pytest.fixture(scope="module")
def timeline_pcp(live_server) -> tuple[str, int]:
    """A referral with a PHQ-9, a visit, a return, a goal and a task; (PCP email, referral id)."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        pcp, _ = create_user(f"tl-pcp-{run}@example.org", "pcp", f"Timeline PC {run}", PASSWORD)
        bh, _ = create_user(
            f"tl-bh-{run}@example.org", "clinician", f"Timeline BH {run}", PASSWORD, ANA_NPI
        )
        db.session.commit()
        doc, jane = actor_for_user(pcp), actor_for_user(bh)
        start = use_cases.local_today() - timedelta(days=40)
        body = {
            "patient": {"name": "Tess Timeline", "birth_date": "1984-06-01", "member_id": "T1"},
            "clinician_npi": ANA_NPI,
            "plan": PLAN_ID,
            "reason": "Low mood for months",
            "urgency": "routine",
            "substance_use": False,
            "needs": {"concerns": ["depression"]},
        }
        referral = use_cases.open_and_send(doc, body, [], _at(start))
        phq9 = {
            "instrument": "phq9",
            "answers": [2, 2, 2, 2, 2, 2, 2, 2, 0],
            "referral_id": referral.id,
        }
        use_cases.record_screening(doc, phq9, _at(start, 18))
        seen = _at(start + timedelta(days=7))
        use_cases.move(jane, referral.id, {"type": "accept"}, seen, acknowledge_on_the_way=True)
        use_cases.move(
            jane, referral.id, {"type": "schedule", "appointment_at": seen.isoformat()}, seen
        )
        use_cases.move(jane, referral.id, {"type": "attend"}, seen)
        use_cases.send_return(jane, referral.id, RETURN, _at(start + timedelta(days=8)))
        eid = referral.episode_id
        (member,) = active_members(eid)
        later = _at(start + timedelta(days=9))
        use_cases.add_goal(doc, eid, {"text": "I want to enjoy cooking again"}, later)
        due = (start + timedelta(days=60)).isoformat()
        task = {"description": "Repeat the PHQ-9", "owner_id": member.id, "due_on": due}
        use_cases.add_task(doc, eid, task, later)
        found = (pcp.email, referral.id)
        db.session.remove()
    return found


@pytest.mark.parametrize("size", ["390px", "1366px"])
def test_pcp_opens_the_timeline_from_the_referral(
    live_server, page, timeline_pcp, axe_check, screenshot, size
):
    email, referral_id = timeline_pcp
    page.set_viewport_size(VIEWPORTS[size])
    sign_in(page, live_server, email)
    page.goto(live_server.url(f"/pcp/referrals/{referral_id}"))
    page.get_by_role("link", name="Patient timeline").click()
    page.wait_for_url(re.compile(r"/pcp/episodes/\d+/timeline$"))

    assert page.get_by_role("heading", name="Patient timeline").count() == 1
    assert page.get_by_role("img", name=re.compile("PHQ-9 .* scores over time")).count() == 1
    entries = page.locator("ol#timeline > li")
    texts = [entries.nth(i).inner_text() for i in range(entries.count())]
    # sent, PHQ-9, acknowledged, accepted, scheduled, attended, return, goal, task set, due
    assert len(texts) == 10
    assert "PHQ-9 16 · moderately severe" in texts[1]
    assert "sertraline 50 MG Oral Tablet (RxNorm 312940)" in texts[6]
    assert "over-the-counter sleep aid (uncoded)" in texts[6]
    assert "I want to enjoy cooking again" in texts[7]
    assert texts[-1].count("Repeat the PHQ-9") == 1 and "Task due" in texts[-1]
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size]["width"]
    axe_check(page, f"pcp-timeline-{size}")
    screenshot(page, f"pcp-timeline-{size}")
