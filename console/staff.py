"""The plan phone-staff call console: one keyboard-first screen, and the follow-up queue."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from accounts.identity import current_actor
from audit.log import record
from console import staff_blueprint as bp
from console.access import page_for
from console.calls import (
    CallInvalid,
    call_from_form,
    callbacks_due,
    callbacks_later,
    own_call,
    recent_calls,
)
from console.care_plan import add_care_plan_routes
from console.crisis_notice import flash_if_crisis
from console.display import local_zone
from console.member_plan import MemberPlan, member_plan, script_words
from console.network_lookup import find_clinicians, network_answers
from console.referral_actions import PageRefusal, on_page
from console.referral_form import manual_ticks, referral_body
from console.referral_page import add_referral_routes
from console.rerefer import add_rerefer_routes
from console.search import (
    Search,
    cards,
    form_options,
    plan_choices,
    raw_needs,
    relaxed_by,
    run_search,
    searched_codes,
    suggestions,
)
from console.social_needs import SocialScreen, screen_from_form, social_context
from console.timeline import add_timeline_route
from directory.extensions import db
from directory.models.verification import utcnow
from referrals import use_cases
from referrals.consent import FORM_TYPES

STAFF = ("plan_staff",)
PLAN_KEY = "console_plan"  # the member's plan, remembered for the agent's next call
QUEUE_ON_CONSOLE = 10


def _plans(actor) -> list:
    """Plans the agent answers for: their organization's, else every plan (admins)."""
    return plan_choices(actor.plan_ids or None)


def _member_plan(actor, form) -> MemberPlan:
    """The member's plan: as chosen, else from the member id, else remembered, else the first."""
    plans = _plans(actor)
    found = member_plan(plans, form.get("plan"), form.get("patient_member_id"))
    if found.plan:
        session[PLAN_KEY] = found.plan
        return found
    offered = [p.id for p in plans]
    fallback = session.get(PLAN_KEY) if session.get(PLAN_KEY) in offered else None
    return replace(found, plan=fallback or (offered[0] if offered else None))


def _needs_with_plan(actor, form) -> tuple[dict, MemberPlan]:
    raw, member = raw_needs(form), _member_plan(actor, form)
    if member.plan:
        raw["plan"] = member.plan
    return raw, member


def queue_items(actor) -> tuple[list, list]:
    """(overdue referrals of the plan's members, callbacks due); each referral read audited."""
    # Plan staff see their plans' members (plan + member id) and the referrals they made.
    return use_cases.overdue(actor), callbacks_due(actor, utcnow(), local_zone())


def _console(search: Search, status: int = 200, errors: dict | None = None, **extra):
    actor = current_actor()
    extra = {**social_context(extra.pop("social", SocialScreen())), **extra}
    extra.setdefault("member", MemberPlan())
    overdue, callbacks = queue_items(actor)
    today = utcnow().astimezone(local_zone()).date()
    page = render_template(
        "console/staff/console.html",
        search=search,
        raw=search.raw,
        cards=cards(search),
        relaxations=suggestions(search),
        code_mappings=searched_codes(search),
        options=form_options(),
        plans=_plans(actor),
        needs_errors=search.errors or {},
        errors=errors or {},
        form=request.form,
        overdue=overdue[:QUEUE_ON_CONSOLE],
        callbacks=callbacks,
        calls=recent_calls(actor),
        form_types=FORM_TYPES,
        today=today,
        default_expiry=today + timedelta(days=365),
        member_words=script_words(),
        **extra,
    )
    return page, status


@bp.get("/")
@page_for(*STAFF)
def console():
    """The call console with the member's plan preselected."""
    member = _member_plan(current_actor(), {})
    return _console(Search(raw={"plan": member.plan} if member.plan else {}), member=member)


@bp.post("/search")
@page_for(*STAFF)
def search():
    """The whole console with results (the no-script path, and a suggestion's button)."""
    raw, member = _needs_with_plan(current_actor(), request.form)
    # A suggestion's button posts the whole call form (what is typed for the referral stays)
    # and names the one change to make to the needs.
    found = run_search(relaxed_by(raw, request.form.get("relax", "")))
    return _console(found, 400 if found.errors else 200, member=member)


@bp.post("/matches")
@page_for(*STAFF)
def matches():
    """Just the results region, for the console's script to swap in as filters change."""
    found = run_search(_needs_with_plan(current_actor(), request.form)[0])
    return render_template(
        "console/staff/_results.html",
        search=found,
        cards=cards(found),
        relaxations=suggestions(found),
        code_mappings=searched_codes(found),
        needs_errors=found.errors or {},
        form=request.form,
    )


