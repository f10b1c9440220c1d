"""The directory accuracy report's query: a period of local dates."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema

from referrals.funnel_schemas import MAX_PERIOD_DAYS


class DirectoryArgsSchema(Schema):
    """?from=2025-01-01&to=2025-03-31 (dates in REFERRAL_TIMEZONE, both included)."""

    start = fields.Date(
        required=True,
        data_key="from",
        metadata={"description": "First day of the period (reports, declines, referrals sent)."},
    )
    end = fields.Date(
        required=True, data_key="to", metadata={"description": "Last day of the period, included."}
    )

    @validates_schema
    def _period(self, data, **_kwargs) -> None:
        """The period runs forward and spans at most 366 days, both ends included."""
        days = (data["end"] - data["start"]).days + 1
        if days < 1:
            raise ValidationError("to must not be before from.", "to")
        if days > MAX_PERIOD_DAYS:
            raise ValidationError(f"The period spans at most {MAX_PERIOD_DAYS} days.", "to")
