"""GET/POST /api/v1/referrals/{id}/messages and attachment downloads over the API."""

import io
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import select

from audit.models import AuditEvent
from referrals.consent import PART2_NOTICE
from referrals.message_consent import TO_RECEIVER
from tests.clock import service_today
from tests.referrals.world import (
    bearer,
    build_world,
    part2_consent,
    referral_payload,
    signed_in,
    sud_payload,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def world(app, db, tmp_path):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"  # fast sign-ins in tests
    app.config["ATTACHMENT_DIR"] = str(tmp_path / "attachments")
    return build_world()


@pytest.fixture
def rid(pcp, world):
    created = pcp.post("/api/v1/referrals", json=referral_payload(world))
    assert created.status_code == 201, created.get_data(as_text=True)
    referral_id = created.get_json()["id"]
    assert (
        pcp.post(f"/api/v1/referrals/{referral_id}/events", json={"type": "send"}).status_code
        == 200
    )
    return referral_id


def _upload(client, rid, name, data, body="ROI attached", **kwargs):
    form = {"body": body, "files": [(io.BytesIO(data), name)]}
    return client.post(
        f"/api/v1/referrals/{rid}/messages",
        data=form,
        content_type="multipart/form-data",
        **kwargs,
    )


def _audit(object_type):
    from directory.extensions import db

    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.id)
    )
    return [(r.action, r.outcome, r.object_id) for r in rows]


def test_a_pdf_posted_by_the_pcp_is_listed_and_downloaded_by_the_clinician(pcp, jane, rid):
    posted = _upload(pcp, rid, "signed ROI.pdf", PDF)

    assert posted.status_code == 201, posted.get_data(as_text=True)
    message = posted.get_json()
    [attachment] = message["attachments"]
    assert (message["side"], message["body"], message["part2"]) == (
        "referrer",
        "ROI attached",
        False,
    )
    assert (attachment["filename"], attachment["media_type"], attachment["size"]) == (
        "signed ROI.pdf",
        "application/pdf",
        len(PDF),
    )

    listed = jane.get(f"/api/v1/referrals/{rid}/messages")
    assert listed.status_code == 200
    assert [m["id"] for m in listed.get_json()["items"]] == [message["id"]]

    got = jane.get(attachment["href"])
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["Content-Disposition"] == 'attachment; filename="signed ROI.pdf"'
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Cache-Control"] == "no-store"
    assert _audit("referral_message") == [
        ("create", "ok", str(message["id"])),
        ("read", "ok", str(message["id"])),
    ]
    assert _audit("message_attachment") == [("read", "ok", str(attachment["id"]))]


def _sent(pcp, body) -> int:
    created = pcp.post("/api/v1/referrals", json=body)
    assert created.status_code == 201, created.get_data(as_text=True)
    referral_id = created.get_json()["id"]
    sent = pcp.post(f"/api/v1/referrals/{referral_id}/events", json={"type": "send"})
    assert sent.status_code == 200, sent.get_data(as_text=True)
    return referral_id


def test_a_part2_message_with_a_covering_consent_carries_the_notice(pcp, jane, world):
    rid = _sent(pcp, sud_payload(world))
    posted = pcp.post(f"/api/v1/referrals/{rid}/messages", json={"body": "Plan: naltrexone."})
    assert posted.status_code == 201, posted.get_data(as_text=True)
    assert posted.get_json()["part2"] is True
    assert posted.get_json()["part2_basis"] == ["message:naltrexone"]
    assert posted.get_json()["part2_notice"] == PART2_NOTICE

    note = b"Consult note: on methadone.\n"
    _upload(pcp, rid, "note.txt", note, body="Consult note attached.")
    [_, second] = jane.get(f"/api/v1/referrals/{rid}/messages").get_json()["items"]
    assert (second["part2"], second["part2_notice"]) == (True, PART2_NOTICE)
    got = jane.get(second["attachments"][0]["href"])
    assert got.status_code == 200 and got.data == note
    assert got.headers["X-Part2-Notice"] == PART2_NOTICE


