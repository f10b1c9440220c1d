"""Messages on a referral: the two sides only, files checked and stored aside, reads audited."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from referrals.errors import Denied, Invalid, Malformed, NotFound, TooLarge
from referrals.message_models import MessageAttachment, ReferralMessage
from referrals.use_cases import messages
from tests.referrals.world import PATIENT, actor_of, referral_payload, signed_in

NOW = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def rid(pcp, clinician, world):
    """A referral from Riverside to Jane, sent, with the referring clinician's email."""
    body = referral_payload(world, referrer={"name": "Dr. Ruiz", "email": "ruiz@example.org"})
    created = pcp.post("/api/v1/referrals", json=body)
    assert created.status_code == 201, created.get_data(as_text=True)
    referral_id = created.get_json()["id"]
    assert (
        pcp.post(f"/api/v1/referrals/{referral_id}/events", json={"type": "send"}).status_code
        == 200
    )
    return referral_id


@pytest.fixture
def store_dir(app, tmp_path):
    app.config["ATTACHMENT_DIR"] = str(tmp_path / "files")
    return tmp_path / "files"


def _audit(db, object_type):
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.id)
    )
    return [(r.action, r.outcome, r.object_id) for r in rows]


def test_the_pcp_posts_with_a_pdf_and_the_clinician_reads_and_downloads_it(
    pcp, clinician, rid, store_dir, db
):
    posted = messages.post(
        actor_of(pcp), rid, {"body": "Signed ROI attached."}, [("ROI signed.pdf", PDF)], NOW
    )

    assert (posted.side, posted.part2, posted.part2_basis) == ("referrer", False, [])
    [attachment] = posted.attachments
    assert (attachment.filename, attachment.media_type, attachment.size) == (
        "ROI signed.pdf",
        "application/pdf",
        len(PDF),
    )
    stored = store_dir / attachment.storage_key
    assert stored.read_bytes() == PDF and len(attachment.storage_key) == 64
    assert oct(stored.stat().st_mode & 0o777) == "0o600"

    shown = messages.thread(actor_of(clinician), rid)
    assert shown.side == "receiver"
    assert [m.body for m in shown.messages] == ["Signed ROI attached."]
    got = messages.download(actor_of(clinician), rid, attachment.id)
    assert got.data == PDF
    assert _audit(db, "referral_message") == [
        ("create", "ok", str(posted.id)),
        ("read", "ok", str(posted.id)),
    ]
    assert _audit(db, "message_attachment") == [("read", "ok", str(attachment.id))]


def test_an_outsider_gets_not_found_and_plan_staff_are_denied(app, pcp, rid, world, store_dir, db):
    other = signed_in(app, "pcp", world.other_pcp_org)
    with pytest.raises(NotFound):
        messages.thread(actor_of(other), rid)
    plan = signed_in(app, "plan_staff", world.plan_org, plans=[world.plan.id])
    with pytest.raises(Denied):
        messages.post(actor_of(plan), rid, {"body": "hello"}, [], NOW)
    assert _audit(db, "referral")[-2:] == [
        ("read", "denied", str(rid)),
        ("message", "denied", str(rid)),
    ]


@pytest.mark.parametrize(
    ("name", "data", "error", "code"),
    [
        ("roi.png", PDF, Invalid, "attachment_mismatch"),
        ("roi.pdf", PNG, Invalid, "attachment_mismatch"),
        ("run.exe", b"MZ\x90\x00\x03", Invalid, "attachment_type"),
        ("blob.txt", b"abc\x00def", Invalid, "attachment_type"),
        ("empty.pdf", b"", Invalid, "attachment_empty"),
    ],
)
def test_files_are_checked_by_their_bytes(pcp, rid, store_dir, db, name, data, error, code):
    with pytest.raises(error) as raised:
        messages.post(actor_of(pcp), rid, {"body": "see file"}, [(name, data)], NOW)
    assert raised.value.code == code
    assert db.session.scalars(select(ReferralMessage)).all() == []
    assert not store_dir.exists() or list(store_dir.iterdir()) == []


def test_the_size_cap_is_inclusive(app, pcp, rid, store_dir, db):
    app.config["MESSAGE_ATTACHMENT_MAX_BYTES"] = 64
    at_cap = b"%PDF-" + b"x" * 59
    posted = messages.post(actor_of(pcp), rid, {"body": "at cap"}, [("a.pdf", at_cap)], NOW)
    assert posted.attachments[0].size == 64
    with pytest.raises(TooLarge) as raised:
        messages.post(actor_of(pcp), rid, {"body": "over"}, [("b.pdf", at_cap + b"x")], NOW)
    assert raised.value.status == 413
    assert len(list(store_dir.iterdir())) == 1  # the refused file was never kept


def test_a_refused_message_leaves_no_file_behind(app, pcp, rid, store_dir, db):
    app.config["MESSAGE_ATTACHMENTS_MAX"] = 1
    with pytest.raises(Invalid):
        messages.post(actor_of(pcp), rid, {"body": "x"}, [("a.pdf", PDF), ("b.pdf", PDF)], NOW)
    with pytest.raises(Malformed):
        messages.post(actor_of(pcp), rid, {"body": ""}, [("a.pdf", PDF)], NOW)
    assert not store_dir.exists() or list(store_dir.iterdir()) == []
    assert db.session.scalars(select(MessageAttachment)).all() == []


def test_an_attachment_of_another_referral_is_not_found(app, pcp, clinician, rid, world, store_dir):
    posted = messages.post(actor_of(pcp), rid, {"body": "x"}, [("a.pdf", PDF)], NOW)
    second = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    with pytest.raises(NotFound):
        messages.download(actor_of(pcp), second, posted.attachments[0].id)


def test_the_other_side_is_emailed_without_phi(pcp, clinician, rid, store_dir, smtp_sink):
    messages.post(actor_of(pcp), rid, {"body": f"{PATIENT['name']} sleeps better"}, [], NOW)
    [to_jane] = smtp_sink.to(clinician.user.email)
    assert to_jane["Subject"] == f"New message on referral #{rid}"
    text = to_jane.get_payload()
    assert text == (
        f"There is a new message on referral #{rid}. Sign in to read it:\r\n"
        f"https://bh.example.org/referrals/{rid}\r\n"
    )
    messages.post(actor_of(clinician), rid, {"body": "Seen them today."}, [], NOW)
    [to_pcp] = smtp_sink.to("ruiz@example.org")
    assert to_pcp["Subject"] == f"New message on referral #{rid}"


def test_a_stored_key_never_names_a_path(app, tmp_path):
    from referrals.attachment_store import AttachmentStore

    with pytest.raises(NotFound):
        AttachmentStore(tmp_path).read("../secret_key")
    assert Path(tmp_path).exists()
