"""Status notices reach an opted-in patient by text (a loopback Twilio) or email (an SMTP sink)."""

import re
from email.header import decode_header, make_header
from urllib.parse import parse_qs

from sqlalchemy import select

from directory.extensions import db
from outbox.models import OutboxMessage
from referrals.models import Referral
from tests.referrals.smtp_sink import free_port
from tests.referrals.world import referral_payload

STOP_ES = "Responda STOP para no recibir más."


def _twilio(app, receiver):
    app.config.update(
        SMS_PROVIDER="twilio",
        SMS_API_URL=receiver.url + "/2010-04-01",
        SMS_ACCOUNT_SID="AC123",
        SMS_AUTH_TOKEN="tok",
        SMS_FROM="+16175550100",
    )


def _texts(receiver) -> list[dict]:
    return [{k: v[0] for k, v in parse_qs(r.body.decode()).items()} for r in receiver.requests]


def _sent(pcp, world, **overrides) -> int:
    body = referral_payload(world, **overrides)
    response = pcp.post("/api/v1/referrals", json=body)
    assert response.status_code == 201, response.get_json()
    rid = response.get_json()["id"]
    assert pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"}).status_code == 200
    return rid


def _step(clinician, rid, body):
    response = clinician.post(f"/api/v1/referrals/{rid}/events", json=body)
    assert response.status_code == 200, response.get_json()


def test_an_opted_in_patient_is_texted_each_step_in_spanish(app, pcp, clinician, world, receiver):
    _twilio(app, receiver)
    world.pcp_org.phone = "(617) 555-0100"
    db.session.commit()
    rid = _sent(pcp, world, patient_notices="sms")
    _step(clinician, rid, {"type": "acknowledge"})
    _step(clinician, rid, {"type": "accept"})  # not a patient notice
    _step(clinician, rid, {"type": "schedule", "appointment_at": "2030-01-07T15:00:00Z"})
    texts = _texts(receiver)
    assert [t["To"] for t in texts] == ["+16175550142"] * 3
    assert [t["Body"] for t in texts] == [
        "Riverside Primary Care: su remisión fue enviada. Deberían comunicarse con usted pronto. "
        f"Preguntas: (617) 555-0100. {STOP_ES}",
        "Riverside Primary Care: su remisión fue recibida y la están revisando. "
        f"Preguntas: (617) 555-0100. {STOP_ES}",
        "Riverside Primary Care: su cita es el 7 de enero de 2030 a las 10:00. "
        f"Preguntas: (617) 555-0100. {STOP_ES}",
    ]
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == "patient_notice")
    )
    assert {(m.channel, m.status, m.reference) for m in rows} == {
        ("sms", "sent", f"referral:{rid}")
    }


def test_a_decline_tells_the_patient_another_option_is_being_found(
    app, pcp, clinician, world, receiver
):
    _twilio(app, receiver)
    patient = {**referral_payload(world)["patient"], "preferred_language": "vi"}
    rid = _sent(pcp, world, patient=patient, patient_notices="sms")
    _step(clinician, rid, {"type": "acknowledge"})
    _step(clinician, rid, {"type": "decline", "reason": "not_clinical_fit"})
    assert _texts(receiver)[-1]["Body"] == (
        "Riverside Primary Care: that referral could not go ahead. We are finding another option "
        "for you. Reply STOP to stop."
    )


def test_a_patient_who_did_not_opt_in_hears_nothing(app, pcp, clinician, world, receiver):
    _twilio(app, receiver)
    rid = _sent(pcp, world)
    _step(clinician, rid, {"type": "acknowledge"})
    assert receiver.requests == []
    assert db.session.get(Referral, rid).patient_notices == "none"


