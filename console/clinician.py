"""Clinician pages: incoming referrals to act on, and the clinician's own listing to attest."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import EXCLUDE, ValidationError
from sqlalchemy import select

from accounts.identity import current_actor
from audit.log import record
from console import clinician_blueprint as bp
from console.access import page_for
from console.care_plan import add_care_plan_routes
from console.listing import (
    DeclineAnswerSchema,
    ListingInvalid,
    answer_decline,
    attest,
    listing_cost_sentences,
    listing_update,
    unanswered_decline,
)
from console.referral_page import add_referral_routes
from console.timeline import add_timeline_route
from corrections import portal
from corrections.errors import AlreadyResolved, ItemNotFound
from corrections.schemas import AnswerSchema
from corrections.statuses import KINDS, PROBLEMS, STATUS_TABLE
from directory.extensions import db
from directory.models import Clinician
from directory.models.verification import utcnow
from referrals import use_cases

CLINICIAN = ("clinician",)
INBOX_LIMIT = 200


@bp.get("/")
@page_for(*CLINICIAN)
def inbox():
    """Referrals sent to the signed-in clinician, in the status table's inbox sections."""
    sections = use_cases.inbox(current_actor(), INBOX_LIMIT)
    part2 = any(s.disclosure.part2 and s.disclosure.allowed for _, items in sections for s in items)
    return render_template("console/clinician/inbox.html", sections=sections, part2_disclosed=part2)


def own_listing() -> Clinician:
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
    clinician = own_listing()
    return render_template(
        "console/clinician/listing.html",
        clinician=clinician,
        errors={},
        cost_sources=listing_cost_sentences(clinician),
        decline=unanswered_decline(clinician),
    )


@bp.post("/listing")
@page_for(*CLINICIAN)
def update_listing():
    """Save availability; attesting also marks the whole listing verified today."""
    clinician = own_listing()
    actor = current_actor()
    try:
        listing_update(clinician, request.form, actor.id)
    except ListingInvalid as err:
        db.session.rollback()
        return render_template(
            "console/clinician/listing.html",
            clinician=clinician,
            errors=err.errors,
            cost_sources=listing_cost_sentences(clinician),
            decline=unanswered_decline(clinician),
        ), 400
    record(actor, "update", "clinician", clinician.id)
    if request.form.get("attest"):
        attest(clinician, actor.id)
        record(actor, "attest", "clinician", clinician.id)
        flash(_("Saved and attested: your listing is verified as of today."), "success")
    else:
        flash(_("Saved. Attest to mark the listing verified."), "info")
    db.session.commit()
    return redirect(url_for("clinician.listing"), 303)


@bp.post("/listing/accepting")
@page_for(*CLINICIAN)
def answer_accepting():
    """One click after a "not accepting" decline: mark the listing not accepting, or keep it."""
    clinician = own_listing()
    decline = unanswered_decline(clinician)
    try:
        given = DeclineAnswerSchema().load(request.form, unknown=EXCLUDE)
    except ValidationError:
        abort(400)
    if decline is None:
        flash(_("Your listing already answers that decline."), "info")
        return redirect(url_for("clinician.listing"), 303)
    actor = current_actor()
    accepting = given["accepting"] == "yes"
    answer_decline(clinician, accepting, decline, actor.id)
    record(actor, "update", "clinician", clinician.id)
    db.session.commit()
    if accepting:
        flash(_("Saved: your listing says you are accepting new patients."), "success")
    else:
        flash(_("Saved: your listing says you are not accepting new patients."), "success")
    return redirect(url_for("clinician.listing"), 303)


def _reports_page(status: int = 200):
    items = portal.own_reports(current_actor())
    body = render_template(
        "console/clinician/reports.html",
        items=items,
        statuses=STATUS_TABLE,
        problems=PROBLEMS,
        kinds=KINDS,
    )
    return body, status


@bp.get("/reports")
@page_for(*CLINICIAN)
def reports():
    """What people reported about the clinician's own listing, and declines that flagged it."""
    return _reports_page()


@bp.post("/reports/<int:item_id>")
@page_for(*CLINICIAN)
def answer_report(item_id: int):
    """Confirm the listing is right or say it was corrected; either resolves the item."""
    try:
        given = AnswerSchema().load(request.form, unknown=EXCLUDE)
        portal.answer(current_actor(), item_id, given, utcnow())
    except ItemNotFound:
        abort(404)
    except (ValidationError, AlreadyResolved):
        flash(_("Choose confirm or corrected for an open report."), "error")
        return _reports_page(400)
    flash(_("Thank you: your answer resolves the report."), "success")
    return redirect(url_for("clinician.reports"), 303)


add_referral_routes(bp, *CLINICIAN)
add_care_plan_routes(bp, *CLINICIAN)
add_timeline_route(bp, *CLINICIAN)
