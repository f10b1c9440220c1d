"""/account/password: change your password (the current one first); other sessions end."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from accounts import accounts_blueprint as bp
from accounts.forms import ChangePasswordForm
from accounts.identity import current_actor
from accounts.refusals import throttled_response
from accounts.sessions import end_user_sessions, rotate_session
from accounts.throttle import signin_throttle
from accounts.users import AccountError, set_user_password
from audit.log import record
from directory.extensions import db

TEMPLATE = "accounts/change_password.html"


def _page(form: ChangePasswordForm, status: int = 200):
    page = render_template(TEMPLATE, form=form, forced=current_user.must_change_password)
    return page, status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Check the current password (throttled like sign-in), then set the new one."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _page(form, 400 if request.method == "POST" else 200)
    user = current_user._get_current_object()
    throttle = signin_throttle()
    verdict = throttle.attempt(user.email, request.remote_addr)
    if not verdict.allowed:
        return throttled_response(TEMPLATE, verdict, form=form, forced=user.must_change_password)
    if not user.check_password(form.current_password.data):
        record(current_actor(), "password_change", "user", user.id, outcome="denied")
        db.session.commit()
        form.current_password.errors.append("That is not your current password.")
        return _page(form, 400)
    throttle.succeeded(user.email, [verdict.ticket])
    if form.new_password.data == form.current_password.data:
        form.new_password.errors.append("Choose a password you have not been using.")
        return _page(form, 400)
    try:
        set_user_password(user, form.new_password.data)
    except AccountError as err:
        form.new_password.errors.append(str(err).capitalize() + ".")
        return _page(form, 400)
    record(current_actor(), "password_change", "user", user.id)
    db.session.commit()
    # Every other session of this user ends; this one goes on under a new id.
    end_user_sessions(user.id)
    rotate_session()
    flash("Your password is changed. Any other sessions you had are signed out.", "success")
    return redirect(url_for("accounts.account"))
