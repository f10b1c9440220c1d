"""Per-fact provenance in API bodies, for the OpenAPI document (clinician_schemas fills it)."""

from __future__ import annotations

from marshmallow import Schema, fields

from directory.fact_rules import KINDS, SOURCES


class SourceWordDoc(Schema):
    """What one source said."""

    source = fields.String(required=True, metadata={"example": "nppes"})
    method = fields.String(required=True, allow_none=True)
    value = fields.Raw(required=True)
    observed_at = fields.DateTime(required=True)


class FactProvenanceDoc(Schema):
    """Where one fact came from, how old it is and how far to trust it."""

    fact = fields.String(required=True, metadata={"enum": sorted(k.code for k in KINDS)})
    network = fields.String(required=True, allow_none=True)
    value = fields.Raw(required=True)
    source = fields.String(required=True, metadata={"enum": [s.code for s in SOURCES]})
    method = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "How staff verified it: phone_call, email, ... (else null)."},
    )
    observed_at = fields.DateTime(required=True)
    confidence = fields.Float(
        required=True,
        metadata={"description": "0-1: source quality x age (decays after 90 days) x agreement."},
    )
    agreeing = fields.List(fields.Nested(SourceWordDoc), required=True)
    conflicts = fields.List(
        fields.Nested(SourceWordDoc),
        required=True,
        metadata={"description": "Sources that say otherwise; the fact follows the rule."},
    )
