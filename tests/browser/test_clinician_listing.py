"""Issue 17 item 12 in Chromium: the clinician's inbox and listing, the admin's review pages.

At 390 px and 1366 px, English and Spanish: the inbox fits a phone; a "not accepting" decline
flags the listing and prompts a one-click "not accepting" update (the attestation box starts
unticked), then the clinician attests; "Mark verified" asks the method and the evidence;
an upload's run names the uploaded file. axe finds no serious or critical problem and no
request leaves the origin (the shared `tab`).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from accounts.users import create_user
from directory.extensions import db
from directory.models import Clinician, Organization
from directory.npi import npi_check_digit
from referrals.models import Referral, ReferralEvent
from tests.browser.sessions import open_signed_in
from tests.browser.test_profiles_and_results import CASES, _fits
from tests.browser.test_referral_flow import PASSWORD

WORDS = {
    "en": {"flagged": "Flagged for review: ", "saved": "Saved and attested",
           "prompt": "You declined a referral as not accepting new patients on ",
           "marked": "Saved: your listing says you are not accepting new patients.",
           "method": "Say how the listing was verified (method) and what confirmed it.",
           "verified": "marked verified."},
    "es": {"flagged": "Señalada para revisión: ", "saved": "Guardado y certificado",
           "prompt": " rechazó una derivación porque no acepta pacientes nuevos. ",
           "marked": "Guardado: su ficha dice que no acepta pacientes nuevos.",
           "method": "Indique cómo se verificó el listado (método) y qué lo confirmó.",
           "verified": "marcado como verificado."},
}  # fmt: skip


@dataclass(frozen=True)
class Desk:
    """A fresh clinician with one sent referral, its user, and an admin."""

    clinician_email: str
    admin_email: str
    name: str
    referral_id: int
    clinician_id: int


@pytest.fixture
def desk(live_server) -> Desk:
    """A clinician of this test only, so flags and attestations touch no other test's data."""
    run = uuid.uuid4().hex[:8]
    first_nine = f"18{uuid.uuid4().int % 10**7:07d}"
    npi = first_nine + str(npi_check_digit(first_nine))
    with live_server.app.app_context():
        practice = Organization(name=f"Listing practice {run}", kind="pcp_practice")
        clinician = Clinician(npi=npi, first_name="Noor", last_name=f"Haddad{run[:4]}")
        db.session.add_all([practice, clinician])
        db.session.flush()
        sent = datetime.now(UTC)
        referral = Referral(status="sent", referring_organization_id=practice.id,
                            clinician_id=clinician.id, created_by="user:browser",
                            patient_name="Browser Patient", patient_birth_date=date(1980, 1, 1),
                            reason="Low mood", sent_at=sent)  # fmt: skip
        referral.events.append(
            ReferralEvent(type="send", from_status="draft", to_status="sent",
                          actor="user:browser", actor_role="pcp", at=sent)
        )  # fmt: skip
        db.session.add(referral)
        user, _ = create_user(f"lst-{run}@example.org", "clinician", f"Haddad {run}", PASSWORD, npi)
        admin, _ = create_user(f"adm-{run}@example.org", "admin", f"Ops {run}", PASSWORD)
        db.session.commit()
        found = Desk(user.email, admin.email, clinician.display_name, referral.id, clinician.id)
        db.session.remove()
    return found


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_inbox_fits_and_a_not_accepting_decline_flags_the_listing(
    live_server, tab, desk, axe_check, screenshot, size, lang
):
    page = open_signed_in(tab, live_server, desk.clinician_email, size, lang)
    page.goto(live_server.url("/clinician/"))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.get_by_role("link", name=f"#{desk.referral_id}").is_visible()
    _fits(page, size)
    axe_check(page, f"clinician-inbox-{size}-{lang}")
    screenshot(page, f"clinician-inbox-{size}-{lang}")

    page.get_by_role("link", name=f"#{desk.referral_id}").click()
    page.locator("#decline-reason").select_option("not_accepting_new_patients")
    page.locator("button[name=type][value=decline]").click()
    page.wait_for_url(re.compile(rf"/clinician/referrals/{desk.referral_id}$"))
    _fits(page, size)

    page.goto(live_server.url("/clinician/listing"))
    assert WORDS[lang]["flagged"] in page.locator("main").inner_text()
    assert WORDS[lang]["prompt"] in page.locator("main").inner_text()
    assert not page.locator("input[name=attest]").is_checked()  # attesting is a deliberate act
    _fits(page, size)
    axe_check(page, f"clinician-listing-prompt-{size}-{lang}")
    page.locator("button[name=accepting][value=no]").click()
    page.wait_for_load_state()
    assert WORDS[lang]["marked"] in page.locator("main").inner_text()
    assert WORDS[lang]["prompt"] not in page.locator("main").inner_text()
    assert page.locator("input[name=accepting][value=no]").is_checked()
    page.locator("input[name=attest]").check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert WORDS[lang]["saved"] in page.locator("main").inner_text()
    assert WORDS[lang]["flagged"] not in page.locator("main").inner_text()
    assert page.locator("input[name=accepting][value=no]").is_checked()
    _fits(page, size)
    axe_check(page, f"clinician-listing-{size}-{lang}")
    screenshot(page, f"clinician-listing-{size}-{lang}")


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_mark_verified_asks_the_method_and_evidence(
    live_server, tab, desk, axe_check, screenshot, size, lang
):
    with live_server.app.app_context():
        clinician = db.session.get(Clinician, desk.clinician_id)
        clinician.flagged_reason = "Not accepting new patients"
        clinician.flagged_at = datetime.now(UTC)
        db.session.commit()
        db.session.remove()
    page = open_signed_in(tab, live_server, desk.admin_email, size, lang)
    page.goto(live_server.url("/admin/listings"))
    row = page.locator("tr", has_text=desk.name)
    method = row.locator("select[name=method]")
    row.locator("button[value=verify]").click()  # the browser holds the form: no method chosen
    assert method.evaluate("select => select.validity.valueMissing") is True
    method.select_option("phone_call")
    row.locator("button[value=verify]").click()  # a method without evidence: the server refuses
    page.wait_for_load_state()
    assert WORDS[lang]["method"] in page.locator("main").inner_text()
    row = page.locator("tr", has_text=desk.name)
    row.locator("select[name=method]").select_option("phone_call")
    row.locator("input[name=evidence]").fill("Front desk, by phone")
    row.locator("button[value=verify]").click()
    page.wait_for_load_state()
    assert f"{desk.name} {WORDS[lang]['verified']}" in page.locator("main").inner_text()
    _fits(page, size)  # at 390 px the review table stacks into one card per listing
    axe_check(page, f"admin-listings-{size}-{lang}")
    screenshot(page, f"admin-listings-{size}-{lang}")


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_an_upload_names_the_uploaded_file(
    live_server, tab, desk, axe_check, screenshot, size, lang
):
    page = open_signed_in(tab, live_server, desk.admin_email, size, lang)
    page.goto(live_server.url("/admin/ingest"))
    page.locator("input[name=kind][value=roster]").check()
    # Missing required columns: the run is refused and loads nothing into the shared directory.
    name = f"march-roster-{size}-{lang}.csv"
    page.locator("#file").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": b"npi,last_name\n1903141871,X\n"}]
    )
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/ingest/\d+$"))
    assert page.locator("main p").first.inner_text().startswith(f"{name} · ")
    page.goto(live_server.url("/admin/ingest"))
    assert page.locator("table", has_text=name).count() == 1
    _fits(page, size)
    axe_check(page, f"admin-ingest-{size}-{lang}")
    screenshot(page, f"admin-ingest-{size}-{lang}")
