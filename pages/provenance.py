"""Where each fact on a listing came from and how old it is, in plain words.

One function builds the sentences every page shows (patient card, clinician profile, staff
listing): "Taking new patients: confirmed by the clinician 3 months ago; the plan's roster
says otherwise (12 days ago)." A page never says "verified" without saying what and by whom.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from directory.fact_resolution import Finding
from directory.fact_rules import KINDS
from directory.models.verification import as_utc
from pages.ages import age_text

SOURCE_WORDS = {
    "staff_verification": _l("our staff"),
    "clinician_attestation": _l("the clinician"),
    "self_reported": _l("the clinician's own listing"),
    "referral_decline": _l("the practice, replying to a referral"),
    "roster": _l("the plan's roster"),
    "plan-net": _l("the plan's directory"),
    "cms-dac": _l("Medicare's clinician file"),
    "nppes": _l("the national NPI registry"),
    "report": _l("a directory user's report"),
}
KIND_WORDS = {
    "accepting_new_patients": _l("Taking new patients"),
    "network_participation": _l("In network %(network)s"),
    "location": _l("Address"),
    "phone": _l("Phone"),
    "languages": _l("Languages"),
    "telehealth": _l("Telehealth"),
    "self_pay_fee": _l("Self-pay fee"),
    "sliding_scale": _l("Sliding scale"),
    "free_care": _l("Free care"),
    "accepts_medicaid": _l("Takes Medicaid"),
    "accepts_medicare": _l("Takes Medicare"),
    "accepts_uninsured": _l("Sees uninsured (self-pay) patients"),
    "language_proficiency": _l("How well they speak each language"),
    "approaches": _l("Approaches"),
    "competencies": _l("Identity, faith and culture"),
    "hours": _l("Hours"),
    "accessibility": _l("Accessibility"),
}
METHOD_WORDS = {
    "phone_call": _l("by phone"),
    "email": _l("by email"),
    "portal_attestation": _l("through the clinician portal"),
    "roster": _l("against the plan's roster"),
}


def age(then: datetime, now: datetime) -> str:
    """'today', '12 days ago', '3 months ago', 'over a year ago' (the words pages/ages uses)."""
    return age_text((now - as_utc(then)).days)


def _who(observation) -> str:
    words = str(SOURCE_WORDS.get(observation.source, observation.source))
    method = METHOD_WORDS.get(observation.method or "")
    return f"{words} {method}" if method else words


def fact_name(finding: Finding) -> str:
    """'Taking new patients', 'In network acme-hmo'."""
    words = KIND_WORDS.get(finding.kind)
    if words is None:
        return finding.kind
    return str(words) % {"network": finding.network_id or ""}


def provenance_sentence(finding: Finding, now: datetime) -> str:
    """'Taking new patients: from our staff by phone 12 days ago; 1 source says otherwise.'"""
    winner = finding.winner
    text = _(
        "%(fact)s: from %(who)s, %(age)s",
        fact=fact_name(finding),
        who=_who(winner),
        age=age(winner.observed_at, now),
    )
    for other in finding.agreeing:
        text += _("; %(who)s agreed %(age)s", who=_who(other), age=age(other.observed_at, now))
    for other in finding.conflicts:
        text += _(
            "; %(who)s said otherwise %(age)s", who=_who(other), age=age(other.observed_at, now)
        )
    return text + "."


def unknown_sentence(kinds: list[str]) -> str | None:
    """What no source has told us, said plainly; None when every fact has a source."""
    names = [str(KIND_WORDS[k]) % {"network": ""} for k in kinds if k in KIND_WORDS]
    names = [name.strip() for name in names]
    if not names:
        return None
    return _("No source has told us: %(facts)s.", facts=", ".join(names))


def missing_sentence(findings: list[Finding]) -> str | None:
    """unknown_sentence for the listing facts no finding covers (networks are listed as held)."""
    held = {f.kind for f in findings}
    # Cost facts are said apart (pages/cost.py), so a listing silent on cost is not a wall of them.
    listed = [k.code for k in KINDS if k.asked and not k.per_network and not k.cost]
    return unknown_sentence([code for code in listed if code not in held])
