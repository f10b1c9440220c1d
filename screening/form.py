"""Answers as a page form posts them (one field per item), checked item by item. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from screening.definitions import Instrument

MISSING = "missing"
NOT_AN_ANSWER = "not_an_answer"
MAX_SHOWN = 4  # an answer is a small integer: longer text is wrong, and shown back cut


@dataclass(frozen=True)
class FormAnswers:
    """One integer per item when every item is answered; else the problem per item."""

    answers: tuple[int, ...]
    problems: dict[int, str]  # item position (1-based) -> MISSING | NOT_AN_ANSWER
    given: dict[str, str]  # field name -> the value posted (to show the form again)

    @property
    def complete(self) -> bool:
        """True when every item has one of its answers."""
        return not self.problems


def field_name(position: int) -> str:
    """The form field of the item at `position` (1-based)."""
    return f"q{position}"


def read_answers(instrument: Instrument, posted: Mapping[str, str]) -> FormAnswers:
    """The posted answers checked against the instrument's items, in item order."""
    answers, problems, given = [], {}, {}
    for position, item in enumerate(instrument.items, start=1):
        raw = (posted.get(field_name(position)) or "").strip()
        if not raw:
            problems[position] = MISSING
            continue
        given[field_name(position)] = raw[:MAX_SHOWN]
        short = len(raw) <= MAX_SHOWN and raw.lstrip("-").isdigit()
        value = int(raw) if short else None
        if value is None or item.option(value) is None:
            problems[position] = NOT_AN_ANSWER
            continue
        answers.append(value)
    return FormAnswers(tuple(answers) if not problems else (), problems, given)
