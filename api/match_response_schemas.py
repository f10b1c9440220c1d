"""Response shapes of matches (reasons, places, relaxations), for the OpenAPI document."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.cost_schemas import ClinicianCostDoc
from api.response_schemas import text_field
from directory.geography import GeoPrecision


class EntryDoc(Schema):
    """A reason, an unmet need or a notice."""

    code = fields.String(required=True)
    value = fields.Raw(allow_none=True)
    text = fields.String(required=True)


class MatchPlaceDoc(Schema):
    """The location a match would see the patient at."""

    id = fields.Integer(required=True)
    address = fields.String(required=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    geo_precision = fields.String(
        allow_none=True,
        metadata={
            "enum": [p.value for p in GeoPrecision],
            "description": "How near lat/lon stand to the address: distances from a ZIP or city "
            "centre are approximate, and one that rounds to 0 reads 'In your ZIP code area'.",
        },
    )


class MatchDoc(Schema):
    """One ranked clinician, explained."""

    npi = fields.String(required=True)
    name = fields.String(required=True)
    credentials = fields.List(fields.String(), required=True)
    visit = fields.String(required=True, metadata={"enum": ["in_person", "telehealth"]})
    location = fields.Nested(MatchPlaceDoc, required=True, allow_none=True)
    distance_miles = fields.Float(required=True, allow_none=True)
    score = fields.Float(required=True)
    reasons = fields.List(fields.Nested(EntryDoc), required=True)
    unmet = fields.List(fields.Nested(EntryDoc), required=True)
    notices = fields.List(fields.Nested(EntryDoc), required=True)
    stale = fields.Boolean(required=True)
    accepting_new_patients = fields.Boolean(required=True, allow_none=True)
    languages = fields.List(fields.String(), required=True)
    plans = fields.List(fields.String(), required=True)
    last_verified = fields.DateTime(required=True, allow_none=True)
    cost = fields.Nested(ClinicianCostDoc, required=True)
    score_detail = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)


class RelaxationDoc(Schema):
    """A need to relax for more results, and how many it would add."""

    relax = fields.String(required=True)
    value = fields.Raw(allow_none=True)
    count = fields.Integer(required=True)
    text = fields.String(required=True)


class SocialNeedDoc(Schema):
    """A social need a diagnosis code names (Z codes)."""

    code = fields.String(required=True)
    category = fields.String(required=True)
    text = fields.String(required=True)


class MatchPageDoc(Schema):
    """Ranked matches; `crisis`, when present, must be shown first."""

    crisis = fields.Dict(required=True, allow_none=True)
    results = fields.List(fields.Nested(MatchDoc), required=True)
    total = fields.Integer(required=True)
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)
    relaxations = fields.List(fields.Nested(RelaxationDoc), required=True)
    relaxation_summary = text_field(required=True)
    notices = fields.List(fields.Nested(EntryDoc), required=True)
    social_needs = fields.List(fields.Nested(SocialNeedDoc), required=True)
