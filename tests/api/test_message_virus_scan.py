"""With CLAMD_ADDRESS set, every message file is scanned before it is kept; fail closed."""

import io

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from referrals.message_models import MessageAttachment, ReferralMessage
from tests.referrals.fake_clamd import EICAR, clamd  # noqa: F401 (fixture)
from tests.referrals.world import build_world, referral_payload

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def world(app, tmp_path):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    app.config["ATTACHMENT_DIR"] = str(tmp_path / "attachments")
    return build_world()


@pytest.fixture
def rid(pcp, world):
    referral_id = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    pcp.post(f"/api/v1/referrals/{referral_id}/events", json={"type": "send"})
    return referral_id


def _upload(client, rid, *files):
    form = {"body": "Attached.", "files": [(io.BytesIO(data), name) for name, data in files]}
    url = f"/api/v1/referrals/{rid}/messages"
    return client.post(url, data=form, content_type="multipart/form-data")


def _kept(tmp_path):
    stored = list((tmp_path / "attachments").glob("**/*.*"))
    return db.session.scalars(select(ReferralMessage.id)).all(), stored


def _last_audit():
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    return event.action, event.outcome


def test_clean_files_are_scanned_then_kept(app, pcp, rid, clamd):  # noqa: F811
    app.config["CLAMD_ADDRESS"] = clamd.address
    posted = _upload(pcp, rid, ("roi.pdf", PDF), ("note.txt", b"Seen today.\n"))
    assert posted.status_code == 201, posted.get_data(as_text=True)
    assert clamd.streams == [PDF, b"Seen today.\n"]
    assert len(db.session.scalars(select(MessageAttachment)).all()) == 2


def test_a_flagged_file_refuses_the_whole_message(app, pcp, rid, clamd, tmp_path):  # noqa: F811
    app.config["CLAMD_ADDRESS"] = clamd.address
    refused = _upload(pcp, rid, ("roi.pdf", PDF), ("note.txt", b"see " + EICAR + b"\n"))
    assert refused.status_code == 422
    problem = refused.get_json()
    assert problem["error_code"] == "attachment_infected"
    assert problem["detail"] == "note.txt was refused: the virus scanner found Eicar-Test-Signature"
    assert _last_audit() == ("message", "blocked")
    assert _kept(tmp_path) == ([], [])


def test_a_scanner_that_does_not_answer_keeps_nothing(app, pcp, rid, clamd, tmp_path):  # noqa: F811
    clamd.silent = True
    app.config.update(CLAMD_ADDRESS=clamd.address, CLAMD_TIMEOUT_SECONDS=0.3)
    refused = _upload(pcp, rid, ("roi.pdf", PDF))
    assert refused.status_code == 503
    assert refused.get_json()["error_code"] == "attachment_scanner"
    assert _last_audit() == ("message", "invalid")
    assert _kept(tmp_path) == ([], [])


def test_unset_nothing_is_scanned(app, pcp, rid, clamd):  # noqa: F811
    assert app.config["CLAMD_ADDRESS"] is None
    assert _upload(pcp, rid, ("note.txt", b"see " + EICAR + b"\n")).status_code == 201
    assert clamd.commands == []


def test_a_message_without_files_never_calls_the_scanner(app, pcp, rid, clamd):  # noqa: F811
    app.config["CLAMD_ADDRESS"] = clamd.address
    posted = pcp.post(f"/api/v1/referrals/{rid}/messages", json={"body": "Any news?"})
    assert posted.status_code == 201
    assert clamd.commands == []
