"""Sign-in pages: /login, /login/code, /logout (the account page: profile_views)."""

from __future__ import annotations

import logging
import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from accounts import accounts_blueprint as bp
from accounts.forms import CodeForm, LoginForm, LogoutForm
from accounts.identity import actor_for_user, current_actor, unauthenticated_response
from accounts.mfa import verify_second_factor
from accounts.models import User
from accounts.refusals import throttled_response
from accounts.sessions import end_session, safe_next, start_session
from accounts.signin import (
    PENDING_NEXT,
    account_ref,
    authenticate,
    begin_code_step,
    page_after_signin,
    pending_tickets,
    pending_user,
)
from accounts.throttle import signin_throttle
from audit.log import record
from directory.extensions import db, login_manager

log = logging.getLogger(__name__)


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


def _record_refused_signin(email: str, outcome: str) -> None:
    """Audit a refused password sign-in: wrong password, unknown account, or throttled."""
    # The account tried goes in as its user id or a keyed hash of the email, never the email.
    record(None, "login", "user", None, outcome=outcome, account=account_ref(email))


def _signed_in(user: User, next_url: str | None):
    """Start the session, audit the sign-in, and go where the user must or asked to."""
    start_session(user)
    record(actor_for_user(user), "login", "user", user.id)
    db.session.commit()
    return redirect(page_after_signin(user, next_url))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with email and password (then a code, if enrolled), then go to a safe `next`."""
    form = LoginForm()
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or url_for("accounts.account"))
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form, next=next_url)
    email = form.email.data.strip().lower()
    throttle = signin_throttle()
    verdict = throttle.attempt(email, request.remote_addr)
    if not verdict.allowed:
        _record_refused_signin(email, "blocked")
        db.session.commit()
        return throttled_response("accounts/login.html", verdict, form=form, next=next_url)
    user = authenticate(email, form.password.data)
    if user is None:
        _record_refused_signin(email, "denied")
        db.session.commit()
        log.info("sign-in refused")  # no email: it identifies a person
        flash("Invalid email or password.", "error")
        return render_template("accounts/login.html", form=form, next=next_url)
    if user.has_totp:
        begin_code_step(user, verdict, next_url)
        record(None, "login_password", "user", user.id)
        db.session.commit()
        return redirect(url_for("accounts.login_code"))
    throttle.succeeded(email, [verdict.ticket])
    return _signed_in(user, next_url)


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """The second step for enrolled users: an authenticator code or a recovery code."""
    user = pending_user()
    if user is None:
        flash("Please sign in again.", "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("accounts/login_code.html", form=form)
    throttle = signin_throttle()
    verdict = throttle.attempt(user.email, request.remote_addr)
    if not verdict.allowed:
        record(None, "login_code", "user", user.id, outcome="blocked")
        db.session.commit()
        return throttled_response("accounts/login_code.html", verdict, form=form)
    if not verify_second_factor(user, form.code.data, time.time()):
        record(None, "login_code", "user", user.id, outcome="denied")
        db.session.commit()
        flash("That code is not right.", "error")
        return render_template("accounts/login_code.html", form=form)
    tickets = [*pending_tickets(), verdict.ticket]
    response = _signed_in(user, safe_next(session.get(PENDING_NEXT)))
    # After the commit: on SQLite the code's UPDATE holds the write lock until then.
    throttle.succeeded(user.email, tickets)
    return response


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
