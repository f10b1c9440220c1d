"""Signing in: the password, then (when enrolled) a code, then the steps a user must take first."""

from __future__ import annotations

import time

from flask import current_app, session, url_for
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from accounts.models import User, password_hash_method
from accounts.server_session import AUTH_AT, SEEN_AT, VALID_UNTIL, bind
from accounts.throttle import Verdict
from audit.keys import current_key
from directory.extensions import db

# A sign-in waiting for its code lasts five minutes.
CODE_STEP_SECONDS = 300
PENDING_USER = "mfa_user"
PENDING_TICKETS = "mfa_tickets"
PENDING_NEXT = "mfa_next"
_dummy_hashes: dict[str, str] = {}


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, else None."""
    user = db.session.scalar(select(User).where(User.email == email.lower()))
    if user is None or not user.active:
        # Hash anyway so a wrong email takes as long as a wrong password.
        method = password_hash_method()
        if method not in _dummy_hashes:
            _dummy_hashes[method] = generate_password_hash("not-a-password", method=method)
        check_password_hash(_dummy_hashes[method], password)
        return None
    return user if user.check_password(password) else None


def begin_code_step(user: User, verdict: Verdict, next_url: str | None) -> None:
    """The password was right: hold a short server-side session that waits for the code."""
    session.clear()
    bind(session, user.id)  # a new id: nothing from before the password carries over
    now = int(time.time())
    session[AUTH_AT] = now
    session[SEEN_AT] = now
    session[VALID_UNTIL] = now + CODE_STEP_SECONDS
    session[PENDING_USER] = user.id
    # The password attempt stays counted as a failure until the code is right too, so knowing
    # the password does not reset the lockout for guessing codes.
    session[PENDING_TICKETS] = [verdict.ticket] if verdict.ticket else []
    if next_url:
        session[PENDING_NEXT] = next_url


def pending_user() -> User | None:
    """The user whose code this session waits for, if still active and enrolled."""
    user_id = session.get(PENDING_USER)
    if not isinstance(user_id, int) or user_id != getattr(session, "user_id", None):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active and user.has_totp else None


def pending_tickets() -> list[str]:
    """The counted attempts of this sign-in, taken back once it succeeds."""
    return [t for t in session.get(PENDING_TICKETS, []) if isinstance(t, str)]


def required_step(user: User) -> str | None:
    """The endpoint a signed-in user must complete before anything else, if any."""
    if user.must_change_password:
        return "accounts.change_password"
    if current_app.config["REQUIRE_ADMIN_MFA"] and user.role == "admin" and not user.has_totp:
        return "accounts.mfa"
    return None


def page_after_signin(user: User, next_url: str | None) -> str:
    """Where a user goes once signed in: a required step first, else `next` or the account."""
    step = required_step(user)
    if step is not None:
        return url_for(step)
    return next_url or url_for("accounts.account")


def account_ref(email: str) -> str:
    """The account a sign-in tried, for the audit log: "user:<id>", else a keyed email hash."""
    normalized = (email or "").strip().lower()
    user_id = db.session.scalar(select(User.id).where(User.email == normalized))
    if user_id is not None:
        return f"user:{user_id}"
    return "email-hmac:" + current_key().mac("account", normalized.encode())[:32]
