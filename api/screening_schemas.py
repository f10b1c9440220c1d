"""Response shapes of the screening API (api/screening_views.py builds them), for OpenAPI."""

from __future__ import annotations

from marshmallow import Schema, fields


class GuidanceDoc(Schema):
    """What the clinician is told first when a flag is raised."""

    flag = fields.String(required=True)
    audience = fields.String(required=True)
    message = fields.String(required=True)
    resources = fields.List(fields.Dict(), required=True)


class ScreeningResultDoc(Schema):
    """A scored screening with its FHIR QuestionnaireResponse and LOINC-coded Observations."""

    id = fields.Integer(required=True)
    referral_id = fields.Integer(required=True, allow_none=True)
    instrument = fields.String(required=True)
    score = fields.Integer(required=True)
    severity = fields.String(
        required=True, allow_none=True, metadata={"description": "The published band name."}
    )
    positive = fields.Boolean(
        required=True,
        allow_none=True,
        metadata={"description": "null when not known (AUDIT-C score 3 without the sex)."},
    )
    crisis = fields.Boolean(required=True)
    needs = fields.List(fields.String(), required=True)
    flags = fields.List(fields.String(), required=True)
    guidance = fields.List(fields.Nested(GuidanceDoc), required=True)
    observations = fields.List(fields.Dict(), required=True)
    questionnaire_response = fields.Dict(required=True)


class AnswerOptionDoc(Schema):
    """One answer: send `value`."""

    value = fields.Integer(required=True)
    code = fields.String(required=True, allow_none=True)
    display = fields.String(required=True)


class InstrumentItemDoc(Schema):
    """One question."""

    link_id = fields.String(required=True)
    loinc = fields.String(required=True, allow_none=True)
    text = fields.String(required=True)
    answers = fields.List(fields.Nested(AnswerOptionDoc), required=True)


class BandDoc(Schema):
    """A published severity band."""

    min = fields.Integer(required=True)
    max = fields.Integer(required=True)
    name = fields.String(required=True)


class InstrumentDoc(Schema):
    """An instrument definition (FHIR Questionnaire with its scoring rules and source)."""

    id = fields.String(required=True)
    title = fields.String(required=True)
    loinc = fields.String(required=True, allow_none=True)
    total_loinc = fields.String(required=True, allow_none=True)
    items = fields.List(fields.Nested(InstrumentItemDoc), required=True)
    bands = fields.List(fields.Nested(BandDoc), required=True)
    positive = fields.Dict(required=True)
    source = fields.Dict(required=True)
    questionnaire = fields.Dict(required=True)


class InstrumentListDoc(Schema):
    """Every instrument."""

    items = fields.List(fields.Nested(InstrumentDoc), required=True)
