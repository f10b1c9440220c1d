"""What the OpenAPI document says about each /api/v1 endpoint, by Flask endpoint name.

api/openapi.py walks the URL map and looks every /api/v1 route up here, so a new route that is
not described makes building the document fail (and the tests with it).
"""

from __future__ import annotations

from api.adequacy_schemas import ADEQUACY_OPERATIONS
from api.analytics_schemas import DirectoryReportDoc, FunnelReportDoc
from api.change_schemas import ChangesQuerySchema
from api.directory_schemas import ClinicianQuerySchema
from api.episode_schemas import EpisodeDoc
from api.match_response_schemas import MatchPageDoc
from api.openapi_care_plan_operations import CARE_PLAN_OPERATIONS
from api.openapi_operation import Operation
from api.openapi_referral_operations import REFERRAL_OPERATIONS
from api.page_schemas import PageArgsSchema
from api.program_schemas import ProgramMatchPageDoc
from api.registry_schemas import REGISTRY_OPERATIONS
from api.report_routes import ReportReceivedDoc
from api.response_schemas import (
    ChangePageDoc,
    ClinicianDetailDoc,
    ClinicianPageDoc,
    PlanDoc,
    PlanPageDoc,
    TermListDoc,
    VocabularyListDoc,
)
from api.screening_schemas import InstrumentListDoc, ScreeningResultDoc
from api.timeline_schemas import TimelineDoc
from corrections.schemas import ReportSchema
from programs.needs import ProgramNeedsSchema
from referrals.directory_schemas import DirectoryArgsSchema
from referrals.funnel_schemas import FunnelArgsSchema
from screening.schemas import ScreeningInputSchema


def _needs_schema():
    """The needs schema, built with stand-ins: the document needs its fields only."""
    from matching.needs_schema import NeedsSchema

    return NeedsSchema(plans=lambda _plan: None, geocoder=None)


