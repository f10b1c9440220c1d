"""What the funnel report answers, for the OpenAPI document."""

from __future__ import annotations

from marshmallow import Schema, fields

WITHHELD = " Null when withheld (fewer than 11 referrals, or a partner of such a cell)."


def _count(stage: str) -> fields.Integer:
    """A count of referrals that reached `stage`."""
    return fields.Integer(
        allow_none=True, metadata={"description": f"Referrals that reached {stage}.{WITHHELD}"}
    )


class FunnelCellsDoc(Schema):
    """One row of the funnel: counts per stage and time to a first appointment."""

    sent = _count("sent")
    acknowledged = _count("acknowledged")
    scheduled = _count("scheduled")
    attended = _count("attended")
    declined = _count("declined")
    no_show = _count("no-show")
    expired = _count("expired")
    median_days_to_appointment = fields.Float(
        allow_none=True,
        metadata={"description": f"Calendar days from sending to the first booking.{WITHHELD}"},
    )
    share_appointment_within_10_business_days = fields.Float(
        allow_none=True,
        metadata={"description": f"Of referrals booked, the share booked in time.{WITHHELD}"},
    )


class FunnelGroupDoc(FunnelCellsDoc):
    """A group's row, named by its key (a plan id, language, clinician id, kind or urgency)."""

    key = fields.String(metadata={"description": "The group; `unknown` when not recorded."})


class FunnelReportDoc(Schema):
    """The funnel per group and in total, with how many cells were withheld."""

    groups = fields.List(fields.Nested(FunnelGroupDoc))
    total = fields.Nested(FunnelCellsDoc)
    suppressed = fields.Integer(metadata={"description": "Count cells withheld."})
