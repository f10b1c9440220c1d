"""The card rules, one row each, and what fires them on a patient's facts. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from cds.facts import Coded, Facts
from cds.services import phq9_item9_loinc
from referrals.part2 import code_category
from screening.definitions import instruments
from screening.scorer import AnswerError, score_total

SUMMARY_MAX = 139  # CDS Hooks: a summary under 140 characters
NO_REFERRAL = "no behavioral health referral on file"
CRISIS = "PHQ-9 item 9 positive (thoughts of self-harm): assess suicide risk today"


@dataclass(frozen=True)
class Rule:
    """One reason to suggest a behavioral health referral."""

    key: str
    reads: str  # screening | diagnosis | medication
    instrument: str | None  # screening rules: the instrument whose total is read
    indicator: str  # info | warning (a PHQ-9 item 9 answer above 0 makes it critical)
    summary: str  # formatted with score, severity, names


RULES = (
    Rule("phq9", "screening", "phq9", "warning", "PHQ-9 {score} ({severity}): " + NO_REFERRAL),
    Rule("gad7", "screening", "gad7", "warning", "GAD-7 {score} ({severity}): " + NO_REFERRAL),
    Rule("auditc", "screening", "auditc", "warning", "AUDIT-C {score}, positive: " + NO_REFERRAL),
    Rule("bh_diagnosis", "diagnosis", None, "info", "Diagnosis {names}: " + NO_REFERRAL),
    Rule("sud_medication", "medication", None, "warning", "SUD medication {names}: " + NO_REFERRAL),
)


@dataclass(frozen=True)
class Finding:
    """A rule that fired: the card's words, urgency and evidence."""

    rule: Rule
    summary: str
    indicator: str
    part2: bool  # substance use disorder content (42 CFR Part 2)
    references: tuple[str, ...]  # the resources behind it, for the referral's reasonReference
    score: int | None = None


def short(text: str) -> str:
    """Text cut to fit a card summary."""
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def _names(found: tuple[Coded, ...]) -> str:
    names = list(dict.fromkeys(c.name for c in found))
    return ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")


def _references(*found) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.reference for f in found if f is not None and f.reference))


def _crisis(facts: Facts) -> bool:
    item9 = facts.readings.get(phq9_item9_loinc())
    flag = next(f for f in instruments()["phq9"].flags if f["name"] == "crisis")
    return item9 is not None and item9.value > flag["above"]


def _screening(rule: Rule, facts: Facts) -> Finding | None:
    instrument = instruments()[rule.instrument]
    reading = facts.readings.get(instrument.total_loinc)
    crisis = rule.key == "phq9" and _crisis(facts)
    positive, scored = False, None
    if reading is not None:
        try:
            scored = score_total(instrument, reading.value, facts.sex)
        except AnswerError:  # a total outside the instrument's range: not a usable score
            scored = None
        positive = bool(scored and scored.positive)
    if not (positive or crisis):
        return None
    item9 = facts.readings.get(phq9_item9_loinc()) if crisis else None
    summary = (
        CRISIS if crisis else rule.summary.format(score=scored.score, severity=scored.severity)
    )
    return Finding(
        rule=rule,
        summary=short(summary),
        indicator="critical" if crisis else rule.indicator,
        part2=False,
        references=_references(reading if positive else None, item9),
        score=scored.score if scored else None,
    )


def _coded(rule: Rule, found: tuple[Coded, ...], part2: bool) -> Finding | None:
    if not found:
        return None
    return Finding(
        rule=rule,
        summary=short(rule.summary.format(names=_names(found))),
        indicator=rule.indicator,
        part2=part2,
        references=_references(*found),
    )


def _diagnosis(rule: Rule, facts: Facts) -> Finding | None:
    part2 = any(code_category(c.name) for c in facts.diagnoses)
    return _coded(rule, facts.diagnoses, part2)


def _medication(rule: Rule, facts: Facts) -> Finding | None:
    return _coded(rule, facts.sud_medications, part2=True)


READERS = {"screening": _screening, "diagnosis": _diagnosis, "medication": _medication}


def evaluate(facts: Facts) -> list[Finding]:
    """Every rule that fires; with a referral on file only a critical finding still does."""
    findings = [READERS[rule.reads](rule, facts) for rule in RULES]
    fired = [f for f in findings if f is not None]
    if facts.referral_on_file:
        return [f for f in fired if f.indicator == "critical"]
    return fired
