"""The call-back form on a profile: sent (once if sent twice), refused (422), honeypot, limited."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from appointments.models import AppointmentRequest
from directory.extensions import db
from directory.models import Clinician
from tests.web.seed_directory import SPANISH_SPEAKER

FORM = {
    "patient_name": "Maria Lopez",
    "phone": "617-555-0134",
    "preferred_times": ["weekday_evenings", "weekends"],
    "language": "es",
    "consent": "yes",
}


def _npi(name: str = SPANISH_SPEAKER) -> str:
    last = name.split(" ", 1)[1]
    return db.session.scalar(select(Clinician.npi).where(Clinician.last_name == last))


def _stored() -> list[AppointmentRequest]:
    return list(db.session.scalars(select(AppointmentRequest)))


def test_the_profile_offers_the_form_in_english_and_spanish(client, directory):
    english = client.get(f"/clinicians/{_npi()}").get_data(as_text=True)
    spanish = client.get(f"/clinicians/{_npi()}", headers={"Accept-Language": "es"}).get_data(
        as_text=True
    )

    assert "Request an appointment / call me back" in english
    assert f'action="/clinicians/{_npi()}/appointment"' in english
    assert 'name="website"' in english  # the honeypot, hidden
    assert "Solicite una cita / pida que le llamen" in spanish


def test_a_request_is_sent_and_the_answer_says_what_happens_next(client, directory, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.post(f"/clinicians/{_npi()}/appointment", data=FORM)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/clinicians/{_npi()}/appointment/sent"
    answer = client.get(response.headers["Location"])

    page = answer.get_data(as_text=True)
    assert answer.headers["Cache-Control"] == "no-store"
    assert "What happens next" in page and 'href="tel:988"' in page
    (stored,) = _stored()
    assert (stored.patient_name, stored.phone, stored.language) == (
        "Maria Lopez",
        "+16175550134",
        "es",
    )
    assert stored.preferred_times == ["weekday_evenings", "weekends"]
    assert stored.location_id == stored.clinician.locations[0].location_id
    assert "Maria" not in caplog.text and "555-0134" not in caplog.text


def test_a_form_sent_twice_is_one_request_and_another_phone_is_another(client, directory):
    path = f"/clinicians/{_npi()}/appointment"
    answers = [client.post(path, data=FORM) for _ in range(2)]

    assert [a.status_code for a in answers] == [303, 303]
    assert {a.headers["Location"] for a in answers} == {f"{path}/sent"}
    assert [r.phone for r in _stored()] == ["+16175550134"]
    assert client.post(path, data={**FORM, "phone": "617-555-0199"}).status_code == 303
    assert sorted(r.phone for r in _stored()) == ["+16175550134", "+16175550199"]


def test_consent_missing_is_422_with_the_form_kept(client, directory):
    form = {k: v for k, v in FORM.items() if k != "consent"}

    response = client.post(f"/clinicians/{_npi()}/appointment", data=form)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "We can only call you if you agree to be contacted." in page
    assert 'value="Maria Lopez"' in page
    assert 'href="tel:988"' in page
    assert _stored() == []


def test_a_bad_phone_is_422_in_spanish(client, directory):
    response = client.post(
        f"/clinicians/{_npi()}/appointment",
        data={**FORM, "phone": "555"},
        headers={"Accept-Language": "es"},
    )

    assert response.status_code == 422
    assert "Escriba un número de teléfono" in response.get_data(as_text=True)


def test_a_filled_honeypot_gets_the_same_answer_and_nothing_is_stored(client, directory):
    response = client.post(
        f"/clinicians/{_npi()}/appointment",
        data={**FORM, "website": "http://spam.example"},
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert "What happens next" in response.get_data(as_text=True)
    assert _stored() == []


def test_an_unknown_clinician_is_404(client, directory):
    assert client.post("/clinicians/1234567893/appointment", data=FORM).status_code == 404
    assert client.get("/clinicians/1234567893/appointment/sent").status_code == 404


@pytest.fixture
def limited(limited_client, directory):
    """An app with limits on: two requests per address per hour."""
    return limited_client(
        APPOINTMENT_REQUEST_RATE_LIMIT="2/hour",
    )


def test_requests_from_one_address_are_rate_limited(limited):
    path = f"/clinicians/{_npi()}/appointment"

    def send(address: str, phone: str) -> int:
        form, environ = {**FORM, "phone": phone}, {"REMOTE_ADDR": address}
        return limited.post(path, data=form, environ_base=environ).status_code

    phones = ("617-555-0141", "617-555-0142", "617-555-0143")
    assert [send("192.0.2.1", phone) for phone in phones] == [303, 303, 429]
    assert send("192.0.2.2", "617-555-0144") == 303
    assert len(_stored()) == 3


def test_the_form_needs_a_csrf_token(app, client, directory):
    app.config["WTF_CSRF_ENABLED"] = True

    assert client.post(f"/clinicians/{_npi()}/appointment", data=FORM).status_code == 400
    assert _stored() == []
