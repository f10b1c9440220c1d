"""Signed-in sessions: start, idle and absolute expiry, end; safe post-login redirects."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, request, session
from flask_login import current_user, login_user, logout_user

from accounts.models import User
from accounts.server_session import (
    AUTH_AT,
    SEEN_AT,
    ServerSessionInterface,
    bind,
    deadline,
    store_key,
    unbind,
)
from accounts.session_store import SessionStore, make_session_store
from directory.models.verification import utcnow

# A request marks the session seen at most this often: one store write a minute, not one per
# request. Idle time is then counted from up to a minute early, never late.
SEEN_EVERY_SECONDS = 60


def init_sessions(app: Flask, redis=None) -> None:
    """Serve signed-in sessions from Redis when a client is given, else from the database."""
    store = make_session_store(app.config, redis)
    app.extensions["session_store"] = store
    app.session_interface = ServerSessionInterface(store)


def session_store() -> SessionStore:
    """The app's session store."""
    return current_app.extensions["session_store"]


def start_session(user: User) -> None:
    """Sign `user` in under a new server-side session id (no fixation), stamped for the limits."""
    session.clear()
    bind(session, user.id)
    login_user(user)
    session.permanent = True  # cookie lifetime: PERMANENT_SESSION_LIFETIME
    now = int(time.time())
    session[AUTH_AT] = now
    session[SEEN_AT] = now
    user.last_login_at = utcnow()


def end_session() -> None:
    """Sign out: the server forgets the session, and its cookie with it."""
    logout_user()
    session.clear()
    unbind(session)


def end_user_sessions(user_id: int) -> int:
    """End every session of a user, wherever it is (a copied cookie stops working)."""
    return session_store().delete_for_user(user_id)


def rotate_session() -> None:
    """Keep the current signed-in session under a new id (after a password change)."""
    if session.user_id is not None:
        bind(session, session.user_id)


def current_session_key() -> str | None:
    """The store key of this request's bound session, if any."""
    return store_key(session.sid) if session.sid else None


def forget_request_state() -> None:
    """Drop the signed-in user and CSRF token that Flask-Login and Flask-WTF cache in g."""
    # g outlives a request when an app context was already pushed (tests, scripts); a user
    # or token cached there by the previous request must not carry over to this one.
    g.pop("_login_user", None)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def _page_request() -> bool:
    path = request.path
    return request.endpoint != "static" and not path.startswith(("/api/", "/fhir/"))


def _limits() -> tuple[int, int]:
    config = current_app.config
    return config["SESSION_IDLE_MINUTES"] * 60, config["SESSION_MAX_HOURS"] * 3600


def enforce_session_age() -> None:
    """Before each request: end a session past its limits, else mark it seen."""
    forget_request_state()
    if getattr(session, "ended", False) and _page_request():
        flash("Your session has ended. Please sign in again.", "info")
    if "_user_id" not in session:
        return
    now = time.time()
    # The store refuses expired sessions already; this also catches one that expires while
    # this process holds it, and sessions made with older limits.
    if deadline(dict(session), *_limits()) <= now:
        end_session()
        flash("Your session has ended. Please sign in again.", "info")
        return
    if not current_user.is_authenticated:  # deactivated since: its session goes too
        end_session()
        return
    if now - session.get(SEEN_AT, 0) >= SEEN_EVERY_SECONDS:
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
