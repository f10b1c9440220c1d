"""Public page: a patient who opted in types the code they were given and sees the status.

The code travels only in the POST body (never in a URL), look-ups are rate limited per address
and each one is audited (a wrong code as denied). The page says how far the referral got and
who referred, never what it is for: no program type, no clinician specialty, no diagnosis.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_limiter.util import get_remote_address

from edge.extensions import limiter
from referrals import use_cases

patient_status_blueprint = Blueprint("patient_status", __name__)
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
MAX_CODE_FIELD = 40


def _limit() -> str:
    return current_app.config["PATIENT_STATUS_RATE_LIMIT"]


def _page(status: int = 200, **context):
    body = render_template("patients/referral_status.html", **context)
    return body, status, PRIVATE_HEADERS


@patient_status_blueprint.get("/referral-status")
def form():
    """The form: the code from the referral handout."""
    return _page()


@patient_status_blueprint.post("/referral-status")
@limiter.limit(_limit, key_func=get_remote_address, scope="patient-status", methods=["POST"])
def lookup():
    """The status for the code, or the form again saying the code was not found."""
    view = use_cases.patient_status(request.form.get("code", "")[:MAX_CODE_FIELD])
    if view is None:
        return _page(404, not_found=True)
    return _page(view=view)
