"""The parts of a BSeR referral message around the request: supporting information, Coverage
and Consent, each turned into the fields of the referral body that carry them."""

from __future__ import annotations

from dataclasses import dataclass

from fhir_api.bser_refs import Entries, first, text_of

ICD10_SYSTEMS = ("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10")
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
RECIPIENT_ROLE = "IRCP"
# The Consent extension saying the form told the patient of their right to revoke (42 CFR
# 2.31(a)(6)); R4 Consent has no element for it.
REVOCATION_EXTENSION = "urn:bh-directory:fhir:StructureDefinition:revocation-statement"
# Consent.sourceAttachment.title for each form this service knows (referrals.consent.FORM_TYPES).
FORM_TITLES = {
    "health plan confidential exchange of information form": "plan_cei",
    "authorization to disclose protected health information": "phi_authorization",
    "practice's own release of information form": "practice_form",
}
MEDICATION_TYPES = ("MedicationStatement", "MedicationRequest")
MAX_NOTES = 20


@dataclass(frozen=True)
class Supporting:
    """What the supporting resources add: codes, conditions, medications and notes."""

    diagnoses: list[str]
    conditions: list[str]
    medications: list[str]
    notes: str | None


def icd10_codes(concept: dict | None) -> list[str]:
    """The ICD-10(-CM) codes of a CodeableConcept, dotted ("F321" is sent as "F32.1" too)."""
    codings = (concept or {}).get("coding") or ()
    found = [
        str(c["code"]).strip()
        for c in codings
        if c.get("system") in ICD10_SYSTEMS and c.get("code")
    ]
    return [
        f"{code[:3]}.{code[3:]}" if len(code) > 3 and "." not in code else code for code in found
    ]


def _observation(observation: dict) -> str | None:
    """ "PHQ-9 total score: 14" from an Observation's code and value."""
    name = text_of(observation.get("code"))
    if "valueQuantity" in observation:
        value = observation["valueQuantity"].get("value")
    elif "valueInteger" in observation:
        value = observation["valueInteger"]
    else:
        value = observation.get("valueString") or text_of(observation.get("valueCodeableConcept"))
    return f"{name}: {value}" if name and value not in (None, "") else None


def _medication(entries: Entries, resource: dict) -> str:
    concept = resource.get("medicationCodeableConcept")
    if concept is None:
        concept = (entries.find(resource.get("medicationReference")) or {}).get("code")
    return text_of(concept) or (resource.get("medicationReference") or {}).get("display") or ""


def supporting(entries: Entries, request: dict) -> Supporting:
    """Conditions, medications and Observations the message carries (the whole Bundle)."""
    diagnoses, conditions = [], []
    for condition in entries.of_type("Condition"):
        diagnoses += icd10_codes(condition.get("code"))
        words = text_of(condition.get("code"))
        if words:
            conditions.append(words)
    medications = [
        words
        for kind in MEDICATION_TYPES
        for resource in entries.of_type(kind)
        if (words := _medication(entries, resource))
    ]
    observations = [_observation(o) for o in entries.of_type("Observation")]
    lines = [line for line in observations if line][:MAX_NOTES]
    notes = "Supporting observations: " + "; ".join(lines) if lines else None
    return Supporting(diagnoses, conditions, medications, notes)


def coverage_plan(entries: Entries, request: dict) -> str | None:
    """The plan id of the request's Coverage (class plan, else the first class)."""
    coverage = entries.find(first(request.get("insurance")))
    if coverage is None:
        coverages = entries.of_type("Coverage")
        coverage = coverages[0] if coverages else None
    if coverage is None:
        return None
    classes = coverage.get("class") or ()
    plan = next((c for c in classes if "plan" in {x.get("code") for x in _codings(c)}), None)
    plan = plan or first(classes)
    return (plan or {}).get("value")


def _codings(item: dict) -> list[dict]:
    return (item.get("type") or {}).get("coding") or []


def _recipients(provision: dict) -> list[dict]:
    found = []
    for actor in provision.get("actor") or ():
        if RECIPIENT_ROLE not in {c.get("code") for c in _codings({"type": actor.get("role")})}:
            continue
        reference = actor.get("reference") or {}
        identifier = reference.get("identifier") or {}
        npi = identifier.get("value") if identifier.get("system") == NPI_SYSTEM else None
        found.append({"name": reference.get("display"), "npi": npi})
    return found


def _form_type(consent: dict) -> str:
    title = ((consent.get("sourceAttachment") or {}).get("title") or "").strip().lower()
    return FORM_TITLES.get(title, "phi_authorization")


def consent_body(entries: Entries, request: dict) -> dict | None:
    """The consent of the referral body from the message's Consent (the export's mapping)."""
    infos = request.get("supportingInfo") or ()
    named = [entries.find(info) for info in infos]
    consents = [r for r in named if r and r.get("resourceType") == "Consent"]
    consents = consents or entries.of_type("Consent")
    if not consents:
        return None
    consent = consents[0]
    provision = consent.get("provision") or {}
    period = provision.get("period") or {}
    purpose = first(provision.get("purpose")) or {}
    revocation = any(
        e.get("url") == REVOCATION_EXTENSION and e.get("valueBoolean") is True
        for e in consent.get("extension") or ()
    )
    body = {
        "form_type": _form_type(consent),
        "disclosing_party": (first(consent.get("organization")) or {}).get("display"),
        "information": text_of(provision.get("code")) or None,
        "recipients": _recipients(provision),
        "purpose": purpose.get("display") or purpose.get("code"),
        "signed_by": (first(consent.get("performer")) or {}).get("display"),
        "signed_on": (consent.get("dateTime") or "")[:10] or None,
        "expires_on": (period.get("end") or "")[:10] or None,
        "revocation_statement": revocation,
    }
    return {k: v for k, v in body.items() if v is not None}
