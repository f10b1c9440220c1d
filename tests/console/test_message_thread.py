"""The message thread on the referral page: both sides post and read it, files download."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from referrals.consent import PART2_NOTICE
from referrals.message_models import ReferralMessage
from tests.console.conftest import referral_form
from tests.referrals.fake_clamd import EICAR, clamd  # noqa: F401 (fixture)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def attachment_dir(app, tmp_path):
    app.config["ATTACHMENT_DIR"] = str(tmp_path / "attachments")


def _post(client, page, body, files=()):
    data = {"body": body, "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(
        f"{page}/messages", data=data, content_type="multipart/form-data", follow_redirects=True
    )


def test_the_pcp_posts_a_pdf_and_the_clinician_reads_and_downloads_it(
    world, signed_in, sent_referral
):
    pcp_page = f"/pcp/referrals/{sent_referral.id}"
    html = sent_referral.pcp.get(pcp_page).get_data(as_text=True)
    assert 'id="message-form"' in html and "No messages yet." in html

    posted = _post(sent_referral.pcp, pcp_page, "Signed ROI attached.", [("roi.pdf", PDF)])
    assert "Message sent." in posted.get_data(as_text=True)

    ana = signed_in("clinician", npi=world.ana.npi)
    page = ana.get(f"/clinician/referrals/{sent_referral.id}").get_data(as_text=True)
    assert "Signed ROI attached." in page and "roi.pdf" in page
    link = f"/clinician/referrals/{sent_referral.id}/messages/attachments/1"
    assert f'href="{link}"' in page
    got = ana.get(link)
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Disposition"] == "attachment; filename=roi.pdf"
    assert got.headers["X-Content-Type-Options"] == "nosniff"


def test_a_refused_file_is_said_in_the_page(db, sent_referral):
    page = f"/pcp/referrals/{sent_referral.id}"
    response = _post(sent_referral.pcp, page, "see scan", [("scan.png", PDF)])
    assert "A file&#39;s name does not match what it contains." in response.get_data(as_text=True)
    assert db.session.scalars(select(ReferralMessage)).all() == []


def test_scanner_refusals_are_said_in_the_page(app, db, sent_referral, clamd):  # noqa: F811
    app.config.update(CLAMD_ADDRESS=clamd.address, CLAMD_TIMEOUT_SECONDS=0.3)
    page = f"/pcp/referrals/{sent_referral.id}"
    flagged = _post(sent_referral.pcp, page, "see note", [("note.txt", EICAR)])
    text = flagged.get_data(as_text=True)
    assert "Not sent: the virus scanner flagged a file. Nothing was kept." in text
    clamd.silent = True
    down = _post(sent_referral.pcp, page, "see roi", [("roi.pdf", PDF)])
    text = down.get_data(as_text=True)
    assert "Not sent: files could not be scanned for viruses just now. Try again later." in text
    assert db.session.scalars(select(ReferralMessage)).all() == []


def test_part2_messages_are_labelled(world, signed_in, sent_referral):
    page = f"/pcp/referrals/{sent_referral.id}"
    html = _post(sent_referral.pcp, page, "Patient started methadone.").get_data(as_text=True)
    assert 'class="part2-label"' in html


def test_plan_staff_see_no_thread_and_another_clinician_gets_404(world, signed_in, sent_referral):
    staff = signed_in("plan_staff")
    shown = staff.get(f"/staff/referrals/{sent_referral.id}")
    assert shown.status_code == 200
    assert 'id="messages"' not in shown.get_data(as_text=True)
    ben = signed_in("clinician", npi=world.ben.npi)
    assert _post(ben, f"/clinician/referrals/{sent_referral.id}", "hi").status_code == 404
    download = f"/clinician/referrals/{sent_referral.id}/messages/attachments/1"
    assert ben.get(download).status_code == 404


def test_part2_messages_carry_the_notice_to_the_receiver(world, signed_in, sent_referral):
    page = f"/pcp/referrals/{sent_referral.id}"
    _post(sent_referral.pcp, page, "Patient started methadone.")
    ana = signed_in("clinician", npi=world.ana.npi)
    html = ana.get(f"/clinician/referrals/{sent_referral.id}").get_data(as_text=True)
    assert "Patient started methadone." in html
    assert 'class="notice-box part2"' in html
    assert "(42 CFR part 2)" in html


def test_a_part2_message_the_consent_does_not_cover_is_refused_in_the_page(db, world, signed_in):
    pcp = signed_in("pcp")
    form = referral_form(
        world.ana,
        consent_recipient_name=f"{world.ben.first_name} {world.ben.last_name}",
        consent_recipient_npi=world.ben.npi,
    )
    created = pcp.post("/pcp/referrals", data=form)
    assert created.status_code == 303, created.get_data(as_text=True)[-2000:]
    page = created.headers["Location"]

    html = _post(pcp, page, "Patient started methadone.").get_data(as_text=True)

    assert (
        "Not sent: this message names substance use disorder information (42 CFR part 2)."
        " Get the patient&#39;s 42 CFR part 2 consent naming the receiving clinician or"
        " practice, then send it."
    ) in html
    assert "Message sent." not in html
    assert db.session.scalars(select(ReferralMessage)).all() == []

    data = {"body": "Patient started methadone."}
    es = {"Accept-Language": "es"}
    pcp.post(f"{page}/messages", data=data, content_type="multipart/form-data", headers=es)
    html = pcp.get(page, headers=es).get_data(as_text=True)
    assert (
        "No enviado: este mensaje contiene información sobre un trastorno por consumo de"
        " sustancias (42 CFR part 2)."
    ) in html
    assert db.session.scalars(select(ReferralMessage)).all() == []


def test_a_part2_file_downloads_with_the_notice(world, signed_in, sent_referral):
    page = f"/pcp/referrals/{sent_referral.id}"
    note = b"Consult note: on methadone.\n"
    _post(sent_referral.pcp, page, "Consult note attached.", [("note.txt", note)])
    ana = signed_in("clinician", npi=world.ana.npi)
    got = ana.get(f"/clinician/referrals/{sent_referral.id}/messages/attachments/1")
    assert got.status_code == 200 and got.data == note
    assert got.headers["X-Part2-Notice"] == PART2_NOTICE


def test_a_reply_the_consent_no_longer_covers_is_withheld_in_the_page(db, world, signed_in):
    from referrals.models import Referral
    from tests.clock import service_today

    pcp = signed_in("pcp")
    form = referral_form(
        world.ana, consent_recipient_name="Riverside Primary Care", consent_recipient_npi=""
    )
    created = pcp.post("/pcp/referrals", data=form)
    assert created.status_code == 303, created.get_data(as_text=True)[-2000:]
    rid = int(created.headers["Location"].rsplit("/", 1)[1])
    ana = signed_in("clinician", npi=world.ana.npi)
    replied = _post(ana, f"/clinician/referrals/{rid}", "Started naltrexone today.")
    assert "Message sent." in replied.get_data(as_text=True)
    referral = db.session.get(Referral, rid)
    referral.consent.expires_on = service_today() - timedelta(days=1)
    db.session.commit()

    html = pcp.get(f"/pcp/referrals/{rid}").get_data(as_text=True)
    assert "Started naltrexone today." not in html
    assert 'class="message-withheld"' in html
    assert "the consent no longer permits showing it to you." in html
    es = pcp.get(f"/pcp/referrals/{rid}", headers={"Accept-Language": "es"})
    assert "el consentimiento ya no permite mostrárselo." in es.get_data(as_text=True)
