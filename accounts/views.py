"""Sign-in pages: /login, /logout, /account."""

from __future__ import annotations

import hashlib
import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from accounts import accounts_blueprint as bp
from accounts.forms import LoginForm, LogoutForm
from accounts.identity import actor_for_user, current_actor, unauthenticated_response
from accounts.models import User
from accounts.sessions import end_session, enforce_session_age, safe_next, start_session
from audit.log import account_ref, record
from directory.extensions import db, limiter, login_manager

log = logging.getLogger(__name__)
_dummy_hash: str | None = None


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session's user, unless deactivated since."""
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


@login_manager.unauthorized_handler
def unauthorized():
    """@login_required: JSON 401 under /api, a redirect to /login for pages."""
    return unauthenticated_response()


bp.before_app_request(enforce_session_age)


def _login_email() -> str:
    return (request.form.get("email") or "").strip().lower()


def _ip_and_email_key() -> str:
    """Rate-limit key: client address plus a digest of the email (no addresses in storage)."""
    digest = hashlib.sha256(_login_email().encode()).hexdigest()[:16]
    return f"{request.remote_addr}:{digest}"


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, else None."""
    global _dummy_hash
    user = db.session.scalar(select(User).where(User.email == email.lower()))
    if user is None or not user.active:
        # Hash anyway so a wrong email takes as long as a wrong password.
        if _dummy_hash is None:
            _dummy_hash = generate_password_hash("not-a-password", method="scrypt")
        check_password_hash(_dummy_hash, password)
        return None
    return user if user.check_password(password) else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    key_func=_ip_and_email_key,
    methods=["POST"],
    scope="login-email",
)
def login():
    """Sign in with email and password, then go to a validated `next`."""
    form = LoginForm()
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or url_for("accounts.account"))
    if form.validate_on_submit():
        user = authenticate(form.email.data.strip(), form.password.data)
        if user is not None:
            start_session(user)
            record(actor_for_user(user), "login", "user", user.id)
            db.session.commit()
            return redirect(next_url or url_for("accounts.account"))
        record(None, "login", "user", None, outcome="denied", account=account_ref(form.email.data))
        db.session.commit()
        log.info("sign-in refused")  # no email: it identifies a person
        flash("Invalid email or password.", "error")
    return render_template("accounts/login.html", form=form, next=next_url)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (POST with a CSRF token, so no link can sign anyone out)."""
    form = LogoutForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        record(current_actor(), "logout", "user", current_user.id)
        db.session.commit()
    end_session()
    flash("You have signed out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account")
@login_required
def account():
    """Who is signed in, for which organization and role."""
    return render_template("accounts/account.html", user=current_user, logout_form=LogoutForm())
