"""What the network adequacy report answers, for the OpenAPI document."""

from __future__ import annotations

from marshmallow import Schema, fields

from adequacy.schemas import AdequacyArgsSchema
from api.openapi_operation import Operation


def _f(kind, text: str, **kw):
    """A documented field."""
    return kind(metadata={"description": text}, **kw)


class AdequacyCountyDoc(Schema):
    """One county and BH specialty type against the CMS standard."""

    fips = _f(fields.String, "County FIPS code (2020 geography).")
    name = _f(fields.String, "County name as in the CMS HSD file.")
    designation = _f(fields.String, "CMS county type: Large Metro, Metro, Micro, Rural or CEAC.")
    specialty = _f(fields.String, "Psychiatry, Clinical Psychology, Clinical Social Work or "
                   "Outpatient Behavioral Health.")  # fmt: skip
    specialty_code = _f(fields.String, "CMS HSD specialty code (029, 036, 037, 068).")
    population = _f(fields.Integer, "2020 Census population of the county's ZCTAs.")
    population_within_standard = _f(fields.Integer, "Of it, living within the standard.")
    max_miles = _f(fields.Integer, "CMS maximum distance, miles.")
    max_minutes = _f(fields.Integer, "CMS maximum time, minutes.")
    radius_miles = _f(fields.Float, "Straight-line miles meeting both (minutes at the proxy mph).")
    share_within_standard = _f(
        fields.Float, "Share of the population with a provider in reach; null without people.",
        allow_none=True,
    )  # fmt: skip
    telehealth_credit = _f(fields.Float, "0.1 when the plan has a telehealth provider of the type.")
    share_with_credit = _f(fields.Float, "The share plus the credit, at most 1.", allow_none=True)
    required_share = _f(fields.Float, "0.9 in Large Metro and Metro counties, 0.85 elsewhere.")
    share_shortfall = _f(fields.Float, "Percentage points (as a share) short of the required one.")
    beneficiaries = _f(fields.Integer, "CMS beneficiaries required to cover in the county.")
    providers = _f(fields.Integer, "In-network accepting clinicians within reach of the county.")
    min_providers = _f(fields.Integer, "CMS minimum number of providers for the county.")
    provider_shortfall = _f(fields.Integer, "Providers missing to reach the minimum.")
    meets = _f(fields.Boolean, "Both the share and the minimum number are met.")


class AppointmentStandardDoc(Schema):
    """The 10-business-day routine appointment standard from the plan's own referrals."""

    from_ = _f(fields.Date, "First day sent, included.", data_key="from")
    to = _f(fields.Date, "Last day sent, included (today).")
    business_days = _f(fields.Integer, "The standard: 10 business days.")
    share_appointment_within_10_business_days = _f(
        fields.Float, "Of referrals booked, the share booked in time; null under 11 referrals.",
        allow_none=True,
    )  # fmt: skip
    required_share = _f(fields.Float, "0.9.")
    meets = _f(fields.Boolean, "Null when the share is withheld.", allow_none=True)


class AdequacyReportDoc(Schema):
    """Every county and BH type of the state for the plan, failing rows first."""

    plan = _f(fields.String, "The plan id.")
    plan_name = _f(fields.String, "The plan's name.")
    state = _f(fields.String, "The state.")
    standard = _f(fields.String, "The criteria measured against.")
    networks = _f(fields.List, "The plan's networks.", cls_or_instance=fields.String())
    counties = fields.List(fields.Nested(AdequacyCountyDoc))
    failing = _f(fields.Integer, "Rows that do not meet the standard.")
    appointments = fields.Nested(AppointmentStandardDoc)
    message = _f(fields.String, "Present when the plan has no clinician in any network.")


ADEQUACY_OPERATIONS = {
    "api.network_adequacy_route": Operation(
        "analytics",
        "Network adequacy",
        "For each county of the state and each BH type CMS sets Medicare Advantage standards "
        "for (2026 HSD reference file): the share of the 2020 Census population (by ZCTA "
        "centroid) within the time and distance standard of an in-network, accepting clinician "
        "of the type, by geodesic distance (minutes by a miles-per-hour proxy per county type), "
        "with the 10-point telehealth credit of 42 CFR 422.116(d)(5); the clinicians within "
        "reach against the CMS minimum; failing rows first with the shortfall. Also the plan's "
        "share of referrals booked within 10 business days over the last year. Plan staff see "
        "their plans only (404 otherwise), practice managers none (403); unknown state 400; "
        "every call is audited.",
        AdequacyReportDoc,
        query=AdequacyArgsSchema,
        scope="analytics:read",
        errors=(400, 404),
    ),
}
