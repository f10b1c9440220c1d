"""Patient page: review and sign a release through the link the care team sent; revoke it later.

The token is the only thing in the URL (no PHI); only its SHA-256 is stored. A forged, expired
or used-up link gets a plain page and a 4xx, and nothing is stored but the audit of the try.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_limiter.util import get_remote_address

from directory.models.verification import utcnow
from edge.extensions import limiter
from pages.languages import current_locale_code
from referrals import use_cases
from referrals.econsent import LinkRefused, Signature
from referrals.errors import Malformed

econsent_blueprint = Blueprint("econsent", __name__)
# The token is a secret: never cached, never sent on as a Referer.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
REFUSED_STATUS = {"unknown": 404, "expired": 410, "used": 410, "signed": 409, "not_signed": 409}


def _limit() -> str:
    return current_app.config["ECONSENT_RATE_LIMIT"]


def _limited(view):
    """One budget per address across viewing, signing and revoking (a guess is a guess)."""
    return limiter.shared_limit(_limit, scope="econsent", key_func=get_remote_address)(view)


def _page(status: int = 200, **context):
    body = render_template("patients/consent.html", **context)
    return body, status, PRIVATE_HEADERS


def _refused(refused: LinkRefused):
    return _page(REFUSED_STATUS[refused.reason], refused=refused.reason)


@econsent_blueprint.get("/consent/<token>")
@_limited
def show(token: str):
    """The release to sign, or its signed status with the revoke button."""
    try:
        view = use_cases.open_consent_link(token, utcnow(), current_locale_code())
    except LinkRefused as refused:
        return _refused(refused)
    return _page(view=view, token=token)


@econsent_blueprint.post("/consent/<token>/sign")
@_limited
def sign(token: str):
    """Record the typed signature; the form again with what is missing."""
    form = {"signature": request.form.get("signature", "")[:400]}
    form["agree"] = request.form.get("agree") == "yes"
    signer = Signature("", request.remote_addr, request.user_agent.string)
    try:
        view = use_cases.sign_by_link(token, form, signer, utcnow(), current_locale_code())
    except LinkRefused as refused:
        return _refused(refused)
    except Malformed as err:
        view = use_cases.open_consent_link(token, utcnow(), current_locale_code())
        return _page(422, view=view, token=token, errors=err.errors, typed=form["signature"])
    return _page(view=view, token=token, just_signed=True)


@econsent_blueprint.post("/consent/<token>/revoke")
@_limited
def revoke(token: str):
    """Record the revocation; the page then says nothing more is shared under it."""
    try:
        use_cases.revoke_by_link(token, request.remote_addr, utcnow())
    except LinkRefused as refused:
        return _refused(refused)
    return _page(revoked=True)