def test_a_failed_text_never_blocks_the_transition(app, pcp, clinician, world, receiver):
    _twilio(app, receiver)
    receiver.statuses = [500, 500]
    rid = _sent(pcp, world, patient_notices="sms")
    response = clinician.post(f"/api/v1/referrals/{rid}/events", json={"type": "acknowledge"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "acknowledged"
    rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [(m.channel, m.status, m.attempts) for m in rows] == [
        ("sms", "pending", 1),
        ("sms", "pending", 1),
    ]


def test_texts_wait_in_the_outbox_only_when_a_provider_is_configured(app, pcp, clinician, world):
    rid = _sent(pcp, world, patient_notices="sms")  # SMS_PROVIDER is none
    _step(clinician, rid, {"type": "acknowledge"})
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_an_emailed_patient_gets_a_stop_link_without_phi(app, pcp, clinician, world, smtp_sink):
    rid = _sent(pcp, world, patient_notices="email", patient_email="maria@example.net")
    mails = smtp_sink.to("maria@example.net")
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in mails]
    assert subjects == ["Novedades sobre su remisión"]
    body = mails[0].get_payload(decode=True).decode()
    assert body.startswith("Riverside Primary Care: su remisión fue enviada.")
    link = body.strip().splitlines()[-1]
    # The link is the referral id, an expiry stamp and a signature, nothing else; whole PHI
    # values are looked for, since a timestamp or signature may hold "617" by chance.
    assert re.fullmatch(rf"https://bh\.example\.org/notices/stop/{rid}\.\d+\.[\w-]+", link)
    for phi in ("Maria", "Lopez", "maria@", "617-555-0142", "6175550142", "1988-04-12", "F32"):
        assert phi not in link


def test_choosing_a_channel_needs_an_address(pcp, world):
    response = pcp.post("/api/v1/referrals", json=referral_payload(world, patient_notices="email"))
    assert response.status_code == 400
    assert "patient_email" in response.get_json()["errors"]
    patient = {**referral_payload(world)["patient"], "phone": "555"}
    response = pcp.post(
        "/api/v1/referrals", json=referral_payload(world, patient=patient, patient_notices="sms")
    )
    assert response.status_code == 400
    assert "patient_notices" in response.get_json()["errors"]
    response = pcp.post("/api/v1/referrals", json=referral_payload(world, patient_notices="fax"))
    assert response.status_code == 400


def test_a_mail_failure_keeps_the_patient_email_queued(app, pcp, clinician, world):
    app.config.update(MAIL_ENABLED=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    rid = _sent(pcp, world, patient_notices="email", patient_email="maria@example.net")
    assert db.session.get(Referral, rid).status == "sent"
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.destination == "maria@example.net")
    )
    assert [(m.status, m.attempts, m.purpose) for m in rows] == [("pending", 1, "patient_notice")]


def test_the_answer_says_which_notices_the_patient_chose(pcp, world):
    body = referral_payload(world, patient_notices="email", patient_email="maria@example.net")
    created = pcp.post("/api/v1/referrals", json=body).get_json()
    assert created["patient_notices"] == "email"
    shown = pcp.get(f"/api/v1/referrals/{created['id']}").get_json()
    assert shown["patient_notices"] == "email"
    assert shown["patient"]["email"] == "maria@example.net"


def test_a_re_referral_keeps_the_patients_choice(app, pcp, clinician, world, receiver):
    _twilio(app, receiver)
    rid = _sent(pcp, world, patient_notices="sms")
    _step(clinician, rid, {"type": "acknowledge"})
    _step(clinician, rid, {"type": "decline", "reason": "not_clinical_fit"})
    response = pcp.post(f"/api/v1/referrals/{rid}/rerefer", json={"clinician_npi": world.omar.npi})
    assert response.status_code in (200, 201), response.get_json()
    bodies = [t["Body"] for t in _texts(receiver)]
    assert [b.split(": ", 1)[1].split(".")[0] for b in bodies] == [
        "su remisión fue enviada",
        "su remisión fue recibida y la están revisando",
        "esa remisión no pudo seguir adelante",
        "su remisión fue enviada",
    ]
