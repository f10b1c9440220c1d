"""Sending a request, listing it for the clinician's side, answering it: audit and messages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts.users import create_user
from appointments.models import AppointmentRequest
from appointments.response_time import ResponseSummary
from appointments.statuses import NotAllowed
from appointments.use_cases import RequestNotFound, answer, inbox, response_summary, submit
from audit.models import AuditEvent
from directory.extensions import db
from tests.appointments.world import NOW, actor_for, given
from tests.conftest import DEFAULT_PASSWORD as PASSWORD


def _events(action: str) -> list[tuple[str, str, str]]:
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))
    return [(e.object_type, e.object_id, e.outcome) for e in rows]


def test_a_request_is_stored_with_the_moment_consent_was_given(app, clinicians, sent):
    request = sent(location_id=clinicians["Rivera"].locations[0].location_id)

    stored = db.session.get(AppointmentRequest, request.id)
    assert (stored.status, stored.phone, stored.preferred_times) == (
        "new",
        "+16175550134",
        ["weekday_mornings"],
    )
    assert stored.consent_given_at.replace(tzinfo=NOW.tzinfo) == NOW
    assert stored.location_id == clinicians["Rivera"].locations[0].location_id
    assert stored.first_response_at is None
    assert _events("create") == [("appointment_request", str(request.id), "ok")]


def test_a_place_the_clinician_does_not_work_at_is_dropped(app, clinicians, sent):
    request = sent(location_id=clinicians["Okafor"].locations[0].location_id)

    assert request.location_id is None


def test_an_unlisted_npi_gets_no_request(app, clinicians):
    with pytest.raises(RequestNotFound):
        submit(app.config, "1234567893", given(), NOW)
    assert db.session.scalars(select(AppointmentRequest)).all() == []


def test_the_confirmation_email_names_no_clinician(app, clinicians, sent, smtp_sink):
    sent(email="maria@example.org", language="es")

    (mail,) = smtp_sink.to("maria@example.org")
    assert mail["Subject"] == "Solicitud enviada"
    body = mail.get_payload(decode=True).decode()
    assert "988" in body
    assert "Rivera" not in body and "LICSW" not in body


def test_a_confirmation_text_only_when_the_patient_opted_in(app, clinicians, sent, texts):
    sent(status_texts=False)
    assert texts() == []

    sent(status_texts=True)
    (text,) = texts()
    assert text["To"] == "+16175550134"
    assert text["Body"].startswith("We sent your request to call you back to the office.")


def test_the_clinician_sees_only_requests_to_them_and_each_view_is_audited(app, clinicians, sent):
    mine = sent("Rivera")
    sent("Okafor")

    shown = inbox(actor_for((clinicians["Rivera"].npi,)), 50)

    assert [r.id for r in shown] == [mine.id]
    assert _events("read") == [("appointment_request", str(mine.id), "ok")]


def test_open_requests_come_before_finished_ones(app, clinicians, sent):
    ana = actor_for((clinicians["Rivera"].npi,))
    first = sent(at=NOW)
    second = sent(at=NOW + timedelta(hours=1))
    answer(app.config, ana, second.id, "declined", NOW + timedelta(hours=2))

    assert [r.id for r in inbox(ana, 50)] == [first.id, second.id]


def test_the_first_answer_sets_the_response_time_once(app, clinicians, sent):
    ana = actor_for((clinicians["Rivera"].npi,))
    request = sent()
    answer(app.config, ana, request.id, "contacted", NOW + timedelta(hours=3))
    answer(app.config, ana, request.id, "scheduled", NOW + timedelta(days=1))

    stored = db.session.get(AppointmentRequest, request.id)
    assert stored.status == "scheduled"
    assert stored.first_response_at.replace(tzinfo=NOW.tzinfo) == NOW + timedelta(hours=3)
    assert _events("update") == [("appointment_request", str(request.id), "ok")] * 2


def test_a_closed_request_cannot_move_again(app, clinicians, sent):
    ana = actor_for((clinicians["Rivera"].npi,))
    request = sent()
    answer(app.config, ana, request.id, "could_not_reach", NOW)

    with pytest.raises(NotAllowed):
        answer(app.config, ana, request.id, "scheduled", NOW)


def test_another_clinician_cannot_answer_and_the_refusal_is_audited(app, clinicians, sent):
    request = sent("Rivera")

    with pytest.raises(RequestNotFound):
        answer(app.config, actor_for((clinicians["Okafor"].npi,)), request.id, "contacted", NOW)
    assert db.session.get(AppointmentRequest, request.id).status == "new"
    assert _events("update") == [("appointment_request", str(request.id), "denied")]


def test_the_status_text_is_in_the_patients_language_without_specialty(
    app, clinicians, sent, texts
):
    request = sent(status_texts=True, language="es")
    ana = actor_for((clinicians["Rivera"].npi,))
    answer(app.config, ana, request.id, "scheduled", NOW + timedelta(hours=1))

    status = texts()[-1]["Body"]
    assert status.startswith("Su solicitud de cita fue programada")
    assert "Rivera" not in status and "LICSW" not in status and "depres" not in status


def test_no_status_text_without_the_opt_in(app, clinicians, sent, texts):
    request = sent(status_texts=False)
    answer(app.config, actor_for((clinicians["Rivera"].npi,)), request.id, "contacted", NOW)

    assert texts() == []


def test_the_response_summary_covers_the_actors_clinicians_only(app, clinicians, sent):
    ana = actor_for((clinicians["Rivera"].npi,))
    answered = sent("Rivera")
    sent("Rivera", phone="+16175550199")  # another patient (the same form again is one request)
    sent("Okafor")
    answer(app.config, ana, answered.id, "contacted", NOW + timedelta(hours=2))

    later = NOW + timedelta(days=7)
    assert response_summary(ana, later) == ResponseSummary(1, 2, 2.0)


def test_the_clinicians_users_get_an_email_without_the_patient(app, clinicians, sent, smtp_sink):
    for email, last in (("ana@example.org", "Rivera"), ("ben@example.org", "Okafor")):
        create_user(email, "clinician", "Harbor", PASSWORD, clinicians[last].npi)
    db.session.commit()
    request = sent("Rivera")

    (mail,) = smtp_sink.to("ana@example.org")
    assert mail["Subject"] == f"New call-back request #{request.id}"
    body = mail.get_payload(decode=True).decode().replace("\r\n", "\n")
    assert body == (
        f"A patient asked to be called back (request #{request.id}). Sign in:\n"
        "https://bh.example.org/clinician/appointments\n"
    )
    assert smtp_sink.to("ben@example.org") == []
