"""The facts a listing claims and the sources that tell us them, as data (one table each)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FactKind:
    """A kind of fact that can go stale, and what it narrows to."""

    code: str
    words: str  # how pages name it: "whether they take new patients"
    per_location: bool = False
    per_network: bool = False
    cost: bool = False  # what care costs (directory/cost.py); pages say these apart
    # Pages name a listing fact no source has told us; the ones only clinicians correct
    # (no loader reads them) would make that sentence a wall on every listing.
    asked: bool = True


@dataclass(frozen=True)
class Source:
    """Who told us, how much we trust them (0-1) and how pages name them."""

    code: str
    quality: float
    words: str  # "the plan's list", "the clinician"
    verb: str  # "checked", "confirmed", "said"


KINDS = (
    FactKind("accepting_new_patients", "taking new patients"),
    FactKind("network_participation", "in network", per_network=True),
    FactKind("location", "address", per_location=True),
    FactKind("phone", "phone number", per_location=True),
    FactKind("languages", "languages"),
    FactKind("telehealth", "telehealth"),
    FactKind("self_pay_fee", "self-pay fee", cost=True),
    FactKind("sliding_scale", "sliding scale", cost=True),
    FactKind("free_care", "free care", cost=True),
    FactKind("accepts_medicaid", "takes Medicaid", cost=True),
    FactKind("accepts_medicare", "takes Medicare", cost=True),
    FactKind("accepts_uninsured", "sees uninsured (self-pay) patients", cost=True),
    # What a clinician corrects on their own listing (corrections/self_report.py).
    FactKind("language_proficiency", "how well they speak each language", asked=False),
    FactKind("approaches", "approaches", asked=False),
    FactKind("competencies", "identity, faith and culture", asked=False),
    FactKind("hours", "opening hours", per_location=True, asked=False),
    FactKind("accessibility", "accessibility", per_location=True, asked=False),
)
KIND_BY_CODE = {kind.code: kind for kind in KINDS}

SOURCES = (
    Source("staff_verification", 0.95, "our staff", "verified"),
    Source("clinician_attestation", 0.9, "the clinician", "confirmed"),
    # The clinician editing a value on their listing page, without attesting the whole listing.
    Source("self_reported", 0.85, "the clinician's own listing", "said"),
    Source("referral_decline", 0.85, "a referral reply from the practice", "said"),
    Source("roster", 0.8, "the plan's roster", "listed"),
    Source("plan-net", 0.75, "the plan's directory", "listed"),
    Source("cms-dac", 0.7, "Medicare's clinician file", "listed"),
    Source("nppes", 0.6, "the national NPI registry", "listed"),
    Source("report", 0.4, "a directory user's report", "reported"),
)
SOURCE_BY_CODE = {source.code: source for source in SOURCES}

# A staff verification is as good as the way it was made.
METHODS = {
    "phone_call": 0.95,
    "portal_attestation": 0.9,
    "email": 0.85,
    "roster": 0.8,
}
METHOD_WORDS = {
    "phone_call": "by phone",
    "portal_attestation": "through the clinician portal",
    "email": "by email",
    "roster": "against the plan's roster",
}

# Where a source is weaker or stronger for one kind than in general (why, per row).
KIND_QUALITY = {
    # NPPES practice data is self-entered once and rarely updated; it says nothing of intake.
    ("nppes", "location"): 0.5,
    ("nppes", "phone"): 0.5,
    # A decline for "not accepting" is the practice's own answer this week.
    ("referral_decline", "accepting_new_patients"): 0.9,
}


def quality(source: str, kind: str, method: str | None = None) -> float:
    """How far `source` (by `method`, for staff) is trusted on `kind`."""
    if source == "staff_verification" and method in METHODS:
        return METHODS[method]
    override = KIND_QUALITY.get((source, kind))
    if override is not None:
        return override
    return SOURCE_BY_CODE[source].quality
