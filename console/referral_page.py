"""The referral page every role shares: status, timeline, checklist, and the steps it may take."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts.identity import current_actor
from console.access import page_for
from console.display import local_zone
from console.econsent import post_consent_request
from console.message_thread import download, post_message, thread_for
from console.referral_actions import PageRefusal, on_page
from console.referral_form import appointment_at
from console.registry import referral_charts
from console.return_form import form_choices, post_return
from directory.models.verification import utcnow
from pages.diagnosis_text import code_mappings
from pages.languages import current_locale_code
from pages.vocabulary_text import concern_names
from programs.vocabulary import need_labels
from referrals import use_cases
from referrals.access import can_manage
from referrals.care_team import active_members, members_acting_as
from referrals.checklist import CHECKLIST_ITEMS, RECEIVED_ITEMS
from referrals.consent import PART2_NOTICE, consent_status
from referrals.econsent import forms_allowed
from referrals.followup import overdue_reason
from referrals.lifecycle import (
    API_EVENTS,
    DECLINE_REASONS,
    TERMINAL,
    allowed_events,
    can_rerefer,
    may_fire,
)
from referrals.returns import accepts_returns
from referrals.use_cases.writes import ACKNOWLEDGED_ON_THE_WAY


def actions(referral, relations: frozenset[str]) -> list[str]:
    """The lifecycle steps this reader may take now, in lifecycle order."""
    found = [
        e
        for e in allowed_events(referral.status, referral.kind)
        if e in API_EVENTS and may_fire(relations, e)
    ]
    if "acknowledge" in found:
        found += [e for e in ACKNOWLEDGED_ON_THE_WAY if may_fire(relations, e)]
    return found


def event_body(form) -> dict:
    """The event one button posts, as the use case reads it (the schema checks it there)."""
    raw = {"type": form.get("type", "")}
    for name in ("note", "reason", "program_status"):
        value = (form.get(name) or "").strip()
        if value:
            raw[name] = value
    moment = appointment_at(form, local_zone())
    if moment is not None:
        raw["appointment_at"] = moment
    return raw


def show(referral_id: int):
    """Render the referral for the signed-in reader (404 when it is not theirs)."""
    actor = current_actor()
    found = on_page(use_cases.read_with_returns, actor, referral_id)
    shown, referral = found.shown, found.shown.referral
    manage = can_manage(actor, referral)
    return render_template(
        "console/referral.html",
        shown=shown,
        returns=found.returns,
        return_form=form_choices()
        if "receiver" in shown.relations and accepts_returns(referral)
        else None,
        referral=referral,
        concerns=concern_names((referral.needs or {}).get("concerns", [])),
        code_mappings=code_mappings(referral.diagnoses),
        actions=actions(referral, shown.relations),
        manage=manage,
        # The episode's scores go to its referring side only (who may read the whole episode).
        charts=referral_charts(actor, referral) if manage else [],
        checklist_labels=CHECKLIST_ITEMS,
        received_items=RECEIVED_ITEMS,
        decline_reasons=DECLINE_REASONS,
        consent_state=consent_status(referral.consent, use_cases.local_today())
        if referral.consent
        else None,
        part2_notice=PART2_NOTICE if shown.disclosure.part2 else None,
        overdue=overdue_reason(referral, utcnow(), local_zone()),
        rerefer_endpoint=_endpoint_if_mounted("rerefer_search"),
        social_endpoint=_endpoint_if_mounted("referral_social_needs"),
        screenings=use_cases.attached_screenings(actor, shown),
        need_labels=need_labels(current_locale_code()),
        care_plan_link=_care_plan_link(actor, referral),
        timeline_link=_care_plan_link(actor, referral, "timeline"),
        rerefer_allowed=can_rerefer(referral.status) and referral.kind != "program",
        thread=thread_for(actor, shown),
        econsent_forms=forms_allowed(referral.part2),
        econsent_open=referral.status not in TERMINAL,
    )


def _care_plan_link(actor, referral, name: str = "care_plan") -> str | None:
    """The episode's care plan (or timeline) page, for the referring side and the team."""
    endpoint = _endpoint_if_mounted(name)
    if endpoint is None or referral.episode_id is None:
        return None
    if not can_manage(actor, referral) and not members_acting_as(
        actor, active_members(referral.episode_id)
    ):
        return None
    return url_for(endpoint, episode_id=referral.episode_id)


def _endpoint_if_mounted(name: str) -> str | None:
    endpoint = f"{request.blueprint}.{name}"
    return endpoint if endpoint in current_app.view_functions else None


def _back(referral_id: int):
    return redirect(url_for(f"{request.blueprint}.referral", referral_id=referral_id), 303)


def post_event(referral_id: int):
    """Take one lifecycle step from a button on the referral page."""
    actor, raw = current_actor(), event_body(request.form)
    try:
        on_page(
            use_cases.move,
            actor,
            referral_id,
            raw,
            utcnow(),
            acknowledge_on_the_way=True,
            event_type=raw["type"],
        )
    except PageRefusal as err:
        flash(_refusal_text(err), "error")
    else:
        flash(_("Referral #%(id)s updated.", id=referral_id), "success")
    return _back(referral_id)


def post_checklist(referral_id: int):
    """Tick or untick one coordination-of-care step."""
    actor, item = current_actor(), request.form.get("item", "")
    body = {"done": request.form.get("done") == "1"}
    try:
        on_page(use_cases.set_checklist, actor, referral_id, item, body, utcnow())
    except PageRefusal as err:
        flash(_refusal_text(err), "error")
    return _back(referral_id)


def post_revoke(referral_id: int):
    """Record that the patient revoked the consent."""
    try:
        on_page(use_cases.revoke_consent, current_actor(), referral_id, utcnow())
    except PageRefusal as err:
        flash(_refusal_text(err), "error")
    else:
        flash(_("The consent is recorded as revoked; nothing more is disclosed under it."), "info")
    return _back(referral_id)


def _messages(errors: dict) -> str:
    parts = []
    for name, problems in errors.items():
        texts = problems.values() if isinstance(problems, dict) else problems
        parts.append(f"{name}: {'; '.join(str(p) for p in texts)}")
    return " ".join(parts)


def _refusal_text(err: PageRefusal) -> str:
    return f"{err.message} {_messages(err.errors)}".strip()


def add_referral_routes(blueprint: Blueprint, *roles: str) -> None:
    """Mount the referral page and its forms under `blueprint` for `roles` (and admins)."""
    guard = page_for(*roles)
    rules = (
        ("/referrals/<int:referral_id>", "referral", show, ["GET"]),
        ("/referrals/<int:referral_id>/events", "referral_event", post_event, ["POST"]),
        ("/referrals/<int:referral_id>/checklist", "referral_checklist", post_checklist, ["POST"]),
        ("/referrals/<int:referral_id>/consent/revoke", "referral_revoke", post_revoke, ["POST"]),
        ("/referrals/<int:referral_id>/returns", "referral_return", post_return, ["POST"]),
        ("/referrals/<int:referral_id>/messages", "referral_message", post_message, ["POST"]),
        (
            "/referrals/<int:referral_id>/messages/attachments/<int:attachment_id>",
            "referral_attachment",
            download,
            ["GET"],
        ),
        (
            "/referrals/<int:referral_id>/consent/request",
            "referral_consent_request",
            post_consent_request,
            ["POST"],
        ),
    )
    for rule, endpoint, view, methods in rules:
        blueprint.add_url_rule(rule, endpoint, guard(view), methods=methods)
