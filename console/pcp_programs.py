"""PCP pages for programs: find community and treatment programs, refer the patient to one.

A program referral is made with the same form pieces and the same use case as a clinician
referral (use_cases.open_and_send); the body names the service at a location instead.
"""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from accounts.identity import current_actor
from accounts.profile import referrer_contact
from console import pcp_blueprint as bp
from console.access import page_for
from console.display import local_zone
from console.referral_actions import PageRefusal, on_page
from console.referral_form import (
    MANUAL_STEPS,
    manual_ticks,
    program_referral_body,
    with_referrer_defaults,
)
from console.search import plan_choices
from directory.extensions import db
from directory.models.verification import utcnow
from pages.languages import current_locale_code
from programs.models import ProgramSite
from programs.needs import ProgramNeedsSchema
from programs.search import find_programs
from programs.vocabulary import need_labels
from referrals import use_cases
from referrals.consent import FORM_TYPES

PCP = ("pcp",)
DISTANCE_MILES = 10
NO_STORE = {"Cache-Control": "no-store"}


def _search_page(status: int = 200, **context):
    context.setdefault("picked", [])
    context.setdefault("postal_code", "")
    labels = need_labels(current_locale_code())
    body = render_template("console/pcp/programs.html", needs=labels, **context)
    return body, status, NO_STORE


@bp.get("/programs")
@page_for(*PCP)
def programs():
    """The program search form: the patient's ZIP code and the kinds of help needed."""
    return _search_page()


@bp.post("/programs")
@page_for(*PCP)
def program_results():
    """Programs near the ZIP code for the needs picked, each with a Refer button."""
    postal_code = request.form.get("postal_code", "").strip()[:10]
    picked = [code for code in request.form.getlist("needs") if code in need_labels("en")]
    body = {"postal_code": postal_code, "max_distance_miles": DISTANCE_MILES}
    if picked:
        body["needs"] = picked
    try:
        needs = ProgramNeedsSchema().load(body)
    except ValidationError:
        return _search_page(400, picked=picked, postal_code=postal_code, invalid=True)
    page = find_programs(needs, utcnow())
    return _search_page(picked=picked, postal_code=postal_code, page=page, miles=DISTANCE_MILES)


def _site(form) -> ProgramSite | None:
    value = (form.get("service_at_location_id") or "").strip()
    return db.session.get(ProgramSite, int(value)) if value.isdigit() else None


def _refer_page(form, site: ProgramSite, errors=None, status: int = 200, **extra):
    today = utcnow().astimezone(local_zone()).date()
    body = render_template(
        "console/refer_program.html",
        form=with_referrer_defaults(form, referrer_contact(current_user)),
        site=site,
        errors=errors or {},
        today=today,
        default_expiry=today + timedelta(days=365),
        organization=current_user.organization,
        manual_steps=MANUAL_STEPS,
        form_types=FORM_TYPES,
        plans=plan_choices(),
        **extra,
    )
    return body, status, NO_STORE


@bp.post("/programs/refer")
@page_for(*PCP)
def refer_program():
    """The referral form for the chosen program site."""
    site = _site(request.form)
    if site is None:
        flash(_("Choose a program from the results first."), "error")
        return redirect(url_for("pcp.programs"), 303)
    return _refer_page(request.form, site, fresh=True)


@bp.post("/programs/referrals")
@page_for(*PCP)
def send_program():
    """Create the program referral with its consent and checklist, and send it (one step)."""
    site = _site(request.form)
    if site is None:
        flash(_("Choose a program from the results first."), "error")
        return redirect(url_for("pcp.programs"), 303)
    try:
        body = program_referral_body(request.form)
        ticks = manual_ticks(request.form)
        referral = on_page(use_cases.open_and_send, current_actor(), body, ticks, utcnow())
    except PageRefusal as err:
        return _refer_page(request.form, site, err.errors, err.status, refusal=err)
    name = site.service.organization.name
    flash(_("Referral #%(id)s sent to %(name)s.", id=referral.id, name=name), "success")
    if referral.patient_code:
        flash(
            _(
                "Give the patient this code for the status page (%(url)s); it is shown only "
                "once: %(code)s",
                url=url_for("patient_status.form", _external=True),
                code=referral.patient_code,
            ),
            "info",
        )
    return redirect(url_for("pcp.referral", referral_id=referral.id), 303)
