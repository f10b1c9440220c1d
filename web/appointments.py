"""Request an appointment / call me back: the form on a clinician's profile, and its answer.

Nothing the visitor types goes into the URL or a log line; a sent request redirects (303) to
a fixed answer page, so reloading it sends nothing twice; the same form posted again is the
first request (appointments.use_cases.submit). A filled hidden field ("website")
marks a bot: it gets the same answer and nothing is stored.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from marshmallow import EXCLUDE, ValidationError

from appointments.schemas import (
    LANGUAGES,
    NAME_MAX,
    NOTE_MAX,
    TIME_CHOICES,
    AppointmentRequestSchema,
)
from appointments.use_cases import RequestNotFound, listed_clinician, submit, texts_available
from directory.models.verification import utcnow
from edge.extensions import limiter
from pages.languages import LOCALE_NAMES, current_locale_code
from web.profile_view import profile

appointments_blueprint = Blueprint("appointments", __name__)
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
HONEYPOT = "website"
# What to fix, per field: the page's own words, whatever the schema said.
ERROR_WORDS = {
    "patient_name": _l("Enter your name."),
    "phone": _l("Enter a phone number we can call, like 617-555-0134."),
    "email": _l("Enter an email address like name@example.org, or leave it empty."),
    "preferred_times": _l("Choose times from the list."),
    "times_note": _l("Write at most 200 characters about times."),
    "language": _l("Choose a language from the list."),
    "location_id": _l("Choose a place from the list."),
    "consent": _l("We can only call you if you agree to be contacted."),
}


def _limit() -> str:
    return current_app.config["APPOINTMENT_REQUEST_RATE_LIMIT"]


def form_context(errors: dict | None = None, values: dict | None = None) -> dict:
    """What the request form needs, on the profile page and when it comes back with errors."""
    return {
        "times": TIME_CHOICES,
        "languages": {code: LOCALE_NAMES[code] for code in LANGUAGES},
        "language": (values or {}).get("language") or current_locale_code(),
        "texts": texts_available(current_app.config),
        "name_max": NAME_MAX,
        "note_max": NOTE_MAX,
        "errors": {field: ERROR_WORDS[field] for field in ERROR_WORDS if field in (errors or {})},
        "values": values or {},
        "honeypot": HONEYPOT,
    }


def _given() -> dict:
    """The form as the schema reads it: blanks left out, the checkboxes as a list."""
    given = {k: v for k, v in request.form.items() if v.strip() and k != "preferred_times"}
    given["preferred_times"] = request.form.getlist("preferred_times")
    given.pop("csrf_token", None)
    given.pop(HONEYPOT, None)
    return given


def _sent(npi: str):
    return redirect(url_for("appointments.request_sent", npi=npi), 303)


@appointments_blueprint.get("/clinicians/<npi>/appointment/sent")
def request_sent(npi: str):
    """What happens next, and the 988 line: the same page for everyone (it names no patient)."""
    try:
        clinician = listed_clinician(npi)
    except RequestNotFound:
        abort(404)
    body = render_template("patients/appointment_sent.html", clinician=clinician)
    return body, 200, PRIVATE_HEADERS


@appointments_blueprint.post("/clinicians/<npi>/appointment")
@limiter.limit(_limit, key_func=get_remote_address, scope="appointment-requests", methods=["POST"])
def request_appointment(npi: str):
    """Store the request and say what happens next; a form with errors comes back as 422."""
    try:
        clinician = listed_clinician(npi)
    except RequestNotFound:
        abort(404)
    if request.form.get(HONEYPOT, "").strip():
        return _sent(npi)
    given = _given()
    try:
        parsed = AppointmentRequestSchema().load(given, unknown=EXCLUDE)
    except ValidationError as err:
        body = render_template(
            "patients/appointment_form.html",
            clinician=clinician,
            places=profile(clinician, utcnow(), current_app.config["STALE_AFTER_DAYS"]).places,
            form=form_context(err.messages, given),
        )
        return body, 422, PRIVATE_HEADERS
    submit(current_app.config, npi, parsed, utcnow())
    return _sent(npi)
