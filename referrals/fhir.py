"""A referral as a FHIR R4 (R4B) Bundle: ServiceRequest, Task, Consent and Patient."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from directory.models.verification import as_utc
from referrals.consent import FORM_TYPES, PART2_NOTICE, consent_status

if TYPE_CHECKING:
    from fhir.resources.R4B.bundle import Bundle

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
STATUS_SYSTEM = "urn:bh-directory:referral-status"
HL7 = "http://terminology.hl7.org/CodeSystem/"
# Task.status for each referral status; businessStatus carries the exact one.
TASK_STATUS = {
    "draft": "draft",
    "sent": "requested",
    "acknowledged": "received",
    "accepted": "accepted",
    "declined": "rejected",
    "scheduled": "in-progress",
    "attended": "in-progress",
    "no_show": "in-progress",
    "closed": "completed",
    "cancelled": "cancelled",
    "expired": "failed",
}
SERVICE_REQUEST_STATUS = {
    "draft": "draft",
    "closed": "completed",
    "declined": "revoked",
    "cancelled": "revoked",
    "expired": "revoked",
}


def _full_url(referral_id: int, kind: str) -> str:
    return (
        f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'bh-directory/referral/{referral_id}/{kind}')}"
    )


def _concept(system: str, code: str, display: str | None = None) -> dict:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _instant(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment else None


def _practitioner(referral) -> dict:
    clinician = referral.clinician
    return {
        "identifier": {"system": NPI_SYSTEM, "value": clinician.npi},
        "display": clinician.display_name,
    }


def _requester(referral) -> dict:
    org = referral.referring_organization
    reference = {"display": org.name}
    if org.npi:
        reference["identifier"] = {"system": NPI_SYSTEM, "value": org.npi}
    return reference


def patient_resource(referral) -> dict:
    """The Patient: the minimum necessary identity the referral carries."""
    patient = {
        "resourceType": "Patient",
        "name": [{"text": referral.patient_name}],
        "birthDate": referral.patient_birth_date.isoformat(),
    }
    if referral.patient_phone:
        patient["telecom"] = [{"system": "phone", "value": referral.patient_phone}]
    if referral.patient_preferred_language:
        code = referral.patient_preferred_language
        patient["communication"] = [
            {"language": _concept("urn:ietf:bcp:47", code), "preferred": True}
        ]
    if referral.patient_member_id:
        patient["identifier"] = [
            {
                "type": _concept(f"{HL7}v2-0203", "MB"),
                "system": f"urn:bh-directory:plan-member:{referral.plan_id or 'unknown'}",
                "value": referral.patient_member_id,
            }
        ]
    return patient


def _clinical_notes(referral, part2: bool) -> list[dict]:
    notes = [{"text": f"Reason for referral: {referral.reason}"}]
    if referral.conditions:
        notes.append({"text": "Medical conditions: " + "; ".join(referral.conditions)})
    if referral.medications:
        notes.append({"text": "Current medications: " + "; ".join(referral.medications)})
    if referral.notes:
        notes.append({"text": referral.notes})
    if part2:
        notes.append({"text": PART2_NOTICE})
    return notes


def service_request_resource(referral, part2: bool) -> dict:
    """The ServiceRequest: what is asked of whom, for which problems, how urgently."""
    request = {
        "resourceType": "ServiceRequest",
        "status": SERVICE_REQUEST_STATUS.get(referral.status, "active"),
        "intent": "order",
        "category": [_concept("http://snomed.info/sct", "3457005", "Patient referral")],
        "code": {"text": "Behavioral health referral"},
        "priority": referral.urgency,
        "subject": {"reference": _full_url(referral.id, "Patient")},
        "authoredOn": _instant(referral.sent_at or referral.created_at),
        "requester": _requester(referral),
        "performer": [_practitioner(referral)],
        "reasonCode": [_concept(ICD10_SYSTEM, code) for code in referral.diagnoses],
        "note": _clinical_notes(referral, part2),
    }
    if referral.location is not None:
        request["locationReference"] = [{"display": referral.location.address or "location"}]
    return request


def task_resource(referral) -> dict:
    """The Task: the handoff's FHIR status, and the referral's own one as businessStatus."""
    task = {
        "resourceType": "Task",
        "status": TASK_STATUS[referral.status],
        "businessStatus": {**_concept(STATUS_SYSTEM, referral.status), "text": referral.status},
        "intent": "order",
        "priority": referral.urgency,
        "focus": {"reference": _full_url(referral.id, "ServiceRequest")},
        "for": {"reference": _full_url(referral.id, "Patient")},
        "authoredOn": _instant(referral.created_at),
        "lastModified": _instant(referral.updated_at),
        "requester": _requester(referral),
        "owner": _practitioner(referral),
    }
    if referral.decline_reason:
        task["statusReason"] = _concept(f"{STATUS_SYSTEM}:decline-reason", referral.decline_reason)
    if referral.appointment_at:
        task["executionPeriod"] = {"start": _instant(referral.appointment_at)}
    return task


def _recipient(recipient: dict) -> dict:
    reference = {"display": recipient.get("name") or recipient.get("npi")}
    if recipient.get("npi"):
        reference["identifier"] = {"system": NPI_SYSTEM, "value": recipient["npi"]}
    return {"role": _concept(f"{HL7}v3-ParticipationType", "IRCP"), "reference": reference}


def _provision(consent) -> dict:
    provision: dict = {
        "type": "permit",
        "actor": [_recipient(r) for r in consent.recipients or ()],
    }
    if consent.purpose:
        provision["purpose"] = [
            {"system": f"{HL7}v3-ActReason", "code": "TREAT", "display": consent.purpose[:200]}
        ]
    if consent.information:
        provision["code"] = [{"text": consent.information}]
    dates = (("start", consent.signed_on), ("end", consent.expires_on))
    period = {k: v.isoformat() for k, v in dates if v}
    if period:
        provision["period"] = period
    return provision


def consent_resource(referral, today: date) -> dict:
    """The Consent: the release of information the referral discloses under."""
    consent = referral.consent
    resource = {
        "resourceType": "Consent",
        "status": "active" if consent_status(consent, today) == "active" else "inactive",
        "scope": _concept(f"{HL7}consentscope", "patient-privacy"),
        "category": [_concept("http://loinc.org", "59284-0", "Patient Consent")],
        "patient": {"reference": _full_url(referral.id, "Patient")},
        "policyRule": _concept(
            f"{HL7}consentpolicycodes", "cfr42" if referral.substance_use else "hipaa-auth"
        ),
        "sourceAttachment": {"title": FORM_TYPES.get(consent.form_type, consent.form_type)},
        "provision": _provision(consent),
    }
    if consent.signed_on:
        resource["dateTime"] = consent.signed_on.isoformat()
    if consent.disclosing_party:
        resource["organization"] = [{"display": consent.disclosing_party}]
    return resource


def referral_bundle(referral, today: date, now: datetime) -> Bundle:
    """The validated R4B Bundle for `referral` (callers gate disclosure first)."""
    part2 = bool(referral.substance_use)
    resources = [
        service_request_resource(referral, part2),
        task_resource(referral),
        patient_resource(referral),
    ]
    if referral.consent is not None:
        resources.append(consent_resource(referral, today))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(now),
        "identifier": {"system": "urn:bh-directory:referral", "value": str(referral.id)},
        "entry": [
            {"fullUrl": _full_url(referral.id, r["resourceType"]), "resource": r} for r in resources
        ],
    }
    if part2:
        bundle["meta"] = {
            "security": [
                {"system": f"{HL7}v3-ActCode", "code": "42CFRPart2"},
                {"system": f"{HL7}v3-Confidentiality", "code": "R"},
            ]
        }
    # Imported here: the FHIR models and pydantic cost ~13 MB, and only this export uses them.
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate(bundle)
