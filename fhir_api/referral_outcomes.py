"""Referral refusals as OperationOutcomes, each issue naming the FHIR element at fault."""

from __future__ import annotations

from fhir_api.outcomes import fhir_response

# The referral body's fields (referrals.schemas) and the message elements that carry them.
ELEMENTS = {
    "patient": "Patient",
    "patient.name": "Patient.name",
    "patient.birth_date": "Patient.birthDate",
    "patient.phone": "Patient.telecom",
    "patient.preferred_language": "Patient.communication.language",
    "patient.member_id": "Patient.identifier",
    "clinician_npi": "PractitionerRole.identifier",
    "plan": "Coverage.class",
    "reason": "ServiceRequest.reasonCode",
    "diagnoses": "ServiceRequest.reasonCode",
    "conditions": "Condition.code",
    "medications": "MedicationStatement.medicationCodeableConcept",
    "urgency": "ServiceRequest.priority",
    "notes": "Observation",
    "referrer": "PractitionerRole.telecom",
    "consent": "Consent",
    "consent.form_type": "Consent.sourceAttachment.title",
    "consent.disclosing_party": "Consent.organization",
    "consent.information": "Consent.provision.code",
    "consent.recipients": "Consent.provision.actor",
    "consent.purpose": "Consent.provision.purpose",
    "consent.signed_by": "Consent.performer",
    "consent.signed_on": "Consent.dateTime",
    "consent.expires_on": "Consent.provision.period.end",
    "consent.revocation_statement": "Consent.extension",
}
ISSUE = {400: "invalid", 403: "forbidden", 404: "not-found", 409: "conflict", 422: "processing"}


def _flat(errors, prefix: str = "") -> list[tuple[str, str]]:
    """("patient.birth_date", "message") pairs from marshmallow's nested errors."""
    found = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found += _flat(value, "" if str(key).isdigit() and not prefix else name)
    elif isinstance(errors, list | tuple):
        for item in errors:
            found += _flat(item, prefix) if isinstance(item, dict | list) else [(prefix, str(item))]
    else:
        found.append((prefix, str(errors)))
    return found


def _element(field: str) -> str:
    parts = [p for p in field.split(".") if not p.isdigit()]
    while parts:
        name = ".".join(parts)
        if name in ELEMENTS:
            return ELEMENTS[name]
        parts.pop()
    return "Bundle"


def _issues(err, severity: str) -> list[dict]:
    code = "business-rule" if err.kind in ("blocked", "conflict") else ISSUE.get(err.status)
    issues = [{"severity": severity, "code": code or "processing", "diagnostics": err.message}]
    for field, message in _flat(err.errors):
        issues.append(
            {
                "severity": severity,
                "code": code or "processing",
                "diagnostics": f"{field}: {message}" if field else message,
                "expression": [_element(field)],
            }
        )
    return issues


def refused(err):
    """A use-case refusal as an OperationOutcome; malformed content is a 422 here (the Bundle
    itself was valid FHIR), every other refusal keeps its status."""
    status = 422 if err.status == 400 else err.status
    outcome = {"resourceType": "OperationOutcome", "issue": _issues(err, "error")}
    return fhir_response(outcome, status)


def blocked_outcome(err) -> dict:
    """The warning a response message carries when the referral stays a draft."""
    return {"resourceType": "OperationOutcome", "issue": _issues(err, "warning")}