def test_a_part2_message_without_part2_consent_is_refused(pcp, rid, tmp_path):
    note = b"Diagnosis F11.20.\n"
    refused = _upload(pcp, rid, "note.txt", note, body="Consult note attached.")

    assert refused.status_code == 422, refused.get_data(as_text=True)
    problem = refused.get_json()
    assert problem["error_code"] == "part2_message_consent"
    assert problem["detail"] == TO_RECEIVER
    assert problem["errors"] == {
        "consent": {"consent": "a substance use disorder referral needs a 42 CFR part 2 consent"}
    }
    assert _audit("referral")[-1] == ("message", "blocked", str(rid))
    assert list((tmp_path / "attachments").glob("*")) == []
    assert pcp.get(f"/api/v1/referrals/{rid}/messages").get_json()["items"] == []


def test_a_plain_download_carries_no_part2_notice(pcp, jane, rid):
    posted = _upload(pcp, rid, "roi.pdf", PDF).get_json()
    got = jane.get(posted["attachments"][0]["href"])
    assert got.status_code == 200 and "X-Part2-Notice" not in got.headers
    assert "part2_notice" not in posted


def test_outsiders_get_404_and_plan_staff_403(app, world, rid):
    other_pcp = signed_in(app, "pcp", world.other_pcp_org)
    omar = signed_in(app, "clinician", world.other_practice, npi=world.omar.npi)
    plan = signed_in(app, "plan_staff", world.plan_org, plans=[world.plan.id])

    assert other_pcp.get(f"/api/v1/referrals/{rid}/messages").status_code == 404
    assert _upload(omar, rid, "a.pdf", PDF).status_code == 404
    refused = plan.get(f"/api/v1/referrals/{rid}/messages")
    assert refused.status_code == 403
    assert refused.get_json()["detail"] == (
        "only the referring practice and the receiving clinician take part in messages"
    )
    assert _audit("referral")[-3:] == [
        ("read", "denied", str(rid)),
        ("message", "denied", str(rid)),
        ("read", "denied", str(rid)),
    ]


def test_an_unsent_referral_is_not_found_for_the_clinician(pcp, jane, world):
    draft = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    assert jane.get(f"/api/v1/referrals/{draft}/messages").status_code == 404


def test_the_size_cap_is_exact(app, pcp, rid):
    app.config["MESSAGE_ATTACHMENT_MAX_BYTES"] = 1000
    at_cap = PDF + b"x" * (1000 - len(PDF))

    assert _upload(pcp, rid, "at.pdf", at_cap).status_code == 201
    over = _upload(pcp, rid, "over.pdf", at_cap + b"x")
    assert over.status_code == 413
    assert over.get_json()["detail"] == "over.pdf is larger than 1000 bytes"


@pytest.mark.parametrize(
    ("name", "data", "detail"),
    [
        ("roi.png", PDF, "roi.png holds application/pdf, which its name does not say"),
        ("macro.docm", b"PK\x03\x04zip", "macro.docm is not PDF, PNG, JPEG or plain text"),
        (
            "../../etc/x.pdf",
            b"GIF89a\x01\x00\x01\x00\x80\x00",
            "x.pdf is not PDF, PNG, JPEG or plain text",
        ),
    ],
)
def test_a_file_of_another_type_is_422(pcp, rid, name, data, detail):
    refused = _upload(pcp, rid, name, data)
    assert refused.status_code == 422
    assert refused.get_json()["detail"] == detail


def test_a_key_may_upload_past_the_default_body_limit(world, jane, rid, make_api_key):
    # 2 MB: over MAX_CONTENT_LENGTH (1 MB), under the 10 MB file cap.
    key = make_api_key(world.practice, scopes=("referrals:read", "referrals:write"))
    big = PDF + b"0" * (2 * 1024 * 1024)

    posted = _upload(jane.application.test_client(), rid, "scan.pdf", big, headers=bearer(key))

    assert posted.status_code == 201, posted.get_data(as_text=True)
    assert posted.get_json()["attachments"][0]["size"] == len(big)


