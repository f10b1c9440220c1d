"""Findings: for each need the caller may make required or preferred, is it met, and how to say so.

One evaluation serves three purposes: a required need that is not met removes the candidate,
a met need becomes a reason, and an unmet preference is listed under `unmet`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from directory.cost import dollars, fee_text
from directory.taxonomy import matches_prefix, nucc
from directory.vocabulary import languages, vocabulary
from matching import weights
from matching.backend import IN_PERSON, Candidate
from matching.needs import FitItem, Needs


@dataclass(frozen=True)
class Finding:
    """One need judged against one candidate."""

    need: str  # the policy name: languages, concerns, accessibility...
    code: str  # the entry code: language, concern, accessibility...
    value: str | int | tuple[str, ...] | None
    met: bool
    text: str
    share: float = 1.0  # for concerns: how well it fits (weights.FIT_*)


def _names(codes) -> str:
    table = languages()
    return " or ".join(table[c].label if c in table else c for c in codes)


def language_findings(needs: Needs, c: Candidate) -> list[Finding]:
    """Any of the languages asked for."""
    if not needs.languages:
        return []
    spoken = tuple(sorted(set(needs.languages) & c.languages))
    if spoken:
        return [Finding("languages", "language", spoken, True, f"Speaks {_names(spoken)}")]
    text = f"Does not list {_names(needs.languages)}"
    return [Finding("languages", "language", needs.languages, False, text)]


def gender_findings(needs: Needs, c: Candidate) -> list[Finding]:
    """The clinician gender asked for."""
    wanted = needs.clinician_gender
    if not wanted:
        return []
    if c.gender == wanted:
        return [Finding("clinician_gender", "gender", wanted, True, f"{wanted.title()} clinician")]
    text = f"Not listed as a {wanted} clinician"
    return [Finding("clinician_gender", "gender", wanted, False, text)]


def culture_findings(needs: Needs, c: Candidate) -> list[Finding]:
    """Each cultural competency asked for, separately."""
    terms = vocabulary("competencies")
    found = []
    for code in needs.cultural_preferences:
        plain = terms[code].extra.get("plain", terms[code].label)
        met = code in c.competencies
        text = plain if met else f"Not listed: {plain}"
        found.append(Finding("cultural_preferences", "competency", code, met, text))
    return found


@lru_cache(maxsize=4096)
def _suits(held: frozenset[str], wanted: tuple[str, ...]) -> bool:
    """One of the held taxonomies starts with a wanted prefix."""
    # Cached: candidates share a few hundred distinct taxonomy sets, searches a few concerns.
    return any(matches_prefix(t, list(wanted)) for t in held)


def _fit_share(item: FitItem, c: Candidate) -> float:
    if item.kind == "concern" and item.code in c.conditions_treated:
        return weights.FIT_TREATS
    if _suits(frozenset(c.taxonomies), item.taxonomies):
        return weights.FIT_TAXONOMY
    return 0.0


def concern_findings(needs: Needs, c: Candidate) -> list[Finding]:
    """Each concern (and taxonomy-only diagnosis): treated, suited by specialty, or not."""
    found = []
    for item in needs.fit_items:
        share = _fit_share(item, c)
        name = item.label if item.kind == "diagnosis" else item.label.lower()
        if share >= weights.FIT_TREATS:
            text = f"Treats {name}"
        elif share > 0:
            text = f"Specialty suits {name}"
        else:
            text = f"Not listed for {name}"
        found.append(Finding("concerns", item.kind, item.code, share > 0, text, share))
    return found


def specialty_findings(needs: Needs, c: Candidate) -> list[Finding]:
    """Any of the NUCC specialties asked for (a classification includes its specializations)."""
    if not needs.specialties:
        return []
    held = sorted(needs.specialty_codes & c.taxonomies)
    table = nucc()
    if held:
        text = ", ".join(table[t].display_name for t in held if t in table)
        return [Finding("specialties", "specialty", tuple(held), True, text)]
    asked = ", ".join(table[t].display_name for t in needs.specialties)
    return [Finding("specialties", "specialty", needs.specialties, False, f"Not a {asked}")]


def accessibility_findings(needs: Needs, c: Candidate) -> list[Finding]:
    """Each accessibility feature, at the place of an in-person visit (moot for telehealth)."""
    if c.visit != IN_PERSON or c.place is None:
        return []
    terms = vocabulary("accessibility")
    found = []
    for code in needs.accessibility:
        met = code in c.place.accessibility
        label = terms[code].label
        text = label if met else f"Not listed: {label}"
        found.append(Finding("accessibility", "accessibility", code, met, text))
    return found


def availability_findings(needs: Needs, c: Candidate) -> list[Finding]:
    """Evening and weekend hours, from the place's hours (telehealth has none on file)."""
    found = []
    for code in needs.availability:
        place = c.place if c.visit == IN_PERSON else None
        met = bool(place and getattr(place, f"{code}_hours"))
        text = f"{code.title()} hours" if met else f"No {code} hours listed"
        found.append(Finding("availability", "availability", code, met, text))
    return found


