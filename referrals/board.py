"""The referring side's board filters: status, overdue only, receiving clinician (GET arguments)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, pre_load, validate

from referrals.lifecycle import STATUSES

MAX_CLINICIAN_ID = 2**31 - 1  # Integer primary key: 32 bits on PostgreSQL


class BoardArgsSchema(Schema):
    """GET /pcp/referrals query arguments; an empty choice means no filter."""

    class Meta:
        unknown = EXCLUDE

    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    overdue = fields.Boolean(load_default=False)
    clinician = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=MAX_CLINICIAN_ID)
    )

    @pre_load
    def _drop_empty(self, data, **_kwargs):
        """A select left at 'Any' sends an empty value: the same as leaving the filter out."""
        return {key: value for key, value in dict(data).items() if value != ""}