NPI = "A 10-digit NPI with a valid check digit."
OPERATIONS: dict[str, Operation] = {
    **REFERRAL_OPERATIONS,
    **CARE_PLAN_OPERATIONS,
    **REGISTRY_OPERATIONS,
    **ADEQUACY_OPERATIONS,
    "api.referral_funnel_route": Operation(
        "analytics",
        "Referral funnel and time to care",
        "Referrals first sent in the period (local dates, both included), grouped one way: how "
        "many reached each stage, the median calendar days to a first booked appointment and "
        "the share booked within 10 business days. Plan staff see their plans' members, a "
        "practice its own referrals, a practice manager those its organization sent and those "
        "sent to its clinician accounts. Any count under 11 is withheld (null), and partner "
        "cells with it so no withheld cell can be worked out from the total; every call is "
        "audited. "
        "Equity: each row's share attended, share booked within 10 business days and share of "
        "positive screens followed up within 7 days "
        "(`<measure>_rate`) with a Wilson 95% interval (`<measure>_rate_ci`), and each group's "
        "gap to the reference group (`?reference=`, by default the group with the most "
        "referrals sent, `unknown` only when alone) with a Newcombe hybrid score 95% interval "
        "(`<measure>_gap`, `<measure>_gap_ci`); a row whose counts are withheld gets none. A "
        "reference that is not a group of the report is a 400.",
        FunnelReportDoc,
        query=FunnelArgsSchema,
        scope="analytics:read",
        errors=(400,),
    ),
    "api.directory_accuracy_route": Operation(
        "analytics",
        "Directory accuracy",
        "For the listings the caller answers for (admins: every active listing; plan staff: "
        "their plans' networks'; a practice manager: its clinician accounts'): days since each "
        "was verified (day 90 counts as within 90), "
        "reports and declines by reason in the period, flags and how they were resolved against "
        "the No Surprises Act 2-business-day clock, each clinician's share of referrals "
        "acknowledged within 2 business days, and listings with no referral accepted or visit "
        "attended in 12 months. Referral counts under 11 are withheld (null) with partners; "
        "other callers get 403; every call is audited.",
        DirectoryReportDoc,
        query=DirectoryArgsSchema,
        scope="analytics:read",
        errors=(400,),
    ),
    "api.list_clinicians": Operation(
        "directory",
        "Search clinicians",
        "Active clinicians matching every filter given, by last name, first name, NPI.",
        ClinicianPageDoc,
        query=ClinicianQuerySchema,
        errors=(400,),
        conditional=True,
        paged=True,
    ),
    "api.get_clinician": Operation(
        "directory",
        "One clinician",
        "Everything the directory shows about one listed clinician.",
        ClinicianDetailDoc,
        errors=(400, 404),
        conditional=True,
        path_params={"npi": NPI},
    ),
    "api.report_problem": Operation(
        "directory",
        "Report a problem with a listing",
        "Wrong phone, not accepting, not in my plan, moved or other, with optional words (do not "
        "include health information). No sign-in; PROBLEM_REPORT_RATE_LIMIT per address.",
        ReportReceivedDoc,
        ok_status=201,
        body=ReportSchema,
        errors=(400, 404, 429),
        path_params={"npi": NPI},
        example={"problem": "wrong_phone", "details": "The number reaches a fax machine."},
    ),
    "api.list_plans": Operation(
        "directory",
        "Plans and networks",
        "Plan products and provider networks by name; each `id` works as /clinicians?plan=.",
        PlanPageDoc,
        query=PageArgsSchema,
        errors=(400,),
        conditional=True,
        paged=True,
    ),
    "api.get_plan": Operation(
        "directory",
        "One plan or network",
        "A plan product or provider network with the networks it uses.",
        PlanDoc,
        errors=(404,),
        conditional=True,
        path_params={"plan_id": "A plan or network id from /plans."},
    ),
    "api.list_vocabularies": Operation(
        "vocabularies",
        "Every controlled vocabulary",
        "Codes for concerns, approaches, age groups, competencies, modalities and more.",
        VocabularyListDoc,
    ),
    "api.get_vocabulary": Operation(
        "vocabularies",
        "One vocabulary",
        "One vocabulary's terms, in file order.",
        TermListDoc,
        errors=(404,),
        path_params={"name": "A vocabulary name from /vocabularies."},
    ),
    "api.list_languages": Operation(
        "vocabularies",
        "Languages",
        "ISO 639-1 languages with English and Spanish labels.",
        TermListDoc,
    ),
    "api.list_changes": Operation(
        "directory",
        "Change feed",
        "Listings changed after `since`, oldest change first. Follow `next` to page; keep the "
        "last `resume` link and poll it for later changes. `active: false` means the listing "
        "left the directory.",
        ChangePageDoc,
        query=ChangesQuerySchema,
        errors=(400,),
        paged=True,
    ),
    "api.create_matches": Operation(
        "matching",
        "Match needs to clinicians",
        "Ranked, explained matches for a patient's needs. When `crisis` is not null, show it "
        "before anything else. Page with `limit` and `offset` in the body.",
        MatchPageDoc,
        body=_needs_schema,
        errors=(400, 503),
        example={"postal_code": "02139", "concerns": ["anxiety"], "languages": ["es"]},
    ),
    "api.create_program_matches": Operation(
        "matching",
        "Match needs to community and treatment programs",
        "Food, housing, transportation, utilities, safety, substance-use treatment and "
        "mental-health programs near a ZIP code or point, ranked and explained: a program meets "
        "every required criterion (by default needs, levels of care, medications and age when "
        "given) and ranks by preferred criteria met, then distance. `relaxations` say what one "
        "change would find when the page is short.",
        ProgramMatchPageDoc,
        body=ProgramNeedsSchema,
        errors=(400,),
        example={"postal_code": "02139", "needs": ["food"], "languages": ["es"]},
    ),
    "api.create_screening_route": Operation(
        "screenings",
        "Score a screening",
        "Score PHQ-9, PHQ-2, GAD-7, GAD-2, AUDIT-C, PHQ-A, ISI or the AHC HRSN core questions "
        "(answers: one integer per item, in item order, as /screenings/instruments lists them): "
        "score, published severity band, positive, crisis, social needs, FHIR Observations and "
        "QuestionnaireResponse. With `referral_id` the result is attached to that referral "
        "(its referring side only). A missing or out-of-range answer is a 400 naming the item.",
        ScreeningResultDoc,
        ok_status=201,
        body=ScreeningInputSchema,
        scope="referrals:write",
        errors=(400, 403, 404),
        example={"instrument": "phq9", "answers": [1, 2, 1, 0, 1, 2, 1, 0, 0]},
    ),
    "api.get_episode_route": Operation(
        "episodes",
        "One episode of care",
        "One patient's episode of care at the referring PCP organization: the patient, the "
        "referrals that joined it (a referral joins the episode of the same organization with the "
        "same member id and plan, or the same name and birth date) and the screenings on them. "
        "Each referral is disclosed as GET /referrals/{referral_id} would; screenings appear "
        "only where nothing of their referral is withheld. Every read is audited.",
        EpisodeDoc,
        scope="referrals:read",
        errors=(404,),
        path_params={"episode_id": "The episode's id (a referral's episode_id)."},
    ),
    "api.get_timeline_route": Operation(
        "episodes",
        "A patient's timeline",
        "The episode's screenings with scores and severity, each referral's steps (sent, "
        "acknowledged, scheduled, attended, closed, declined...), the clinician's structured "
        "returns and the care plan's goals and tasks (set, done, due) in date order. Each entry "
        "is shown as its own endpoint would show it to this reader: steps and returns of the "
        "referrals they stand to; a care team member also reads the episode's other returns "
        "under the care plan's rule (a return with 42 CFR Part 2 content, or on a Part 2 "
        "referral, only when a standing Part 2 consent names them). Withheld content is null "
        "and marked. One audit event per read, beside the records it discloses.",
        TimelineDoc,
        scope="referrals:read",
        errors=(404,),
        path_params={"episode_id": "The episode's id (a referral's episode_id)."},
    ),
    "api.list_instruments": Operation(
        "screenings",
        "Screening instruments",
        "Every instrument definition: items with LOINC codes, the integer each answer is sent "
        "as, severity bands, the positive rule and the published source.",
        InstrumentListDoc,
    ),
    "api.openapi_document": Operation(
        "meta",
        "This OpenAPI document",
        "The OpenAPI 3 description of every /api/v1 operation.",
        {"type": "object"},
    ),
    "api.api_docs": Operation(
        "meta",
        "Documentation page",
        "The operations of this document, rendered for people.",
        {"type": "string"},
        media_type="text/html",
    ),
}
