"""The email stop link's page in Chromium: 390 px and 1366 px, English and Spanish, axe clean.

Every test fails if a request leaves the origin.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Clinician, Organization
from directory.models.verification import utcnow
from referrals.models import Referral
from referrals.notice_optout import stop_token

VIEWPORTS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}
LOCALES = {"en": "en-US", "es": "es-ES"}
WORDS = {
    "en": ("Stop the emails", "Done. We will not email you about this referral again."),
    "es": (
        "Dejar de recibir los correos",
        "Listo. No le enviaremos más correos sobre esta remisión.",
    ),
}


@pytest.fixture(scope="module")
def stop_path(live_server):
    """The stop link of a referral whose patient chose emailed updates."""
    app = live_server.app
    with app.app_context():
        referral = Referral(
            status="sent",
            clinician_id=db.session.scalar(select(Clinician.id).order_by(Clinician.id)),
            referring_organization_id=db.session.scalar(
                select(Organization.id).order_by(Organization.id)
            ),
            created_by="browser-test",
            patient_name="Test Patient",
            patient_birth_date=date(1990, 1, 1),
            reason="Browser test",
            patient_notices="email",
            patient_email="patient@example.net",
        )
        db.session.add(referral)
        db.session.commit()
        token = stop_token(app.config["SECRET_KEY"], referral.id, utcnow(), 90)
        db.session.remove()
    return f"/notices/stop/{token}"


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_the_stop_page_asks_then_confirms(
    browser, live_server, stop_path, axe_check, screenshot, size, lang
):
    context = browser.new_context(viewport=VIEWPORTS[size], locale=LOCALES[lang])
    context.set_default_timeout(15_000)
    seen: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: seen.append(request.url))
    button, done = WORDS[lang]
    page.goto(live_server.url(stop_path))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size]["width"]
    axe_check(page, f"notice-stop-{lang}-{size}")
    screenshot(page, f"notice-stop-{lang}-{size}")
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == done
    axe_check(page, f"notice-stopped-{lang}-{size}")
    context.close()
    origin = live_server.url("/")
    strays = [url for url in seen if not url.startswith((origin, "data:", "blob:"))]
    assert seen and not strays, f"requests left the origin: {strays}"
