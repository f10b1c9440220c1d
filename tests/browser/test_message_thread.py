"""The referral's message thread in headless Chromium: post a PDF, read and download it.

At 390 px and 1366 px, in English and Spanish; axe finds nothing serious; no request leaves
the origin.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from accounts.identity import actor_for_user
from accounts.users import create_user
from directory.extensions import db
from directory.models import Clinician
from referrals import use_cases
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_referral_flow import ANA_NPI, PASSWORD, sign_in, sign_out

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WORDS = {
    "en": {"locale": "en-US", "heading": "Messages", "sent": "Message sent.", "send": "Send"},
    "es": {"locale": "es-ES", "heading": "Mensajes", "sent": "Mensaje enviado.", "send": "Enviar"},
}


@pytest.fixture(scope="module")
def people(live_server) -> dict:
    """A PCP and Ana Rivera's clinician user."""
    run = uuid.uuid4().hex[:8]
    with live_server.app.app_context():
        pcp, _ = create_user(f"pcp-m-{run}@example.org", "pcp", f"Riverside {run}", PASSWORD)
        ana, _ = create_user(
            f"ana-m-{run}@example.org", "clinician", f"Harbor {run}", PASSWORD, ANA_NPI
        )
        db.session.commit()
        found = {"pcp": pcp, "ana": ana}
        found["emails"] = {"pcp": pcp.email, "ana": ana.email}
        db.session.remove()
    return found


def _sent_referral(live_server, people) -> int:
    with live_server.app.app_context():
        pcp = db.session.merge(people["pcp"])
        clinician = db.session.scalar(select(Clinician).where(Clinician.npi == ANA_NPI))
        body = {
            "patient": {"name": "Maria Lopez", "birth_date": "1988-04-12"},
            "clinician_npi": ANA_NPI,
            "location_id": clinician.locations[0].location_id,
            "reason": "Low mood and poor sleep for three months",
            "diagnoses": ["F32.1"],
            "urgency": "routine",
        }
        referral_id = use_cases.open_and_send(actor_for_user(pcp), body, [], NOW).id
        db.session.remove()
    return referral_id


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("size", ["390px", "1366px"])
def test_the_pcp_posts_a_pdf_and_the_clinician_reads_it(
    live_server, browser, people, axe_check, screenshot, size, lang
):
    words = WORDS[lang]
    referral_id = _sent_referral(live_server, people)
    context = browser.new_context(viewport=VIEWPORTS[size], locale=words["locale"])
    context.set_default_timeout(15_000)
    page = context.new_page()
    origin = live_server.url("/")
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(origin) else elsewhere.append(r.url))
    try:
        sign_in(page, live_server, people["emails"]["pcp"])
        page.goto(live_server.url(f"/pcp/referrals/{referral_id}"))
        thread = page.locator("#messages")
        assert thread.get_by_role("heading", name=words["heading"], exact=True).is_visible()
        assert page.locator("html").get_attribute("lang") == lang
        axe_check(page, f"messages-pcp-{lang}-{size}")
        page.locator("#message-body").fill("Signed ROI attached.")
        page.locator("#message-files").set_input_files(
            {"name": "signed-roi.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        page.locator("#message-form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/pcp/referrals/{referral_id}#messages$"))
        assert words["sent"] in page.locator("main").inner_text()
        screenshot(page, f"messages-pcp-{lang}-{size}")
        sign_out(page)

        sign_in(page, live_server, people["emails"]["ana"])
        page.goto(live_server.url(f"/clinician/referrals/{referral_id}#messages"))
        message = page.locator("#messages article").first
        assert "Signed ROI attached." in message.inner_text()
        with page.expect_download() as download:
            message.get_by_role("link", name="signed-roi.pdf").click()
        assert download.value.suggested_filename == "signed-roi.pdf"
        assert Path(download.value.path()).read_bytes() == PDF
        axe_check(page, f"messages-clinician-{lang}-{size}")
        screenshot(page, f"messages-clinician-{lang}-{size}")
    finally:
        context.close()
    assert elsewhere == []
