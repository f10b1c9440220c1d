"""Email notices through a real local SMTP server: links and statuses, never PHI."""

from tests.referrals.smtp_sink import free_port
from tests.referrals.world import PATIENT, referral_payload

PHI = (
    PATIENT["name"],
    "Maria",
    "Lopez",
    PATIENT["birth_date"],
    PATIENT["phone"],
    PATIENT["member_id"],
    "F32.1",
    "Low mood",
    "metformin",
    "diabetes",
)


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def _assert_no_phi(message) -> None:
    text = f"{message['Subject']}\n{_body(message)}"
    for value in PHI:
        assert value not in text, value


def _send(pcp, world) -> int:
    rid = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    assert pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"}).status_code == 200
    return rid


def test_clinician_is_emailed_a_link_to_a_new_referral(pcp, clinician, world, smtp_sink):
    rid = _send(pcp, world)
    received = smtp_sink.to(clinician.user.email)
    assert len(received) == 1
    message = received[0]
    assert message["From"] == "referrals@bh.example.org"
    assert message["Subject"] == f"New referral #{rid}"
    assert f"https://bh.example.org/referrals/{rid}\r\n" in _body(message)
    _assert_no_phi(message)
    # Sending is the PCP's own step: no notice back to them for it.
    assert smtp_sink.to(pcp.user.email) == []


def test_pcp_is_emailed_on_each_status_change(pcp, clinician, world, smtp_sink):
    rid = _send(pcp, world)
    steps = [
        ({"type": "acknowledge"}, "acknowledged"),
        ({"type": "accept"}, "accepted"),
        ({"type": "schedule", "appointment_at": "2030-01-07T15:00:00Z"}, "scheduled"),
        ({"type": "no_show"}, "no_show"),
        ({"type": "close", "note": "Patient Maria Lopez did not attend; tried twice"}, "closed"),
    ]
    for body, _status in steps:
        response = clinician.post(f"/api/v1/referrals/{rid}/events", json=body)
        assert response.status_code == 200
    received = smtp_sink.to(pcp.user.email)
    assert [m["Subject"] for m in received] == [f"Referral #{rid} {s}" for _, s in steps]
    for message in received:
        _assert_no_phi(message)
        assert f"bh.example.org/referrals/{rid}\r\n" in _body(message)


def test_clinician_hears_when_a_referral_is_cancelled(pcp, clinician, world, smtp_sink):
    rid = _send(pcp, world)
    pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "cancel", "note": "moved away"})
    subjects = [m["Subject"] for m in smtp_sink.to(clinician.user.email)]
    assert subjects == [f"New referral #{rid}", f"Referral #{rid} cancelled"]


def test_a_mail_failure_never_breaks_the_transition(app, pcp, clinician, world, caplog):
    app.config.update(MAIL_ENABLED=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    rid = _send(pcp, world)
    response = clinician.post(f"/api/v1/referrals/{rid}/events", json={"type": "acknowledge"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "acknowledged"
    assert "not sent" in caplog.text
    assert "@example.org" not in caplog.text and "Maria" not in caplog.text


def test_mail_off_sends_nothing(app, pcp, clinician, world, smtp_sink):
    app.config["MAIL_ENABLED"] = False
    _send(pcp, world)
    assert smtp_sink.messages == []
