"""Re-refer from a referral page: search again with the stored needs, pick, confirm, send."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts.identity import current_actor
from console.access import page_for
from console.display import local_zone
from console.referral_actions import PageRefusal, on_page
from console.referral_form import chosen_clinician, consent_body
from console.search import cards, run_search
from directory.models.verification import utcnow
from referrals import use_cases
from referrals.consent import FORM_TYPES


def _managed(referral_id: int, action: str):
    """The referral when the signed-in reader is on its referring side (read audited); 403."""
    actor = current_actor()
    try:
        referral = on_page(use_cases.managed, actor, referral_id, action)
    except PageRefusal as err:
        abort(err.status)
    if referral.clinician is None:
        abort(409)  # a program referral is followed by a new referral, not re-referred
    return actor, referral


def search_again(referral_id: int):
    """Matches for the referral's own needs, its current clinician left out."""
    _actor, referral = _managed(referral_id, "rerefer")
    found = run_search(dict(referral.needs or {}))
    others = [card for card in cards(found) if card.npi != referral.clinician.npi]
    return render_template(
        "console/rerefer_search.html",
        referral=referral,
        cards=others,
        errors=found.errors or {},
    )


def confirm(referral_id: int, refusal: PageRefusal | None = None, status: int = 200):
    """The chosen clinician, a note, and a new consent when the old one does not name them."""
    _actor, referral = _managed(referral_id, "rerefer")
    clinician, location = chosen_clinician(request.form)
    if clinician is None:
        abort(400)
    today = utcnow().astimezone(local_zone()).date()
    page = render_template(
        "console/rerefer_confirm.html",
        referral=referral,
        clinician=clinician,
        location=location,
        form=request.form,
        today=today,
        default_expiry=today + timedelta(days=365),
        form_types=FORM_TYPES,
        refusal=refusal,
        errors=refusal.errors if refusal else {},
    )
    return page, status


def send_again(referral_id: int):
    """Cancel the old referral (if open) and send the new one."""
    actor = current_actor()
    raw = {
        "clinician_npi": request.form.get("clinician_npi", ""),
        "consent": consent_body(request.form),
    }
    location_id = (request.form.get("location_id") or "").strip()
    if location_id.isdigit():
        raw["location_id"] = int(location_id)
    note = (request.form.get("note") or "").strip()
    if note:
        raw["note"] = note
    try:
        new = on_page(use_cases.rerefer, actor, referral_id, raw, utcnow())
    except PageRefusal as err:
        if err.status == 403:
            abort(403)
        return confirm(referral_id, err, err.status)
    flash(_("Referral #%(id)s sent; #%(old)s is replaced.", id=new.id, old=referral_id), "success")
    return redirect(url_for(f"{request.blueprint}.referral", referral_id=new.id), 303)


def add_rerefer_routes(blueprint: Blueprint, *roles: str) -> None:
    """Mount the re-referral steps under `blueprint` for `roles` (and admins)."""
    guard = page_for(*roles)
    base = "/referrals/<int:referral_id>/rerefer"
    blueprint.add_url_rule(
        f"{base}/search", "rerefer_search", guard(search_again), methods=["POST"]
    )
    blueprint.add_url_rule(f"{base}/confirm", "rerefer_confirm", guard(confirm), methods=["POST"])
    blueprint.add_url_rule(base, "rerefer", guard(send_again), methods=["POST"])
