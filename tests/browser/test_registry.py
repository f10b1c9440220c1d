"""End-to-end PCP registry in headless Chromium: filter by flag, open the episode's chart."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from accounts.identity import actor_for_user
from accounts.users import create_user
from directory.extensions import db
from referrals import use_cases
from tests.browser.test_referral_flow import ANA_NPI, PASSWORD, sign_in
from tests.web.seed_directory import PLAN_ID

PHQ9 = {
    18: [2, 2, 2, 2, 2, 2, 2, 2, 2],
    14: [2, 2, 2, 2, 2, 1, 1, 1, 1],
    4: [1, 1, 1, 1, 0, 0, 0, 0, 0],
}


def _at(day):
    return datetime.combine(day, time(17, 0), tzinfo=UTC)


def _patient(pcp, clinician, name, member, scores, today):
    """A referral 100 days ago, PHQ-9 totals on the given days ago, a visit 90 days ago."""
    body = {
        "patient": {"name": name, "birth_date": "1980-02-03", "member_id": member},
        "clinician_npi": ANA_NPI,
        "plan": PLAN_ID,
        "reason": "Low mood for months",
        "urgency": "routine",
        "substance_use": False,
        "needs": {"concerns": ["depression"]},
    }
    referral = use_cases.open_and_send(pcp, body, [], _at(today - timedelta(days=100)))
    for total, days_ago in scores:
        answers = {"instrument": "phq9", "answers": PHQ9[total], "referral_id": referral.id}
        use_cases.record_screening(pcp, answers, _at(today - timedelta(days=days_ago)))
    seen = _at(today - timedelta(days=90))
    use_cases.move(clinician, referral.id, {"type": "accept"}, seen, acknowledge_on_the_way=True)
    slot = {"type": "schedule", "appointment_at": seen.isoformat()}
    use_cases.move(clinician, referral.id, slot, seen)
    use_cases.move(clinician, referral.id, {"type": "attend"}, seen)


@pytest.fixture(scope="module")
def registry_pcp(live_server) -> str:
    """A practice with two patients in its registry; returns its PCP's email."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        pcp, _ = create_user(f"reg-pcp-{run}@example.org", "pcp", f"Registry PC {run}", PASSWORD)
        bh, _ = create_user(
            f"reg-bh-{run}@example.org", "clinician", f"Registry BH {run}", PASSWORD, ANA_NPI
        )
        db.session.commit()
        pcp_actor, bh_actor = actor_for_user(pcp), actor_for_user(bh)
        today = use_cases.local_today()
        _patient(pcp_actor, bh_actor, "Rosa Remission", "R1", [(18, 100), (4, 3)], today)
        _patient(pcp_actor, bh_actor, "Nico Noresponse", "N1", [(18, 100), (14, 5)], today)
        email = pcp.email
        db.session.remove()
    return email


def test_pcp_filters_the_registry_and_opens_the_chart(
    live_server, page, registry_pcp, axe_check, screenshot
):
    sign_in(page, live_server, registry_pcp)
    page.goto(live_server.url("/pcp/"))
    page.get_by_role("link", name="Registry").click()
    page.wait_for_url(re.compile(r"/pcp/registry$"))
    rows = page.locator("table.registry tbody tr")
    assert rows.count() == 2
    assert "Nico Noresponse" in rows.nth(0).inner_text()  # latest 14 sorts above latest 4
    axe_check(page, "pcp-registry")
    screenshot(page, "pcp-registry")

    page.get_by_label("Flag").select_option("remission")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"flag=remission"))
    assert "Rosa" not in page.url and "Nico" not in page.url, "no names in the URL"
    assert rows.count() == 1
    assert "Remission" in rows.nth(0).inner_text()

    page.get_by_role("link", name="Rosa Remission").click()
    page.wait_for_url(re.compile(r"/pcp/episodes/\d+$"))
    chart = page.get_by_role("img", name=re.compile("PHQ-9 .* scores over time"))
    assert chart.count() == 1
    table = page.locator("figure.trajectory table tbody tr")
    assert [table.nth(i).locator("td").nth(1).inner_text() for i in range(2)] == ["18", "4"]
    axe_check(page, "pcp-episode")
    screenshot(page, "pcp-episode-trajectory")
