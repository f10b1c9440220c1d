"""The launch's steps with their rules: which EHRs may launch, who the EHR user is, audit."""

from __future__ import annotations

import hmac

from sqlalchemy import select

from accounts.identity import Actor
from audit.log import record
from directory.extensions import db
from directory.models import Network
from smart.chart import read_chart
from smart.discovery import SmartConfiguration, discover
from smart.errors import LaunchRefused
from smart.models import EhrRegistration, EhrUserLink
from smart.prefill import prefill
from smart.state import Grant, Pending


def registration_for(iss: str) -> EhrRegistration:
    """The registered EHR whose issuer is `iss` (exactly; a trailing slash aside)."""
    wanted = (iss or "").strip().rstrip("/")
    ehr = db.session.scalar(select(EhrRegistration).where(EhrRegistration.issuer == wanted))
    if not wanted or ehr is None:
        raise LaunchRefused("unknown_issuer", 400)
    return ehr


def registration_by_id(ehr_id: object) -> EhrRegistration:
    """The registered EHR a launch began with (gone if an admin removed it meanwhile)."""
    ehr = db.session.get(EhrRegistration, ehr_id) if isinstance(ehr_id, int) else None
    if ehr is None:
        raise LaunchRefused("unknown_issuer", 400)
    return ehr


def begin(
    iss: str, launch: str, redirect_uri: str, now: float, timeout: float
) -> tuple[str, Pending, SmartConfiguration]:
    """The EHR's authorize URL for this launch, and what to keep until its callback."""
    if not launch:
        raise LaunchRefused("no_launch", 400)
    # Authlib, joserfc and cryptography (~11 MB) load only in a worker that serves a launch.
    from smart.oauth import authorization_url

    ehr = registration_for(iss)
    config = discover(ehr.issuer, timeout)
    url, pending = authorization_url(ehr, config, launch, redirect_uri, now)
    return url, pending, config


def finish(
    pending: Pending,
    config: SmartConfiguration,
    answer: dict,
    redirect_uri: str,
    times: tuple[float, float, float],
) -> tuple[EhrRegistration, Grant]:
    """Check the callback (state, age, error), then trade its code; times: now, max age, timeout."""
    from smart.tokens import exchange  # Authlib and joserfc: see begin()

    now, max_age, timeout = times
    if not hmac.compare_digest(str(answer.get("state") or ""), pending.state):
        raise LaunchRefused("state_mismatch", 400)
    if now - pending.started_at > max_age:
        raise LaunchRefused("expired", 400)
    if answer.get("error") or not answer.get("code"):
        raise LaunchRefused("authorization_denied", 400)
    ehr = registration_by_id(pending.ehr_id)
    return ehr, exchange(ehr, config, pending, str(answer["code"]), redirect_uri, timeout)


def linked_user(actor: Actor, ehr: EhrRegistration, grant: Grant) -> bool:
    """True when the EHR user is this PCP's account; False when not linked to anyone yet."""
    link = db.session.scalar(
        select(EhrUserLink).where(
            EhrUserLink.ehr_id == ehr.id, EhrUserLink.fhir_user == grant.fhir_user
        )
    )
    if link is not None and link.user_id != actor.id:
        raise LaunchRefused("linked_elsewhere", 403)
    return link is not None


def read_patient(
    actor: Actor, ehr: EhrRegistration, grant: Grant, timeout: float, link: bool = False
) -> dict:
    """The launch patient's pre-fill, read from the EHR and audited; `link` records the link too.

    The chart is read before anything is written: an EHR that does not answer leaves no link
    and no audit event behind.
    """
    chart = read_chart(ehr.issuer, grant.access_token, grant.patient, timeout)
    plans = db.session.scalars(select(Network).where(Network.kind == "plan"))
    found = prefill(chart, list(plans))
    if link:
        row = EhrUserLink(ehr_id=ehr.id, fhir_user=grant.fhir_user, user_id=actor.id)
        db.session.add(row)
        db.session.flush()
        record(actor, "create", "smart_user_link", row.id)
    record(actor, "read", "ehr_patient", f"{ehr.id}:Patient/{grant.patient}")
    db.session.commit()
    return found
