"""Stopping a patient's notices: a signed STOP text from the provider, or an email's stop link."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from directory.models.verification import utcnow
from outbox.models import OutboxMessage
from referrals.notice_models import NoticeOptOut
from referrals.notice_optout import stop_token, twilio_signature
from tests.referrals.world import build_world, referral_payload, signed_in

BASE = "https://bh.example.org"


@pytest.fixture
def sides(app):
    """A PCP and Jane's clinician user, signed in, over the small referral world."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    app.config["APP_BASE_URL"] = BASE
    world = build_world()
    pcp = signed_in(app, "pcp", world.pcp_org)
    clinician = signed_in(app, "clinician", world.practice, npi=world.jane.npi)
    return world, pcp, clinician


def _twilio(app, receiver):
    app.config.update(
        SMS_PROVIDER="twilio",
        SMS_API_URL=receiver.url + "/2010-04-01",
        SMS_ACCOUNT_SID="AC123",
        SMS_AUTH_TOKEN="tok",
        SMS_FROM="+16175550100",
    )


def _sent(pcp, world, **overrides) -> int:
    rid = pcp.post("/api/v1/referrals", json=referral_payload(world, **overrides)).get_json()["id"]
    assert pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"}).status_code == 200
    return rid


def _inbound(client, body: str, token: str = "tok", sender: str = "+16175550142"):
    params = {"From": sender, "To": "+16175550100", "Body": body, "MessageSid": "SM1"}
    signature = twilio_signature(token, f"{BASE}/sms/inbound", params)
    return client.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": signature})


def _actions() -> list[tuple[str, str, str | None, str]]:
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    return [
        (e.action, e.object_type, e.object_id, e.outcome)
        for e in rows
        if "opt" in e.action or e.action == "sms_inbound"
    ]


def test_stop_by_text_stops_the_next_notices(app, client, sides, receiver):
    world, pcp, clinician = sides
    _twilio(app, receiver)
    rid = _sent(pcp, world, patient_notices="sms")
    assert len(receiver.requests) == 1
    response = _inbound(client, "Stop")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert response.get_data(as_text=True).endswith("<Response></Response>")
    clinician.post(f"/api/v1/referrals/{rid}/events", json={"type": "acknowledge"})
    assert len(receiver.requests) == 1
    row = db.session.scalar(select(NoticeOptOut))
    assert row.channel == "sms" and "617" not in row.address_key
    assert _actions() == [("opt_out", "patient_notice", str(row.id), "ok")]


def test_start_by_text_resumes_them(app, client, sides, receiver):
    world, pcp, clinician = sides
    _twilio(app, receiver)
    rid = _sent(pcp, world, patient_notices="sms")
    _inbound(client, "STOP")
    _inbound(client, "start")
    clinician.post(f"/api/v1/referrals/{rid}/events", json={"type": "acknowledge"})
    bodies = [parse_qs(r.body.decode())["Body"][0] for r in receiver.requests]
    assert len(bodies) == 2 and "recibida" in bodies[1]
    assert db.session.scalars(select(NoticeOptOut)).all() == []


def test_an_unsigned_or_missigned_text_is_refused_and_audited(app, client, sides):
    app.config["SMS_AUTH_TOKEN"] = "tok"
    assert _inbound(client, "STOP", token="wrong").status_code == 403
    response = client.post("/sms/inbound", data={"From": "+16175550142", "Body": "STOP"})
    assert response.status_code == 403
    assert db.session.scalars(select(NoticeOptOut)).all() == []
    assert _actions() == [("sms_inbound", "patient_notice", None, "denied")] * 2


def test_other_replies_change_nothing(app, client, sides):
    app.config["SMS_AUTH_TOKEN"] = "tok"
    assert _inbound(client, "when is my appointment?").status_code == 200
    assert db.session.scalars(select(NoticeOptOut)).all() == []


def test_the_email_stop_link_asks_then_stops(app, client, sides, smtp_sink):
    world, pcp, clinician = sides
    rid = _sent(pcp, world, patient_notices="email", patient_email="maria@example.net")
    mail = smtp_sink.to("maria@example.net")[0].get_payload(decode=True).decode()
    path = mail.strip().splitlines()[-1].removeprefix(BASE)
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Stop the emails" in page.get_data(as_text=True)
    assert db.session.scalars(select(NoticeOptOut)).all() == []  # a GET changes nothing
    done = client.post(path)
    assert "We will not email you about this referral again." in done.get_data(as_text=True)
    clinician.post(f"/api/v1/referrals/{rid}/events", json={"type": "acknowledge"})
    assert len(smtp_sink.to("maria@example.net")) == 1
    row = db.session.scalar(select(NoticeOptOut))
    assert _actions() == [
        ("opt_out", "referral", str(rid), "ok"),
        ("opt_out", "patient_notice", str(row.id), "ok"),
    ]
    assert "maria" not in path and "Maria" not in path


def test_an_expired_or_forged_link_stops_nothing(app, client, sides, smtp_sink):
    world, pcp, _clinician = sides
    rid = _sent(pcp, world, patient_notices="email", patient_email="maria@example.net")
    old = stop_token(app.config["SECRET_KEY"], rid, utcnow() - timedelta(days=91), 90)
    forged = stop_token("another-secret", rid, utcnow(), 90)
    for token in (old, forged):
        assert client.get(f"/notices/stop/{token}").status_code == 404
        response = client.post(f"/notices/stop/{token}")
        assert response.status_code == 404
        assert "This link has expired or is not valid." in response.get_data(as_text=True)
    assert db.session.scalars(select(NoticeOptOut)).all() == []
    assert _actions() == [("opt_out", "patient_notice", None, "denied")] * 2


def test_an_opted_out_address_is_not_queued_for_a_new_referral(app, client, sides, receiver):
    world, pcp, _clinician = sides
    _twilio(app, receiver)
    app.config["SMS_AUTH_TOKEN"] = "tok"
    _inbound(client, "STOP")
    _sent(pcp, world, patient_notices="sms")
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_the_stop_page_speaks_spanish(app, client, sides, smtp_sink):
    world, pcp, _clinician = sides
    rid = _sent(pcp, world, patient_notices="email", patient_email="maria@example.net")
    token = stop_token(app.config["SECRET_KEY"], rid, utcnow(), 90)
    app.config["WEB_LOCALES"] = ["en", "es"]
    headers = {"Accept-Language": "es"}
    page = client.get(f"/notices/stop/{token}", headers=headers).get_data(as_text=True)
    assert "¿Dejar de recibir correos sobre el estado de su remisión?" in page
    done = client.post(f"/notices/stop/{token}", headers=headers).get_data(as_text=True)
    assert "Listo. No le enviaremos más correos sobre esta remisión." in done
