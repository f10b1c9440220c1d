"""E-consent: the PCP sends a signed link; the patient views, signs or revokes through it.

Each step is audited (a refused link too, as denied or invalid) and a refused step stores
nothing else. The link's destination exists only in the outbox message that carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import select

from audit.log import record
from directory.extensions import db
from outbox.queue import deliver_ids, enqueue
from referrals.checklist import tick
from referrals.clock import local_today
from referrals.econsent import (
    MAX_TOKEN,
    LinkRefused,
    Signature,
    apply_signature,
    check_usable,
    forms_allowed,
    new_token,
    token_hash,
)
from referrals.econsent_models import ConsentRequest
from referrals.econsent_schemas import ConsentRequestSchema, SignatureSchema
from referrals.econsent_text import (
    FORM_VERSIONS,
    LANGUAGES,
    Element,
    Parties,
    elements,
    language_of,
)
from referrals.econsent_text import message as link_message
from referrals.econsent_text import text_hash as hash_text
from referrals.errors import Conflict, Invalid, Malformed
from referrals.lifecycle import TERMINAL
from referrals.use_cases.trail import parse, refusals
from referrals.use_cases.writes import _manage

# Who a patient's step through the link is recorded as (checklist, revocation).
PATIENT_LABEL = "patient (consent link)"
_REFUSAL_OUTCOME = {"unknown": "denied", "expired": "denied", "used": "denied"}


@dataclass(frozen=True)
class LinkView:
    """What the patient's page shows: the release, and whether it is signed yet."""

    request: ConsentRequest
    elements: list[Element]
    text_hash: str
    signed_by: str | None = None
    signed_at: datetime | None = None
    # The care team recorded a revocation (the patient told them): nothing left to revoke here.
    revoked_at: datetime | None = None


def _parties(referral) -> tuple[Parties, list[dict]]:
    """The release's names, and the recipients as the consent records them."""
    org = referral.referring_organization.name
    clinician = referral.clinician
    if clinician is not None:
        name = " ".join(p for p in (clinician.first_name, clinician.last_name) if p)
        practice = referral.location.organization if referral.location else None
        shown = f"{name}, {practice.name}" if practice is not None else name
        recipients = [{"name": name, "npi": clinician.npi}]
    else:
        # The organization, never the program's name: that would say what kind of help it is.
        service = referral.site.service
        shown = service.organization.name if service.organization else service.name
        recipients = [{"name": shown, "npi": None}]
    return Parties(referral.patient_name, org, shown), recipients


def _text(request: ConsentRequest, language: str | None) -> tuple[list[Element], str]:
    """The release in the page's language (else the patient's), and the hash of exactly that."""
    language = language if language in LANGUAGES else request.language
    parties, _recipients = _parties(request.referral)
    found = elements(request.form, parties, request.consent_expires_on, language)
    return found, hash_text(request.form_version, language, found)


def send_consent_request(actor, referral_id: int, body, now: datetime) -> ConsentRequest:
    """Queue a link for the patient to sign the release; earlier unsigned links stop working."""
    config = current_app.config
    referral = _manage(actor, referral_id, "consent_request")
    with refusals(actor, "consent_request", referral_id):
        data = parse(ConsentRequestSchema(), body if isinstance(body, dict) else {})
        if data["form"] not in forms_allowed(referral.part2):
            message = "a substance use disorder referral needs the 42 CFR part 2 consent form"
            raise Invalid(message, {"form": [message]}, code="part2_form")
        if referral.status in TERMINAL:
            raise Conflict("the referral is closed", code="closed")
        for earlier in referral.consent_requests:
            if earlier.state == "pending":
                earlier.state = "replaced"
        token, hashed = new_token()
        request = ConsentRequest(
            referral=referral,
            token_hash=hashed,
            channel=data["channel"],
            form=data["form"],
            form_version=FORM_VERSIONS[data["form"]],
            language=language_of(referral.patient_preferred_language),
            consent_expires_on=local_today(now) + timedelta(days=config["ECONSENT_VALID_DAYS"]),
            requested_by=actor.label,
            created_at=now,
            expires_at=now + timedelta(days=config["ECONSENT_LINK_DAYS"]),
        )
        db.session.add(request)
        db.session.flush()
        queued = _queue_link(config, request, data["destination"], token)
        record(actor, "create", "consent_request", request.id)
    db.session.commit()
    deliver_ids(config, [queued])
    return request


