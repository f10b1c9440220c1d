"""The admin queue of listings to re-verify: stale (not verified in time) or flagged."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import EXCLUDE, ValidationError
from sqlalchemy import func, or_, select

from accounts.identity import current_actor
from audit.log import record
from console import admin_blueprint as bp
from console.access import page_for
from console.cost_form import cost_from_form
from console.listing import cost_error, listing_cost_sentences
from corrections.schemas import VerifySchema
from corrections.staff import verify_listing
from corrections.statuses import METHODS
from directory.cost_facts import set_cost
from directory.extensions import db
from directory.facts import current_many
from directory.models import Clinician
from directory.models.verification import utcnow
from pages.provenance import missing_sentence, provenance_sentence

ADMIN = ("admin",)
PAGE_SIZE = 50


def _needing_review():
    cutoff = utcnow() - timedelta(days=current_app.config["STALE_AFTER_DAYS"])
    return or_(
        Clinician.flagged_reason.is_not(None),
        Clinician.verified_at.is_(None),
        Clinician.verified_at < cutoff,
    )


@bp.get("/listings")
@page_for(*ADMIN)
def listings():
    """Flagged listings first, then the longest unverified."""
    page = max(request.args.get("page", 1, type=int), 1)
    where = [Clinician.active.is_(True), _needing_review()]
    total = db.session.scalar(select(func.count(Clinician.id)).where(*where))
    rows = db.session.scalars(
        select(Clinician)
        .where(*where)
        .order_by(
            Clinician.flagged_reason.is_(None),
            Clinician.verified_at.is_not(None),
            Clinician.verified_at,
            Clinician.id,
        )
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "console/admin/listings.html",
        facts=_facts(rows),
        clinicians=rows,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        methods=METHODS,
    )


def _facts(rows: list[Clinician]) -> dict[int, list[tuple[str, bool]]]:
    """(sentence, disputed) per fact of each listing: staff see what each source said."""
    now = utcnow()
    found = current_many("clinician", [c.id for c in rows], now)
    lines: dict[int, list[tuple[str, bool]]] = {}
    for clinician_id, findings in found.items():
        lines[clinician_id] = [(provenance_sentence(f, now), bool(f.conflicts)) for f in findings]
        missing = missing_sentence(findings)
        if missing:
            lines[clinician_id].append((missing, False))
    return lines


@bp.post("/listings/<int:clinician_id>")
@page_for(*ADMIN)
def review_listing(clinician_id: int):
    """Mark a listing verified (after checking it with the practice) or clear its flag."""
    clinician = db.session.get(Clinician, clinician_id) or abort(404)
    action = request.form.get("action")
    actor = current_actor()
    if action == "verify":
        try:
            checked = VerifySchema().load(request.form, unknown=EXCLUDE)
        except ValidationError:
            flash(_("Say how the listing was verified (method) and what confirmed it."), "error")
            return listings(), 400
        verify_listing(actor, clinician.id, checked["method"], checked["evidence"], utcnow())
        flash(_("%(name)s marked verified.", name=clinician.display_name), "success")
    elif action == "clear_flag":
        clinician.flagged_reason = None
        clinician.flagged_at = None
        record(actor, "clear_flag", "clinician", clinician.id)
        flash(_("Flag cleared for %(name)s.", name=clinician.display_name), "success")
    else:
        abort(400)
    db.session.commit()
    return redirect(url_for("admin.listings", page=request.form.get("page", 1, type=int)), 303)


def _cost_page(clinician: Clinician, errors: dict, status: int = 200):
    return render_template(
        "console/admin/cost.html",
        clinician=clinician,
        errors=errors,
        methods=METHODS,
        cost_sources=listing_cost_sentences(clinician),
    ), status


@bp.get("/listings/<int:clinician_id>/cost")
@page_for(*ADMIN)
def listing_cost(clinician_id: int):
    """A listing's cost, value by value with its source, to correct after checking."""
    return _cost_page(db.session.get(Clinician, clinician_id) or abort(404), {})


@bp.post("/listings/<int:clinician_id>/cost")
@page_for(*ADMIN)
def update_listing_cost(clinician_id: int):
    """Save cost as verified by staff: every stated value is observed with the method used."""
    clinician = db.session.get(Clinician, clinician_id) or abort(404)
    errors: dict[str, str] = {}
    try:
        cost = cost_from_form(request.form)
    except ValidationError as err:
        errors.update({name: cost_error(name) for name in err.messages})
    try:
        checked = VerifySchema().load(request.form, unknown=EXCLUDE)
    except ValidationError as err:
        errors.update(
            {name: _("Say how it was checked and what confirmed it.") for name in err.messages}
        )
    if errors:
        return _cost_page(clinician, errors, 400)
    actor = current_actor()
    set_cost(
        clinician,
        cost,
        "staff_verification",
        actor_id=actor.id,
        method=checked["method"],
        evidence=checked["evidence"],
    )
    record(actor, "update_cost", "clinician", clinician.id)
    db.session.commit()
    flash(_("Cost saved for %(name)s.", name=clinician.display_name), "success")
    return redirect(url_for("admin.listing_cost", clinician_id=clinician.id), 303)
