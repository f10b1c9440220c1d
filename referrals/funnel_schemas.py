"""The funnel report's query: a period of local dates and one way to group."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from referrals.funnel import DERIVED_GROUPS, GROUP_COLUMNS

FUNNEL_GROUPS = (*GROUP_COLUMNS, *DERIVED_GROUPS)
MAX_PERIOD_DAYS = 366


class FunnelArgsSchema(Schema):
    """?from=2025-01-01&to=2025-03-31&group_by=plan (dates in REFERRAL_TIMEZONE, both included)."""

    start = fields.Date(
        required=True, data_key="from", metadata={"description": "First day sent, included."}
    )
    end = fields.Date(
        required=True, data_key="to", metadata={"description": "Last day sent, included."}
    )
    group_by = fields.String(
        required=True,
        validate=validate.OneOf(FUNNEL_GROUPS),
        metadata={"description": f"One of {', '.join(FUNNEL_GROUPS)}."},
    )

    reference = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=64),
        metadata={
            "description": "Group key the gaps are measured against (a group of this report); "
            "by default the group with the most referrals sent."
        },
    )

    @validates_schema
    def _period(self, data, **_kwargs) -> None:
        """The period runs forward and spans at most 366 days, both ends included."""
        days = (data["end"] - data["start"]).days + 1
        if days < 1:
            raise ValidationError("to must not be before from.", "to")
        if days > MAX_PERIOD_DAYS:
            raise ValidationError(f"The period spans at most {MAX_PERIOD_DAYS} days.", "to")
