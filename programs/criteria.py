"""Each search criterion against one program at one site: met or not, and the words why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from programs.needs import ProgramNeeds
from programs.schedules import DAYS, has_evening, has_weekend, open_at
from programs.vocabulary import SERVES_UNINSURED, need_domains

# A state's most-populous time zone: a site's local clock for "open now" (sites carry no zone).
_ZONES = {
    **dict.fromkeys(("CA", "WA", "OR", "NV"), "America/Los_Angeles"),
    **dict.fromkeys(("CO", "UT", "NM", "MT", "WY", "ID"), "America/Denver"),
    "AZ": "America/Phoenix",
    "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
    **dict.fromkeys(
        ("TX", "IL", "MN", "WI", "IA", "MO", "AR", "LA", "MS", "AL", "OK", "KS", "NE", "SD",
         "ND", "TN"),
        "America/Chicago",
    ),
}  # fmt: skip
EASTERN = "America/New_York"


@dataclass(frozen=True)
class Verdict:
    """One criterion's outcome."""

    criterion: str
    met: bool
    text: str

    def as_dict(self) -> dict:
        """JSON form."""
        return {"criterion": self.criterion, "text": self.text}


@dataclass(frozen=True)
class Offer:
    """What a program offers at one site, as the criteria read it."""

    needs: frozenset[str]
    levels_of_care: frozenset[str]
    medications: frozenset[str]
    languages: frozenset[str]
    payments: frozenset[str]
    minimum_age: int | None
    maximum_age: int | None
    fee_max: float | None
    hours: tuple[dict, ...]
    state: str | None


def _overlap(criterion: str, asked, offered, noun: str) -> Verdict:
    found = sorted(set(asked) & offered)
    if found:
        return Verdict(criterion, True, f"{noun}: {', '.join(found)}")
    return Verdict(criterion, False, f"no {noun} asked for ({', '.join(asked)}) listed")


def _needs(needs: ProgramNeeds, offer: Offer) -> Verdict:
    labels = need_domains()
    found = [labels[n] for n in needs.needs if n in offer.needs]
    if found:
        return Verdict("needs", True, f"helps with {', '.join(found).lower()}")
    return Verdict("needs", False, "helps with none of the needs asked for")


def _age(needs: ProgramNeeds, offer: Offer) -> Verdict:
    low, high = offer.minimum_age, offer.maximum_age
    if low is None and high is None:
        return Verdict("age", True, "no age limits listed")
    within = (low is None or needs.age >= low) and (high is None or needs.age <= high)
    span = f"ages {low if low is not None else 0}-{high if high is not None else ''}".rstrip("-")
    return Verdict("age", within, f"{span}{'' if within else ' only'}")


def accepted_payments(payments, fee_max: float | None) -> set[str]:
    """The payment codes a program meets: its own, free when it charges nothing, uninsured."""
    accepted = set(payments)
    if fee_max == 0:
        accepted.add("free")
    if accepted & SERVES_UNINSURED:
        accepted.add("uninsured")
    return accepted


def _payment(needs: ProgramNeeds, offer: Offer) -> Verdict:
    accepted = accepted_payments(offer.payments, offer.fee_max)
    return _overlap("payment", needs.payment, accepted, "accepts")


def zone_of(state: str | None) -> str:
    """The time zone a site's clock is read in (its state's most populous one)."""
    return _ZONES.get((state or "").upper(), EASTERN)


def local_clock(zone: str, now: datetime) -> tuple[str, str]:
    """('tue', '19:30'): the weekday and clock at `now` in `zone`."""
    local = now.astimezone(ZoneInfo(zone))
    return DAYS[local.weekday()], local.strftime("%H:%M")


def _schedule(needs: ProgramNeeds, offer: Offer, now: datetime) -> Verdict:
    if not offer.hours:
        return Verdict("schedule", False, "hours not known")
    checks = {
        "evening": has_evening(list(offer.hours)),
        "weekend": has_weekend(list(offer.hours)),
        "open_now": open_at(list(offer.hours), *local_clock(zone_of(offer.state), now)),
    }
    missing = [s.replace("_", " ") for s in needs.schedule if not checks[s]]
    if missing:
        return Verdict("schedule", False, f"not {', '.join(missing)}")
    return Verdict("schedule", True, ", ".join(s.replace("_", " ") for s in needs.schedule))


def judge(needs: ProgramNeeds, offer: Offer, now: datetime) -> list[Verdict]:
    """A verdict for every criterion the search asks."""
    verdicts = []
    if needs.asked("needs"):
        verdicts.append(_needs(needs, offer))
    if needs.asked("levels_of_care"):
        verdicts.append(
            _overlap("levels_of_care", needs.levels_of_care, offer.levels_of_care, "level of care")
        )
    if needs.asked("medications"):
        verdicts.append(_overlap("medications", needs.medications, offer.medications, "offers"))
    if needs.asked("languages"):
        verdicts.append(_overlap("languages", needs.languages, offer.languages, "speaks"))
    if needs.asked("age"):
        verdicts.append(_age(needs, offer))
    if needs.asked("payment"):
        verdicts.append(_payment(needs, offer))
    if needs.asked("schedule"):
        verdicts.append(_schedule(needs, offer, now))
    return verdicts
