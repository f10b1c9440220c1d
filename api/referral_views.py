"""JSON representation of a referral, with patient and clinical content only where disclosed."""

from __future__ import annotations

from datetime import date, datetime

from directory.models.verification import as_utc
from referrals.checklist import CHECKLIST_ITEMS
from referrals.consent import FORM_TYPES, PART2_NOTICE, consent_status
from referrals.lifecycle import API_EVENTS, allowed_events, may_fire
from referrals.program_status import shown_status


def _time(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def consent_json(consent, today: date) -> dict | None:
    """The consent as the API shows it, with whether it stands today."""
    if consent is None:
        return None
    return {
        "id": consent.id,
        "form_type": consent.form_type,
        "form": FORM_TYPES.get(consent.form_type),
        "disclosing_party": consent.disclosing_party,
        "information": consent.information,
        "recipients": consent.recipients,
        "purpose": consent.purpose,
        "signed_by": consent.signed_by,
        "signed_on": _day(consent.signed_on),
        "expires_on": _day(consent.expires_on),
        "expiry_event": consent.expiry_event,
        "revocation_statement": consent.revocation_statement,
        "revoked_at": _time(consent.revoked_at),
        "revoked_ip": consent.revoked_ip,
        "status": consent_status(consent, today),
        "method": consent.method,
        "signed_at": _time(consent.signed_at),
        "signed_ip": consent.signed_ip,
        "signed_user_agent": consent.signed_user_agent,
        "form_version": consent.form_version,
        "text_hash": consent.text_hash,
    }


def consent_request_json(request) -> dict:
    """A link sent for the patient to sign; its destination was never kept."""
    return {
        "id": request.id,
        "channel": request.channel,
        "form": request.form,
        "state": request.state,
        "requested_by": request.requested_by,
        "created_at": _time(request.created_at),
        "expires_at": _time(request.expires_at),
        "signed_at": _time(request.signed_at),
        "revoked_at": _time(request.revoked_at),
    }


def _patient(referral) -> dict:
    return {
        "name": referral.patient_name,
        "birth_date": _day(referral.patient_birth_date),
        "phone": referral.patient_phone,
        "email": referral.patient_email,
        "preferred_language": referral.patient_preferred_language,
        "member_id": referral.patient_member_id,
        "postal_code": referral.patient_postal_code,
        "race_ethnicity": [row.category for row in referral.race_ethnicity],
    }


def _clinical(referral, today: date) -> dict:
    return {
        "patient": _patient(referral),
        "reason": referral.reason,
        "diagnoses": referral.diagnoses,
        "conditions": referral.conditions,
        "medications": referral.medications,
        "needs": referral.needs,
        "notes": referral.notes,
        "part2_basis": list(referral.part2_basis or ()),
        "consent": consent_json(referral.consent, today),
    }


def event_json(event, disclosed: bool) -> dict:
    """One lifecycle step; its note only where the referral is disclosed."""
    return {
        "type": event.type,
        "from": event.from_status,
        "to": event.to_status,
        "actor": event.actor,
        "role": event.actor_role,
        "at": _time(event.at),
        "reason": event.reason,
        "appointment_at": _time(event.appointment_at),
        "program_status": event.program_status,
        # Free-text notes may carry clinical detail: shown only where content is disclosed.
        "note": event.note if disclosed else None,
    }


def _checklist(referral, disclosed: bool) -> list[dict]:
    return [
        {
            "item": row.item,
            "label": CHECKLIST_ITEMS.get(row.item, row.item),
            "done": row.done,
            "done_by": row.done_by,
            "done_at": _time(row.done_at),
            "note": row.note if disclosed else None,
        }
        for row in referral.checklist
    ]


def _clinician(referral) -> dict | None:
    clinician = referral.clinician
    return None if clinician is None else {"npi": clinician.npi, "name": clinician.display_name}


def _program(referral) -> dict | None:
    """The program's service at a location a program referral goes to."""
    site = referral.site
    if site is None:
        return None
    service = site.service
    return {
        "service_at_location_id": site.id,
        "service": service.name,
        "organization": service.organization.name if service.organization else None,
        "address": site.location.address,
    }


def _program_status(referral) -> dict | None:
    row = shown_status(referral)
    return None if row is None else {"code": row.code, "words": row.words, "task": row.task}


def _summary(referral) -> dict:
    location = referral.location
    org = referral.referring_organization
    return {
        "id": referral.id,
        "kind": referral.kind,
        "status": referral.status,
        "program_status": _program_status(referral),
        "urgency": referral.urgency,
        "substance_use": referral.substance_use,
        "part2": bool(referral.part2),
        "clinician": _clinician(referral),
        "program": _program(referral),
        "patient_updates": bool(referral.patient_updates),
        "patient_notices": referral.patient_notices or "none",
        "location": None
        if location is None
        else {"id": location.id, "name": location.name, "address": location.address},
        "plan": referral.plan_id,
        "referring_organization": {"id": org.id, "name": org.name},
        "referrer": {
            "name": referral.referrer_name,
            "phone": referral.referrer_phone,
            "email": referral.referrer_email,
        },
        "created_at": _time(referral.created_at),
        "updated_at": _time(referral.updated_at),
        "sent_at": _time(referral.sent_at),
        "acknowledged_at": _time(referral.acknowledged_at),
        "accepted_at": _time(referral.accepted_at),
        "appointment_at": _time(referral.appointment_at),
        "closed_at": _time(referral.closed_at),
        "decline_reason": referral.decline_reason,
        "replaces_id": referral.replaces_id,
        "episode_id": referral.episode_id,
    }


def referral_json(shown, today: date, detail: bool) -> dict:
    """The referral for one reader: content only when disclosed, events and checklist in detail."""
    referral, disclosure = shown.referral, shown.disclosure
    body = _summary(referral)
    if disclosure.allowed:
        body.update(_clinical(referral, today))
    body["disclosure"] = {"allowed": disclosure.allowed, "problems": disclosure.problems}
    body["withheld"] = list(disclosure.withheld)
    if disclosure.part2:
        body["part2_notice"] = PART2_NOTICE
    body["allowed_events"] = [
        e
        for e in allowed_events(referral.status, referral.kind)
        if e in API_EVENTS and may_fire(shown.relations, e)
    ]
    if referral.patient_code:
        # Only on the answer to the create that made it: the code is never stored or shown again.
        body["patient_status_code"] = referral.patient_code
    if detail:
        body["events"] = [event_json(e, disclosure.allowed) for e in referral.events]
        body["checklist"] = _checklist(referral, disclosure.allowed)
        if disclosure.allowed:
            body["consent_requests"] = [consent_request_json(r) for r in referral.consent_requests]
    return body
