"""Steps a signed-in user must take before anything else: a new password, then (admins) MFA."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from accounts import accounts_blueprint as bp
from accounts.identity import bearer_token, json_error
from accounts.sessions import enforce_session_age
from accounts.signin import required_step

# Always open: signing out, the page's own assets and the language switch.
OPEN_ENDPOINTS = frozenset({"static", "accounts.logout", "language.choose_language"})


def hold_until_required_steps() -> object | None:
    """Before each request: send a user with a step pending to it, and refuse everything else."""
    if bearer_token() is not None or not current_user.is_authenticated:
        return None  # API keys are judged by the key; visitors have no steps
    step = required_step(current_user)
    if step is None or request.endpoint == step or request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.path.startswith(("/api/", "/fhir/")):
        return json_error(403, "finish signing in first: " + url_for(step))
    return redirect(url_for(step))


# Order matters: an expired session ends before its steps are looked at.
bp.before_app_request(enforce_session_age)
bp.before_app_request(hold_until_required_steps)
