"""Reasons, unmet preferences and notices: structured codes plus plain text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from directory.models.verification import is_stale
from directory.vocabulary import vocabulary
from matching import weights
from matching.backend import IN_PERSON, TELEHEALTH, Candidate
from matching.criteria import Finding
from matching.needs import Needs
from matching.signals import ReferralSignals


@dataclass(frozen=True)
class Entry:
    """One line of explanation: a machine code, the value it is about, and plain text."""

    code: str
    text: str
    value: str | int | float | tuple[str, ...] | None = None

    def as_dict(self) -> dict:
        """JSON form; tuples become lists."""
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"code": self.code, "value": value, "text": self.text}


def from_finding(f: Finding) -> Entry:
    """A finding as a reason or an unmet entry."""
    return Entry(f.code, f.text, f.value)


def _ages(groups) -> str:
    terms = vocabulary("age_groups")
    return ", ".join(terms[g].label.split(" (")[0].lower() for g in sorted(groups))


def rule_reasons(needs: Needs, c: Candidate) -> list[Entry]:
    """Why the always-required needs are met, for a candidate that passed them."""
    reasons = []
    if c.visit == IN_PERSON:
        miles = round(c.distance_miles, 1)
        reasons.append(Entry("distance", f"{miles:g} mi away", miles))
    if c.visit == TELEHEALTH:
        reasons.append(Entry("telehealth", f"Telehealth, licensed in {needs.state}", needs.state))
    if needs.transport_insecure and (
        c.visit == TELEHEALTH or c.distance_miles <= weights.TRANSPORT_HALF_LIFE_MILES
    ):
        text = "No travel needed" if c.visit == TELEHEALTH else "Close to home"
        reasons.append(Entry("transportation", text))
    if needs.plan is not None:
        reasons.append(Entry("plan", f"In network: {needs.plan.name}", needs.plan.id))
    met_ages = needs.age_groups & c.age_groups
    if met_ages:
        reasons.append(Entry("age", f"Sees {_ages(met_ages)}", tuple(sorted(met_ages))))
    if c.accepting_new_patients:
        reasons.append(Entry("accepting", "Accepting new patients"))
    return reasons


def notices(
    needs: Needs,
    c: Candidate,
    signal: ReferralSignals,
    now: datetime,
    stale_after_days: int = weights.STALE_AFTER_DAYS,
) -> list[Entry]:
    """Things to check before referring: stale or flagged listings, unknowns, full capacity."""
    found = []
    if is_stale(c.verified_at, now, stale_after_days):
        text = (
            "Never verified; confirm before referring"
            if c.verified_at is None
            else f"Not verified in the last {stale_after_days} days; confirm before referring"
        )
        found.append(Entry("stale", text, stale_after_days))
    if c.flagged:
        found.append(Entry("flagged", "Listing reported as possibly wrong"))
    if c.accepting_new_patients is None:
        found.append(Entry("accepting_unknown", "Not confirmed to be accepting new patients"))
    elif c.accepting_new_patients is False:
        found.append(Entry("not_accepting", "Not accepting new patients"))
    if needs.age_groups and not c.age_groups:
        found.append(Entry("ages_unknown", "Ages served not listed"))
    capacity = c.referral_capacity or weights.DEFAULT_REFERRAL_CAPACITY
    if signal.open_referrals >= capacity:
        text = f"{signal.open_referrals} open referrals (room for {capacity})"
        found.append(Entry("at_capacity", text, signal.open_referrals))
    return found
