"""The referral's consent as a FHIR R4 Consent resource."""

from __future__ import annotations

from datetime import date

from directory.models.verification import as_utc
from referrals.consent import FORM_TYPES, consent_status
from referrals.fhir_terms import HL7, NPI_SYSTEM, concept, full_url

# How the patient signed (paper, verbal, electronic) and, for an e-signature, when, which form
# version and the SHA-256 of its exact text; R4 Consent has no element for these.
SIGNATURE_EXTENSION = "urn:bh-directory:fhir:StructureDefinition:consent-signature"


def _recipient(recipient: dict) -> dict:
    reference = {"display": recipient.get("name") or recipient.get("npi")}
    if recipient.get("npi"):
        reference["identifier"] = {"system": NPI_SYSTEM, "value": recipient["npi"]}
    return {"role": concept(f"{HL7}v3-ParticipationType", "IRCP"), "reference": reference}


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


def _signature(consent) -> dict:
    parts = [{"url": "method", "valueCode": consent.method}]
    if consent.signed_at is not None:
        parts.append({"url": "signedAt", "valueDateTime": as_utc(consent.signed_at).isoformat()})
    if consent.form_version:
        parts.append({"url": "formVersion", "valueString": consent.form_version})
    if consent.text_hash:
        parts.append({"url": "textSha256", "valueString": consent.text_hash})
    return {"url": SIGNATURE_EXTENSION, "extension": parts}


def _attachment(consent) -> dict:
    attachment = {"title": FORM_TYPES.get(consent.form_type, consent.form_type)}
    if consent.signed_at is not None:
        attachment["creation"] = as_utc(consent.signed_at).isoformat()
    return attachment


def consent_resource(referral, today: date) -> dict:
    """The Consent: the release of information the referral discloses under."""
    consent = referral.consent
    resource = {
        "resourceType": "Consent",
        "status": "active" if consent_status(consent, today) == "active" else "inactive",
        "scope": concept(f"{HL7}consentscope", "patient-privacy"),
        "category": [concept("http://loinc.org", "59284-0", "Patient Consent")],
        "patient": {"reference": full_url(referral.id, "Patient")},
        "policyRule": concept(
            f"{HL7}consentpolicycodes", "cfr42" if referral.part2 else "hipaa-auth"
        ),
        "sourceAttachment": _attachment(consent),
        "provision": _provision(consent),
    }
    if consent.signed_on:
        resource["dateTime"] = consent.signed_on.isoformat()
    if consent.method:
        resource["extension"] = [_signature(consent)]
    if consent.disclosing_party:
        resource["organization"] = [{"display": consent.disclosing_party}]
    return resource