def wait_findings(needs: Needs, c: Candidate, today: date) -> list[Finding]:
    """Next opening within max_wait_days; an unknown wait does not count as met."""
    if needs.max_wait_days is None:
        return []
    days = c.days_to_next_opening(today)
    limit = needs.max_wait_days
    if days is not None and days <= limit:
        text = "Opening today" if days == 0 else f"Next opening in {days} days"
        return [Finding("max_wait_days", "wait", limit, True, text)]
    text = "Wait not listed" if days is None else f"Next opening in {days} days"
    return [Finding("max_wait_days", "wait", limit, False, f"{text} (wanted {limit} or fewer)")]


PAYMENT_WORDS = {
    "uninsured": "uninsured (self-pay) patients",
    "medicaid": "Medicaid",
    "medicare": "Medicare",
    "free": "free care",
    "sliding_scale": "a sliding scale",
}


def payment_findings(needs: Needs, c: Candidate) -> list[Finding]:
    """Any of the payment words asked for; unknown is said apart from a known "no"."""
    if not needs.payment:
        return []
    answers = {p: c.cost.answer(p) for p in needs.payment}
    taken = tuple(p for p in needs.payment if answers[p])
    if taken:
        text = "Takes " + " and ".join(PAYMENT_WORDS[p] for p in taken)
        return [Finding("payment", "payment", taken, True, text)]
    asked = " or ".join(PAYMENT_WORDS[p] for p in needs.payment)
    if all(answer is False for answer in answers.values()):
        text = f"Does not take {asked}"
    else:
        text = f"Not known to take {asked}"
    return [Finding("payment", "payment", needs.payment, False, text)]


def fee_findings(needs: Needs, c: Candidate) -> list[Finding]:
    """A self-pay session within max_fee (free care counts as $0); an unknown fee is not met."""
    if needs.max_fee is None:
        return []
    limit, cost = needs.max_fee, c.cost
    wanted = f"(wanted {dollars(limit)} or less)"
    if cost.within(limit):
        fee = "Free care" if cost.free_care else f"Self-pay {fee_text(cost)}"
        return [Finding("max_fee", "max_fee", limit, True, f"{fee}, within {dollars(limit)}")]
    known = fee_text(cost)
    text = f"Self-pay {known} {wanted}" if known else f"Self-pay fee not known {wanted}"
    return [Finding("max_fee", "max_fee", limit, False, text)]


def findings(needs: Needs, c: Candidate, today: date) -> list[Finding]:
    """Every selectable need, judged; in a fixed order so explanations are stable."""
    return [
        *concern_findings(needs, c),
        *specialty_findings(needs, c),
        *language_findings(needs, c),
        *gender_findings(needs, c),
        *culture_findings(needs, c),
        *accessibility_findings(needs, c),
        *availability_findings(needs, c),
        *wait_findings(needs, c, today),
        *payment_findings(needs, c),
        *fee_findings(needs, c),
    ]
