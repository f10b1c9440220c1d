"""Response shapes of the structured-return API (api/return_views.py builds them), for OpenAPI."""

from __future__ import annotations

from marshmallow import Schema, fields

from referrals.lifecycle import STATUSES
from referrals.return_schemas import MEDICATION_CHANGES
from screening.definitions import instruments

ONLY_DISCLOSED = {"description": "Only where the return is disclosed to this reader."}


class ReturnMedicationDoc(Schema):
    """A medication started, changed or stopped."""

    change = fields.String(required=True, metadata={"enum": list(MEDICATION_CHANGES)})
    name = fields.String(required=True)
    rxnorm = fields.String(required=True, allow_none=True)
    coded = fields.Boolean(
        required=True, metadata={"description": "false: kept as text, no RxNorm code given."}
    )


class ReturnScoreDoc(Schema):
    """A repeat score, scored by the screening engine."""

    instrument = fields.String(required=True, metadata={"enum": sorted(instruments())})
    answers = fields.List(
        fields.Integer(),
        required=True,
        allow_none=True,
        metadata={"description": "null when the total was sent alone."},
    )
    score = fields.Integer(required=True)
    severity = fields.String(required=True, allow_none=True)
    positive = fields.Boolean(required=True, allow_none=True)
    crisis = fields.Boolean(required=True)


class ReturnViewDoc(Schema):
    """One return as this reader may see it; its content only where disclosed."""

    id = fields.Integer(required=True)
    referral_id = fields.Integer(required=True)
    referral_status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    created_at = fields.DateTime(required=True)
    created_by = fields.String(required=True)
    created_by_role = fields.String(required=True)
    part2 = fields.Boolean(
        required=True, metadata={"description": "42 CFR Part 2, decided from its content."}
    )
    withheld = fields.Boolean(required=True)
    problems = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True,
        metadata={"description": "Why the content is withheld from this reader."},
    )  # fmt: skip
    diagnoses = fields.List(fields.String(), metadata=ONLY_DISCLOSED)
    medications = fields.List(fields.Nested(ReturnMedicationDoc), metadata=ONLY_DISCLOSED)
    treatment = fields.String(allow_none=True, metadata=ONLY_DISCLOSED)
    next_appointment_at = fields.DateTime(allow_none=True, metadata=ONLY_DISCLOSED)
    scores = fields.List(fields.Nested(ReturnScoreDoc), metadata=ONLY_DISCLOSED)
    note = fields.String(allow_none=True, metadata=ONLY_DISCLOSED)
    part2_basis = fields.List(fields.String(), metadata=ONLY_DISCLOSED)
    part2_notice = fields.String(metadata={"description": "The 42 CFR 2.32 notice."})


class ReturnViewListDoc(Schema):
    """Every return on the referral, oldest first."""

    referral_id = fields.Integer(required=True)
    items = fields.List(fields.Nested(ReturnViewDoc), required=True)
