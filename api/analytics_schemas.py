"""What the funnel report answers, for the OpenAPI document."""

from __future__ import annotations

from marshmallow import Schema, fields

WITHHELD = " Null when withheld (fewer than 11 referrals, or a partner of such a cell)."


def _figure(text: str, kind=fields.Float) -> fields.Field:
    """A figure derived from counts, withheld with them."""
    return kind(allow_none=True, metadata={"description": f"{text}{WITHHELD}"})


_MEASURES = {
    "attended": "referrals attended, of those sent",
    "booked_within_10_business_days": "first appointments within 10 business days, of those booked",
    "follow_up_7_days": "positive screens followed by a BH visit within 7 days",
}
_SHOWN = " Null when its counts are withheld, so an interval never gives one away."


def _interval(text: str) -> fields.List:
    """A [low, high] 95% interval."""
    return fields.List(fields.Float(), allow_none=True, metadata={"description": f"{text}{_SHOWN}"})


def _rate_fields() -> dict:
    """<measure>_rate and <measure>_rate_ci for each equity measure."""
    found = {}
    for measure, words in _MEASURES.items():
        found[f"{measure}_rate"] = fields.Float(
            allow_none=True, metadata={"description": f"Share of {words}.{_SHOWN}"}
        )
        found[f"{measure}_rate_ci"] = _interval("Wilson score 95% interval [low, high] of it.")
    return found


def _gap_fields() -> dict:
    """<measure>_gap and <measure>_gap_ci against the reference group."""
    found = {}
    for measure in _MEASURES:
        found[f"{measure}_gap"] = fields.Float(
            allow_none=True,
            metadata={
                "description": f"This group's {measure}_rate minus the reference group's; null "
                f"for the reference itself.{_SHOWN}"
            },
        )
        found[f"{measure}_gap_ci"] = _interval(
            "Newcombe hybrid score 95% interval [low, high] of the gap."
        )
    return found


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


FunnelCellsDoc = FunnelCellsDoc.from_dict(
    _rate_fields(), name="FunnelCellsDoc"
)  # the equity rates sit on every row, the total's too


class FunnelGroupDoc(FunnelCellsDoc):
    """A group's row, named by its key (a plan, language, clinician, category, band...)."""

    key = fields.String(
        metadata={
            "description": "The group; `unknown` when not recorded. Race and ethnicity: one "
            "OMB SPD 15 category, `multiple` (two or more chosen) or `prefer_not_to_answer`."
        }
    )


FunnelGroupDoc = FunnelGroupDoc.from_dict(_gap_fields(), name="FunnelGroupDoc")


class FunnelReportDoc(Schema):
    """The funnel per group and in total, with how many cells were withheld."""

    groups = fields.List(fields.Nested(FunnelGroupDoc))
    total = fields.Nested(FunnelCellsDoc)
    suppressed = fields.Integer(metadata={"description": "Count cells withheld."})
    reference = fields.String(
        allow_none=True,
        metadata={"description": "The group the gaps are measured against; null for no groups."},
    )


class VerificationDoc(Schema):
    """Listings by days since their last verification."""

    listings = fields.Integer(metadata={"description": "Active listings the caller answers for."})
    buckets = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={
            "description": "Listings per age in local calendar days: 0_30, 31_90, 91_180, "
            "181_365, over_365, never."
        },
    )
    verified_within_90_days = fields.Integer()
    share_verified_within_90_days = fields.Float(
        allow_none=True, metadata={"description": "Day 90 counts as within; null for no listings."}
    )


class ReportsDoc(Schema):
    """Correction items opened in the period (staff re-verifications excluded)."""

    by_reason = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_source = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "report, decline, bounce."},
    )


class FlagsDoc(Schema):
    """Flags opened in the period against the No Surprises Act 2-business-day update clock."""

    items = fields.Integer()
    listings_flagged = fields.Integer()
    resolved = fields.Integer()
    resolved_within_clock = fields.Integer()
    open = fields.Integer()
    open_overdue = fields.Integer()
    share_resolved_within_clock = fields.Float(
        allow_none=True,
        metadata={
            "description": "In time / (resolved + open past due); open items not yet due "
            "are left out."
        },  # fmt: skip
    )
    median_days_to_resolve = fields.Float(allow_none=True)


class DeclineCountDoc(Schema):
    """Referrals declined in the period."""

    referrals = fields.Integer(allow_none=True, metadata={"description": WITHHELD.strip()})


class DeclineReasonDoc(DeclineCountDoc):
    """Referrals declined in the period for one reason."""

    reason = fields.String()


class DeclinesDoc(Schema):
    """Declines per reason and in total."""

    reasons = fields.List(fields.Nested(DeclineReasonDoc))
    total = fields.Nested(DeclineCountDoc)


class ResponsivenessCellsDoc(Schema):
    """Referrals sent in the period and the share acknowledged within 2 business days."""

    referrals = fields.Integer(allow_none=True, metadata={"description": WITHHELD.strip()})
    share_acknowledged_within_2_business_days = fields.Float(allow_none=True)


class ClinicianResponsivenessDoc(ResponsivenessCellsDoc):
    """One receiving clinician's row (public listing fields only)."""

    clinician_id = fields.Integer()
    npi = fields.String()
    name = fields.String()


class ResponsivenessDoc(Schema):
    """Per clinician and in total."""

    clinicians = fields.List(fields.Nested(ClinicianResponsivenessDoc))
    total = fields.Nested(ResponsivenessCellsDoc)


class InactiveDoc(Schema):
    """Listings with no referral accepted and no visit attended since `since` (the OIG measure)."""

    listings = fields.Integer()
    inactive = fields.Integer()
    share_inactive = fields.Float(allow_none=True)
    since = fields.Date(metadata={"description": "12 months before as_of, included."})


class DirectoryReportDoc(Schema):
    """The directory accuracy report."""

    as_of = fields.Date(
        metadata={"description": "Today (local): verification ages and inactivity."}
    )
    verification = fields.Nested(VerificationDoc)
    reports = fields.Nested(ReportsDoc)
    flags = fields.Nested(FlagsDoc)
    declines = fields.Nested(DeclinesDoc)
    responsiveness = fields.Nested(ResponsivenessDoc)
    inactive = fields.Nested(InactiveDoc)
    suppressed = fields.Integer(metadata={"description": "Count cells withheld."})
