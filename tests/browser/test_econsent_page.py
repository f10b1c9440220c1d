"""The patient's e-consent page in Chromium at 390 px and 1366 px, English and Spanish.

Read the release, sign it with a typed name, then revoke it from the same link; axe finds no
serious or critical problem at each step and no request leaves the origin (the shared `tab`).
"""

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
from outbox.models import OutboxMessage
from referrals import use_cases
from tests.browser.test_profiles_and_results import CASES, _fits, _language
from tests.browser.test_referral_flow import ANA_NPI, PASSWORD

WORDS = {
    "en": {"sign": "Sign the release", "name": "Type your full name to sign",
           "agree": "I have read this release", "signed": "You signed this release",
           "revoke": "Revoke my consent", "revoked": "Your consent is revoked",
           "who": "Who may disclose", "missing": "Tick the box to say you agree."},
    "es": {"sign": "Firmar la autorización", "name": "Escriba su nombre completo para firmar",
           "agree": "He leído esta autorización", "signed": "Usted firmó esta autorización",
           "revoke": "Revocar mi consentimiento", "revoked": "Su consentimiento está revocado",
           "who": "Quién puede divulgar", "missing": "Marque la casilla para indicar que está"},
}  # fmt: skip


@pytest.fixture
def link(live_server) -> str:
    """A draft referral to Ana Rivera and the path of the consent link sent for it."""
    run = uuid.uuid4().hex[:8]
    now = datetime.now(UTC)
    with live_server.app.app_context():
        pcp, _ = create_user(f"pcp-c-{run}@example.org", "pcp", f"Riverside {run}", PASSWORD)
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
        actor = actor_for_user(pcp)
        referral = use_cases.create(actor, body, now).referral
        request = {"channel": "email", "destination": "maria@example.org", "form": "release"}
        sent = use_cases.send_consent_request(actor, referral.id, request, now)
        message = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.reference == f"consent_request:{sent.id}")
        )
        path = re.search(r"/consent/[A-Za-z0-9_-]+", message.body).group(0)
        db.session.remove()
    return path


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_read_sign_and_revoke(live_server, tab, link, axe_check, screenshot, size, lang):
    words = WORDS[lang]
    page = tab(size)
    page.goto(live_server.url(link))
    _language(page, lang)
    page.wait_for_url(re.compile(re.escape(link) + "$"))
    main = page.locator("main")
    assert words["who"] in main.inner_text()
    assert "Maria Lopez" in page.locator("#element-patient_name").inner_text()
    _fits(page, size)
    axe_check(page, f"econsent-form-{size}-{lang}")
    screenshot(page, f"econsent-form-{size}-{lang}")

    page.get_by_label(words["name"]).fill("Maria Lopez")
    page.get_by_role("button", name=words["sign"]).click()
    page.wait_for_load_state()
    assert words["missing"] in main.inner_text()
    axe_check(page, f"econsent-errors-{size}-{lang}")

    page.get_by_label(re.compile(words["agree"])).check()
    page.get_by_role("button", name=words["sign"]).click()
    page.wait_for_load_state()
    assert words["signed"] in main.inner_text()
    _fits(page, size)
    axe_check(page, f"econsent-signed-{size}-{lang}")

    page.get_by_role("button", name=words["revoke"]).click()
    page.wait_for_load_state()
    assert words["revoked"] in main.inner_text()
    axe_check(page, f"econsent-revoked-{size}-{lang}")
    screenshot(page, f"econsent-revoked-{size}-{lang}")


def test_a_forged_link_is_a_clear_page(live_server, tab, axe_check):
    page = tab("390px")
    response = page.goto(live_server.url("/consent/not-a-real-token"))
    assert response.status == 404
    assert "This link is not valid" in page.locator("main").inner_text()
    axe_check(page, "econsent-forged")
