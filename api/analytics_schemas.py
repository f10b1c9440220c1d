"""What the funnel report answers, for the OpenAPI document."""

from __future__ import annotations

from marshmallow import Schema, fields

WITHHELD = " Null when withheld (fewer than 11 referrals, or a partner of such a cell)."


def _figure(text: str, kind=fields.Float) -> fields.Field:
    """A figure derived from counts, withheld with them."""
    return kind(allow_none=True, metadata={"description": f"{text}{WITHHELD}"})


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
    p90_days_to_appointment = _figure("Calendar days to the first booking, 90th percentile.")
    median_days_to_acknowledge = _figure("Calendar days from sending to acknowledgement.")
    p90_days_to_acknowledge = _figure("Calendar days to acknowledgement, 90th percentile.")
    share_acknowledged_within_2_business_days = _figure(
        "Of referrals acknowledged, the share within 2 business days."
    )
    positive_screens = _figure("Referrals with a positive screen attached.", fields.Integer)
    follow_up_7_days = _figure(
        "Of those, with a BH visit on the screen's day or within 7 days.", fields.Integer
    )
    follow_up_30_days = _figure("Of those, with a BH visit within 30 days.", fields.Integer)
    share_follow_up_within_7_days = _figure("follow_up_7_days / positive_screens.")
    share_follow_up_within_30_days = _figure("follow_up_30_days / positive_screens.")


class FunnelGroupDoc(FunnelCellsDoc):
    """A group's row, named by its key (a plan, language, clinician, category, band...)."""

    key = fields.String(
        metadata={
            "description": "The group; `unknown` when not recorded. Race and ethnicity: one "
            "OMB SPD 15 category, `multiple` (two or more chosen) or `prefer_not_to_answer`."
        }
    )


class FunnelReportDoc(Schema):
    """The funnel per group and in total, with how many cells were withheld."""

    groups = fields.List(fields.Nested(FunnelGroupDoc))
    total = fields.Nested(FunnelCellsDoc)
    suppressed = fields.Integer(metadata={"description": "Count cells withheld."})
