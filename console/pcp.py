"""PCP pages: the full needs form, side-by-side comparison, refer in one flow, My referrals."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.identity import current_actor
from accounts.profile import referrer_contact
from console import pcp_blueprint as bp
from console.access import page_for
from console.care_plan import add_care_plan_routes
from console.crisis_notice import flash_if_crisis
from console.display import local_zone
from console.referral_actions import PageRefusal, on_page
from console.referral_form import (
    FORM_SCREENINGS,
    MANUAL_STEPS,
    chosen_clinician,
    manual_ticks,
    referral_body,
    screening_body,
    with_referrer_defaults,
)
from console.referral_page import add_referral_routes
from console.rerefer import add_rerefer_routes
from console.search import (
    Search,
    cards,
    form_options,
    hidden_fields,
    plan_choices,
    raw_needs,
    run_search,
    searched_codes,
    suggestions,
)
from console.smart_session import forget_launch, launch_needs, launch_prefill, with_launch_defaults
from console.social_needs import add_social_routes
from console.timeline import add_timeline_route
from directory.models import Clinician
from directory.models.verification import utcnow
from programs.beside import programs_beside
from referrals import use_cases
from referrals.consent import FORM_TYPES
from referrals.errors import Malformed
from referrals.kinds import KIND_CODES
from referrals.lifecycle import STATUSES

PCP = ("pcp",)
MAX_COMPARED = 4
MY_REFERRALS_LIMIT = 200


def _programs(search: Search) -> list:
    """Treatment programs beside the clinicians when a concern is substance use."""
    needs = search.needs
    if needs is None:
        return []
    return programs_beside(needs.concerns, needs.point, needs.max_distance_miles, utcnow())


def _search_page(search: Search, status: int = 200, launched: dict | None = None):
    return (
        render_template(
            "console/pcp/search.html",
            search=search,
            raw=search.raw,
            cards=cards(search),
            relaxations=suggestions(search),
            code_mappings=searched_codes(search),
            programs=_programs(search),
            hidden=hidden_fields(search.raw),
            options=form_options(),
            plans=plan_choices(),
            errors=search.errors or {},
            launched=launched,
        ),
        status,
    )


@bp.get("/")
@page_for(*PCP)
def search():
    """The needs form, empty; after an EHR launch (?launch=1), pre-filled from the chart."""
    if request.args.get("launch") and launch_prefill():
        return _search_page(Search(raw=launch_needs()), launched=launch_prefill())
    return _search_page(Search(raw={}))


@bp.post("/search")
@page_for(*PCP)
def results():
    """The needs form with its ranked, explained matches (POST: needs are PHI)."""
    found = run_search(raw_needs(request.form))
    return _search_page(found, 400 if found.errors else 200)


@bp.post("/compare")
@page_for(*PCP)
def compare():
    """Two to four matches side by side, from the same search."""
    found = run_search(raw_needs(request.form))
    picked = request.form.getlist("compare")
    if found.errors or not 2 <= len(picked) <= MAX_COMPARED:
        flash(_("Choose two to four clinicians to compare."), "error")
        return _search_page(found, 400)
    shown = [card for card in cards(found) if card.npi in picked]
    return render_template(
        "console/pcp/compare.html",
        cards=shown,
        hidden=hidden_fields(found.raw),
        raw=found.raw,
    )


def _refer_page(form, needs: dict, clinician: Clinician, location, errors=None, **extra):
    today = utcnow().astimezone(local_zone()).date()
    return render_template(
        "console/refer.html",
        form=with_referrer_defaults(form, referrer_contact(current_user)),
        hidden=hidden_fields(needs),
        needs=needs,
        clinician=clinician,
        location=location,
        errors=errors or {},
        today=today,
        default_expiry=today + timedelta(days=365),
        organization=current_user.organization,
        manual_steps=MANUAL_STEPS,
        form_types=FORM_TYPES,
        plans=plan_choices(),
        submit_endpoint=f"{request.blueprint}.send",
        screenings=FORM_SCREENINGS,
        **extra,
    )


@bp.post("/refer")
@page_for(*PCP)
def refer():
    """The referral form for the chosen match: patient, reason, consent, coordination steps."""
    clinician, location = chosen_clinician(request.form)
    if clinician is None:
        flash(_("Choose a clinician from the results first."), "error")
        return redirect(url_for("pcp.search"), 303)
    needs = raw_needs(request.form)
    form = with_launch_defaults(request.form)  # an EHR launch fills the patient's fields
    return _refer_page(form, needs, clinician, location, fresh=True)


@bp.post("/referrals")
@page_for(*PCP)
def send():
    """Create the referral with its consent and checklist, and send it (one step)."""
    actor = current_actor()
    needs = raw_needs(request.form)
    try:
        body, ticks = referral_body(request.form, needs), manual_ticks(request.form)
        screening = screening_body(request.form)
        referral = on_page(use_cases.open_and_send, actor, body, ticks, utcnow(), screening)
    except PageRefusal as err:
        clinician, location = chosen_clinician(request.form)
        return (
            _refer_page(request.form, needs, clinician, location, err.errors, refusal=err),
            err.status,
        )
    if any(result.crisis for result in referral.screenings):
        # A positive suicide-risk item comes before the confirmation, in clinician voice (the
        # API's words are screening.guidance.CRISIS_GUIDANCE; these are the page's, translated).
        flash(
            _(
                "Positive suicide-risk item: assess suicide risk before the patient leaves. For "
                "imminent risk do not leave the patient alone: warm-transfer to 988 with the "
                "patient on the line, or request the mobile crisis team; call 911 if there is "
                "immediate danger."
            ),
            "error",
        )
    flash_if_crisis(request.form)
    forget_launch()
    flash(
        _("Referral #%(id)s sent to %(name)s.", id=referral.id, name=_target(referral)), "success"
    )
    return redirect(url_for(f"{request.blueprint}.referral", referral_id=referral.id), 303)


def _target(referral) -> str:
    """Who the referral went to, as the confirmation names them."""
    if referral.clinician is not None:
        return referral.clinician.display_name
    return referral.site.service.organization.name


@bp.get("/referrals")
@bp.get("/referrals/kind/<kind>")
@page_for(*PCP)
def my_referrals(kind: str | None = None):
    """The organization's referrals grouped by status, overdue flagged, filtered by GET choices."""
    if kind is not None and kind not in KIND_CODES:
        abort(404)
    try:
        found = use_cases.board(current_actor(), request.args, MY_REFERRALS_LIMIT, kind)
    except Malformed:
        abort(400)
    groups = [(s, [x for x in found.shown if x.referral.status == s]) for s in STATUSES]
    return render_template(
        "console/pcp/referrals.html",
        groups=[(status, items) for status, items in groups if items],
        part2_disclosed=any(s.disclosure.part2 and s.disclosure.allowed for s in found.shown),
        overdue=found.overdue,
        overdue_count=sum(1 for s in found.shown if found.overdue[s.referral.id]),
        limit=MY_REFERRALS_LIMIT,
        kind=kind,
        kinds=KIND_CODES,
        filters=found.filters,
        clinicians=found.clinicians,
        statuses=STATUSES,
    )


add_referral_routes(bp, *PCP)
add_care_plan_routes(bp, *PCP)
add_timeline_route(bp, *PCP)
add_rerefer_routes(bp, *PCP)
add_social_routes(bp, *PCP)
