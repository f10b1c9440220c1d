"""Send a request from a profile; the clinician's side lists and answers them (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select, text

from accounts.models import User
from appointments.models import AppointmentRequest
from appointments.response_time import ResponseSummary, summarize
from appointments.statuses import BY_CODE, OPEN, move, status_text
from audit.log import record, record_reads
from directory.extensions import db
from directory.models import Clinician
from directory.queries import clinician_query
from matching import weights
from outbox.queue import deliver_ids, enqueue
from referrals.access import is_receiver

OBJECT = "appointment_request"
# A form sent again (a double click, a resent page) within this window, while the office has not
# answered the first, is that first request: the office calls once, the patient is confirmed once.
RESUBMIT_WINDOW = timedelta(minutes=10)
# Names the PostgreSQL advisory lock that serializes submissions to one clinician ("appt").
SUBMIT_LOCK_KEY = 0x61707074


class RequestNotFound(Exception):
    """No such listed clinician, or no request this actor may act on (the same answer)."""


_CONFIRM = {
    "en": (
        "We sent your request to call you back to the office. They usually answer within"
        " 2 business days. If you are in crisis, call or text 988."
    ),
    "es": (
        "Enviamos al consultorio su pedido de que le llamen. Suelen responder en 2 días"
        " hábiles. Si está en crisis, llame o envíe un texto al 988."
    ),
}


def listed_clinician(npi: str) -> Clinician:
    """The active, listed clinician a request can go to; RequestNotFound otherwise."""
    found = db.session.scalars(clinician_query(npi)).one_or_none()
    if found is None:
        raise RequestNotFound(npi)
    return found


def _confirmations(config: Mapping, request: AppointmentRequest) -> list[int]:
    """The patient's confirmation by email and, if they opted in, by text: no clinician named."""
    body = _CONFIRM.get(request.language, _CONFIRM["en"])
    reference = f"{OBJECT}:{request.id}"
    messages = []
    if request.email and config.get("MAIL_ENABLED"):
        subject = "Solicitud enviada" if request.language == "es" else "Request sent"
        messages.append(
            enqueue(
                "email",
                request.email,
                body,
                subject=subject,
                purpose="appointment_confirmation",
                reference=reference,
            )
        )
    if request.status_texts and texts_available(config):
        messages.append(
            enqueue(
                "sms", request.phone, body, purpose="appointment_confirmation", reference=reference
            )
        )
    db.session.flush()
    return [message.id for message in messages]


def _office_notices(config: Mapping, request: AppointmentRequest) -> list[int]:
    """An email to each active user of the clinician: a link to sign in, never the patient."""
    if not config.get("MAIL_ENABLED"):
        return []
    to = db.session.scalars(
        select(User.email).where(
            User.role == "clinician", User.active.is_(True), User.npi == request.clinician.npi
        )
    )
    link = (config.get("APP_BASE_URL") or "").rstrip("/") + "/clinician/appointments"
    body = f"A patient asked to be called back (request #{request.id}). Sign in:\n{link}\n"
    messages = [
        enqueue(
            "email",
            address,
            body,
            subject=f"New call-back request #{request.id}",
            purpose="appointment_notice",
            reference=f"{OBJECT}:{request.id}",
        )
        for address in sorted(to)
    ]
    db.session.flush()
    return [message.id for message in messages]


def texts_available(config: Mapping) -> bool:
    """Status texts are offered only where an SMS provider is configured."""
    return config.get("SMS_PROVIDER", "none") != "none"


def _fields(clinician: Clinician, given: dict) -> dict:
    """The request's own fields from the form, its place resolved among the clinician's."""
    places = {link.location_id for link in clinician.locations}
    location_id = given.get("location_id")
    if location_id is None and len(places) == 1:
        (location_id,) = places  # one office: the request is about it
    return {
        "patient_name": given["patient_name"],
        "phone": given["phone"],
        "email": given.get("email"),
        "preferred_times": given["preferred_times"],
        "times_note": given.get("times_note"),
        "language": given["language"],
        "location_id": location_id if location_id in places else None,
        "status_texts": given["status_texts"],
    }