@bp.post("/refer")
@page_for(*STAFF)
def refer():
    """Create and send the referral for the chosen result; the call is recorded as referred."""
    actor = current_actor()
    raw, member = _needs_with_plan(actor, request.form)
    form = request.form.copy()
    npi, _sep, location_id = (form.get("choice") or "").partition(":")
    form["clinician_npi"], form["location_id"] = npi, location_id
    form.setdefault("referral_plan", raw.get("plan", ""))
    now = utcnow()
    try:
        _refuse_disagreement(member)
        body, ticks = referral_body(form, raw), manual_ticks(form)
        referral = on_page(use_cases.open_and_send, actor, body, ticks, now)
    except PageRefusal as err:
        return _console(run_search(raw), err.status, err.errors, refusal=err, member=member)
    call = call_from_form(actor, _referred(referral.id, form), raw.get("plan"), local_zone(), now)
    record(actor, "create", "call_note", call.id)
    db.session.commit()
    flash_if_crisis(request.form)
    flash(_("Referral #%(id)s sent; the call is recorded as referred.", id=referral.id), "success")
    return redirect(url_for("staff.console"), 303)


def _refuse_disagreement(member: MemberPlan) -> None:
    """A referral whose plan the member id does not fit is not sent (the agent checks both)."""
    if member.disagrees:
        message = _("The member ID and the plan disagree; check both.")
        raise PageRefusal(message, {"patient": {"member_id": [member.note]}}, 422)


def _referred(referral_id: int, form):
    outcome = form.copy()
    outcome["outcome"], outcome["referral_id"] = "referred", str(referral_id)
    return outcome


@bp.post("/calls")
@page_for(*STAFF)
def record_call():
    """Record how the call ended: warm transfer, information only, or a callback to make."""
    actor = current_actor()
    raw, member = _needs_with_plan(actor, request.form)
    try:
        call = call_from_form(actor, request.form, raw.get("plan"), local_zone(), utcnow())
    except CallInvalid as err:
        db.session.rollback()
        found = run_search(raw) if raw.get("postal_code") else Search(raw)
        return _console(found, 400, err.errors, member=member)
    record(actor, "create", "call_note", call.id)
    db.session.commit()
    flash_if_crisis(request.form)
    flash(_("Call outcome saved."), "success")
    return redirect(url_for("staff.console"), 303)


@bp.post("/social-needs")
@page_for(*STAFF)
def social_results():
    """Score and keep the member's social-needs screen; the console shows it, safety first."""
    actor = current_actor()
    raw, member = _needs_with_plan(actor, request.form)
    screen = screen_from_form(actor, request.form)
    found = run_search(raw) if raw.get("postal_code") else Search(raw)
    return _console(found, 400 if screen.errors else 200, social=screen, member=member)


@bp.post("/calls/<int:call_id>/done")
@page_for(*STAFF)
def callback_done(call_id: int):
    """Mark a callback made."""
    actor = current_actor()
    call = own_call(actor, call_id)
    if call is None or call.outcome != "callback":
        abort(404)
    if call.callback_done_at is None:
        call.callback_done_at = utcnow()
        record(actor, "update", "call_note", call.id)
        db.session.commit()
    back = "staff.queue" if request.form.get("back") == "queue" else "staff.console"
    return redirect(url_for(back), 303)


@bp.get("/queue")
@page_for(*STAFF)
def queue():
    """Overdue referrals of the plan's members, then every open callback by due date."""
    actor = current_actor()
    overdue, callbacks = queue_items(actor)
    later = callbacks_later(actor, utcnow(), local_zone())
    return render_template(
        "console/staff/queue.html", overdue=overdue, callbacks=callbacks, later=later
    )


@bp.get("/lookup")
@page_for(*STAFF)
def lookup():
    """Is this clinician in the member's plan? By name or NPI, per plan and place."""
    query = (request.args.get("q") or "")[:80]
    plans = _plans(current_actor())
    found = [(c, network_answers(c, plans)) for c in find_clinicians(query)]
    return render_template("console/staff/lookup.html", query=query, found=found)


add_referral_routes(bp, *STAFF)
add_care_plan_routes(bp, *STAFF)
add_timeline_route(bp, *STAFF)
add_rerefer_routes(bp, *STAFF)
