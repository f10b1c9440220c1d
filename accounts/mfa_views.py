"""/account/mfa: enrol an authenticator (secret shown once), confirm it, or turn it off."""

from __future__ import annotations

import time

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from accounts import accounts_blueprint as bp
from accounts.forms import CodeForm, DisableMfaForm
from accounts.identity import current_actor
from accounts.mfa import (
    disable_totp,
    enable_totp,
    matching_step,
    new_secret,
    provisioning_uri,
    verify_second_factor,
)
from accounts.refusals import throttled_response
from accounts.throttle import signin_throttle
from audit.log import record
from directory.extensions import db

ENROL_SECRET = "mfa_enrol_secret"  # kept in the server-side session until confirmed


def _private(page: str, status: int = 200):
    """A page showing a secret: never cached anywhere."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _enrol_page(form: CodeForm, status: int = 200):
    secret = session.get(ENROL_SECRET)
    if not isinstance(secret, str):
        secret = session[ENROL_SECRET] = new_secret()
    uri = provisioning_uri(secret, current_user.email, current_app.config["MFA_ISSUER"])
    page = render_template("accounts/mfa_enrol.html", form=form, secret=secret, uri=uri)
    return _private(page, status)


def _admin_must_keep_it(user) -> bool:
    return current_app.config["REQUIRE_ADMIN_MFA"] and user.role == "admin"


@bp.route("/account/mfa", methods=["GET", "POST"])
@login_required
def mfa():
    """Enrolled: the state and a way to turn it off. Not yet: a secret to add, then a code."""
    user = current_user._get_current_object()
    if user.has_totp:
        required = _admin_must_keep_it(user)
        page = render_template("accounts/mfa.html", form=DisableMfaForm(), required=required)
        return _private(page)
    form = CodeForm()
    if not form.validate_on_submit():
        return _enrol_page(form, 400 if request.method == "POST" else 200)
    secret = session.get(ENROL_SECRET)
    step = matching_step(secret, form.code.data, time.time()) if secret else None
    if step is None:
        form.code.errors.append("That code is not right. Check the device's clock and try again.")
        return _enrol_page(form, 400)
    codes = enable_totp(user, secret, step)
    session.pop(ENROL_SECRET, None)
    record(current_actor(), "mfa_enable", "user", user.id)
    db.session.commit()
    return _private(render_template("accounts/mfa_codes.html", codes=codes))


@bp.route("/account/mfa/disable", methods=["POST"])
@login_required
def mfa_disable():
    """Turn the second factor off with the password and a code (not admins who must keep it)."""
    user = current_user._get_current_object()
    form = DisableMfaForm()
    if not user.has_totp or _admin_must_keep_it(user):
        return redirect(url_for("accounts.mfa"))
    if not form.validate_on_submit():
        return _private(render_template("accounts/mfa.html", form=form, required=False), 400)
    throttle = signin_throttle()
    verdict = throttle.attempt(user.email, request.remote_addr)
    if not verdict.allowed:
        return throttled_response("accounts/mfa.html", verdict, form=form, required=False)
    right = user.check_password(form.password.data)
    if not (right and verify_second_factor(user, form.code.data, time.time())):
        record(current_actor(), "mfa_disable", "user", user.id, outcome="denied")
        db.session.commit()
        flash("The password or the code is not right.", "error")
        return _private(render_template("accounts/mfa.html", form=form, required=False), 400)
    disable_totp(user)
    record(current_actor(), "mfa_disable", "user", user.id)
    db.session.commit()
    throttle.succeeded(user.email, [verdict.ticket])  # after the commit, as in views.login_code
    flash("Two-step sign-in is off.", "success")
    return redirect(url_for("accounts.account"))
