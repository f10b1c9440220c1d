"""The referral's consent as a FHIR R4 Consent resource."""

from __future__ import annotations

from datetime import date

from referrals.consent import FORM_TYPES, consent_status
from referrals.fhir_terms import HL7, NPI_SYSTEM, concept, full_url


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
        "sourceAttachment": {"title": FORM_TYPES.get(consent.form_type, consent.form_type)},
        "provision": _provision(consent),
    }
    if consent.signed_on:
        resource["dateTime"] = consent.signed_on.isoformat()
    if consent.disclosing_party:
        resource["organization"] = [{"display": consent.disclosing_party}]
    return resource
