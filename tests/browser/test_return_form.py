"""The clinician's return form in headless Chromium: fill it, send it, the PCP sees it back."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from accounts.identity import actor_for_user
from accounts.users import create_user
from directory.extensions import db
from directory.models import Clinician
from referrals import use_cases
from tests.browser.test_referral_flow import ANA_NPI, PASSWORD, sign_in, sign_out

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def acknowledged(live_server) -> dict:
    """A PCP and a clinician user, and a referral to Ana Rivera she has acknowledged."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        pcp, _ = create_user(f"pcp-r-{run}@example.org", "pcp", f"Riverside {run}", PASSWORD)
        ana, _ = create_user(
            f"ana-r-{run}@example.org", "clinician", f"Harbor {run}", PASSWORD, ANA_NPI
        )
        db.session.commit()
        clinician = db.session.scalar(select(Clinician).where(Clinician.npi == ANA_NPI))
        body = {
            "patient": {"name": "Maria Lopez", "birth_date": "1988-04-12"},
            "clinician_npi": ANA_NPI,
            "location_id": clinician.locations[0].location_id,
            "reason": "Low mood and poor sleep for three months",
            "diagnoses": ["F32.1"],
            "urgency": "routine",
        }
        referral = use_cases.open_and_send(actor_for_user(pcp), body, [], NOW)
        use_cases.move(actor_for_user(ana), referral.id, {"type": "acknowledge"}, NOW)
        found = {"pcp": pcp.email, "clinician": ana.email, "id": referral.id}
        db.session.remove()
    return found


def test_the_clinician_sends_information_back_and_the_pcp_sees_it(
    live_server, page, acknowledged, axe_check, screenshot
):
    referral_id = acknowledged["id"]
    sign_in(page, live_server, acknowledged["clinician"])
    page.goto(live_server.url(f"/clinician/referrals/{referral_id}"))
    form = page.locator("#return-form")
    axe_check(page, "clinician-return-form")
    form.get_by_label("Working diagnoses").fill("depression")
    form.get_by_role("button", name="Send back").click()
    page.wait_for_url(re.compile(rf"/clinician/referrals/{referral_id}$"))
    assert "Not an ICD-10-CM code" in page.locator("main").inner_text()

    form.get_by_label("Working diagnoses").fill("F33.1, F41.1")
    form.locator("#medication-0-change").select_option("started")
    form.locator("#medication-0-name").fill("sertraline 50 mg")
    form.locator("#medication-0-rxnorm").fill("312940")
    form.locator("#medication-1-change").select_option("stopped")
    form.locator("#medication-1-name").fill("melatonin")
    form.get_by_label("Treatment approach").fill("Weekly CBT, 12 sessions")
    form.get_by_label("Next appointment date").fill("2030-01-07")
    form.locator("#return-instrument").select_option("phq9")
    form.get_by_label("Total score").fill("12")
    form.get_by_label("Note to the referring clinician").fill("Good first session.")
    screenshot(page, "clinician-return-form")
    form.get_by_role("button", name="Send back").click()
    page.wait_for_url(re.compile(rf"/clinician/referrals/{referral_id}$"))
    assert "Sent back to the referring clinician." in page.locator("main").inner_text()
    sign_out(page)

    sign_in(page, live_server, acknowledged["pcp"])
    page.goto(live_server.url(f"/pcp/referrals/{referral_id}"))
    returned = page.locator("#returns article").first.inner_text()
    for text in ("F33.1, F41.1", "sertraline 50 mg", "RxNorm 312940", "melatonin (uncoded)"):
        assert text in returned
    assert "PHQ-9 12 · moderate" in returned and "Good first session." in returned
    assert page.locator("#return-form").count() == 0
    screenshot(page, "pcp-referral-returns")
    axe_check(page, "pcp-referral-returns")
