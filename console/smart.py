"""SMART EHR launch pages: /smart/launch, /smart/callback, linking the EHR user, the pre-fill."""

from __future__ import annotations

import time

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts.identity import current_actor
from console import smart_blueprint as bp
from console.access import page_for
from console.smart_session import GRANT, PENDING, PREFILL, keep, take
from smart import use_cases
from smart.discovery import SmartConfiguration
from smart.errors import LaunchRefused
from smart.state import Grant, Pending

PCP = ("pcp",)


def _refusal_words() -> dict[str, str]:
    """What each refusal (smart.errors.REASONS) tells the PCP to do, in their language."""
    return {
        "unknown_issuer": _(
            "This EHR is not registered with the directory. Ask an administrator "
            "to register it before launching the app from it."
        ),
        "discovery_failed": _(
            "The EHR's SMART configuration could not be read. Try again, or "
            "ask the EHR's administrator whether SMART launch is enabled."
        ),
        "state_mismatch": _(
            "This sign-in answer does not belong to the launch started in this "
            "browser. Launch the app again from the EHR."
        ),
        "expired": _(
            "The launch took too long and has expired. Launch the app again from the EHR."
        ),
        "authorization_denied": _(
            "The EHR did not authorize the app. Launch it again, and "
            "approve access when the EHR asks."
        ),
        "token_refused": _(
            "The EHR refused to complete the sign-in. Launch the app again from the EHR."
        ),
        "token_invalid": _(
            "The EHR's answer could not be verified, so it was not used. Launch "
            "the app again; if it keeps happening, tell an administrator."
        ),
        "missing_scopes": _(
            "The EHR did not grant the access the app needs (patient, coverage, "
            "conditions, medications, observations and who you are)."
        ),
        "fhir_unavailable": _(
            "The EHR's FHIR server did not answer, so nothing was read or "
            "saved. Try again in a moment."
        ),
        "linked_elsewhere": _(
            "Your EHR user is linked to another account in the directory. "
            "Sign in with that account, or ask an administrator."
        ),
        "client_misconfigured": _(
            "The directory's registration for this EHR is incomplete (its client secret or "
            "key is missing on the server). Tell an administrator."
        ),
        "no_launch": _(
            "There is no launch in progress. Open the app from the patient's chart in the EHR."
        ),
    }


def _refused(err: LaunchRefused):
    """A clear page for why the launch stopped; nothing of it was stored."""
    message = _refusal_words()[err.reason]
    page = render_template("console/smart/refused.html", message=message, reason=err.reason)
    return page, err.status


def _settings() -> tuple[float, float]:
    """(launch lifetime in seconds, HTTP timeout to the EHR in seconds)."""
    config = current_app.config
    return config["SMART_LAUNCH_MINUTES"] * 60.0, config["SMART_HTTP_TIMEOUT_SECONDS"]


def redirect_uri() -> str:
    """The redirect URI registered at the EHR: APP_BASE_URL and the callback's path."""
    return current_app.config["APP_BASE_URL"].rstrip("/") + url_for("smart.callback")


@bp.get("/launch")
def launch():
    """The EHR opens the app here (iss, launch): sign in first if needed, then authorize."""
    if current_actor() is None:
        # iss and launch carry no PHI (the EHR's address, an opaque id): keep them through the
        # sign-in, so the PCP comes back to this launch instead of starting over in the EHR.
        return redirect(url_for("accounts.login", next=request.full_path), 302)
    return _begin()


@page_for(*PCP)
def _begin():
    """Discover the EHR, keep state, nonce and verifier here, redirect to its authorize."""
    _lifetime, timeout = _settings()
    try:
        url, pending, config = use_cases.begin(
            request.args.get("iss", ""),
            request.args.get("launch", ""),
            redirect_uri(),
            time.time(),
            timeout,
        )
    except LaunchRefused as err:
        return _refused(err)
    keep(PENDING, {"launch": pending.as_dict(), "config": config.__dict__})
    return redirect(url, 302)


@bp.get("/callback")
@page_for(*PCP)
def callback():
    """The EHR's answer: check it, trade the code, then pre-fill or ask to link the EHR user."""
    kept = take(PENDING)
    lifetime, timeout = _settings()
    try:
        if kept is None:
            raise LaunchRefused("no_launch", 400)
        pending, config = Pending(**kept["launch"]), SmartConfiguration(**kept["config"])
        ehr, grant = use_cases.finish(
            pending,
            config,
            request.args.to_dict(),
            redirect_uri(),
            (time.time(), lifetime, timeout),
        )
        if not use_cases.linked_user(current_actor(), ehr, grant):
            keep(GRANT, {"ehr_id": ehr.id, **grant.as_dict()})
            return render_template("console/smart/link.html", ehr=ehr, fhir_user=grant.fhir_user)
        return _prefill(ehr, grant, timeout, link=False)
    except LaunchRefused as err:
        return _refused(err)


@bp.post("/link")
@page_for(*PCP)
def link():
    """The PCP confirms the EHR user is them: link it, then read the patient."""
    kept = take(GRANT)
    _lifetime, timeout = _settings()
    try:
        if kept is None:
            raise LaunchRefused("no_launch", 400)
        ehr = use_cases.registration_by_id(kept.pop("ehr_id"))
        grant = Grant(**kept)
        if grant.expires_at < time.time():
            raise LaunchRefused("expired", 400)
        use_cases.linked_user(current_actor(), ehr, grant)
        return _prefill(ehr, grant, timeout, link=True)
    except LaunchRefused as err:
        return _refused(err)


def _prefill(ehr, grant: Grant, timeout: float, link: bool):
    found = use_cases.read_patient(current_actor(), ehr, grant, timeout, link=link)
    keep(PREFILL, found)
    return redirect(url_for("pcp.search", launch=1), 303)