def _lock_submissions(clinician_id: int) -> None:
    """Serialize submissions to one clinician, so two copies of a form sent at once are one."""
    if db.session.get_bind().dialect.name == "postgresql":
        lock = "SELECT pg_advisory_xact_lock(CAST(:key AS integer), CAST(:id AS integer))"
        db.session.execute(text(lock), {"key": SUBMIT_LOCK_KEY, "id": clinician_id})
    else:
        # SQLite: a write statement takes the database write lock now, before the check reads.
        db.session.execute(text("DELETE FROM appointment_request WHERE 1 = 0"))


def _pending_copy(clinician_id: int, fields: dict, now: datetime) -> AppointmentRequest | None:
    """The same request sent within RESUBMIT_WINDOW that the office has not answered yet."""
    query = select(AppointmentRequest).where(
        AppointmentRequest.clinician_id == clinician_id,
        AppointmentRequest.phone == fields["phone"],
        AppointmentRequest.status == "new",
        AppointmentRequest.created_at >= now - RESUBMIT_WINDOW,
    )
    rows = db.session.scalars(query)
    return next((r for r in rows if all(getattr(r, k) == v for k, v in fields.items())), None)


def submit(config: Mapping, npi: str, given: dict, now: datetime) -> AppointmentRequest:
    """Store the request (a form sent twice: the first), audit it, commit, then confirm it."""
    clinician = listed_clinician(npi)
    fields = _fields(clinician, given)
    _lock_submissions(clinician.id)
    first = _pending_copy(clinician.id, fields, now)
    if first is not None:
        db.session.commit()  # ends the transaction and its lock; nothing new to store or send
        return first
    request = AppointmentRequest(
        clinician=clinician,
        consent_given_at=now,
        status="new",
        created_at=now,
        updated_at=now,
        **fields,
    )
    db.session.add(request)
    db.session.flush()
    record(None, "create", OBJECT, request.id)
    ids = _confirmations(config, request) + _office_notices(config, request)
    db.session.commit()
    if ids:
        deliver_ids(config, ids, now)
    return request


def _acts_for(actor, request: AppointmentRequest) -> bool:
    """The referral rule: the clinician the request went to (by the actor's NPIs), or admin."""
    return actor is not None and (actor.role == "admin" or is_receiver(actor, request))


def inbox(actor, limit: int) -> list[AppointmentRequest]:
    """Requests to the clinicians `actor` acts for, open ones first; each one shown is audited."""
    query = select(AppointmentRequest).join(Clinician)
    if actor.role != "admin":
        query = query.where(Clinician.npi.in_(sorted(actor.npis)))
    rows = list(
        db.session.scalars(query.order_by(AppointmentRequest.created_at.desc()).limit(limit))
    )
    rows.sort(key=lambda r: r.status not in OPEN)
    record_reads(actor, OBJECT, [r.id for r in rows])
    db.session.commit()
    return rows


def response_summary(actor, now: datetime) -> ResponseSummary:
    """How promptly the actor's clinicians answered requests in the ranking's window."""
    since = now - timedelta(days=weights.RESPONSIVENESS_WINDOW_DAYS)
    query = (
        select(AppointmentRequest.created_at, AppointmentRequest.first_response_at)
        .join(Clinician)
        .where(AppointmentRequest.created_at >= since)
    )
    if actor.role != "admin":
        query = query.where(Clinician.npi.in_(sorted(actor.npis)))
    return summarize(db.session.execute(query), now)


def answer(
    config: Mapping, actor, request_id: int, status: str, now: datetime
) -> AppointmentRequest:
    """Move the request on (NotAllowed when the table forbids it); text the patient if opted in."""
    request = db.session.get(AppointmentRequest, request_id)
    if request is None or not _acts_for(actor, request):
        record(actor, "update", OBJECT, request_id, outcome="denied")
        db.session.commit()
        raise RequestNotFound(request_id)
    if status not in BY_CODE:
        raise KeyError(status)
    request.status = move(request.status, status)
    request.updated_at = now
    if request.first_response_at is None:
        request.first_response_at = now
    record(actor, "update", OBJECT, request.id)
    ids = []
    text = status_text(request.status, request.language)
    if request.status_texts and text and texts_available(config):
        message = enqueue(
            "sms",
            request.phone,
            text,
            purpose="appointment_status",
            reference=f"{OBJECT}:{request.id}",
        )
        db.session.flush()
        ids.append(message.id)
    db.session.commit()
    if ids:
        deliver_ids(config, ids, now)
    return request
