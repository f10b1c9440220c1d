"""Clinician pages: incoming referrals to act on, and the clinician's own listing to attest."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from accounts.identity import current_actor
from audit.log import record
from console import clinician_blueprint as bp
from console.access import page_for
from console.listing import ListingInvalid, attest, listing_update
from console.referral_actions import show_many
from console.referral_page import add_referral_routes
from directory.extensions import db
from directory.models import Clinician
from referrals.listing import visible_referrals

CLINICIAN = ("clinician",)
# Inbox sections, in the order a clinician works through them.
INBOX = (
    ("new", ("sent", "acknowledged")),
    ("upcoming", ("accepted", "scheduled")),
    ("to_close", ("attended", "no_show")),
    ("done", ("closed", "declined", "cancelled", "expired")),
)
INBOX_LIMIT = 200


@bp.get("/")
@page_for(*CLINICIAN)
def inbox():
    """Referrals sent to the signed-in clinician, grouped by what they need next."""
    actor = current_actor()
    rows = db.session.scalars(visible_referrals(actor, limit=INBOX_LIMIT)).all()
    # An admin sees every referral elsewhere; here only those naming a clinician they act for.
    rows = [r for r in rows if r.sent_at is not None and r.clinician.npi in actor.npis]
    shown = show_many(actor, rows)
    sections = [
        (name, [s for s in shown if s.referral.status in statuses]) for name, statuses in INBOX
    ]
    return render_template("console/clinician/inbox.html", sections=sections)


def _own_listing() -> Clinician:
    actor = current_actor()
    npi = next(iter(sorted(actor.npis)), None)
    if npi is None:
        abort(404)
    clinician = db.session.scalar(select(Clinician).where(Clinician.npi == npi))
    if clinician is None:
        abort(404)
    return clinician


@bp.get("/listing")
@page_for(*CLINICIAN)
def listing():
    """The clinician's availability as the directory shows it, with when it was last verified."""
    return render_template("console/clinician/listing.html", clinician=_own_listing(), errors={})


@bp.post("/listing")
@page_for(*CLINICIAN)
def update_listing():
    """Save availability; attesting also marks the whole listing verified today."""
    clinician = _own_listing()
    actor = current_actor()
    try:
        listing_update(clinician, request.form)
    except ListingInvalid as err:
        db.session.rollback()
        return render_template(
            "console/clinician/listing.html", clinician=clinician, errors=err.errors
        ), 400
    record(actor, "update", "clinician", clinician.id)
    if request.form.get("attest"):
        attest(clinician)
        record(actor, "attest", "clinician", clinician.id)
        flash(_("Saved and attested: your listing is verified as of today."), "success")
    else:
        flash(_("Saved. Attest to mark the listing verified."), "info")
    db.session.commit()
    return redirect(url_for("clinician.listing"), 303)


add_referral_routes(bp, *CLINICIAN)
