"""/referrals/<id>: the one link emails carry; it opens the referral on the reader's own pages."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for

from accounts.identity import current_actor, unauthenticated_response

referral_link_blueprint = Blueprint("referral_link", __name__)

# Each role reads referrals under its own blueprint (see add_referral_routes).
REFERRAL_PAGE_BY_ROLE = {
    "pcp": "pcp.referral",
    "plan_staff": "staff.referral",
    "clinician": "clinician.referral",
    "admin": "admin.referral",
}


@referral_link_blueprint.get("/referrals/<int:referral_id>")
def open_referral(referral_id: int):
    """Sign in first if needed, then go to the referral page for the reader's role."""
    actor = current_actor()
    if actor is None:
        return unauthenticated_response()
    endpoint = REFERRAL_PAGE_BY_ROLE.get(actor.role) if actor.kind == "user" else None
    if endpoint is None:
        abort(403)
    # The referral page applies the access policy and audits the read.
    return redirect(url_for(endpoint, referral_id=referral_id))
