"""The correction queue page: reports, declines and bounces, filtered, assigned, resolved."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import EXCLUDE, ValidationError

from accounts.identity import current_actor
from console import admin_blueprint as bp
from console.access import page_for
from corrections import staff
from corrections.clocks import is_overdue
from corrections.errors import AlreadyResolved, ItemNotFound, ListingNotFound, NotStaff
from corrections.intake import file_bounce, listed
from corrections.schemas import BounceSchema, ResolveSchema
from corrections.statuses import BOUNCE_PROBLEMS, KINDS, METHODS, OUTCOMES, PROBLEMS, STATUS_TABLE
from directory.models.verification import utcnow

ADMIN = ("admin",)


def _wanted() -> staff.QueueFilter:
    status = request.args.get("status", "open")
    return staff.QueueFilter(
        overdue=request.args.get("overdue") == "1",
        owner=request.args.get("owner", "")[:12],
        status=status if status in ("open", "all", *STATUS_TABLE) else "open",
    )


def _page(status: int = 200):
    wanted, now = _wanted(), utcnow()
    items = staff.queue(current_actor(), wanted, now)
    body = render_template(
        "console/admin/corrections.html",
        items=items,
        wanted=wanted,
        now=now,
        is_overdue=is_overdue,
        owners=staff.staff_accounts(),
        statuses=STATUS_TABLE,
        outcomes=OUTCOMES,
        problems=PROBLEMS,
        kinds=KINDS,
        methods=METHODS,
        bounces=BOUNCE_PROBLEMS,
    )
    return body, status


@bp.get("/corrections")
@page_for(*ADMIN)
def corrections():
    """Open items soonest due first; filter by overdue, owner or status (each read audited)."""
    return _page()


def _back():
    return redirect(url_for("admin.corrections", **request.args), 303)


@bp.post("/corrections/<int:item_id>/owner")
@page_for(*ADMIN)
def assign_correction(item_id: int):
    """Give the item an owner, or nobody."""
    owner = request.form.get("owner_id", "")
    try:
        staff.assign(current_actor(), item_id, int(owner) if owner.isdigit() else None)
    except ItemNotFound:
        abort(404)
    except NotStaff:
        abort(400)
    flash(_("Owner saved."), "success")
    return _back()


@bp.post("/corrections/<int:item_id>/resolve")
@page_for(*ADMIN)
def resolve_correction(item_id: int):
    """Close the item; corrected or confirmed needs the method and evidence of the check."""
    try:
        resolution = ResolveSchema().load(request.form, unknown=EXCLUDE)
        staff.resolve(current_actor(), item_id, resolution, utcnow())
    except ItemNotFound:
        abort(404)
    except (ValidationError, AlreadyResolved):
        flash(_("Choose an outcome; a verified listing needs the method and evidence."), "error")
        return _page(400)
    flash(_("Item resolved."), "success")
    return _back()


@bp.post("/corrections/bounces")
@page_for(*ADMIN)
def contact_bounced():
    """Staff say an email or phone number on a listing failed."""
    try:
        bounce = BounceSchema().load(request.form, unknown=EXCLUDE)
        clinician = listed(request.form.get("npi", "").strip())
        file_bounce(current_actor(), clinician.id, bounce, utcnow())
    except (ValidationError, ListingNotFound):
        flash(_("Give the listing, the channel and the address or number that failed."), "error")
        return _page(400)
    flash(_("Bounced contact added to the queue."), "success")
    return _back()
