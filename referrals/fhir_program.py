"""A program referral's ServiceRequest and Task as the Gravity SDOH Clinical Care IG shapes them.

The ServiceRequest carries the SDOHCC-ServiceRequest profile, the "Social service procedure"
category and the SDOH category of each need the program serves; the Task carries the
SDOHCC-TaskForReferralManagement profile, code "fulfill", the Task.status the program status
table gives, and the community status itself as businessStatus.
"""

from __future__ import annotations

from referrals.fhir_terms import concept
from referrals.lifecycle import BY_CODE as LIFECYCLE
from referrals.program_status import BUSINESS_SYSTEM, shown_status

SDOHCC = "http://hl7.org/fhir/us/sdoh-clinicalcare"
SERVICE_REQUEST_PROFILE = f"{SDOHCC}/StructureDefinition/SDOHCC-ServiceRequest"
TASK_PROFILE = f"{SDOHCC}/StructureDefinition/SDOHCC-TaskForReferralManagement"
SDOH_CATEGORY_SYSTEM = f"{SDOHCC}/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
SNOMED = "http://snomed.info/sct"
TASK_CODE_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code"
# The program's need domains (programs/data/need_domains.csv) as SDOHCC SDOH categories; the
# treatment and mental-health domains have no social-risk category of their own.
SDOH_CATEGORIES = {
    "food": ("food-insecurity", "Food Insecurity"),
    "housing": ("housing-instability", "Housing Instability"),
    "transportation": ("transportation-insecurity", "Transportation Insecurity"),
    "utilities": ("utility-insecurity", "Utility Insecurity"),
    "safety": ("intimate-partner-violence", "Intimate Partner Violence"),
}
UNSPECIFIED = ("sdoh-category-unspecified", "SDOH Category Unspecified")


def sdoh_categories(needs: list[str]) -> list[dict]:
    """The SDOH category codings for a program's needs (unspecified when none maps)."""
    found = [SDOH_CATEGORIES[n] for n in needs if n in SDOH_CATEGORIES] or [UNSPECIFIED]
    return [concept(SDOH_CATEGORY_SYSTEM, code, display) for code, display in found]


def program_performer(referral) -> dict:
    """The organization running the program, as a Reference with its display."""
    service = referral.site.service
    organization = service.organization
    return {"display": organization.name if organization is not None else service.name}


def program_request_fields(referral) -> dict:
    """What the Gravity ServiceRequest profile adds to or changes in the base ServiceRequest."""
    service = referral.site.service
    return {
        "meta": {"profile": [SERVICE_REQUEST_PROFILE]},
        "category": [
            concept(SNOMED, "410606002", "Social service procedure"),
            *sdoh_categories(list(service.needs or ())),
        ],
        "code": {**concept(SNOMED, "3457005", "Patient referral"), "text": service.name},
        "performer": [program_performer(referral)],
        "locationReference": [{"display": referral.site.location.address or "location"}],
    }


def program_task_fields(referral) -> dict:
    """Task.status and businessStatus from the program status table (the lifecycle's own
    codes for a draft, or a referral the referring side cancelled or the expiry job closed)."""
    row = shown_status(referral)
    if row is not None:
        status, business, words = row.task, row.code, row.words
    else:
        lifecycle = LIFECYCLE[referral.status]
        status, business, words = lifecycle.task, lifecycle.business_status, lifecycle.words
    return {
        "meta": {"profile": [TASK_PROFILE]},
        "code": concept(TASK_CODE_SYSTEM, "fulfill", "Fulfill the focal request"),
        "status": status,
        "businessStatus": {**concept(BUSINESS_SYSTEM, business, words), "text": words},
        "owner": program_performer(referral),
    }
