"""Response shapes and OpenAPI operations of the registry API (registry_views builds them)."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.openapi_operation import Operation
from api.response_schemas import PageSchema
from registry.schemas import RegistryQuerySchema


class RegistryScoreDoc(Schema):
    """A score on a local date."""

    score = fields.Integer(required=True)
    on = fields.Date(required=True)
    severity = fields.String(allow_none=True)


class RegistryFollowUpDoc(Schema):
    """The first positive screen and whether a BH visit followed within 30 days."""

    status = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "met, missed, open (window still running) or null (none)."},
    )
    positive_on = fields.Date(required=True, allow_none=True)
    visit_on = fields.Date(required=True, allow_none=True)


class RegistryPatientDoc(Schema):
    """The patient as the episode names them (PHI)."""

    name = fields.String(required=True)
    birth_date = fields.Date(required=True)


class RegistrySourceDoc(Schema):
    """Where the row comes from and when it was last recomputed."""

    kind = fields.String(required=True)
    refreshed_at = fields.DateTime(required=True)


class RegistryRowDoc(Schema):
    """One episode on the registry: baseline and latest score, weeks in treatment, flags."""

    episode_id = fields.Integer(required=True)
    href = fields.String(required=True)
    patient = fields.Nested(RegistryPatientDoc, required=True)
    instrument = fields.String(required=True)
    baseline = fields.Nested(RegistryScoreDoc, required=True)
    latest = fields.Nested(RegistryScoreDoc, required=True)
    change = fields.Integer(required=True, metadata={"description": "Latest minus baseline."})
    scores = fields.Integer(required=True)
    weeks_in_treatment = fields.Integer(required=True)
    treatment_start = fields.Date(required=True)
    last_visit_on = fields.Date(required=True, allow_none=True)
    flags = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "no_response, remission, overdue, not_engaged."},
    )
    follow_up = fields.Nested(RegistryFollowUpDoc, required=True)
    source = fields.Nested(RegistrySourceDoc, required=True)


class RegistryPageDoc(PageSchema):
    """A page of the caller's registry for one instrument."""

    instrument = fields.String(required=True)
    flag = fields.String(required=True, allow_none=True)
    sort = fields.String(required=True)
    as_of = fields.Date(required=True)
    results = fields.List(fields.Nested(RegistryRowDoc), required=True)


class FollowUpStatusDoc(Schema):
    """Episodes by follow-up status for one instrument."""

    met = fields.Integer(required=True)
    missed = fields.Integer(required=True)
    open = fields.Integer(required=True, metadata={"description": "The 30 days still running."})


class FollowUpCountsDoc(Schema):
    """Episodes in the caller's registry with a positive screen, by follow-up status."""

    as_of = fields.Date(required=True)
    window_days = fields.Integer(required=True)
    instruments = fields.Dict(
        keys=fields.String(), values=fields.Nested(FollowUpStatusDoc), required=True
    )


REGISTRY_OPERATIONS = {
    "api.get_registry_route": Operation(
        "registry",
        "Measurement-based care registry",
        "The caller's episodes by latest PHQ-9 or GAD-7 score: a practice sees its own episodes, "
        "plan care managers their plans' members (never rows with Part 2 content). Baseline is "
        "the first score of the episode; weeks in treatment count from the first BH visit (a "
        "referral marked attended) or, before one, the baseline. Flags: no_response (drop under "
        "50% from baseline at 10 weeks or later), remission (latest < 5), overdue (no score in "
        "28 days), not_engaged (no visit, or baseline, in 30 days). Filter by `flag`, sort by "
        "score, change, weeks or last_screened (`-` for descending). Every row read is audited.",
        RegistryPageDoc,
        query=RegistryQuerySchema,
        scope="registry:read",
        errors=(400, 403),
        paged=True,
    ),
    "api.get_follow_up_route": Operation(
        "registry",
        "Follow-up after a positive screen",
        "Episodes in the caller's registry whose PHQ-9 or GAD-7 was positive (10 or more), per "
        "instrument, by whether a BH visit (a referral marked attended) followed within 30 days "
        "of the first positive screen (DSF-E style): met, missed, open (window still running). "
        "Counts are raw: a report built on them suppresses cells under 11.",
        FollowUpCountsDoc,
        scope="registry:read",
        errors=(403,),
    ),
}
