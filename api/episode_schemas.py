"""Response shapes of the episode API (api/episode_views.py builds them), for OpenAPI."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.referral_response_schemas import OrganizationRefDoc, ReferralDoc


class EpisodePatientDoc(Schema):
    """The patient as the episode's first referral named them (PHI)."""

    name = fields.String(required=True)
    birth_date = fields.Date(required=True)
    member_id = fields.String(required=True, allow_none=True)


class EpisodeScreeningDoc(Schema):
    """A scored screening on one of the episode's referrals."""

    id = fields.Integer(required=True)
    referral_id = fields.Integer(required=True)
    instrument = fields.String(required=True)
    score = fields.Integer(required=True)
    severity = fields.String(required=True, allow_none=True)
    positive = fields.Boolean(required=True, allow_none=True)
    crisis = fields.Boolean(required=True)
    flags = fields.List(fields.String(), required=True)
    created_at = fields.DateTime(required=True)
    created_by = fields.String(required=True)


class EpisodeDoc(Schema):
    """One patient's episode of care at a referring PCP organization."""

    id = fields.Integer(required=True)
    organization = fields.Nested(OrganizationRefDoc, required=True)
    plan = fields.String(required=True, allow_none=True)
    patient = fields.Nested(
        EpisodePatientDoc,
        required=True,
        allow_none=True,
        metadata={"description": "null when withheld from this reader (a revoked consent)."},
    )
    withheld = fields.List(fields.String(), required=True)
    created_at = fields.DateTime(required=True)
    referrals = fields.List(
        fields.Nested(ReferralDoc),
        required=True,
        metadata={"description": "Summaries, oldest first, each as disclosed to this reader."},
    )
    screenings = fields.List(
        fields.Nested(EpisodeScreeningDoc),
        required=True,
        metadata={"description": "Oldest first; only those on referrals nothing is withheld of."},
    )
