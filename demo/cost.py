"""What a demo clinician's care costs, and whose word it is: a realistic share, some unknown.

Drawn from its own generator seeded by the NPI, so adding cost left every other demo value as
it was. The shares follow what behavioral-health listings show: most clinicians see self-pay
patients, about half take Medicaid, fewer Medicare (counselors and marriage and family
therapists could not bill it before 2024), a third offer a sliding scale, few free care; and
two in five listings say nothing at all about cost, so pages show "not known" as often as a
newcomer will meet it in real data.
"""

from __future__ import annotations

import random
from datetime import datetime

from directory.cost import Cost, fact_values
from directory.models.verification import as_utc

SHARE_WITH_COST = 0.6  # of listings, say anything about cost
# (yes, no) chances per flag among listings that speak about cost; the rest is "not stated".
ANSWERS = {
    "uninsured": (0.80, 0.05),
    "medicaid": (0.45, 0.35),
    "medicare": (0.35, 0.40),
    "sliding_scale": (0.35, 0.40),
    "free_care": (0.05, 0.60),
}
FEE_SHARE = 0.85
# Median lowest self-pay fee a session, USD: prescribers' evaluations cost more.
MEDIAN_FEE = {"prescriber": 220, "therapist": 120}
STAFF_SHARE = 0.3  # cost confirmed by our staff by phone; the rest is the clinician's own word


def _answer(rng: random.Random, chances: tuple[float, float]) -> bool | None:
    draw = rng.random()
    yes, no = chances
    return True if draw < yes else False if draw < yes + no else None


def _fees(rng: random.Random, prescriber: bool) -> tuple[int | None, int | None]:
    if rng.random() >= FEE_SHARE:
        return None, None
    median = MEDIAN_FEE["prescriber" if prescriber else "therapist"]
    low = int(min(1200, max(20, round(rng.lognormvariate(0, 0.3) * median / 5) * 5)))
    high = low if rng.random() < 0.4 else min(2000, low + 5 * rng.randrange(4, 31))
    return low, high


def demo_cost(npi: str, prescriber: bool) -> Cost | None:
    """The clinician's cost, or None (their listing says nothing about cost)."""
    rng = random.Random(f"cost:{npi}")
    if rng.random() >= SHARE_WITH_COST:
        return None
    answers = {flag: _answer(rng, chances) for flag, chances in ANSWERS.items()}
    if answers["free_care"]:
        answers["uninsured"] = True  # free care serves people without insurance
    low, high = _fees(rng, prescriber)
    return Cost(fee_min=low, fee_max=high, **answers)


def cost_observation_rows(
    clinician_id: int, npi: str, cost: Cost | None, said_at: datetime | None, now: datetime
) -> list[dict]:
    """fact_observation rows for each value `cost` knows: the clinician's word, or our staff's."""
    if cost is None:
        return []
    staff = random.Random(f"cost-source:{npi}").random() < STAFF_SHARE
    source, method = ("staff_verification", "phone_call") if staff else ("self_reported", None)
    return [
        {
            "subject_kind": "clinician",
            "subject_id": clinician_id,
            "location_id": None,
            "network_id": None,
            "kind": kind,
            "value": value,
            "source": source,
            "method": method,
            "evidence": "demo data" if staff else None,
            "source_ref": None,
            "actor_id": None,
            "observed_at": as_utc(said_at) or now,
            "recorded_at": now,
        }
        for kind, value in fact_values(cost).items()
    ]
