"""What the OpenAPI document says about the referral endpoints, by Flask endpoint name."""

from __future__ import annotations

from api.fhir_bundle_schemas import FhirBundleDoc
from api.message_views import MessageDoc, MessageListDoc, MessagePostDoc
from api.openapi_operation import Operation
from api.referral_response_schemas import (
    OverdueListDoc,
    ReferralDoc,
    ReferralPageDoc,
)
from api.return_schemas import ReturnViewDoc, ReturnViewListDoc
from referrals.attachments import ALLOWED
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
        "`patient_status_code` for the patient's status page; with `patient_notices` (`sms` "
        "or `email`) the patient is texted or emailed each step that matters to them.",
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
    "api.post_message_route": Operation(
        "referrals",
        "Post a message on a referral",
        "The referring practice and the receiving clinician only (plan staff and others: 403; "
        "a referral not yours: 404). As JSON, or as multipart/form-data with up to "
        "MESSAGE_ATTACHMENTS_MAX `files`: PDF, PNG, JPEG or plain text, told by their bytes "
        "(a name that says otherwise, or another type: 422), each at most "
        "MESSAGE_ATTACHMENT_MAX_BYTES (10 MB; over: 413). Labelled 42 CFR Part 2 when the text "
        "or a text file names a substance use disorder; such a message goes only when the "
        "referral's consent is a 42 CFR 2.31 consent naming the other side (the receiving "
        "clinician or practice, or for a reply the referring practice), else 422 with "
        "`error_code` part2_message_consent or part2_reply_consent and nothing kept. With "
        "CLAMD_ADDRESS set, every file is scanned by ClamAV first: a file it flags is 422 "
        "(`error_code` attachment_infected), a scanner that does not answer 503 "
        "(attachment_scanner); either way nothing is kept. The other side is emailed a link.",
        MessageDoc,
        ok_status=201,
        body=MessagePostDoc,
        body_media_types=("application/json", "multipart/form-data"),
        scope="referrals:write",
        errors=(403, 404, 422, 503),
        path_params={"referral_id": REFERRAL_ID},
    ),
    "api.list_messages_route": Operation(
        "referrals",
        "Messages on a referral",
        "The thread between the referring practice and the receiving clinician, oldest "
        "first; every message read is audited.",
        MessageListDoc,
        scope="referrals:read",
        errors=(403, 404, 422),
        path_params={"referral_id": REFERRAL_ID},
    ),
    "api.download_attachment_route": Operation(
        "referrals",
        "Download a message's file",
        "The file as sent, with Content-Disposition: attachment and nosniff; audited. A file "
        "of a Part 2 message carries the 42 CFR 2.32 notice in X-Part2-Notice.",
        {"type": "string", "format": "binary"},
        ok_media_types=tuple(ALLOWED),
        scope="referrals:read",
        errors=(403, 404, 422),
        path_params={"referral_id": REFERRAL_ID, "attachment_id": "The attachment's id."},
    ),
}
