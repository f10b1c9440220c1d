"""The social-needs screen (AHC HRSN) as the staff and patient pages show it, in their words.

The questions come from the instrument definition in the reader's language; the safety lines
from screening.guidance, the one list the API shows too.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from pages.languages import current_locale_code
from screening.definitions import Instrument, instruments
from screening.form import MISSING, FormAnswers, field_name
from screening.guidance import SAFETY_RESOURCES

INSTRUMENT = "ahc_hrsn"
# The numbers the safety-first block shows: the hotline (call, or text the word to the short
# code), the crisis line and emergency services.
_HOTLINE, _CRISIS, _EMERGENCY = SAFETY_RESOURCES
SAFETY = {
    "hotline": _HOTLINE["phone"],
    "hotline_text": _HOTLINE["text"],
    "text_word": _HOTLINE["text_word"],
    "crisis": _CRISIS["phone"],
    "emergency": _EMERGENCY["phone"],
}


@dataclass(frozen=True)
class Question:
    """One question as the form shows it: its field, words and (value, words) answers."""

    number: int
    field: str
    text: str
    options: tuple[tuple[int, str], ...]


def social_instrument() -> Instrument:
    """The AHC HRSN core questions."""
    return instruments()[INSTRUMENT]


def questions() -> list[Question]:
    """Every question in the reader's language (English where the definition has no other)."""
    locale = current_locale_code()
    return [
        Question(
            number,
            field_name(number),
            item.text_in(locale),
            tuple((o.value, o.display_in(locale)) for o in item.options),
        )
        for number, item in enumerate(social_instrument().items, start=1)
    ]


def answer_errors(found: FormAnswers) -> dict[str, str]:
    """A message per unanswered or wrongly answered question, naming it."""
    shown = {q.number: q for q in questions()}
    errors = {}
    for number, problem in found.problems.items():
        question = shown[number]
        if problem == MISSING:
            text = _("Question %(number)d (%(question)s): choose an answer.", number=number,
                     question=question.text)  # fmt: skip
        else:
            text = _("Question %(number)d (%(question)s): %(value)s is not one of its answers.",
                     number=number, question=question.text,
                     value=found.given.get(question.field, ""))  # fmt: skip
        errors[question.field] = text
    return errors
