"""/account: who is signed in, and the name, credentials and work phone they keep there."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from accounts import accounts_blueprint as bp
from accounts.forms import LogoutForm
from accounts.identity import current_actor
from accounts.profile import PROFILE_FIELDS, ProfileSchema, apply_profile
from audit.log import record
from directory.extensions import db

TEMPLATE = "accounts/account.html"


def _page(values: dict, errors: dict | None = None, status: int = 200):
    page = render_template(
        TEMPLATE,
        user=current_user,
        values=values,
        errors=errors or {},
        logout_form=LogoutForm(),
    )
    return page, status


@bp.get("/account")
@login_required
def account():
    """Who is signed in, for which organization and role; their details to edit."""
    return _page({name: getattr(current_user, name) or "" for name in PROFILE_FIELDS})


@bp.post("/account")
@login_required
def update_account():
    """Save the details (CSRF-checked by the app); a referral form fills the referrer from them."""
    posted = {name: request.form.get(name, "") for name in PROFILE_FIELDS}
    try:
        details = ProfileSchema().load(posted)
    except ValidationError as err:
        return _page(posted, err.messages, 400)
    user = current_user._get_current_object()
    if apply_profile(user, details):
        record(current_actor(), "profile_update", "user", user.id)
        db.session.commit()
    flash(_("Your details are saved."), "success")
    return redirect(url_for("accounts.account"), 303)
