"""Public endpoints that stop a patient's status notices: the SMS provider's inbound webhook
and the stop link in each notice email.

POST /sms/inbound is signed by the provider (X-Twilio-Signature), so it takes no CSRF token;
each address may post SMS_INBOUND_RATE_LIMIT times (then 429).
The stop link only shows a button on GET (mail scanners open links); the POST stops. Opens and
posts of stop links share NOTICE_STOP_RATE_LIMIT per address (then 429).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_limiter.util import get_remote_address

from directory.models.verification import utcnow
from edge.extensions import csrf, limiter
from referrals import use_cases

patient_notices_blueprint = Blueprint("patient_notices", __name__)
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
MAX_TOKEN = 200


def _inbound_limit() -> str:
    return current_app.config["SMS_INBOUND_RATE_LIMIT"]


def _stop_limit() -> str:
    return current_app.config["NOTICE_STOP_RATE_LIMIT"]


# One budget for the page and its button: both check a token's signature.
_stop_limited = limiter.shared_limit(_stop_limit, scope="notice-stop", key_func=get_remote_address)


def _public_url() -> str:
    """The URL the provider posted to, as configured publicly (what it signed)."""
    base = (current_app.config.get("APP_BASE_URL") or "").rstrip("/")
    query = request.query_string.decode()
    return f"{base}{request.path}" + (f"?{query}" if query else "")


@patient_notices_blueprint.post("/sms/inbound")
@csrf.exempt  # the provider signs its posts (X-Twilio-Signature) instead
@limiter.limit(_inbound_limit, key_func=get_remote_address, scope="sms-inbound")
def sms_inbound():
    """STOP (or START) from a patient's phone, forwarded by the SMS provider."""
    signature = request.headers.get("X-Twilio-Signature", "")
    params = request.form.to_dict()
    if not use_cases.sms_inbound(current_app.config, _public_url(), params, signature):
        abort(403)
    return EMPTY_TWIML, 200, {"Content-Type": "text/xml; charset=utf-8"}


def _page(status: int = 200, **context):
    return render_template("patients/notice_stop.html", **context), status, PRIVATE_HEADERS


@patient_notices_blueprint.get("/notices/stop/<token>")
@_stop_limited
def confirm_stop(token: str):
    """The button that stops the emails, or why the link no longer works."""
    config, now = current_app.config, utcnow()
    if use_cases.stop_link_referral(config, token[:MAX_TOKEN], now) is None:
        return _page(404, invalid=True)
    return _page(token=token)


@patient_notices_blueprint.post("/notices/stop/<token>")
@_stop_limited
def stop(token: str):
    """Stop the emails the link names."""
    if not use_cases.stop_by_link(current_app.config, token[:MAX_TOKEN], utcnow()):
        return _page(404, invalid=True)
    return _page(stopped=True)