def test_an_unknown_caller_keeps_the_default_body_limit(app, world, rid):
    big = PDF + b"0" * (2 * 1024 * 1024)
    # The test's app context outlives requests: drop the user the PCP's last request left in g
    # (a served request starts with a fresh g).
    g.pop("_login_user", None)
    refused = _upload(app.test_client(), rid, "scan.pdf", big, headers=bearer("bad-key"))
    assert refused.status_code == 413


def test_a_body_past_the_upload_limit_is_413(app, pcp, rid):
    app.config["MESSAGE_UPLOAD_MAX_MB"] = 1
    assert _upload(pcp, rid, "scan.pdf", PDF + b"0" * (1024 * 1024)).status_code == 413


def test_an_attachment_id_of_another_referral_is_404(pcp, rid, world):
    posted = _upload(pcp, rid, "a.pdf", PDF).get_json()
    second = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    url = f"/api/v1/referrals/{second}/messages/attachments/{posted['attachments'][0]['id']}"
    assert pcp.get(url).status_code == 404


def test_the_edge_screens_upload_names_and_fields(pcp, rid, db):
    named = _upload(pcp, rid, "roi\x00.pdf", PDF)
    assert named.status_code == 400
    assert named.get_json()["errors"] == {
        "files (file name)": ["contains a NUL character (U+0000)"]
    }
    field = _upload(pcp, rid, "roi.pdf", PDF, body="a\x00b")
    assert field.status_code == 400
    assert field.get_json()["errors"] == {"body": ["contains a NUL character (U+0000)"]}
    assert _audit("referral_message") == []


def test_a_body_over_the_text_limit_is_refused(pcp, rid):
    refused = pcp.post(f"/api/v1/referrals/{rid}/messages", json={"body": "x" * 10001})
    assert refused.status_code == 400
    assert list(refused.get_json()["errors"]) == ["body"]
    at_limit = pcp.post(f"/api/v1/referrals/{rid}/messages", json={"body": "x" * 10000})
    assert at_limit.status_code == 201


def test_the_download_documents_every_type_it_may_answer_with(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    path = "/referrals/{referral_id}/messages/attachments/{attachment_id}"
    content = spec["paths"][path]["get"]["responses"]["200"]["content"]
    assert sorted(content) == ["application/pdf", "image/jpeg", "image/png", "text/plain"]
    posting = spec["paths"]["/referrals/{referral_id}/messages"]["post"]["requestBody"]
    assert sorted(posting["content"]) == ["application/json", "multipart/form-data"]


def test_a_reply_the_consent_no_longer_covers_is_withheld_from_the_referrer(pcp, jane, world):
    from directory.extensions import db
    from referrals.models import Referral

    both = [{"name": "Jane Smith", "npi": world.jane.npi}, {"name": "Riverside Primary Care"}]
    rid = _sent(pcp, referral_payload(world, consent=part2_consent(world, recipients=both)))
    posted = _upload(jane, rid, "plan.txt", b"Plan: naltrexone.\n", body="Plan attached.")
    assert posted.status_code == 201, posted.get_data(as_text=True)
    href = posted.get_json()["attachments"][0]["href"]
    referral = db.session.get(Referral, rid)
    referral.consent.expires_on = service_today() - timedelta(days=1)
    db.session.commit()

    [item] = pcp.get(f"/api/v1/referrals/{rid}/messages").get_json()["items"]
    yesterday = (service_today() - timedelta(days=1)).isoformat()
    assert (item["body"], item["attachments"], item["part2_basis"]) == (None, [], [])
    assert item["withheld"] == {"expires_on": f"the consent expired on {yesterday}"}
    refused = pcp.get(href)
    assert refused.status_code == 422
    assert refused.get_json()["error_code"] == "part2_withheld"
    [own] = jane.get(f"/api/v1/referrals/{rid}/messages").get_json()["items"]
    assert own["body"] == "Plan attached." and "withheld" not in own