def _queue_link(config, request: ConsentRequest, destination: str, token: str) -> int:
    link = f"{(config.get('APP_BASE_URL') or '').rstrip('/')}/consent/{token}"
    until = local_today(request.expires_at)
    org = request.referral.referring_organization.name
    subject, body = link_message(request.channel, request.language, org, link, until)
    queued = enqueue(
        request.channel,
        destination,
        body,
        purpose="consent_request",
        subject=subject if request.channel == "email" else None,
        reference=f"consent_request:{request.id}",
    )
    db.session.flush()
    return queued.id


def _usable(token: str, now: datetime, action: str) -> ConsentRequest:
    """The request behind a link; a refused link is audited and raised as LinkRefused."""
    found = None
    if token and len(token) <= MAX_TOKEN:
        found = db.session.scalar(
            select(ConsentRequest).where(ConsentRequest.token_hash == token_hash(token))
        )
    try:
        return check_usable(found, now)
    except LinkRefused as refused:
        _audit_refusal(action, found, _REFUSAL_OUTCOME.get(refused.reason, "invalid"))
        raise


def _audit_refusal(action: str, request: ConsentRequest | None, outcome: str) -> None:
    db.session.rollback()
    record(None, action, "consent_request", request.id if request else None, outcome=outcome)
    db.session.commit()


def _view(request: ConsentRequest, language: str | None) -> LinkView:
    found, hashed = _text(request, language)
    consent = request.referral.consent if request.state == "signed" else None
    return LinkView(
        request,
        found,
        hashed,
        signed_by=consent.signed_by if consent else None,
        signed_at=request.signed_at,
        revoked_at=consent.revoked_at if consent else None,
    )


def open_consent_link(token: str, now: datetime, language: str | None = None) -> LinkView:
    """The release (or its signed status) for a link that may still be used; audited."""
    request = _usable(token, now, "view")
    record(None, "view", "consent_request", request.id)
    db.session.commit()
    return _view(request, language)


def sign_by_link(
    token: str, form: dict, signer: Signature, now: datetime, language: str | None = None
) -> LinkView:
    """Record the patient's electronic signature; the referral's consent is then on file."""
    request = _usable(token, now, "sign")
    if request.state != "pending":
        _audit_refusal("sign", request, "invalid")
        raise LinkRefused("signed", request)
    try:
        data = SignatureSchema().load(form)
    except ValidationError as err:
        _audit_refusal("sign", request, "invalid")
        raise Malformed("invalid signature", err.messages) from None
    referral = request.referral
    found, hashed = _text(request, language)
    parties, recipients = _parties(referral)
    fields = {
        "disclosing_party": parties.disclosing_party,
        "recipients": recipients,
        "text_hash": hashed,
    }
    signature = Signature(data["signature"], signer.ip, signer.user_agent)
    today = local_today(now)
    referral.consent = apply_signature(request, referral.consent, fields, signature, now, today)
    request.state, request.signed_at = "signed", now
    tick(referral, "consent_on_file", None, now).done_by = PATIENT_LABEL
    db.session.flush()
    record(None, "sign", "consent_request", request.id)
    record(None, "sign", "consent", referral.consent.id)
    db.session.commit()
    return LinkView(request, found, hashed, signed_by=signature.name, signed_at=now)


def revoke_by_link(token: str, ip: str | None, now: datetime) -> ConsentRequest:
    """Record the patient's revocation: nothing more is disclosed under the consent."""
    request = _usable(token, now, "revoke")
    consent = request.referral.consent
    if request.state != "signed" or consent is None:
        _audit_refusal("revoke", request, "invalid")
        raise LinkRefused("not_signed", request)
    if consent.revoked_at is None:
        consent.revoked_at, consent.revoked_by = now, PATIENT_LABEL
        consent.revoked_ip = (ip or "")[:64] or None
    request.state, request.revoked_at = "revoked", now
    record(None, "revoke", "consent_request", request.id)
    record(None, "revoke", "consent", consent.id)
    db.session.commit()
    return request
