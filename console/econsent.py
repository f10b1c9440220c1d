"""The referral page's e-consent form: send the patient a link to sign the release."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from accounts.identity import current_actor
from console.referral_actions import PageRefusal, on_page
from directory.models.verification import utcnow
from referrals import use_cases


def consent_request_body(form) -> dict:
    """The request as the use case reads it; the destination is used once, never stored."""
    return {
        "channel": form.get("channel", ""),
        "destination": (form.get("destination") or "").strip(),
        "form": form.get("form", ""),
    }


def _field_words(errors: dict) -> str:
    words = {
        "destination": _("Give a valid email address or a mobile number such as +16175550123."),
        "form": _("A substance use disorder referral needs the 42 CFR part 2 consent form."),
        "channel": _("Choose email or text message."),
    }
    return " ".join(words[name] for name in errors if name in words)


def post_consent_request(referral_id: int):
    """Queue the link; the page says where it went without repeating the address."""
    body = consent_request_body(request.form)
    try:
        on_page(use_cases.send_consent_request, current_actor(), referral_id, body, utcnow())
    except PageRefusal as err:
        flash(f"{err.message} {_field_words(err.errors)}".strip(), "error")
    else:
        flash(_("The link to sign the release is on its way to the patient."), "success")
    return redirect(url_for(f"{request.blueprint}.referral", referral_id=referral_id), 303)
