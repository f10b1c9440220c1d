"""Score answers against an instrument's rules: total, band, positive, crisis, needs. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from screening.definitions import Instrument, Item


class AnswerError(ValueError):
    """Answers that do not fit the instrument; `errors` names each item at fault."""

    def __init__(self, message: str, errors: dict):
        super().__init__(message)
        self.message = message
        self.errors = errors


@dataclass(frozen=True)
class Scored:
    """What a set of answers means under an instrument's published rules."""

    instrument: Instrument
    answers: tuple[int, ...]
    score: int
    severity: str | None  # the published band name; None for instruments without bands
    positive: bool | None  # None: not known (AUDIT-C at a sex-specific cut-off, sex not given)
    crisis: bool
    needs: tuple[str, ...]  # social needs, safety first
    flags: tuple[str, ...]


def _describe(position: int, item: Item) -> str:
    return f"item {position} ({item.link_id})"


def check_answers(instrument: Instrument, answers: Sequence[int]) -> None:
    """AnswerError naming the first missing item, an extra answer, or each unknown answer."""
    items = instrument.items
    if len(answers) < len(items):
        missing = items[len(answers)]
        message = f"{_describe(len(answers) + 1, missing)} is missing"
        detail = f"{instrument.key} has {len(items)} items; {len(answers)} answers given"
        raise AnswerError(message, {"answers": [f"{message} ({detail})"]})
    if len(answers) > len(items):
        message = f"{instrument.key} has {len(items)} items; {len(answers)} answers given"
        raise AnswerError(message, {"answers": [message]})
    wrong = {}
    for index, (item, answer) in enumerate(zip(items, answers, strict=True)):
        if item.option(answer) is None:
            allowed = ", ".join(str(o.value) for o in item.options)
            wrong[index] = [f"{_describe(index + 1, item)}: {answer} is not one of {allowed}"]
    if wrong:
        first = next(iter(wrong.values()))[0]
        raise AnswerError(first, {"answers": wrong})


def _severity(instrument: Instrument, score: int) -> str | None:
    return next((b.name for b in instrument.bands if b.low <= score <= b.high), None)


def _positive(instrument: Instrument, score: int, sex: str | None, needs) -> bool | None:
    rule = instrument.positive
    if "at_least" in rule:
        return score >= rule["at_least"]
    if "at_least_by_sex" in rule:
        cuts = rule["at_least_by_sex"]
        if sex in cuts:
            return score >= cuts[sex]
        # Without the sex, only scores on the same side of both cut-offs are known.
        if score >= max(cuts.values()):
            return True
        return False if score < min(cuts.values()) else None
    return bool(needs)


def _needs(instrument: Instrument, by_item: dict[str, int]) -> tuple[str, ...]:
    found = []
    for rule in instrument.needs:
        if "sum_of" in rule:
            hit = sum(by_item[link] for link in rule["sum_of"]) >= rule["at_least"]
        else:
            hit = any(by_item[link] in values for link, values in rule["items"].items())
        if hit:
            found.append(rule["need"])
    return tuple(found)


def _flags(instrument: Instrument, by_item: dict[str, int], needs) -> tuple[str, ...]:
    raised = []
    for flag in instrument.flags:
        if "need" in flag:
            hit = flag["need"] in needs
        else:
            hit = any(by_item[link] > flag["above"] for link in flag["items"])
        if hit:
            raised.append(flag["name"])
    return tuple(raised)


def score(instrument: Instrument, answers: Sequence[int], sex: str | None = None) -> Scored:
    """Score `answers` (one integer per item, in item order); AnswerError when they do not fit."""
    check_answers(instrument, answers)
    by_item = {item.link_id: answer for item, answer in zip(instrument.items, answers, strict=True)}
    total = sum(by_item[link] for link in instrument.total_items)
    needs = _needs(instrument, by_item)
    flags = _flags(instrument, by_item, needs)
    return Scored(
        instrument=instrument,
        answers=tuple(answers),
        score=total,
        severity=_severity(instrument, total),
        positive=_positive(instrument, total, sex, needs),
        crisis="crisis" in flags,
        needs=needs,
        flags=flags,
    )


def highest_total(instrument: Instrument) -> int:
    """The largest total the instrument's answers can add up to."""
    best = {item.link_id: max(o.value for o in item.options) for item in instrument.items}
    return sum(best[link] for link in instrument.total_items)


def score_total(instrument: Instrument, total: int, sex: str | None = None) -> Scored:
    """What a total sent without its answers means (band, positive); crisis is not known."""
    if "at_least" not in instrument.positive and "at_least_by_sex" not in instrument.positive:
        # Needs-based instruments (AHC HRSN) mean nothing as a total.
        message = f"{instrument.key} is scored from its answers; send them"
        raise AnswerError(message, {"score": [message]})
    highest = highest_total(instrument)
    if not 0 <= total <= highest:
        message = f"{instrument.key} totals range from 0 to {highest}; {total} given"
        raise AnswerError(message, {"score": [message]})
    return Scored(
        instrument=instrument,
        answers=(),
        score=total,
        severity=_severity(instrument, total),
        positive=_positive(instrument, total, sex, ()),
        crisis=False,
        needs=(),
        flags=(),
    )
