"""Cards from findings: words, source, a SMART link and a draft referral suggestion. Pure."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from cds.rules import Finding

SNOMED = "http://snomed.info/sct"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
SOURCE_LABEL = "Behavioral Health Directory"
# FHIR R4 servicerequest-category "Counselling"; BSeR's ServiceRequest code "Patient referral".
CATEGORY = {
    "coding": [{"system": SNOMED, "code": "409063005", "display": "Counseling"}],
    "text": "Behavioral health",
}
REFERRAL_CODE = {
    "coding": [{"system": SNOMED, "code": "3457005", "display": "Patient referral"}],
    "text": "Behavioral health referral",
}
# Why a clinician may dismiss a card; codes in OVERRIDE_SYSTEM (the service's own).
OVERRIDE_REASONS = (
    ("already-in-care", "Patient already sees a behavioral health clinician"),
    ("patient-declined", "Patient declined a referral"),
    ("not-indicated", "Referral not clinically indicated"),
)
DETAIL = {
    "screening": "The most recent {instrument} screen is positive and no open behavioral health "
    "referral was found. Open the directory to find an in-network clinician, or accept the "
    "suggestion to draft a referral.",
    "diagnosis": "An active behavioral health diagnosis is on the problem list and no open "
    "behavioral health referral was found.",
    "medication": "A medication for a substance use disorder is on the medication list and no "
    "open behavioral health referral was found. Substance use disorder records are protected "
    "by 42 CFR Part 2.",
}
INSTRUMENT_NAMES = {"phq9": "PHQ-9", "gad7": "GAD-7", "auditc": "AUDIT-C"}
CRISIS_DETAIL = (
    "The patient answered PHQ-9 item 9 (thoughts that they would be better off dead or of "
    "hurting themselves) above 'Not at all'. Assess suicide risk before the patient leaves; "
    "the 988 Suicide & Crisis Lifeline is available by call or text."
)


@dataclass(frozen=True)
class Addresses:
    """Where cards point: the app (source), its SMART launch, the override reasons' system."""

    source: str
    smart_launch: str
    override_system: str


def app_context(finding: Finding) -> str:
    """What the SMART app needs to open on the right search: the rule and, for screens, score.

    Part 2 findings carry only the rule: no medication or diagnosis leaves with the link.
    """
    context: dict = {"rule": finding.rule.key}
    if finding.rule.instrument and finding.score is not None:
        context |= {"instrument": finding.rule.instrument, "score": finding.score}
    return json.dumps(context, separators=(",", ":"))


def draft_referral(finding: Finding, patient_id: str, user_id: str | None) -> dict:
    """A BSeR-shaped ServiceRequest draft: category, code, subject, reasons, Part 2 label."""
    request = {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "order",
        "category": [CATEGORY],
        "code": REFERRAL_CODE,
        "priority": "urgent" if finding.indicator == "critical" else "routine",
        "subject": {"reference": f"Patient/{patient_id}"},
    }
    if user_id and user_id.split("/")[0] in ("Practitioner", "PractitionerRole"):
        request["requester"] = {"reference": user_id}
    if finding.references:
        request["reasonReference"] = [{"reference": ref} for ref in finding.references]
    if finding.part2:
        request["meta"] = {"security": [{"system": ACT_CODE, "code": "42CFRPart2"}]}
    return request


def _detail(finding: Finding) -> str:
    if finding.indicator == "critical":
        return CRISIS_DETAIL
    name = INSTRUMENT_NAMES.get(finding.rule.instrument or "", "")
    return DETAIL[finding.rule.reads].format(instrument=name)


def card(finding: Finding, patient_id: str, user_id: str | None, addresses: Addresses) -> dict:
    """One CDS Hooks 2.0 card for a finding."""
    return {
        "uuid": str(uuid.uuid4()),
        "summary": finding.summary,
        "indicator": finding.indicator,
        "detail": _detail(finding),
        "source": {"label": SOURCE_LABEL, "url": addresses.source},
        "links": [
            {
                "label": "Find a behavioral health clinician",
                "url": addresses.smart_launch,
                "type": "smart",
                "appContext": app_context(finding),
            }
        ],
        "suggestions": [
            {
                "label": "Draft a behavioral health referral",
                "uuid": str(uuid.uuid4()),
                "isRecommended": True,
                "actions": [
                    {
                        "type": "create",
                        "description": "Create a draft behavioral health referral",
                        "resource": draft_referral(finding, patient_id, user_id),
                    }
                ],
            }
        ],
        "selectionBehavior": "at-most-one",
        "overrideReasons": [
            {"system": addresses.override_system, "code": code, "display": display}
            for code, display in OVERRIDE_REASONS
        ],
    }
