"""The clinician's call-back requests page: only their own, answers recorded, others refused."""

from __future__ import annotations

from sqlalchemy import select

from appointments.models import AppointmentRequest
from appointments.use_cases import submit
from audit.models import AuditEvent
from directory.extensions import db
from directory.models.verification import utcnow

GIVEN = {
    "patient_name": "Maria Lopez",
    "phone": "+16175550134",
    "preferred_times": ["weekday_mornings"],
    "times_note": "after 10",
    "language": "es",
    "status_texts": False,
}


def _send(app, clinician) -> AppointmentRequest:
    return submit(app.config, clinician.npi, dict(GIVEN), utcnow())


def test_the_clinician_sees_their_requests_and_each_is_audited(app, world, signed_in):
    mine, theirs = _send(app, world.ana), _send(app, world.ben)
    client = signed_in("clinician", npi=world.ana.npi)

    page = client.get("/clinician/appointments").get_data(as_text=True)

    assert "Maria Lopez" in page and 'href="tel:+16175550134"' in page
    assert "Weekday mornings · after 10" in page
    assert f"/clinician/appointments/{mine.id}" in page
    assert f"/clinician/appointments/{theirs.id}" not in page
    reads = db.session.scalars(
        select(AuditEvent.object_id).where(
            AuditEvent.action == "read", AuditEvent.object_type == "appointment_request"
        )
    )
    assert list(reads) == [str(mine.id)]


def test_marking_contacted_then_scheduled(app, world, signed_in):
    request = _send(app, world.ana)
    client = signed_in("clinician", npi=world.ana.npi)
    path = f"/clinician/appointments/{request.id}"

    first = client.post(path, data={"status": "contacted"})
    page = client.get("/clinician/appointments").get_data(as_text=True)
    client.post(path, data={"status": "scheduled"})

    assert first.status_code == 303
    assert "business hours after the request" in page
    assert "Last 180 days: 1 of 1 requests answered within 2 business days." in page
    assert 'value="scheduled"' in page and 'value="contacted"' not in page
    db.session.expire_all()
    assert db.session.get(AppointmentRequest, request.id).status == "scheduled"


def test_a_closed_request_cannot_be_answered_again(app, world, signed_in):
    request = _send(app, world.ana)
    client = signed_in("clinician", npi=world.ana.npi)
    path = f"/clinician/appointments/{request.id}"
    client.post(path, data={"status": "declined"})

    again = client.post(path, data={"status": "scheduled"}, follow_redirects=True)

    assert "That request was already answered that way or closed." in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AppointmentRequest, request.id).status == "declined"


def test_another_clinicians_request_is_404_and_an_unknown_status_400(app, world, signed_in):
    request = _send(app, world.ben)
    client = signed_in("clinician", npi=world.ana.npi)
    path = f"/clinician/appointments/{request.id}"

    assert client.post(path, data={"status": "contacted"}).status_code == 404
    assert client.post(path, data={"status": "lost"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(AppointmentRequest, request.id).status == "new"


def test_a_pcp_may_not_open_the_page(app, world, signed_in):
    assert signed_in("pcp").get("/clinician/appointments").status_code == 403


def test_the_page_in_spanish(app, world, signed_in):
    _send(app, world.ana)
    client = signed_in("clinician", npi=world.ana.npi)

    page = client.get("/clinician/appointments", headers={"Accept-Language": "es"})

    text = page.get_data(as_text=True)
    assert "Pedidos de llamada" in text and "Marcar como contactado" in text
