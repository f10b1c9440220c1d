"""Signed-in sessions: start, idle and absolute expiry, end; safe post-login redirects."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app, flash, g, session
from flask_login import login_user, logout_user

from accounts.models import User
from directory.models.verification import utcnow

AUTH_AT = "auth_at"  # epoch seconds when the user signed in
SEEN_AT = "seen_at"  # epoch seconds of the user's last request


def start_session(user: User) -> None:
    """Sign `user` in with a fresh session (no fixation) stamped for the timeouts."""
    session.clear()
    login_user(user)
    session.permanent = True  # cookie lifetime: PERMANENT_SESSION_LIFETIME
    now = int(time.time())
    session[AUTH_AT] = now
    session[SEEN_AT] = now
    user.last_login_at = utcnow()


def end_session() -> None:
    """Sign out and drop everything kept in the session."""
    logout_user()
    session.clear()


def _expired(now: float) -> bool:
    auth_at, seen_at = session.get(AUTH_AT), session.get(SEEN_AT)
    if not isinstance(auth_at, int | float) or not isinstance(seen_at, int | float):
        return True
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_MAX_HOURS"] * 3600
    return now - seen_at > idle or now - auth_at > absolute


def forget_request_state() -> None:
    """Drop the signed-in user and CSRF token that Flask-Login and Flask-WTF cache in g."""
    # g outlives a request when an app context was already pushed (tests, scripts); a user
    # or token cached there by the previous request must not carry over to this one.
    g.pop("_login_user", None)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def enforce_session_age() -> None:
    """Before each request: end a session idle too long or too old, else mark it seen."""
    forget_request_state()
    if "_user_id" not in session:
        return
    now = time.time()
    if _expired(now):
        end_session()
        g.session_expired = True
        flash("Your session has ended. Please sign in again.", "info")
        return
    session[SEEN_AT] = int(now)


def safe_next(target: str | None) -> str | None:
    """`target` if it is a same-site relative path, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers treat "\" like "/", so "/\evil.example" would leave the site.
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
