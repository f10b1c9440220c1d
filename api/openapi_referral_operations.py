"""What the OpenAPI document says about the referral endpoints, by Flask endpoint name."""

from __future__ import annotations

from api.openapi_operation import Operation
from api.referral_response_schemas import (
    FhirBundleDoc,
    OverdueListDoc,
    ReferralDoc,
    ReferralPageDoc,
)
from api.return_schemas import ReturnViewDoc, ReturnViewListDoc
from referrals.return_schemas import ReturnSchema
from referrals.schemas import (
    ChecklistSchema,
    EventSchema,
    ListArgsSchema,
    ReferralCreateSchema,
    RereferSchema,
)

REFERRAL_ID = "The referral's id."
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Retrying with the same key and body returns the first referral.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}


def _referral_link(operation_id: str, **parameters: str) -> dict:
    """A link from a response that is a referral to an operation on it."""
    return {
        "operationId": operation_id,
        "parameters": {"referral_id": "$response.body#/id", **parameters},
    }


# What a client can do next with a referral it just received (and the stateful fuzz follows).
REFERRAL_LINKS = {
    "GetReferral": _referral_link("get_referral"),
    "PostEvent": _referral_link("post_event"),
    "GetReferralFhir": _referral_link("get_referral_fhir"),
    "TickChecklistItem": _referral_link("checklist", item="$response.body#/checklist/0/item"),
    "RevokeConsent": _referral_link("revoke_consent"),
    "Rerefer": _referral_link("rerefer"),
}

REFERRAL_OPERATIONS: dict[str, Operation] = {
    "api.create_referral_route": Operation(
        "referrals",
        "Open a referral",
        "Create a draft referral from a match, classified for 42 CFR Part 2 by its content (a "
        "Part 2 draft needs no consent; sending does). Emergent urgency is refused with crisis "
        "guidance. Name a clinician (`clinician_npi`, kind `bh_clinician`) or a program's "
        "service at a location (`service_at_location_id` from the program matches, kind "
        "`program`); with `patient_updates` the answer carries a one-time "
        "`patient_status_code` for the patient's status page.",
        ReferralDoc,
        ok_status=201,
        body=ReferralCreateSchema,
        scope="referrals:write",
        errors=(400, 409, 422),
        headers=(IDEMPOTENCY_KEY,),
        links=REFERRAL_LINKS,
    ),
    "api.list_referrals_route": Operation(
        "referrals",
        "Referrals you may see",
        "Newest first; `status` filters by one or more statuses (repeated or comma-separated), "
        "`kind` by kind (`bh_clinician`, `program`).",
        ReferralPageDoc,
        query=ListArgsSchema,
        scope="referrals:read",
        errors=(400,),
        paged=True,
    ),
    "api.get_referral_route": Operation(
        "referrals",
        "One referral",
        "The referral with its events and coordination checklist.",
        ReferralDoc,
        scope="referrals:read",
        errors=(404,),
        path_params={"referral_id": REFERRAL_ID},
        links=REFERRAL_LINKS,
    ),
    "api.post_event_route": Operation(
        "referrals",
        "Move a referral through its lifecycle",
        "send, acknowledge, accept, decline, schedule, close or cancel; on a program referral "
        "its organization's staff `report` a community status (`program_status`).",
        ReferralDoc,
        body=EventSchema,
        scope="referrals:write",
        errors=(400, 403, 404, 409, 422),
        path_params={"referral_id": REFERRAL_ID},
        links=REFERRAL_LINKS,
    ),
    "api.get_referral_fhir_route": Operation(
        "referrals",
        "A referral as FHIR",
        "A FHIR R4 Bundle with the ServiceRequest, Task, Consent and Patient.",
        FhirBundleDoc,
        scope="referrals:read",
        errors=(404,),
        path_params={"referral_id": REFERRAL_ID},
        media_type="application/fhir+json",
    ),
    "api.rerefer_route": Operation(
        "referrals",
        "Re-refer to the next match",
        "Cancel this referral if open and send the patient to another clinician in one step.",
        ReferralDoc,
        ok_status=201,
        body=RereferSchema,
        scope="referrals:write",
        errors=(400, 403, 404, 409, 422),
        path_params={"referral_id": REFERRAL_ID},
        links=REFERRAL_LINKS,
    ),
    "api.checklist_route": Operation(
        "referrals",
        "Tick a coordination step",
        "Mark a coordination-of-care checklist item done (or not), recording who and when.",
        ReferralDoc,
        body=ChecklistSchema,
        scope="referrals:write",
        errors=(400, 403, 404),
        path_params={"referral_id": REFERRAL_ID, "item": "A checklist item code."},
        links=REFERRAL_LINKS,
    ),
    "api.revoke_consent_route": Operation(
        "referrals",
        "Revoke the consent",
        "Record the patient's revocation: no further disclosure under this consent.",
        ReferralDoc,
        scope="referrals:write",
        errors=(403, 404, 409),
        path_params={"referral_id": REFERRAL_ID},
        links=REFERRAL_LINKS,
    ),
    "api.overdue_route": Operation(
        "referrals",
        "Follow-up queue",
        "Referrals past the acknowledgment or appointment standard.",
        OverdueListDoc,
        scope="referrals:read",
    ),
    "api.post_return_route": Operation(
        "referrals",
        "Send information back to the PCP",
        "The receiving clinician (or their practice), once the referral is acknowledged and at "
        "any time after: working diagnoses (ICD-10-CM), medications started, changed or stopped "
        "(RxNorm when known; text alone is kept and marked uncoded), treatment approach, next "
        "appointment, repeat scores (answers or a total, scored by the screening engine) and a "
        "note. Classified for 42 CFR Part 2 by its content; satisfies the checklist step "
        "treatment_info_requested; the PCP is notified.",
        ReturnViewDoc,
        ok_status=201,
        body=ReturnSchema,
        scope="referrals:write",
        errors=(400, 403, 404, 409),
        path_params={"referral_id": REFERRAL_ID},
    ),
    "api.list_returns_route": Operation(
        "referrals",
        "Information sent back",
        "The clinician's structured returns, oldest first; a return's content is withheld from "
        "a reader the consent does not cover (a Part 2 return needs the reader named).",
        ReturnViewListDoc,
        scope="referrals:read",
        errors=(404,),
        path_params={"referral_id": REFERRAL_ID},
    ),
}
